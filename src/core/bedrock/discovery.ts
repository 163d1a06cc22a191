import { createHash } from 'node:crypto';
import type { BedrockClient } from '@aws-sdk/client-bedrock';
import type { CredentialClientConfig } from '../auth/clientAuth';
import { BedrockAuth } from '../auth/types';
import { NetworkConfig } from '../config/network';
import { DiscoveredProfile, Discovery } from '../models/discovered';
import { errorText } from './errors';
import { sdk, sdkLoaded } from './lazySdk';
import { describeProxyFailure } from './proxyError';

/**
 * Live model discovery: ListFoundationModels and ListInferenceProfiles (every
 * page, system-defined and application profiles) in the active region, through
 * the same credentials, endpoint rules and HTTP stack (VS Code's proxy support)
 * as chat requests. Cached per (credential identity, region, endpoints) with a
 * TTL; concurrent callers share one run.
 */
export interface DiscoveryTarget {
  auth: BedrockAuth;
  region: string;
  /** The control-plane endpoint; undefined: AWS's for the region. */
  endpoint?: string;
  /** The runtime endpoint (part of the cache key only: another gateway may mean another account). */
  runtimeEndpoint?: string;
  /** Application inference profile ARNs the user declared, looked up one by one when the list lacks them. */
  profileArns?: readonly string[];
  /** For the STS/SSO clients inside credential providers (tests). */
  credentialClientConfig?: CredentialClientConfig;
  /** Proxy and trusted CAs, as for chat requests. */
  network?: NetworkConfig;
}

export type DiscoveryFailureKind = 'denied' | 'credentials' | 'notControlPlane' | 'unreachable' | 'other';

export interface DiscoveryOutcome {
  /** When it finished, by the cache's clock. */
  at: number;
  /** What Bedrock listed; undefined when the foundation models could not be listed. */
  discovery?: Discovery;
  failure?: { kind: DiscoveryFailureKind; message: string };
  /** Application profiles found with GetInferenceProfile (declared ARNs the list lacks). */
  lookedUp: DiscoveredProfile[];
  /** What went wrong without stopping discovery (a list or look-up denied). */
  notes: string[];
}

