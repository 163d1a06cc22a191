import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import * as tls from 'node:tls';
import { Agent, type AgentConnectOpts } from 'agent-base';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { bypassesProxy, NetworkConfig, redactProxyUrl } from '../config/network';
import { ProxyConnectError } from './proxyError';

/**
 * The agents every client's NodeHttpHandler uses: direct connections with the
 * trusted CAs, or a CONNECT tunnel through the proxy (https-proxy-agent) for
 * hosts that NO_PROXY / http.noProxy do not exempt. One handler per client;
 * the credential providers' STS, SSO and SSO OIDC clients get the same one
 * (auth/clientAuth.ts), so they take the same way out.
 */

export interface TrustSource {
  /** NODE_EXTRA_CA_CERTS, AWS_CA_BUNDLE or `system`. */
  source: string;
  path?: string;
  certificates: number;
  /** Why it adds nothing (unreadable, no certificates, not available in this Node). */
  problem?: string;
}

export interface TrustStore {
  /** Node's default roots plus every extra CA; undefined when nothing is added (Node's defaults apply). */
  ca?: string[];
  /** How many of `ca` are Node's defaults. */
  defaults: number;
  sources: TrustSource[];
  /** Identifies the store's content (files by path, size and time). */
  key: string;
}

const PEM = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

export function pemCertificates(text: string): string[] {
  return (text.match(PEM) ?? []).map((p) => p.replace(/\r\n/g, '\n').trim() + '\n');
}

type CaKind = 'default' | 'system';
type GetCaCertificates = (kind: CaKind) => string[];

export interface TrustDeps {
  readFile(path: string): string;
  stat(path: string): { size: number; mtimeMs: number } | undefined;
  /** tls.getCACertificates (Node 22.15+, so the VS Code extension host); undefined on older Node. */
  getCACertificates?: GetCaCertificates;
  rootCertificates: readonly string[];
  nodeVersion: string;
}

const realDeps = (): TrustDeps => ({
  readFile: (p) => fs.readFileSync(p, 'utf8'),
  stat: (p) => {
    try {
      const s = fs.statSync(p);
      return { size: s.size, mtimeMs: s.mtimeMs };
    } catch {
      return undefined;
    }
  },
  getCACertificates: (tls as unknown as { getCACertificates?: GetCaCertificates }).getCACertificates,
  rootCertificates: tls.rootCertificates,
  nodeVersion: process.version,
});

/**
 * The CAs to trust: Node's default roots (which include NODE_EXTRA_CA_CERTS
 * read at start-up) plus NODE_EXTRA_CA_CERTS and AWS_CA_BUNDLE read here (the
 * AWS SDK for JavaScript v3 ignores AWS_CA_BUNDLE) plus, with
 * `http.systemCertificates`, the operating system's store. An explicit `ca`
 * replaces Node's roots, so they are always included.
 */
