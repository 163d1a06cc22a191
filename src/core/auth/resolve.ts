import { FixCommand } from '../config/commands';
import { Env, ENV, envProfile } from '../config/env';
import { AuthMethodSetting, BedrockSettings, SettingProblem } from '../config/settings';
import { AuthSource, BedrockAuth, StoredSecrets } from './types';

export interface AuthInputs {
  settings: BedrockSettings;
  /** Problems found while merging settings; a managed one blocks resolution. */
  settingProblems?: SettingProblem[];
  /** The managed file could not be used at all. */
  managedError?: string;
  secrets: StoredSecrets;
  env: Env;
}

export type AuthResolution =
  | {
      ok: true;
      auth: BedrockAuth;
      /** Where the method came from. */
      source: AuthSource;
      /** For apiKey/iamCredentials chosen in settings: where the secret came from. */
      secretSource?: 'secretStorage' | 'environment';
    }
  | {
      ok: false;
      /** The method that could not be satisfied, if one was chosen. */
      method?: AuthMethodSetting;
      source: AuthSource;
      message: string;
      fix?: FixCommand;
      /** Refused by the administrator's policy (config/policy.ts), not a missing setting. */
      policy?: true;
    };

/**
 * A secret as it must go on the wire. API keys, access keys, secret keys and
 * session tokens never contain whitespace, so any there was pasted with them
 * (a key wrapped across lines when copied, a trailing newline): it is removed,
 * since a line break cannot even be sent in a header.
 */
const secretValue = (s: string | undefined): string | undefined => s?.replace(/\s+/g, '') || undefined;

function envApiKey(env: Env): string | undefined {
  return secretValue(env[ENV.bearerToken]);
}

function envIamCredentials(env: Env): Extract<BedrockAuth, { kind: 'iamCredentials' }> | undefined {
  const accessKeyId = secretValue(env[ENV.accessKeyId]);
  const secretAccessKey = secretValue(env[ENV.secretAccessKey]);
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = secretValue(env[ENV.sessionToken]);
  return { kind: 'iamCredentials', accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

function storedIam(secrets: StoredSecrets): Extract<BedrockAuth, { kind: 'iamCredentials' }> | undefined {
  const c = secrets.iamCredentials;
  const accessKeyId = secretValue(c?.accessKeyId);
  const secretAccessKey = secretValue(c?.secretAccessKey);
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = secretValue(c?.sessionToken);
  return { kind: 'iamCredentials', accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** The profile for profile/SSO methods: the setting, else AWS_PROFILE, else "default". */
export function profileName(settings: BedrockSettings, env: Env): string {
  return settings.profile.value ?? envProfile(env);
}

/** The profile whose config applies (its region, its SSO session): the chosen one, or AWS_PROFILE for the default chain. */
export function effectiveProfile(auth: BedrockAuth | undefined, env: Env): string {
  if (auth && (auth.kind === 'profile' || auth.kind === 'sso')) return auth.profile;
  return envProfile(env);
}

/**
 * Resolves the one auth value to use. Pure: the same inputs always give the
 * same answer, so every path is tested in plain Node.
 *
 * Precedence: a method in settings (managed first), then SecretStorage, then
 * the environment, then the SDK default chain.
 */
export function resolveAuth(inputs: AuthInputs): AuthResolution {
  const { settings, secrets, env } = inputs;

  if (inputs.managedError) {
    return { ok: false, source: 'managed', message: inputs.managedError };
  }
  const managedProblem = inputs.settingProblems?.find((p) => p.layer === 'managed');
  if (managedProblem) {
    return {
      ok: false,
      source: 'managed',
      message: `Your administrator's managed setting ${managedProblem.id} is invalid: ${managedProblem.message}. Ask them to fix it.`,
    };
  }

  const method = settings.authMethod.value;
  if (method) {
    const source: AuthSource = settings.authMethod.layer === 'managed' ? 'managed' : 'settings';
    switch (method) {
      case 'automatic':
        return { ok: true, auth: { kind: 'automatic' }, source };
      case 'profile':
        return { ok: true, auth: { kind: 'profile', profile: profileName(settings, env) }, source };
      case 'sso':
        return { ok: true, auth: { kind: 'sso', profile: profileName(settings, env) }, source };
      case 'apiKey': {
        const stored = secretValue(secrets.apiKey);
        if (stored) return { ok: true, auth: { kind: 'apiKey', apiKey: stored }, source, secretSource: 'secretStorage' };
        const fromEnv = envApiKey(env);
        if (fromEnv) return { ok: true, auth: { kind: 'apiKey', apiKey: fromEnv }, source, secretSource: 'environment' };
        return {
          ok: false,
          method,
          source,
          message: `Authentication method is "API key" but no key is set. Run "Bedrock: Set Bedrock API Key" or set ${ENV.bearerToken}.`,
          fix: 'setApiKey',
        };
      }
      case 'iamCredentials': {
        const stored = storedIam(secrets);
        if (stored) return { ok: true, auth: stored, source, secretSource: 'secretStorage' };
        const fromEnv = envIamCredentials(env);
        if (fromEnv) return { ok: true, auth: fromEnv, source, secretSource: 'environment' };
        return {
          ok: false,
          method,
          source,
          message: `Authentication method is "IAM credentials" but none are set. Run "Bedrock: Set IAM Credentials" or set ${ENV.accessKeyId} and ${ENV.secretAccessKey}.`,
          fix: 'setIamCredentials',
        };
      }
    }
  }

  const storedKey = secretValue(secrets.apiKey);
  if (storedKey) return { ok: true, auth: { kind: 'apiKey', apiKey: storedKey }, source: 'secretStorage' };
  const stored = storedIam(secrets);
  if (stored) return { ok: true, auth: stored, source: 'secretStorage' };

  const envKey = envApiKey(env);
  if (envKey) return { ok: true, auth: { kind: 'apiKey', apiKey: envKey }, source: 'environment' };
  const envIam = envIamCredentials(env);
  if (envIam) return { ok: true, auth: envIam, source: 'environment' };

  return { ok: true, auth: { kind: 'automatic' }, source: 'defaultChain' };
}