/** Success is kept this long; Refresh Models (or a change of credentials, region or endpoint) asks again sooner. */
export const DISCOVERY_TTL_MS = 30 * 60_000;
/** A failure is retried after this long (offline now, online later). */
export const DISCOVERY_FAILURE_TTL_MS = 5 * 60_000;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
const CREDENTIAL_ERRORS = new Set(['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'ExpiredToken', 'CredentialsProviderError', 'TokenProviderError', 'InvalidClientTokenId', 'IncompleteSignatureException', 'MissingAuthenticationTokenException']);

interface ErrorLike {
  name?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number; headers?: Record<string, string> };
  cause?: unknown;
}

/** Why a control-plane call failed, in words a log reader can act on. */
export function describeDiscoveryFailure(err: unknown, target: Pick<DiscoveryTarget, 'endpoint' | 'region'>): { kind: DiscoveryFailureKind; message: string } {
  const e = (err ?? {}) as ErrorLike;
  const where = target.endpoint ?? `bedrock.${target.region}.amazonaws.com`;
  const code = e.code ?? (e.cause as ErrorLike | undefined)?.code;
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const text = errorText(err);
  const name = e.name ?? 'Error';
  const proxy = describeProxyFailure(err);
  if (proxy) return { kind: 'unreachable', message: proxy };
  if ((code && NETWORK_CODES.has(code)) || name === 'TimeoutError') {
    return { kind: 'unreachable', message: `cannot reach ${where} (${code ?? name})` };
  }
  if (name === 'MfaCancelledError') return { kind: 'credentials', message: 'the AWS profile needs an MFA code, and listing models never asks for one: send a chat request to enter it, and the list follows' };
  if (CREDENTIAL_ERRORS.has(name)) return { kind: 'credentials', message: `the credentials were refused or could not be loaded (${name}: ${text})` };
  if (name === 'AccessDeniedException' || (status === 403 && /not authorized|access denied|accessdenied/i.test(text))) {
    return { kind: 'denied', message: `your identity may not list models (${name}: ${text}); allow bedrock:ListFoundationModels and bedrock:ListInferenceProfiles` };
  }
  const contentType = Object.entries(e.$response?.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  if (status === 404 || /html/i.test(contentType) || (status !== undefined && /deserializ|unexpected token|not valid json/i.test(text))) {
    return { kind: 'notControlPlane', message: `${where} does not answer as Bedrock's control plane (HTTP ${status ?? '?'}${contentType ? `, ${contentType.split(';')[0]}` : ''}): a gateway that proxies only the runtime? Set bedrockChat.controlPlaneEndpoint` };
  }
  return { kind: 'other', message: `${name}${status ? ` (HTTP ${status})` : ''}: ${text}` };
}

/** Who is asking, without the secret itself: the cache key's identity part. */
export function credentialIdentity(auth: BedrockAuth): string {
  switch (auth.kind) {
    case 'apiKey':
      return `apiKey:${createHash('sha256').update(auth.apiKey).digest('hex').slice(0, 16)}`;
    case 'iamCredentials':
      return `iamCredentials:${auth.accessKeyId}`;
    case 'profile':
    case 'sso':
      return `${auth.kind}:${auth.profile}`;
    case 'automatic':
      return 'automatic';
  }
}

export function discoveryKey(target: DiscoveryTarget): string {
  return JSON.stringify([
    credentialIdentity(target.auth),
    target.region,
    target.endpoint ?? '',
    target.runtimeEndpoint ?? '',
    [...(target.profileArns ?? [])].sort(),
    target.credentialClientConfig?.endpoint ?? '',
  ]);
}

export interface ModelDiscoveryOptions {
  ttlMs?: number;
  failureTtlMs?: number;
  /** The cache's clock (tests move it forward). */
  now?: () => number;
  /** The control-plane client for a run (default: controlClient.ts's createControlClient). */
  createClient?: (target: DiscoveryTarget) => BedrockClient;
  /** Targets remembered at once (credentials, regions and endpoints the user switched between). */
  maxEntries?: number;
}

interface Entry {
  outcome?: DiscoveryOutcome;
  /** The outcome no longer counts as fresh (invalidated). */
  stale?: boolean;
  pending?: Promise<DiscoveryOutcome>;
}

/**
 * Discovery results per target. `get` answers a fresh result at once, joins a
 * run in progress, or starts one; `peek` gives the last result even when it
 * has expired, so the picker never waits for a refresh.
 */
export class ModelDiscovery {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly failureTtlMs: number;
  private readonly now: () => number;
  private readonly createClient?: (target: DiscoveryTarget) => BedrockClient;
  private readonly maxEntries: number;
  private generation = 0;

  constructor(options: ModelDiscoveryOptions = {}) {
    this.ttlMs = options.ttlMs ?? DISCOVERY_TTL_MS;
    this.failureTtlMs = options.failureTtlMs ?? DISCOVERY_FAILURE_TTL_MS;
    this.now = options.now ?? Date.now;
    this.createClient = options.createClient;
    this.maxEntries = options.maxEntries ?? 8;
  }

  /** The last outcome for this target, fresh or not. */
  peek(target: DiscoveryTarget): DiscoveryOutcome | undefined {
    return this.entries.get(discoveryKey(target))?.outcome;
  }

  /** Whether `get` would answer without asking Bedrock. */
  isFresh(target: DiscoveryTarget): boolean {
    const entry = this.entries.get(discoveryKey(target));
    return !!entry?.outcome && !entry.stale && this.now() - entry.outcome.at < (entry.outcome.failure ? this.failureTtlMs : this.ttlMs);
  }

  /** A fresh outcome, the run in progress, or a new run. */
  get(target: DiscoveryTarget): Promise<DiscoveryOutcome> {
    const key = discoveryKey(target);
    const entry = this.entries.get(key) ?? {};
    if (entry.pending) return entry.pending;
    if (this.isFresh(target)) return Promise.resolve(entry.outcome!);
    const generation = this.generation;
    const run = (async (): Promise<DiscoveryOutcome> => {
      try {
        // The first run loads the AWS SDK (dist/sdk.js), which blocks for tens of milliseconds:
        // whoever asked (the model picker at startup) gets its answer out first.
        if (!sdkLoaded()) await new Promise((resolve) => setImmediate(resolve));
        return { ...(await sdk().runDiscovery(target, this.createClient)), at: this.now() };
      } catch (err) {
        return { failure: describeDiscoveryFailure(err, target), lookedUp: [], notes: [], at: this.now() };
      }
    })();
    entry.pending = run;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    void run.then((outcome) => {
      if (entry.pending === run) entry.pending = undefined;
      entry.outcome = outcome;
      // Invalidated while it ran: it may have used the old credentials; kept for peek, asked again next time.
      entry.stale = generation !== this.generation;
    });
    return run;
  }

  /**
   * Failures only are asked again on the next `get` (new credentials, such as an
   * MFA session a chat request bought, may fix them; successes stay good).
   * Whether there was any.
   */
  invalidateFailures(): boolean {
    let any = false;
    for (const entry of this.entries.values()) {
      if (!entry.outcome?.failure || entry.pending) continue;
      entry.stale = true;
      any = true;
    }
    return any;
  }

  /** Everything known is asked again on the next `get` (kept meanwhile for `peek`). */
  invalidate(): void {
    this.generation++;
    for (const entry of this.entries.values()) {
      entry.stale = true;
      entry.pending = undefined;
    }
  }
}
