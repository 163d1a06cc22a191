/**
 * Test-only helpers to isolate the AWS SDK's credential providers from the developer's
 * real environment: temporary AWS config directories, SSO token caches, and a scoped
 * process.env override. Production code must never mutate process.env.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { externalDataInterceptor } from '@smithy/shared-ini-file-loader';

/**
 * Environment variables the SDK's credential / config resolution reads. `withEnv(isolatedAwsEnv(home), fn)`
 * clears them all and points HOME at a temp dir.
 */
export const AWS_ENV_VARS = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_ACCOUNT_ID',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_BEARER_TOKEN_BEDROCK',
  'AWS_AUTH_SCHEME_PREFERENCE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_BEDROCK',
  'AWS_ENDPOINT_URL_BEDROCK_RUNTIME',
  'AWS_ENDPOINT_URL_SSO',
  'AWS_ENDPOINT_URL_SSO_OIDC',
  'AWS_ENDPOINT_URL_STS',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_STS_REGIONAL_ENDPOINTS',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  'AWS_SDK_LOAD_CONFIG',
  'AWS_USE_FIPS_ENDPOINT',
  'AWS_USE_DUALSTACK_ENDPOINT',
  'AWS_MAX_ATTEMPTS',
  'AWS_RETRY_MODE',
] as const;

/**
 * Run `fn` with process.env temporarily changed (`undefined` deletes a variable), restoring
 * every touched variable afterwards, even on error. Tests only. Not safe with tests running in
 * parallel in one process (mocha runs serially by default).
 */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T | Promise<T>): Promise<T> {
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(vars)) {
    saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Vars for withEnv: every AWS_* var in AWS_ENV_VARS cleared, HOME/USERPROFILE pointed at `home`, plus `extra`. */
export function isolatedAwsEnv(home: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const vars: Record<string, string | undefined> = { HOME: home, USERPROFILE: home, HOMEPATH: undefined, HOMEDRIVE: undefined };
  for (const k of AWS_ENV_VARS) vars[k] = undefined;
  return { ...vars, ...extra };
}

export interface TempAwsHome {
  /** the temp directory (use as HOME) */
  home: string;
  /** `<home>/.aws/config` */
  configFile: string;
  /** `<home>/.aws/credentials` */
  credentialsFile: string;
  /** `<home>/.aws/sso/cache` */
  ssoCacheDir: string;
  /** write `<home>/.aws/config` (ini text) */
  writeConfig(text: string): void;
  /** write `<home>/.aws/credentials` (ini text) */
  writeCredentials(text: string): void;
  /**
   * Write an SSO token cache file, as `aws sso login` does. `key` is the sso-session name
   * (profiles with `sso_session`) or the start URL (legacy profiles).
   */
  writeSsoToken(key: string, token: SsoCachedToken): string;
  /** write an arbitrary file under home and return its path */
  writeFile(relPath: string, contents: string): string;
  /** delete the directory */
  cleanup(): void;
}

export interface SsoCachedToken {
  accessToken: string;
  /** ISO date; defaults to one hour from now */
  expiresAt?: string;
  region?: string;
  startUrl?: string;
  clientId?: string;
  clientSecret?: string;
  registrationExpiresAt?: string;
  refreshToken?: string;
}

/** File name the SDK uses for an SSO token cache entry: sha1(key) + '.json'. */
export function ssoTokenCacheFileName(key: string): string {
  return createHash('sha1').update(key).digest('hex') + '.json';
}

/** Create a fresh temp directory laid out like a home with `.aws/`. Files are only written when asked. */
export function makeTempAwsHome(): TempAwsHome {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-chat-home-'));
  const awsDir = path.join(home, '.aws');
  const ssoCacheDir = path.join(awsDir, 'sso', 'cache');
  fs.mkdirSync(ssoCacheDir, { recursive: true });
  const configFile = path.join(awsDir, 'config');
  const credentialsFile = path.join(awsDir, 'credentials');
  // empty files so an explicit filepath never falls back to anything else
  fs.writeFileSync(configFile, '');
  fs.writeFileSync(credentialsFile, '');
  return {
    home,
    configFile,
    credentialsFile,
    ssoCacheDir,
    writeConfig: (text) => fs.writeFileSync(configFile, text),
    writeCredentials: (text) => fs.writeFileSync(credentialsFile, text),
    writeSsoToken(key, token) {
      const file = path.join(ssoCacheDir, ssoTokenCacheFileName(key));
      const full = { expiresAt: new Date(Date.now() + 3600_000).toISOString(), region: 'us-east-1', ...token };
      fs.writeFileSync(file, JSON.stringify(full));
      return file;
    },
    writeFile(relPath, contents) {
      const file = path.join(home, relPath);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, contents);
      return file;
    },
    cleanup: () => fs.rmSync(home, { recursive: true, force: true }),
  };
}

/**
 * Without touching env or HOME: make the SDK's SSO token lookup (`getSSOTokenFromFile(key)`,
 * used by fromSSO / fromIni for both sso-session and legacy profiles) return `token`.
 * Uses @smithy/shared-ini-file-loader's `externalDataInterceptor` (process-global).
 * Returns a function that removes the interception.
 */
export function interceptSsoToken(key: string, token: SsoCachedToken): () => void {
  const full = { expiresAt: new Date(Date.now() + 3600_000).toISOString(), region: 'us-east-1', ...token };
  externalDataInterceptor.interceptToken(key, full as never);
  return () => {
    delete (externalDataInterceptor.getTokenRecord() as Record<string, unknown>)[key];
  };
}
