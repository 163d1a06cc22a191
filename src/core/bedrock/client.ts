import * as http from 'node:http';
import * as https from 'node:https';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { clientAuthConfig, CredentialClientConfig } from '../auth/clientAuth';
import { BedrockAuth } from '../auth/types';
import { NetworkConfig } from '../config/network';
import { DEFAULT_IDLE_TIMEOUT_SECONDS } from '../config/settings';
import { createAgents } from './proxy';

export interface ClientTarget {
  auth: BedrockAuth;
  region: string;
  /** Overrides the runtime endpoint (company gateway); may carry a path prefix. */
  endpoint?: string;
  /** Seconds without any bytes from the server before the request fails. */
  idleTimeoutSeconds?: number;
  /** For the STS/SSO clients inside credential providers (tests). */
  credentialClientConfig?: CredentialClientConfig;
  /** Proxy and trusted CAs (undefined: direct, Node's CAs). */
  network?: NetworkConfig;
}

export { DEFAULT_IDLE_TIMEOUT_SECONDS };

/**
 * HTTP/1.1 with keep-alive through Node's http(s) modules: VS Code patches
 * them for proxies and certificates, dropped connections raise real errors,
 * and `socketTimeout` catches a stream that stalls. (The SDK's default HTTP/2
 * handler opens a new connection per request here.)
 */
export function createHttpHandler(idleTimeoutSeconds = DEFAULT_IDLE_TIMEOUT_SECONDS, network?: NetworkConfig): NodeHttpHandler {
  // With a proxy or extra CAs (proxy.ts): a CONNECT tunnel unless NO_PROXY exempts the host, and the trust store.
  const agents = network ? createAgents(network) : { httpAgent: new http.Agent({ keepAlive: true }), httpsAgent: new https.Agent({ keepAlive: true }) };
  return new NodeHttpHandler({
    ...agents,
    connectionTimeout: 15_000,
    socketTimeout: idleTimeoutSeconds * 1000,
  });
}

export function createRuntimeClient(target: ClientTarget): BedrockRuntimeClient {
  const requestHandler = createHttpHandler(target.idleTimeoutSeconds, target.network);
  const client = new BedrockRuntimeClient({
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    requestHandler,
    // The STS, SSO and SSO OIDC clients inside the credential providers go out the same way (proxy, CAs).
    ...clientAuthConfig(target.auth, { requestHandler, ...target.credentialClientConfig }),
  });
  // Inside the SDK's retry loop (the deserialize step runs once per attempt).
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        if (isIdleTimeout(err)) (err as Error).name = IDLE_TIMEOUT_ERROR;
        throw err;
      }
    },
    { step: 'deserialize', name: 'bedrockChatIdleTimeoutNotRetried' },
  );
  return client;
}

/**
 * A request that got no bytes back for bedrockChat.idleTimeoutSeconds before
 * Bedrock's headers. The SDK calls it a TimeoutError, which its standard retry
 * treats as transient: it would wait the whole timeout twice more (6 minutes
 * at the default 120 s) before the user heard anything. The user has already
 * waited one timeout, so it is renamed out of the SDK's transient names and not
 * retried; the error says to retry. A connection that cannot be opened within
 * `connectionTimeout` (15 s) is still retried.
 */
export const IDLE_TIMEOUT_ERROR = 'IdleTimeoutError';

/** The SDK's socket timeout ("the request socket timed out after N ms of inactivity"), not its connection timeout. */
export function isIdleTimeout(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown; message?: unknown } | undefined;
  return e?.name === 'TimeoutError' && e.code === undefined && typeof e.message === 'string' && /of inactivity/.test(e.message);
}

/** A client borrowed for one request; release it when the response has been read to the end. */
export interface ClientLease {
  client: BedrockRuntimeClient;
  release(): void;
}

interface Entry {
  key: string;
  client: BedrockRuntimeClient;
  leases: number;
  retired: boolean;
}

/**
 * Keeps one client per (auth, region, endpoint, timeout) and builds a new one
 * when any of them changes or `renew()` is called.
 *
 * Renewal matters because the SDK memoises credentials that carry no expiry
 * (static keys from ~/.aws/credentials, `automatic` with environment keys)
 * for the client's whole life: rotated keys are only read by a new client.
 *
 * A replaced client may still be streaming a response, so it is destroyed
 * (closing its keep-alive sockets) when its last lease is released, never
 * while in use, and never left behind.
 */
export class ClientCache {
  private current?: Entry;
  private readonly retired = new Set<Entry>();
  private renewedAfterFailure = false;

  acquire(target: ClientTarget): ClientLease {
    // The key holds secrets but never leaves this object.
    const key = JSON.stringify([target.auth, target.region, target.endpoint, target.idleTimeoutSeconds, target.credentialClientConfig, target.network]);
    if (this.current?.key !== key) {
      this.retire();
      this.current = { key, client: createRuntimeClient(target), leases: 0, retired: false };
    }
    const entry = this.current;
    entry.leases++;
    let released = false;
    return {
      client: entry.client,
      release: () => {
        if (released) return;
        released = true;
        entry.leases--;
        if (entry.retired && entry.leases === 0) this.destroy(entry);
      },
    };
  }

  /** The next request gets a new client (new credential providers, new connections). */
  renew(): void {
    this.retire();
    this.renewedAfterFailure = false;
  }

  /**
   * Renews after a credential failure, once: if the client built by the last
   * such renewal fails too, the problem is not stale credentials, and every
   * further request would pay for a second round trip. Returns whether it renewed.
   */
  renewAfterFailure(): boolean {
    if (this.renewedAfterFailure) return false;
    this.retire();
    this.renewedAfterFailure = true;
    return true;
  }

  /** A request succeeded: a later credential failure may renew again. */
  succeeded(): void {
    this.renewedAfterFailure = false;
  }

  /** Clients built and not yet destroyed (the current one included). */
  get liveClients(): number {
    return this.retired.size + (this.current ? 1 : 0);
  }

  private retire(): void {
    const entry = this.current;
    this.current = undefined;
    if (!entry) return;
    entry.retired = true;
    if (entry.leases === 0) this.destroy(entry);
    else this.retired.add(entry);
  }

  private destroy(entry: Entry): void {
    this.retired.delete(entry);
    entry.client.destroy();
  }

  dispose(): void {
    this.retire();
    for (const entry of [...this.retired]) this.destroy(entry);
  }
}
