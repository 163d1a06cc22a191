/**
 * A proxy that refused the CONNECT tunnel (407 wants credentials, 403 forbids
 * the host, 502 cannot reach it) or could not be reached. Thrown by the
 * proxy agent (proxy.ts) instead of handing the proxy's page to the SDK as if
 * Bedrock, STS or SSO had sent it; errors.ts turns it into advice.
 */
export class ProxyConnectError extends Error {
  override readonly name = 'ProxyConnectError';
  /** `ERR_PROXY_<status>`, or the network code of the failure to reach the proxy. */
  readonly code: string;

  constructor(
    /** The proxy URL, password redacted. */
    readonly proxy: string,
    /** host:port the tunnel was for. */
    readonly target: string,
    readonly status: number | undefined,
    readonly statusText: string,
    override readonly cause?: unknown,
  ) {
    const causeCode = (cause as { code?: string } | undefined)?.code;
    super(
      status !== undefined
        ? `Proxy ${proxy} refused the tunnel to ${target}: HTTP ${status}${statusText ? ` ${statusText}` : ''}`
        : `Cannot connect through proxy ${proxy} to ${target}${causeCode ? ` (${causeCode})` : ''}: ${(cause as Error | undefined)?.message ?? 'unknown error'}`,
    );
    this.code = status !== undefined ? `ERR_PROXY_${status}` : (causeCode ?? 'ERR_PROXY');
  }
}

interface Causal {
  name?: string;
  message?: string;
  cause?: unknown;
}

/** The ProxyConnectError on `err` or its causes, or its words in a wrapping error's message (credential providers wrap by text). */
function findProxyError(err: unknown): { status?: number; proxy?: string; target?: string; code?: string } | undefined {
  for (let e = err as Causal | undefined, depth = 0; e && typeof e === 'object' && depth < 6; e = e.cause as Causal | undefined, depth++) {
    if (e instanceof ProxyConnectError || e.name === 'ProxyConnectError') {
      const p = e as ProxyConnectError;
      return { status: p.status, proxy: p.proxy, target: p.target, code: p.code };
    }
  }
  const text = String((err as Causal | undefined)?.message ?? err ?? '');
  const m = /Proxy (\S+) refused the tunnel to (\S+): HTTP (\d{3})/.exec(text);
  if (m) return { proxy: m[1], target: m[2], status: Number(m[3]) };
  const c = /Cannot connect through proxy (\S+) to (\S+?)(?: \((\w+)\))?:/.exec(text);
  if (c) return { proxy: c[1], target: c[2], code: c[3] };
  return undefined;
}

/** Advice for a proxy failure anywhere in `err`, or undefined when the proxy is not what failed. */
export function describeProxyFailure(err: unknown): string | undefined {
  const p = findProxyError(err);
  if (!p) return undefined;
  const proxy = p.proxy ?? 'the proxy';
  if (p.status === 407) {
    return `The proxy ${proxy} requires authentication (HTTP 407 Proxy Authentication Required). Put your proxy user and password in VS Code's http.proxy setting (http://user:password@host:port), or in HTTPS_PROXY, then retry.`;
  }
  if (p.status !== undefined) {
    return `The proxy ${proxy} refused the connection to ${p.target} (HTTP ${p.status}). Ask your network administrator to allow it, or add the host to http.noProxy / NO_PROXY if it should not go through the proxy.`;
  }
  return `Cannot connect through the proxy ${proxy}${p.code ? ` (${p.code})` : ''}. Check VS Code's http.proxy setting and HTTPS_PROXY.`;
}
