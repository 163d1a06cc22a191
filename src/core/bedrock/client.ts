import * as http from 'node:http';
import * as https from 'node:https';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { clientAuthConfig, CredentialClientConfig } from '../auth/clientAuth';
import { BedrockAuth } from '../auth/types';

export interface ClientTarget {
  auth: BedrockAuth;
  region: string;
  /** Overrides the runtime endpoint (company gateway); may carry a path prefix. */
  endpoint?: string;
  /** Seconds without any bytes from the server before the request fails. */
  idleTimeoutSeconds?: number;
  /** For the STS/SSO clients inside credential providers (tests). */
  credentialClientConfig?: CredentialClientConfig;
}

export const DEFAULT_IDLE_TIMEOUT_SECONDS = 120;

/**
 * HTTP/1.1 with keep-alive through Node's http(s) modules: VS Code patches
 * them for proxies and certificates, dropped connections raise real errors,
 * and `socketTimeout` catches a stream that stalls. (The SDK's default HTTP/2
 * handler opens a new connection per request here.)
 */
export function createHttpHandler(idleTimeoutSeconds = DEFAULT_IDLE_TIMEOUT_SECONDS): NodeHttpHandler {
  return new NodeHttpHandler({
    httpAgent: new http.Agent({ keepAlive: true }),
    httpsAgent: new https.Agent({ keepAlive: true }),
    connectionTimeout: 15_000,
    socketTimeout: idleTimeoutSeconds * 1000,
  });
}

export function createRuntimeClient(target: ClientTarget): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    requestHandler: createHttpHandler(target.idleTimeoutSeconds),
    ...clientAuthConfig(target.auth, target.credentialClientConfig),
  });
}

/** Keeps one client per (auth, region, endpoint, timeout) and rebuilds it when any of them changes. */
export class ClientCache {
  private current?: { key: string; client: BedrockRuntimeClient };

  get(target: ClientTarget): BedrockRuntimeClient {
    // The key holds secrets but never leaves this object.
    const key = JSON.stringify([target.auth, target.region, target.endpoint, target.idleTimeoutSeconds, target.credentialClientConfig]);
    if (this.current?.key !== key) {
      // The old client is not destroyed here: a response may still be streaming
      // through it. Its idle keep-alive sockets close on their own.
      this.current = { key, client: createRuntimeClient(target) };
    }
    return this.current.client;
  }

  dispose(): void {
    this.current?.client.destroy();
    this.current = undefined;
  }
}
