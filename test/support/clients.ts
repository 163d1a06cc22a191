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
 * Config shared by both clients: `server.endpoint`, region us-east-1, NodeHttpHandler, no retries,
 * static SigV4 credentials TEST_ACCESS_KEY_ID/TEST_SECRET_ACCESS_KEY (registered on the server here).
 */
function localConfig(server: BedrockServer) {
  server.addCredentials(TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY);
  return {
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: TEST_SECRET_ACCESS_KEY },
    requestHandler: new NodeHttpHandler({ connectionTimeout: 2000, requestTimeout: 10000 }),
    maxAttempts: 1,
  };
}

/** A BedrockRuntimeClient for the local server; anything in `config` overrides the defaults. */
export function runtimeClientFor(server: BedrockServer, config: Partial<BedrockRuntimeClientConfig> = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient({ ...localConfig(server), ...config });
}

/** A BedrockClient (control plane) for the local server; same defaults as runtimeClientFor. */
export function controlClientFor(server: BedrockServer, config: Partial<BedrockClientConfig> = {}): BedrockClient {
  return new BedrockClient({ ...localConfig(server), ...config });
}
