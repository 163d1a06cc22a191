/**
 * Real AWS SDK clients pointed at a local Bedrock server (convenience for tests).
 */
import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import { BedrockClient, type BedrockClientConfig } from '@aws-sdk/client-bedrock';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { BedrockServer } from './bedrockServer';

export const TEST_ACCESS_KEY_ID = 'AKIDLOCALTEST000001';
export const TEST_SECRET_ACCESS_KEY = 'local/test/secret/key/0000000000000000000';

/**
 * A BedrockRuntimeClient for `server.endpoint`, region us-east-1, NodeHttpHandler, no retries.
 * Defaults to static SigV4 credentials TEST_ACCESS_KEY_ID/TEST_SECRET_ACCESS_KEY (registered
 * on the server by this call). Anything in `config` overrides.
 */
export function runtimeClientFor(server: BedrockServer, config: Partial<BedrockRuntimeClientConfig> = {}): BedrockRuntimeClient {
  server.addCredentials(TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY);
  return new BedrockRuntimeClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
    requestHandler: new NodeHttpHandler({ connectionTimeout: 2000, requestTimeout: 10000 }),
    maxAttempts: 1,
    ...config,
  });
}

/** A BedrockClient (control plane) for `server.endpoint`; same defaults as runtimeClientFor. */
export function controlClientFor(server: BedrockServer, config: Partial<BedrockClientConfig> = {}): BedrockClient {
  server.addCredentials(TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY);
  return new BedrockClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
    requestHandler: new NodeHttpHandler({ connectionTimeout: 2000, requestTimeout: 10000 }),
    maxAttempts: 1,
    ...config,
  });
}
