import { Env, envValue } from './env';

/**
 * How requests reach AWS: the proxy and the certificates to trust. Pure: the
 * VS Code layer reads VS Code's own `http.*` settings into NetworkSettings, the
 * environment comes in as a value, and bedrock/proxy.ts turns the result into
 * the agents of every client (runtime, control plane, and the STS, SSO and
 * SSO OIDC clients inside the credential providers).
 */
export interface NetworkSettings {
  /** VS Code's `http.proxy`, e.g. `http://user:password@proxy.example.com:8080`. */
  proxy?: string;
  /** VS Code's `http.proxyStrictSSL` (default true). */
  proxyStrictSSL?: boolean;
  /** VS Code's `http.noProxy`: hosts that bypass the proxy. */
  noProxy?: readonly string[];
  /** VS Code's `http.proxyAuthorization`: the Proxy-Authorization header value. A secret. */
  proxyAuthorization?: string;
  /** VS Code's `http.systemCertificates` (default true): trust the operating system's certificate store. */
  systemCertificates?: boolean;
  /**
   * VS Code's `http.proxySupport` (default `override`). At `override` and
   * `fallback` VS Code's own proxy support replaces the agent of an extension's
   * connections to non-loopback hosts and picks the proxy itself (OS and PAC
   * settings included, in desktop VS Code), keeping the `ca` the agent carries;
   * at `on` and `off` the agents built here are used as they are. Shown in the
   * connection report; it changes nothing built here.
   */
  proxySupport?: string;
}

/** The public names this module reads: VS Code settings and environment variables. */
export const NETWORK_SETTING_IDS = {
  proxy: 'http.proxy',
  proxyStrictSSL: 'http.proxyStrictSSL',
  noProxy: 'http.noProxy',
  proxyAuthorization: 'http.proxyAuthorization',
  systemCertificates: 'http.systemCertificates',
  proxySupport: 'http.proxySupport',
} as const;

export const NETWORK_ENV = {
  extraCaCerts: 'NODE_EXTRA_CA_CERTS',
  awsCaBundle: 'AWS_CA_BUNDLE',
} as const;

export interface ProxyChoice {
  /** The proxy URL (may hold a user and password: never show it unredacted; see redactProxyUrl). */
  url: string;
  /** Where it came from: `http.proxy` or the environment variable's name. */
  source: string;
}

export interface NetworkConfig {
  /** The proxy for https:// targets (every AWS endpoint); undefined: direct. */
  httpsProxy?: ProxyChoice;
  /** The proxy for plain http:// targets (loopback endpoints only, see settings.ts). */
  httpProxy?: ProxyChoice;
  /** Hosts that bypass the proxy: `http.noProxy` and NO_PROXY together. */
  noProxy: string[];
  /** Whether certificates are checked on connections through the proxy (`http.proxyStrictSSL`). */
  strictSSL: boolean;
  /** Sent as Proxy-Authorization on CONNECT (`http.proxyAuthorization`). */
  proxyAuthorization?: string;
  /** PEM files whose CAs are trusted besides Node's own: NODE_EXTRA_CA_CERTS, AWS_CA_BUNDLE. */
  caFiles: { source: string; path: string }[];
  /** Trust the operating system's store too (`http.systemCertificates`). */
  systemCertificates: boolean;
  /** VS Code's `http.proxySupport`, when running in VS Code (see NetworkSettings). */
  vscodeProxySupport?: string;
  /** A proxy that is configured but cannot be used: requests are refused rather than sent directly. */
  problem?: string;
}

/** Each is read lowercase first, as curl and most tools do. */
const HTTPS_PROXY_ENV = ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'];
const HTTP_PROXY_ENV = ['http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY'];
const NO_PROXY_ENV = ['no_proxy', 'NO_PROXY'];

function fromEnv(env: Env, names: string[]): ProxyChoice | undefined {
  for (const name of names) {
    const v = envValue(env, name);
    if (v) return { url: v, source: name };
  }
  return undefined;
}

/** A proxy URL as the agents need it (`host:port` gets `http://`), or what is wrong with it. */
export function checkProxyUrl(raw: string): { url: string } | { problem: string } {
  const s = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return { problem: `"${redactProxyUrl(raw)}" is not a proxy URL (like http://proxy.example.com:8080)` };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return { problem: `${u.protocol.replace(/:$/, '')} proxies are not supported ("${redactProxyUrl(raw)}"); use an http:// or https:// proxy` };
  }
  if (!u.hostname) return { problem: `"${redactProxyUrl(raw)}" names no proxy host` };
  return { url: u.toString() };
}

