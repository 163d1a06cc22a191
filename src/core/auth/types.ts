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

/** Who AWS says the current credentials are (STS GetCallerIdentity), for Show Connection Details. */
export interface CallerIdentity {
  arn?: string;
  account?: string;
  userId?: string;
  /** When the credentials in use expire (temporary credentials); undefined for long-term keys. */
  credentialsExpireAt?: number;
  /** Why it was not asked (API-key authentication has no AWS identity). */
  skipped?: string;
  /** Why asking failed. */
  error?: string;
}
