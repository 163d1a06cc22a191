/**
 * The one resolved way of authenticating to Bedrock. Everything downstream
 * (client building, status bar, error hints) switches on `kind`.
 */
export type BedrockAuth =
  | { kind: 'automatic' }
  | { kind: 'profile'; profile: string }
  | { kind: 'sso'; profile: string }
  | { kind: 'iamCredentials'; accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | { kind: 'apiKey'; apiKey: string };

export type AuthKind = BedrockAuth['kind'];

/** The values of `bedrockChat.authentication.method`. Public API: never rename. */
export const AUTH_METHODS = ['automatic', 'profile', 'sso', 'iamCredentials', 'apiKey'] as const;
export type AuthMethodSetting = (typeof AUTH_METHODS)[number];

/** Where the winning auth value came from, in precedence order. */
export type AuthSource = 'managed' | 'settings' | 'secretStorage' | 'environment' | 'defaultChain';

export interface StoredIamCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** What SecretStorage holds for us (already loaded). */
export interface StoredSecrets {
  apiKey?: string;
  iamCredentials?: StoredIamCredentials;
}

export const AUTH_LABELS: Record<AuthKind, string> = {
  automatic: 'Automatic',
  profile: 'AWS profile',
  sso: 'SSO',
  iamCredentials: 'IAM credentials',
  apiKey: 'API key',
};

export const SOURCE_LABELS: Record<AuthSource, string> = {
  managed: 'managed by your administrator',
  settings: 'settings',
  secretStorage: 'stored in VS Code SecretStorage',
  environment: 'environment variables',
  defaultChain: 'AWS SDK default credential chain',
};
