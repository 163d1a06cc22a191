import type { ManagedSettings } from './managedSettings';
import { AUTH_METHODS, AuthMethodSetting } from './settings';

/**
 * Administrator policy: keys honoured only in the managed settings file
 * (managedSettings.ts). Unlike a pinned setting, which chooses a value, a
 * policy restricts: which authentication methods may be used and which models
 * may be offered and called. Anything outside it is refused with a message
 * that names the policy; nothing is quietly replaced. A policy value that
 * cannot be read blocks every request (fail closed).
 * Ids are public API: administrators write them. Never rename.
 */
export const POLICY_IDS = {
  allowedMethods: 'bedrockChat.allowedAuthenticationMethods',
  allowedModels: 'bedrockChat.allowedModels',
} as const;

export type PolicyKey = keyof typeof POLICY_IDS;

export const POLICY_KEY_BY_ID: Record<string, PolicyKey> = Object.fromEntries((Object.keys(POLICY_IDS) as PolicyKey[]).map((k) => [POLICY_IDS[k], k]));

export interface Policy {
  /** The managed file that holds it. */
  path: string;
  /** Undefined: every method. */
  allowedMethods?: AuthMethodSetting[];
  /** Glob patterns over model ids; undefined: every model. An empty list allows none. */
  allowedModels?: string[];
  /** A policy value that cannot be used: requests are refused until the administrator fixes it. */
  error?: string;
}

/** What the VS Code layer found for a policy id outside the managed file (user or workspace settings): ignored, with a warning. */
export interface PolicyElsewhere {
  id: string;
  layer: 'user' | 'workspace';
}

function checkMethods(v: unknown): { value: AuthMethodSetting[] } | { problem: string } {
  if (!Array.isArray(v) || v.some((m) => typeof m !== 'string')) return { problem: `must be a list of methods, e.g. ["sso", "profile"]` };
  const unknown = v.filter((m: string) => !(AUTH_METHODS as readonly string[]).includes(m.trim()));
  if (unknown.length) return { problem: `${unknown.map((m) => `"${m}"`).join(', ')} ${unknown.length === 1 ? 'is not a method' : 'are not methods'}; use ${AUTH_METHODS.join(', ')}` };
  return { value: [...new Set(v.map((m: string) => m.trim() as AuthMethodSetting))] };
}

function checkModels(v: unknown): { value: string[] } | { problem: string } {
  if (!Array.isArray(v) || v.some((p) => typeof p !== 'string' || !p.trim())) return { problem: 'must be a list of glob patterns over model ids, e.g. ["anthropic.claude-*", "*.amazon.nova-*"]' };
  return { value: v.map((p: string) => p.trim()) };
}

/**
 * The policy in force. The managed file's own error (unreadable, malformed,
 * unknown keys) is handled with it; a malformed policy value is an error here.
 */
export function resolvePolicy(managed: ManagedSettings): Policy {
  const policy: Policy = { path: managed.path };
  const values = managed.policy ?? {};
  const problems: string[] = [];
  if (values.allowedMethods !== undefined) {
    const checked = checkMethods(values.allowedMethods);
    if ('problem' in checked) problems.push(`${POLICY_IDS.allowedMethods} ${checked.problem}`);
    else policy.allowedMethods = checked.value;
  }
  if (values.allowedModels !== undefined) {
    const checked = checkModels(values.allowedModels);
    if ('problem' in checked) problems.push(`${POLICY_IDS.allowedModels} ${checked.problem}`);
    else policy.allowedModels = checked.value;
  }
  // A misspelt policy key would otherwise be ignored, leaving everything allowed.
  const policyLike = managed.unknownKeys.filter((k) => /allow|deny|forbid|block|restrict|policy/i.test(k));
  if (policyLike.length) problems.push(`${policyLike.join(', ')} ${policyLike.length === 1 ? 'is not a policy key' : 'are not policy keys'} Bedrock Chat knows (${Object.values(POLICY_IDS).join(', ')})`);
  if (problems.length) {
    policy.error = `Your administrator's policy in ${managed.path} is invalid: ${problems.join('; ')}. Requests are refused until it is fixed; ask your administrator.`;
  }
  return policy;
}

export function methodAllowed(policy: Policy | undefined, method: AuthMethodSetting): boolean {
  return !policy?.allowedMethods || policy.allowedMethods.includes(method);
}

const METHOD_NAMES: Record<AuthMethodSetting, string> = {
  automatic: 'Automatic (the AWS SDK default chain)',
  profile: 'AWS profile',
  sso: 'SSO (IAM Identity Center)',
  iamCredentials: 'IAM credentials',
  apiKey: 'API key',
};

/** "sso, profile" in words, for messages. */
export function allowedMethodsText(policy: Policy): string {
  const allowed = policy.allowedMethods ?? [...AUTH_METHODS];
  return allowed.length ? allowed.map((m) => `${METHOD_NAMES[m]} ("${m}")`).join(', ') : 'none';
}

/**
 * The refusal for a method outside the policy. `why` says how it was chosen
 * (a setting, a stored key, an environment variable), since the user may not
 * know which source precedence picked.
 */
export function methodRefusal(policy: Policy, method: AuthMethodSetting, why: string): string {
  return `Your organisation's policy (${POLICY_IDS.allowedMethods} in ${policy.path}) does not allow ${METHOD_NAMES[method]} authentication, which Bedrock Chat would use here (${why}). Allowed: ${allowedMethodsText(policy)}. Run "Bedrock: Select Authentication Method" to choose one${method === 'apiKey' || method === 'iamCredentials' ? '; "Bedrock: Clear Stored Credentials" removes a stored key, and a key in the environment must be unset where VS Code starts' : ''}.`;
}

/** A user or workspace value of a policy key: ignored, and said so. */
export function policyElsewhereWarning(e: PolicyElsewhere): string {
  return `The ${e.layer} setting ${e.id} is ignored: only your administrator's managed settings file can set it.`;
}
