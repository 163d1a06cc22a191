import { AuthKind, AuthSource } from '../core/auth/types';

/** How methods and sources are named in the status bar, pickers and tooltips. */
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
