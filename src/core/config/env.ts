/**
 * The environment variables Bedrock Chat reads. Public API: admins and scripts
 * set them, so never rename. The environment is passed in as a value (never
 * read from or written to `process.env` below the VS Code layer).
 */
export type Env = Readonly<Record<string, string | undefined>>;

export const ENV = {
  bearerToken: 'AWS_BEARER_TOKEN_BEDROCK',
  accessKeyId: 'AWS_ACCESS_KEY_ID',
  secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
  sessionToken: 'AWS_SESSION_TOKEN',
  profile: 'AWS_PROFILE',
  region: 'AWS_REGION',
  defaultRegion: 'AWS_DEFAULT_REGION',
  managedSettings: 'BEDROCK_CHAT_MANAGED_SETTINGS',
  /** The AWS SDK's own endpoint override for the Bedrock control plane (model discovery). */
  controlPlaneEndpoint: 'AWS_ENDPOINT_URL_BEDROCK',
} as const;

/** Variables whose values are secrets: redacted wherever they could appear. */
export const SECRET_ENV: readonly string[] = [ENV.bearerToken, ENV.secretAccessKey, ENV.sessionToken];

/** A trimmed value, or undefined when missing or blank. */
export function envValue(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/** The profile the SDK would use on its own: AWS_PROFILE, else "default". */
export function envProfile(env: Env): string {
  return envValue(env, ENV.profile) ?? 'default';
}
