import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clientAuthConfig } from '../auth/clientAuth';
import type { CallerIdentity } from '../auth/types';
import { createHttpHandler, ClientTarget } from './client';
import { errorText } from './errors';
import { describeProxyFailure } from './proxyError';

/**
 * Asks STS in the active region with exactly the credentials, proxy and CAs
 * chat requests use (so an MFA or SSO prompt is the same one). STS needs no
 * permission for this call. API keys are bearer tokens for Bedrock only: not asked.
 */
export async function callerIdentity(target: ClientTarget, signal?: AbortSignal): Promise<CallerIdentity> {
  if (target.auth.kind === 'apiKey') return { skipped: 'not available with an API key (a Bedrock bearer token, not AWS credentials STS could name)' };
  const requestHandler = createHttpHandler(30, target.network);
  const credentialConfig = { requestHandler, ...target.credentialClientConfig };
  const endpoint = (target.credentialClientConfig as { endpoint?: string } | undefined)?.endpoint;
  const client = new STSClient({
    region: target.region,
    ...(endpoint ? { endpoint } : {}),
    requestHandler,
    maxAttempts: 2,
    ...clientAuthConfig(target.auth, credentialConfig),
  });
  try {
    const credentials = await (client.config.credentials as () => Promise<{ expiration?: Date }>)();
    const out = await client.send(new GetCallerIdentityCommand({}), signal ? { abortSignal: signal } : {});
    return {
      ...(out.Arn ? { arn: out.Arn } : {}),
      ...(out.Account ? { account: out.Account } : {}),
      ...(out.UserId ? { userId: out.UserId } : {}),
      ...(credentials.expiration ? { credentialsExpireAt: credentials.expiration.getTime() } : {}),
    };
  } catch (err) {
    return { error: describeProxyFailure(err) ?? `${(err as Error)?.name ?? 'Error'}: ${errorText(err)}` };
  } finally {
    client.destroy();
  }
}