/** The proxy URL without its password (and without a user name's secret-looking part). */
export function redactProxyUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?([^/@\s]*)@/i, (_m, scheme: string | undefined, creds: string) => {
    const user = creds.split(':')[0];
    return `${scheme ?? ''}${user ? `${decodeSafe(user)}:***` : '***'}@`;
  });
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function splitList(v: string | undefined): string[] {
  return (v ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The network configuration: `http.proxy` wins over the environment
 * (`https_proxy`/`HTTPS_PROXY`, then `all_proxy`/`ALL_PROXY`; `http_proxy` for
 * plain http targets), `http.noProxy` and `NO_PROXY` both apply, CA files from
 * NODE_EXTRA_CA_CERTS and AWS_CA_BUNDLE.
 */
export function resolveNetwork(settings: NetworkSettings, env: Env): NetworkConfig {
  const configured = settings.proxy?.trim();
  let httpsProxy = configured ? { url: configured, source: NETWORK_SETTING_IDS.proxy } : fromEnv(env, HTTPS_PROXY_ENV);
  let httpProxy = configured ? { url: configured, source: NETWORK_SETTING_IDS.proxy } : fromEnv(env, HTTP_PROXY_ENV);
  let problem: string | undefined;
  const check = (p: ProxyChoice | undefined): ProxyChoice | undefined => {
    if (!p) return undefined;
    const checked = checkProxyUrl(p.url);
    if ('problem' in checked) {
      problem ??= `The proxy in ${p.source} cannot be used: ${checked.problem}. Fix or clear it; requests are not sent around it.`;
      return undefined;
    }
    return { url: checked.url, source: p.source };
  };
  httpsProxy = check(httpsProxy);
  httpProxy = check(httpProxy);
  const noProxy = [...new Set([...(settings.noProxy ?? []).map((s) => s.trim()).filter(Boolean), ...NO_PROXY_ENV.flatMap((n) => splitList(env[n]))])];
  const caFiles = [NETWORK_ENV.extraCaCerts, NETWORK_ENV.awsCaBundle].flatMap((source) => {
    const path = envValue(env, source);
    return path ? [{ source, path }] : [];
  });
  const authorization = settings.proxyAuthorization?.trim();
  return {
    ...(httpsProxy ? { httpsProxy } : {}),
    ...(httpProxy ? { httpProxy } : {}),
    noProxy,
    strictSSL: settings.proxyStrictSSL !== false,
    ...(authorization ? { proxyAuthorization: authorization } : {}),
    caFiles,
    systemCertificates: settings.systemCertificates !== false,
    ...(settings.proxySupport ? { vscodeProxySupport: settings.proxySupport } : {}),
    ...(problem ? { problem } : {}),
  };
}

function ipv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

/**
 * Whether a target bypasses the proxy. Entries as curl and VS Code take them:
 * `*` (everything), `example.com` (it and its subdomains), `.example.com` or
 * `*.example.com` (subdomains and the domain), an IP address or IPv4 CIDR
 * (`10.0.0.0/8`), each optionally with `:port`. Case-insensitive.
 */
export function bypassesProxy(host: string, port: number | undefined, noProxy: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  for (const raw of noProxy) {
    const entry0 = raw.trim().toLowerCase();
    if (!entry0) continue;
    if (entry0 === '*') return true;
    let entry = entry0;
    let entryPort: number | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry0);
    const hostPort = /^([^:]+):(\d+)$/.exec(entry0);
    if (bracketed) {
      entry = bracketed[1];
      entryPort = bracketed[2] ? Number(bracketed[2]) : undefined;
    } else if (hostPort) {
      entry = hostPort[1];
      entryPort = Number(hostPort[2]);
    }
    if (entryPort !== undefined && port !== undefined && entryPort !== port) continue;
    const cidr = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(entry);
    if (cidr) {
      const base = ipv4(cidr[1]);
      const ip = ipv4(h);
      const bits = Number(cidr[2]);
      if (base !== undefined && ip !== undefined && bits <= 32) {
        const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
        if ((base & mask) === (ip & mask)) return true;
      }
      continue;
    }
    const domain = entry.replace(/^\*?\./, '').replace(/\.$/, '');
    if (!domain) continue;
    if (h === domain || h.endsWith(`.${domain}`)) return true;
  }
  return false;
}

/** The secrets in the proxy configuration (passwords in proxy URLs, the Proxy-Authorization value), for the redactor. */
export function networkSecrets(settings: NetworkSettings, env: Env): string[] {
  const out: string[] = [];
  for (const raw of [settings.proxy, ...[...HTTPS_PROXY_ENV, ...HTTP_PROXY_ENV].map((n) => env[n])]) {
    const m = raw && /^(?:[a-z][a-z0-9+.-]*:\/\/)?[^/@\s:]*:([^/@\s]+)@/i.exec(raw.trim());
    if (m) out.push(m[1], decodeSafe(m[1]));
  }
  const auth = settings.proxyAuthorization?.trim();
  if (auth) out.push(auth, ...auth.split(/\s+/).slice(1));
  return [...new Set(out.filter((s) => s.length >= 4))];
}
