import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { fromIni, fromNodeProviderChain, fromSSO } from '@aws-sdk/credential-providers';
import { markCredentialStep } from './credentialStep';
import { MfaOptions, withMfa } from './mfa';
import { BedrockAuth } from './types';

/**
 * Config for the STS/SSO/OIDC clients that credential providers create (tests
 * point these at a local server). No region here: the SSO client must use the
 * profile's sso_region, and STS follows the Bedrock client's region by itself.
 */
export interface CredentialClientConfig {
  endpoint?: string;
  requestHandler?: unknown;
  /**
   * Where assume-role profiles with `mfa_serial` get their code (an input box in VS Code) and keep the
   * session it buys. Not client config: taken out before the rest goes to the STS/SSO/OIDC clients.
   * Without it such a profile fails with the SDK's "requires multi-factor authentication".
   */
  mfa?: MfaOptions;
}

/**
 * The same provider, marking what it throws: a network error from STS or the
 * SSO portal looks exactly like one from Bedrock, and the message must name
 * the right service (errors.ts).
 */
function marked(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  return async (...args) => {
    try {
      return await provider(...args);
    } catch (err) {
      markCredentialStep(err);
      throw err;
    }
  };
}

/** The auth half of a Bedrock client's config. */
export type ClientAuthConfig =
  | { credentials: AwsCredentialIdentityProvider; authSchemePreference: ['sigv4'] }
  | { token: { token: string }; authSchemePreference: ['httpBearerAuth']; credentials: AwsCredentialIdentityProvider };

/**
 * The one place where a resolved auth value becomes SDK config.
 *
 * SigV4 methods get a credential *provider*, never a snapshot, so the client
 * refreshes before expiry, and force the sigv4 scheme: otherwise a stray
 * AWS_BEARER_TOKEN_BEDROCK in the environment silently takes over. The API key
 * needs both `token` and the bearer scheme preference; `token` alone still signs.
 */
export function clientAuthConfig(auth: BedrockAuth, config: CredentialClientConfig = {}): ClientAuthConfig {
  const { mfa, ...rest } = config;
  const clientConfig = rest as Record<string, never>;
  const sigv4 = (credentials: AwsCredentialIdentityProvider): ClientAuthConfig => ({
    credentials: marked(credentials),
    authSchemePreference: ['sigv4'],
  });
  switch (auth.kind) {
    case 'automatic':
      if (mfa) return sigv4(withMfa(mfa.defaultProfile ?? 'default', (mfaCodeProvider) => fromNodeProviderChain({ clientConfig, mfaCodeProvider }), mfa));
      return sigv4(fromNodeProviderChain({ clientConfig }));
    case 'profile':
      // ignoreCache: re-read the AWS files whenever the provider runs. It runs again only when
      // credentials near their expiry; static keys have none and stay memoised for the client's
      // life, so rotated keys are picked up by a new client (ClientCache.renew, see bedrock/send.ts).
      if (mfa) return sigv4(withMfa(auth.profile, (mfaCodeProvider) => fromIni({ profile: auth.profile, ignoreCache: true, clientConfig, mfaCodeProvider }), mfa));
      return sigv4(fromIni({ profile: auth.profile, ignoreCache: true, clientConfig }));
    case 'sso':
      return sigv4(fromSSO({ profile: auth.profile, clientConfig }));
    case 'iamCredentials': {
      const { accessKeyId, secretAccessKey, sessionToken } = auth;
      return sigv4(async () => ({ accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }));
    }
    case 'apiKey':
      return {
        token: { token: auth.apiKey },
        authSchemePreference: ['httpBearerAuth'],
        // Never used for signing; present so the SDK does not search the default chain.
        credentials: async () => {
          throw new Error('API key authentication does not use AWS credentials.');
        },
      };
  }
}