export function loadTrustStore(network: Pick<NetworkConfig, 'caFiles' | 'systemCertificates'>, deps: TrustDeps = realDeps()): TrustStore {
  const sources: TrustSource[] = [];
  const extra: string[] = [];
  const keyParts: unknown[] = [];
  for (const file of network.caFiles) {
    const st = deps.stat(file.path);
    keyParts.push([file.source, file.path, st?.size, st?.mtimeMs]);
    let text: string;
    try {
      text = deps.readFile(file.path);
    } catch (e) {
      sources.push({ source: file.source, path: file.path, certificates: 0, problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
      continue;
    }
    const certs = pemCertificates(text);
    sources.push({ source: file.source, path: file.path, certificates: certs.length, ...(certs.length ? {} : { problem: 'holds no PEM certificates' }) });
    extra.push(...certs);
  }
  if (network.systemCertificates) {
    if (deps.getCACertificates) {
      try {
        const certs = deps.getCACertificates('system').map((c) => c.replace(/\r\n/g, '\n').trim() + '\n');
        sources.push({ source: 'system', certificates: certs.length });
        keyParts.push(['system', certs.length]);
        extra.push(...certs);
      } catch (e) {
        sources.push({ source: 'system', certificates: 0, problem: `could not be read (${(e as Error).message})` });
      }
    } else {
      sources.push({ source: 'system', certificates: 0, problem: `not readable by Node ${deps.nodeVersion} (needs 22.15 or later; VS Code's own runtime has it)` });
    }
  }
  const key = JSON.stringify(keyParts);
  if (!extra.length) return { defaults: 0, sources, key };
  const defaults = (deps.getCACertificates?.('default') ?? deps.rootCertificates).map((c) => c.replace(/\r\n/g, '\n').trim() + '\n');
  const ca = [...new Set([...defaults, ...extra])];
  return { ca, defaults: defaults.length, sources, key };
}

/** One parsed secure context per store: parsing hundreds of roots per connection would cost milliseconds each time. */
const contexts = new Map<string, tls.SecureContext>();

function secureContextFor(store: TrustStore): tls.SecureContext | undefined {
  if (!store.ca) return undefined;
  const key = `${store.key}:${store.ca.length}`;
  let context = contexts.get(key);
  if (!context) {
    context = tls.createSecureContext({ ca: store.ca });
    if (contexts.size > 8) contexts.clear();
    contexts.set(key, context);
  }
  return context;
}

export interface Agents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

/** A CONNECT tunnel whose target TLS uses our trust store, and whose refusal is an error, not a replayed response. */
class TunnelAgent extends HttpsProxyAgent<string> {
  constructor(
    private readonly proxyUrl: string,
    opts: ConstructorParameters<typeof HttpsProxyAgent<string>>[1],
    private readonly targetTls: tls.ConnectionOptions,
  ) {
    super(proxyUrl, opts);
  }

  override async connect(req: http.ClientRequest, opts: AgentConnectOpts): Promise<net.Socket> {
    let status: number | undefined;
    let statusText = '';
    const onConnect = (c: { statusCode: number; statusText: string }) => {
      status = c.statusCode;
      statusText = c.statusText;
    };
    req.once('proxyConnect', onConnect);
    let socket: net.Socket;
    try {
      socket = await super.connect(req, { ...opts, ...this.targetTls } as AgentConnectOpts);
    } catch (e) {
      throw new ProxyConnectError(redactProxyUrl(this.proxyUrl), `${opts.host}:${opts.port}`, undefined, '', e);
    } finally {
      req.removeListener('proxyConnect', onConnect);
    }
    if (status !== undefined && status !== 200) {
      // https-proxy-agent would replay the proxy's answer as if the target had sent it; a clear error is better.
      socket.destroy();
      throw new ProxyConnectError(redactProxyUrl(this.proxyUrl), `${opts.host}:${opts.port}`, status, statusText);
    }
    return socket;
  }
}

/** Sends each request through the tunnel or directly, by host (NO_PROXY, http.noProxy). */
class RoutingAgent extends Agent {
  constructor(
    private readonly tunnel: http.Agent | undefined,
    private readonly direct: http.Agent,
    private readonly noProxy: readonly string[],
  ) {
    super({ keepAlive: true });
  }

  override connect(_req: http.ClientRequest, opts: AgentConnectOpts): http.Agent {
    return this.tunnel && !bypassesProxy(opts.host ?? '', opts.port, this.noProxy) ? this.tunnel : this.direct;
  }

  override destroy(): void {
    this.tunnel?.destroy();
    this.direct.destroy();
    super.destroy();
  }
}

/**
 * The agents for a network configuration. Without a proxy: keep-alive agents
 * with the trust store. With one: routing agents that tunnel through it.
 * `http.proxyStrictSSL: false` turns certificate checks off for connections
 * through the proxy only, as a TLS-inspecting proxy may require; direct
 * connections are always checked.
 */
export function createAgents(network: NetworkConfig | undefined, trust?: TrustStore): Agents {
  const store = trust ?? (network ? loadTrustStore(network) : undefined);
  const context = store && secureContextFor(store);
  const tlsOptions: tls.ConnectionOptions = context ? { secureContext: context } : {};
  const directHttp = new http.Agent({ keepAlive: true });
  const directHttps = new https.Agent({ keepAlive: true, ...tlsOptions });
  if (!network?.httpsProxy && !network?.httpProxy) return { httpAgent: directHttp, httpsAgent: directHttps };
  const proxiedTls: tls.ConnectionOptions = network.strictSSL ? tlsOptions : { ...tlsOptions, rejectUnauthorized: false };
  const headers = network.proxyAuthorization ? { 'Proxy-Authorization': network.proxyAuthorization } : undefined;
  const tunnel = (p: { url: string } | undefined) => (p ? new TunnelAgent(p.url, { keepAlive: true, ...proxiedTls, ...(headers ? { headers } : {}) }, proxiedTls) : undefined);
  return {
    httpAgent: new RoutingAgent(tunnel(network.httpProxy), directHttp, network.noProxy),
    httpsAgent: new RoutingAgent(tunnel(network.httpsProxy), directHttps, network.noProxy) as unknown as https.Agent,
  };
}
