/**
 * A local Bedrock-compatible HTTP server for tests, talked to by the REAL AWS SDK v3
 * clients (`endpoint: server.url`). Listens on 127.0.0.1 only.
 *
 *   const server = await startBedrockServer({ prefix: '/bedrock' });
 *   server.addCredentials('AKIDEXAMPLE', 'secret');
 *   server.onConverseStream = () => textEvents('Hi there');
 *   ... new BedrockRuntimeClient({ endpoint: server.endpoint, ... }) ...
 *   await server.close();
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { encodeEvent, encodeException, decodeFrames } from './eventStream';
import { verifyAuth, type AuthInfo, type KnownSecret } from './sigv4Verify';
import type { RecordedInteraction } from './recordings';
import {
  DEFAULT_REPLY,
  isControlStep,
  textEvents,
  type AnyScript,
  type HttpErrorSpec,
  type ResponseScript,
  type StreamOptions,
  type StreamScript,
  type StreamStep,
} from './scripts';
import {
  jsonError,
  jsonOut,
  ssoGetRoleCredentials,
  stsAction,
  stsError,
  type IssuedCredentials,
  type JsonOut,
  type MfaState,
  type SsoTokenOptions,
} from './credentialServices';
import { FakeOidc, oidcRoute, type OidcOperation } from './oidcService';
import { stsGetCallerIdentity } from './stsIdentity';

export * from './scripts';
export type { AuthInfo } from './sigv4Verify';
export type { IssuedCredentials, SsoTokenOptions } from './credentialServices';
export { FakeOidc, type DeviceAuthorization, type IssuedToken, type OidcClient } from './oidcService';

export type Operation =
  | 'converse-stream'
  | 'converse'
  | 'count-tokens'
  | 'list-foundation-models'
  | 'get-foundation-model'
  | 'list-inference-profiles'
  | 'get-inference-profile'
  | 'sso-get-role-credentials'
  | 'sts-assume-role'
  | 'sts-assume-role-with-web-identity'
  | 'sts-get-caller-identity'
  | OidcOperation
  | 'unknown';

/** How the exchange ended (see RecordedRequest.outcome). */
export type RequestOutcome =
  | 'completed' // the server finished the response
  | 'client-closed' // the client closed the connection before the server finished
  | 'server-dropped' // a script dropped the socket
  | 'server-closed'; // server.close() ended it (e.g. a hung stream)

export interface RecordedRequest {
  /** position in server.requests */
  index: number;
  method: string;
  /** raw request target as received (path + query, percent-encoded) */
  url: string;
  /** raw path (percent-encoded), including any prefix */
  rawPath: string;
  /** decoded path */
  path: string;
  query: Record<string, string | string[]>;
  operation: Operation;
  /** URL-decoded model id for runtime routes (may contain ':' or be an ARN) */
  modelId?: string;
  /** lower-cased header names; repeated headers joined with ', ' */
  headers: Record<string, string>;
  rawBody: Buffer;
  /** parsed JSON body (JSON requests) or form fields (STS), else undefined */
  body: any;
  auth: AuthInfo;
  receivedAt: number;
  /** status code sent (undefined until headers are sent) */
  status?: number;
  /** event-stream frames written so far (converse-stream) */
  framesSent: number;
  /** true when the client closed the connection before the server finished the response */
  clientClosedEarly: boolean;
  /** 'pending' until the exchange ends */
  outcome: RequestOutcome | 'pending';
  /** resolves when the exchange ends */
  done: Promise<RequestOutcome>;
}

export interface FoundationModelSummary {
  modelArn: string;
  modelId: string;
  modelName?: string;
  providerName?: string;
  inputModalities?: string[];
  outputModalities?: string[];
  responseStreamingSupported?: boolean;
  customizationsSupported?: string[];
  inferenceTypesSupported?: string[];
  modelLifecycle?: { status: string };
  [k: string]: unknown;
}

export interface InferenceProfileSummary {
  inferenceProfileName: string;
  inferenceProfileId: string;
  inferenceProfileArn: string;
  models: { modelArn: string }[];
  status: string;
  type: string;
  description?: string;
  createdAt?: string;
  updatedAt?: string;
  [k: string]: unknown;
}

export interface BedrockServerOptions {
  /** port to listen on (default 0 = random free port); always bound to 127.0.0.1 */
  port?: number;
  /** path prefix for Bedrock routes (runtime + control plane), e.g. '/bedrock'. Credential routes stay at the root. */
  prefix?: string;
  /** accessKeyId -> secretAccessKey known to the SigV4 verifier */
  credentials?: Record<string, string>;
  /**
   * Reject requests whose auth does not check out: SigV4 invalid/unknown -> 403
   * (`UnrecognizedClientException` for an unknown key, `InvalidSignatureException` for a bad
   * signature), no auth -> 403 `MissingAuthenticationTokenException`, bearer token not added with
   * addBearerToken -> 403 `AccessDeniedException`. Also applies to STS AssumeRole. Default false
   * (record only).
   */
  strictAuth?: boolean;
  foundationModels?: FoundationModelSummary[];
  inferenceProfiles?: InferenceProfileSummary[];
  /** Largest ListInferenceProfiles page served, whatever maxResults asks (default 1000, AWS's maximum): small values force paging. */
  inferenceProfilePageSize?: number;
}

export interface ReplayOptions {
  /** add `x-amzn-ErrorType` to an error recording (the recordings do not carry it) */
  errorType?: string;
  /** only serve it for the same model id (default: any model id) */
  matchModelId?: boolean;
  /** split an event stream into frames and wait this long between them */
  frameDelayMs?: number;
}

type Handler<T> = (req: RecordedRequest) => T | Promise<T>;

export interface BedrockServer {
  /** `http://127.0.0.1:<port>` (no prefix) */
  readonly url: string;
  /** `url + prefix`: the endpoint for Bedrock clients */
  readonly endpoint: string;
  readonly port: number;
  readonly prefix: string;
  /** every request received, in order */
  readonly requests: RecordedRequest[];
  /** TCP connections open right now (a client's keep-alive sockets included) */
  readonly openSockets: number;
  /** TCP connections accepted since the server started (keep-alive holds this at one per client) */
  readonly connectionsAccepted: number;
  /** credentials issued by the fake SSO portal / STS */
  readonly issuedCredentials: IssuedCredentials[];
  /** the fake IAM Identity Center OIDC service (device sign-in, refresh tokens) */
  readonly oidc: FakeOidc;
  strictAuth: boolean;
  /** control-plane data (ListFoundationModels / ListInferenceProfiles) */
  foundationModels: FoundationModelSummary[];
  inferenceProfiles: InferenceProfileSummary[];
  /** Largest ListInferenceProfiles page served (see BedrockServerOptions.inferenceProfilePageSize). */
  inferenceProfilePageSize: number;

  onConverseStream?: Handler<StreamScript>;
  onConverse?: Handler<ResponseScript>;
  onCountTokens?: Handler<ResponseScript>;
  /** consulted first for every request; return undefined to fall through to the normal route */
  override?: Handler<AnyScript | undefined>;

  addCredentials(accessKeyId: string, secretAccessKey: string, sessionToken?: string): void;
  addBearerToken(token: string): void;
  addSsoToken(accessToken: string, opts?: SsoTokenOptions): void;
  addWebIdentityToken(token: string): void;
  /** An MFA device and the code it shows now (call again as time passes); each code is accepted once. */
  setMfaCode(serialNumber: string, code: string): void;
  /** AssumeRole of `roleArn` is refused without a valid code from `serialNumber`. */
  requireMfa(roleArn: string, serialNumber: string): void;
  /** serve this recording for the next request with the same operation */
  replay(interaction: RecordedInteraction, opts?: ReplayOptions): void;
  /** resolve with the first request (already received or future) matching; rejects after timeoutMs */
  waitForRequest(match?: number | ((r: RecordedRequest) => boolean), timeoutMs?: number): Promise<RecordedRequest>;
  /**
   * Resolve when a converse-stream request's connection is closed by the client before the server
   * finished; reject if it ends any other way or after timeoutMs. `index` defaults to the last
   * converse-stream request received (or the next one).
   */
  streamClosedByClient(index?: number, timeoutMs?: number): Promise<RecordedRequest>;
  /** forget recorded requests, scripts and pending replays (credentials stay) */
  reset(): void;
  /** stop listening and destroy every open socket */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------

const DEFAULT_FOUNDATION_MODELS: FoundationModelSummary[] = [
  fm('anthropic.claude-sonnet-4-20250514-v1:0', 'Claude Sonnet 4', 'Anthropic', ['INFERENCE_PROFILE']),
  fm('anthropic.claude-3-5-haiku-20241022-v1:0', 'Claude 3.5 Haiku', 'Anthropic', ['ON_DEMAND', 'INFERENCE_PROFILE']),
  fm('amazon.nova-micro-v1:0', 'Nova Micro', 'Amazon', ['ON_DEMAND', 'INFERENCE_PROFILE']),
  fm('amazon.titan-embed-text-v2:0', 'Titan Text Embeddings V2', 'Amazon', ['ON_DEMAND'], ['EMBEDDING']),
];

const DEFAULT_INFERENCE_PROFILES: InferenceProfileSummary[] = [
  ip('us.anthropic.claude-sonnet-4-20250514-v1:0', 'US Anthropic Claude Sonnet 4'),
  ip('us.anthropic.claude-3-5-haiku-20241022-v1:0', 'US Anthropic Claude 3.5 Haiku'),
  ip('us.amazon.nova-micro-v1:0', 'US Nova Micro'),
];

function fm(modelId: string, modelName: string, providerName: string, inferenceTypesSupported: string[], outputModalities = ['TEXT']): FoundationModelSummary {
  return {
    modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${modelId}`,
    modelId,
    modelName,
    providerName,
    inputModalities: ['TEXT'],
    outputModalities,
    responseStreamingSupported: outputModalities.includes('TEXT'),
    customizationsSupported: [],
    inferenceTypesSupported,
    modelLifecycle: { status: 'ACTIVE' },
  };
}

function ip(id: string, name: string): InferenceProfileSummary {
  const base = id.slice(id.indexOf('.') + 1);
  return {
    inferenceProfileName: name,
    inferenceProfileId: id,
    inferenceProfileArn: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/${id}`,
    models: ['us-east-1', 'us-east-2', 'us-west-2'].map((r) => ({ modelArn: `arn:aws:bedrock:${r}::foundation-model/${base}` })),
    status: 'ACTIVE',
    type: 'SYSTEM_DEFINED',
    description: `Routes requests to ${name} in US regions.`,
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
  };
}

/** A ListFoundationModels entry as Bedrock gives it (defaults: an active, streaming text model, on demand). */
export function foundationModelSummary(
  modelId: string,
  o: { name?: string; provider?: string; inferenceTypes?: string[]; input?: string[]; output?: string[]; streaming?: boolean; status?: string; region?: string } = {},
): FoundationModelSummary {
  const output = o.output ?? ['TEXT'];
  return {
    modelArn: `arn:aws:bedrock:${o.region ?? 'us-east-1'}::foundation-model/${modelId}`,
    modelId,
    modelName: o.name ?? modelId,
    providerName: o.provider ?? modelId.split('.')[0],
    inputModalities: o.input ?? ['TEXT'],
    outputModalities: output,
    responseStreamingSupported: o.streaming ?? true,
    customizationsSupported: [],
    inferenceTypesSupported: o.inferenceTypes ?? ['ON_DEMAND'],
    modelLifecycle: { status: o.status ?? 'ACTIVE' },
  };
}

/** A system-defined (cross-region) inference profile `<prefix>.<modelId>` routing to `regions`. */
export function systemProfile(id: string, regions: string[], o: { sourceRegion?: string; name?: string } = {}): InferenceProfileSummary {
  const base = id.slice(id.indexOf('.') + 1);
  return {
    inferenceProfileName: o.name ?? id,
    inferenceProfileId: id,
    inferenceProfileArn: `arn:aws:bedrock:${o.sourceRegion ?? regions[0] ?? 'us-east-1'}:123456789012:inference-profile/${id}`,
    models: regions.map((r) => ({ modelArn: `arn:aws:bedrock:${r}::foundation-model/${base}` })),
    status: 'ACTIVE',
    type: 'SYSTEM_DEFINED',
  };
}

/** An application inference profile `shortId` (ARN `…:application-inference-profile/<shortId>`) routing to `modelId` in `regions`. */
export function applicationProfile(shortId: string, name: string, modelId: string | undefined, regions: string[] = ['us-east-1'], account = '111122223333'): InferenceProfileSummary {
  return {
    inferenceProfileName: name,
    inferenceProfileId: shortId,
    inferenceProfileArn: `arn:aws:bedrock:${regions[0] ?? 'us-east-1'}:${account}:application-inference-profile/${shortId}`,
    models: modelId ? regions.map((r) => ({ modelArn: `arn:aws:bedrock:${r}::foundation-model/${modelId}` })) : [],
    status: 'ACTIVE',
    type: 'APPLICATION',
  };
}

function normalisePrefix(p: string | undefined): string {
  if (!p || p === '/') return '';
  return ('/' + p.replace(/^\/+|\/+$/g, '')).replace(/\/+/g, '/');
}

function parseQuery(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

interface Route {
  operation: Operation;
  modelId?: string;
  /** remaining path segment for get-* routes */
  id?: string;
  bedrock: boolean;
}

function route(method: string, rawPath: string, prefix: string, contentType: string): Route | undefined {
  // Credential services live at the root regardless of the prefix.
  if (method === 'GET' && rawPath === '/federation/credentials') return { operation: 'sso-get-role-credentials', bedrock: false };
  const oidc = oidcRoute(method, rawPath);
  if (oidc) return { operation: oidc, bedrock: false };
  if (method === 'POST' && rawPath === '/' && contentType.startsWith('application/x-www-form-urlencoded')) {
    return { operation: 'unknown', bedrock: false }; // refined to sts-* from the form body
  }
  let inner: string;
  if (prefix) {
    if (!rawPath.startsWith(prefix + '/')) return undefined;
    inner = rawPath.slice(prefix.length);
  } else {
    inner = rawPath;
  }
  const m = /^\/model\/([^/]+)\/(converse-stream|converse|count-tokens)$/.exec(inner);
  if (m && method === 'POST') return { operation: m[2] as Operation, modelId: safeDecode(m[1]), bedrock: true };
  if (method === 'GET') {
    if (inner === '/foundation-models') return { operation: 'list-foundation-models', bedrock: true };
    if (inner === '/inference-profiles') return { operation: 'list-inference-profiles', bedrock: true };
    const g = /^\/(foundation-models|inference-profiles)\/([^/]+)$/.exec(inner);
    if (g) {
      return {
        operation: g[1] === 'foundation-models' ? 'get-foundation-model' : 'get-inference-profile',
        id: safeDecode(g[2]),
        bedrock: true,
      };
    }
  }
  return undefined;
}

function estimateTokens(body: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(body ?? '').length / 4));
}

export async function startBedrockServer(opts: BedrockServerOptions = {}): Promise<BedrockServer> {
  const prefix = normalisePrefix(opts.prefix);
  const secrets = new Map<string, KnownSecret>();
  for (const [k, v] of Object.entries(opts.credentials ?? {})) secrets.set(k, { secretAccessKey: v });
  const bearerTokens = new Set<string>();
  const ssoTokens = new Map<string, SsoTokenOptions>();
  const webIdentityTokens = new Set<string>();
  const mfa: MfaState = { devices: new Map(), roles: new Map() };
  const sockets = new Set<Socket>();
  let connectionsAccepted = 0;
  const pending = new Map<RecordedRequest, (o: RequestOutcome) => void>();
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;
  let replays: { interaction: RecordedInteraction; opts: ReplayOptions }[] = [];
  let waiters: { match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }[] = [];

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const issue = (c: IssuedCredentials) => {
    server.issuedCredentials.push(c);
    secrets.set(c.accessKeyId, { secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken });
  };

  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) {
        const out = jsonError(500, 'InternalServerException', `local Bedrock server error: ${(err as Error).stack ?? err}`);
        res.writeHead(out.status, out.headers).end(out.body);
      } else {
        res.destroy();
      }
    });
  });
  httpServer.on('connection', (s) => {
    sockets.add(s);
    connectionsAccepted++;
    s.setNoDelay(true);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks);
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const rawPath = qi >= 0 ? url.slice(0, qi) : url;
    const query = parseQuery(qi >= 0 ? url.slice(qi + 1) : '');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    const contentType = headers['content-type'] ?? '';
    const method = req.method ?? 'GET';
    const r = route(method, rawPath, prefix, contentType);

    let body: any = undefined;
    if (rawBody.length) {
      if (contentType.includes('json')) {
        try {
          body = JSON.parse(rawBody.toString('utf8'));
        } catch {
          body = undefined;
        }
      } else if (contentType.startsWith('application/x-www-form-urlencoded')) {
        body = Object.fromEntries(new URLSearchParams(rawBody.toString('utf8')));
      }
    }
    let operation: Operation = r?.operation ?? 'unknown';
    if (r && !r.bedrock && operation === 'unknown') {
      const action = body?.Action;
      if (action === 'AssumeRole') operation = 'sts-assume-role';
      else if (action === 'AssumeRoleWithWebIdentity') operation = 'sts-assume-role-with-web-identity';
      else if (action === 'GetCallerIdentity') operation = 'sts-get-caller-identity';
    }

    const auth = await verifyAuth({ method, rawPath, query, headers, body: rawBody }, (id) => secrets.get(id));

    let settle!: (o: RequestOutcome) => void;
    const rec: RecordedRequest = {
      index: server.requests.length,
      method,
      url,
      rawPath,
      path: safeDecode(rawPath),
      query,
      operation,
      ...(r?.modelId !== undefined ? { modelId: r.modelId } : {}),
      headers,
      rawBody,
      body,
      auth,
      receivedAt: Date.now(),
      framesSent: 0,
      clientClosedEarly: false,
      outcome: 'pending',
      done: new Promise<RequestOutcome>((resolve) => (settle = resolve)),
    };
    let dropped = false;
    res.on('close', () => {
      let outcome: RequestOutcome;
      if (res.writableFinished) outcome = 'completed';
      else if (dropped) outcome = 'server-dropped';
      else if (closing) outcome = 'server-closed';
      else {
        outcome = 'client-closed';
        rec.clientClosedEarly = true;
      }
      rec.outcome = outcome;
      pending.delete(rec);
      settle(outcome);
    });
    pending.set(rec, settle);
    server.requests.push(rec);
    for (const w of [...waiters]) {
      if (w.match(rec)) {
        waiters = waiters.filter((x) => x !== w);
        w.resolve(rec);
      }
    }

    const ctx: ResponseCtx = { req, res, rec, markDropped: () => (dropped = true) };

    if (server.override) {
      const s = await server.override(rec);
      if (s !== undefined) return serveScript(ctx, s);
    }
    if (!r) return sendOut(ctx, jsonError(404, 'UnknownOperationException', `No route for ${method} ${rawPath}`));

    if (r.bedrock && server.strictAuth) {
      const denied = authFailure(auth);
      if (denied) return sendOut(ctx, denied);
    }

    switch (operation) {
      case 'converse-stream':
      case 'converse':
      case 'count-tokens': {
        const rp = takeReplay(operation, r.modelId);
        if (rp) return serveScript(ctx, { replay: rp.interaction, errorType: rp.opts.errorType, frameDelayMs: rp.opts.frameDelayMs });
        if (operation === 'converse-stream') {
          const s = server.onConverseStream ? await server.onConverseStream(rec) : textEvents(DEFAULT_REPLY);
          return serveScript(ctx, s);
        }
        if (operation === 'converse') {
          const s = server.onConverse
            ? await server.onConverse(rec)
            : {
                json: {
                  output: { message: { role: 'assistant', content: [{ text: DEFAULT_REPLY }] } },
                  stopReason: 'end_turn',
                  usage: { inputTokens: estimateTokens(body), outputTokens: 8, totalTokens: estimateTokens(body) + 8 },
                  metrics: { latencyMs: 5 },
                },
              };
          return serveScript(ctx, s);
        }
        const s = server.onCountTokens ? await server.onCountTokens(rec) : { json: { inputTokens: estimateTokens(body?.input) } };
        return serveScript(ctx, s);
      }
      case 'list-foundation-models': {
        let list = server.foundationModels;
        const p = query['byProvider'];
        if (typeof p === 'string') list = list.filter((m) => (m.providerName ?? '').toLowerCase() === p.toLowerCase());
        const om = query['byOutputModality'];
        if (typeof om === 'string') list = list.filter((m) => (m.outputModalities ?? []).includes(om));
        const it = query['byInferenceType'];
        if (typeof it === 'string') list = list.filter((m) => (m.inferenceTypesSupported ?? []).includes(it));
        return sendOut(ctx, jsonOut(200, { modelSummaries: list }));
      }
      case 'get-foundation-model': {
        const m = server.foundationModels.find((x) => x.modelId === r.id || x.modelArn === r.id);
        return sendOut(ctx, m ? jsonOut(200, { modelDetails: m }) : jsonError(404, 'ResourceNotFoundException', `Model ${r.id} not found`));
      }
      case 'list-inference-profiles': {
        let list = server.inferenceProfiles;
        const type = query['type'];
        if (typeof type === 'string') list = list.filter((p) => p.type === type);
        const start = typeof query['nextToken'] === 'string' ? Number(query['nextToken']) : 0;
        const max = Math.min(typeof query['maxResults'] === 'string' ? Number(query['maxResults']) : 1000, server.inferenceProfilePageSize);
        if (!Number.isInteger(start) || start < 0) return sendOut(ctx, jsonError(400, 'ValidationException', 'Invalid nextToken'));
        const page = list.slice(start, start + max);
        const next = start + max < list.length ? String(start + max) : undefined;
        return sendOut(ctx, jsonOut(200, { inferenceProfileSummaries: page, ...(next ? { nextToken: next } : {}) }));
      }
      case 'get-inference-profile': {
        const p = server.inferenceProfiles.find((x) => x.inferenceProfileId === r.id || x.inferenceProfileArn === r.id);
        return sendOut(ctx, p ? jsonOut(200, p) : jsonError(404, 'ResourceNotFoundException', `Inference profile ${r.id} not found`));
      }
      case 'sso-get-role-credentials':
        return sendOut(ctx, ssoGetRoleCredentials(query, headers, ssoTokens, issue));
      case 'oidc-register-client':
      case 'oidc-start-device-authorization':
      case 'oidc-create-token':
        return sendOut(ctx, server.oidc.handle(operation, body));
      case 'sts-get-caller-identity':
        return sendOut(ctx, stsGetCallerIdentity(auth, server.issuedCredentials));
      default: {
        // STS query API
        if (operation === 'sts-assume-role' && server.strictAuth) {
          if (auth.kind !== 'sigv4') return sendOut(ctx, stsError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token'));
          if (!auth.valid) {
            return sendOut(
              ctx,
              stsError(403, auth.reason?.startsWith('unknown') ? 'InvalidClientTokenId' : 'SignatureDoesNotMatch', auth.reason ?? 'invalid signature'),
            );
          }
        }
        const out = stsAction((body ?? {}) as Record<string, string>, webIdentityTokens, issue, mfa);
        return sendOut(ctx, out ?? jsonError(404, 'UnknownOperationException', `No route for ${method} ${rawPath}`));
      }
    }
  }

  function authFailure(auth: AuthInfo): JsonOut | undefined {
    switch (auth.kind) {
      case 'none':
        return jsonError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      case 'other':
        return jsonError(403, 'IncompleteSignatureException', `Unsupported authorization scheme ${auth.scheme}`);
      case 'bearer':
        return bearerTokens.has(auth.token) ? undefined : jsonError(403, 'AccessDeniedException', 'Authentication failed: invalid API key.');
      case 'sigv4':
        if (auth.valid) return undefined;
        if (auth.reason?.startsWith('unknown access key')) {
          return jsonError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
        }
        return jsonError(
          403,
          'InvalidSignatureException',
          `The request signature we calculated does not match the signature you provided. (${auth.reason ?? ''})`,
        );
    }
  }

  function takeReplay(operation: string, modelId: string | undefined) {
    const i = replays.findIndex(
      (r) => r.interaction.operation === operation && (!r.opts.matchModelId || r.interaction.modelId === modelId),
    );
    if (i < 0) return undefined;
    return replays.splice(i, 1)[0];
  }

  interface ResponseCtx {
    req: http.IncomingMessage;
    res: http.ServerResponse;
    rec: RecordedRequest;
    markDropped: () => void;
  }

  function writeHead(ctx: ResponseCtx, status: number, headers: Record<string, string>) {
    ctx.rec.status = status;
    ctx.res.writeHead(status, headers);
    ctx.res.flushHeaders();
  }

  function sendOut(ctx: ResponseCtx, out: JsonOut): void {
    writeHead(ctx, out.status, { ...out.headers, 'content-length': String(Buffer.byteLength(out.body)) });
    ctx.res.end(out.body);
  }

  function dropSocket(ctx: ResponseCtx) {
    ctx.markDropped();
    ctx.req.socket.destroy();
  }

  const alive = (ctx: ResponseCtx) => !ctx.res.destroyed && !closing;

  function waitClose(ctx: ResponseCtx): Promise<unknown> {
    return ctx.rec.done;
  }

  async function serveScript(ctx: ResponseCtx, s: AnyScript): Promise<void> {
    if (Array.isArray(s)) return serveStream(ctx, { events: s });
    if ('httpError' in s) return sendOut(ctx, errorOut(s.httpError));
    if ('json' in s) {
      const body = JSON.stringify(s.json);
      return sendOut(ctx, { status: s.status ?? 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...s.headers }, body });
    }
    if ('raw' in s) {
      const body = typeof s.raw.body === 'string' ? Buffer.from(s.raw.body) : Buffer.from(s.raw.body);
      writeHead(ctx, s.raw.status, { ...(s.raw.headers ?? {}) });
      ctx.res.end(body);
      return;
    }
    if ('replay' in s) return serveReplay(ctx, s.replay, s.errorType, s.frameDelayMs);
    if ('events' in s) return serveStream(ctx, s);
    if ('noResponse' in s) {
      await waitClose(ctx);
      return;
    }
    if ('destroyConnection' in s) return dropSocket(ctx);
    throw new Error(`unknown script ${JSON.stringify(s)}`);
  }

  function errorOut(e: HttpErrorSpec): JsonOut {
    const where = e.typeIn ?? 'header';
    const bodyObj: Record<string, unknown> = { message: e.message ?? e.type, ...(e.body ?? {}) };
    if (where !== 'header') bodyObj['__type'] = e.type;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...(e.headers ?? {}) };
    if (where !== 'body') headers['x-amzn-ErrorType'] = e.type;
    return { status: e.status, headers, body: JSON.stringify(bodyObj) };
  }

  async function serveReplay(ctx: ResponseCtx, it: RecordedInteraction, errorType?: string, frameDelayMs?: number): Promise<void> {
    const headers: Record<string, string> = { 'x-amzn-requestid': randomUUID() };
    for (const [k, v] of Object.entries(it.headers)) {
      if (!['content-length', 'transfer-encoding', 'connection', 'date'].includes(k)) headers[k] = v;
    }
    if (errorType) headers['x-amzn-ErrorType'] = errorType;
    const isStream = (it.headers['content-type'] ?? '').includes('eventstream');
    if (!isStream || !frameDelayMs) {
      if (!isStream) headers['content-length'] = String(it.body.length);
      writeHead(ctx, it.status, headers);
      ctx.res.end(it.body);
      return;
    }
    writeHead(ctx, it.status, headers);
    let first = true;
    for (const f of splitRawFrames(it.body)) {
      if (!first) await sleep(frameDelayMs);
      first = false;
      if (!alive(ctx)) return;
      ctx.res.write(f);
      ctx.rec.framesSent++;
    }
    ctx.res.end();
  }

  async function serveStream(ctx: ResponseCtx, s: StreamOptions): Promise<void> {
    writeHead(ctx, 200, {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-requestid': randomUUID(),
      ...(s.headers ?? {}),
    });
    let sentEvents = 0;
    const checkLimits = async (): Promise<'stop' | 'go'> => {
      if (s.dropAfter !== undefined && ctx.rec.framesSent >= s.dropAfter) {
        dropSocket(ctx);
        return 'stop';
      }
      if (s.hangAfter !== undefined && ctx.rec.framesSent >= s.hangAfter) {
        await waitClose(ctx);
        return 'stop';
      }
      return 'go';
    };
    if ((await checkLimits()) === 'stop') return;
    for (const step of s.events as StreamStep[]) {
      if (!alive(ctx)) return;
      if (isControlStep(step)) {
        switch (step.kind) {
          case 'delay':
            await sleep(step.ms);
            continue;
          case 'hang':
            await waitClose(ctx);
            return;
          case 'drop':
            dropSocket(ctx);
            return;
          case 'raw':
            ctx.res.write(step.bytes);
            ctx.rec.framesSent++;
            break;
          case 'exception':
            ctx.res.write(encodeException(step.exceptionType, step.message, step.extra));
            ctx.rec.framesSent++;
            break;
        }
      } else {
        if (sentEvents > 0 && s.delayMs) {
          await sleep(s.delayMs);
          if (!alive(ctx)) return;
        }
        ctx.res.write(encodeEvent(step));
        ctx.rec.framesSent++;
        sentEvents++;
      }
      if ((await checkLimits()) === 'stop') return;
    }
    if (alive(ctx)) ctx.res.end();
  }

  const server: BedrockServer = {
    url: '',
    endpoint: '',
    port: 0,
    prefix,
    requests: [],
    get openSockets() {
      return sockets.size;
    },
    get connectionsAccepted() {
      return connectionsAccepted;
    },
    issuedCredentials: [],
    oidc: new FakeOidc((accessToken, o) => ssoTokens.set(accessToken, o)),
    strictAuth: opts.strictAuth ?? false,
    foundationModels: opts.foundationModels ?? DEFAULT_FOUNDATION_MODELS.map((m) => ({ ...m })),
    inferenceProfiles: opts.inferenceProfiles ?? DEFAULT_INFERENCE_PROFILES.map((p) => ({ ...p })),
    inferenceProfilePageSize: opts.inferenceProfilePageSize ?? 1000,
    addCredentials(accessKeyId, secretAccessKey, sessionToken) {
      secrets.set(accessKeyId, { secretAccessKey, ...(sessionToken ? { sessionToken } : {}) });
    },
    addBearerToken(token) {
      bearerTokens.add(token);
    },
    addSsoToken(accessToken, o = {}) {
      ssoTokens.set(accessToken, o);
    },
    addWebIdentityToken(token) {
      webIdentityTokens.add(token);
    },
    setMfaCode(serialNumber, code) {
      const device = mfa.devices.get(serialNumber);
      if (device) device.code = code;
      else mfa.devices.set(serialNumber, { code, used: new Set() });
    },
    requireMfa(roleArn, serialNumber) {
      mfa.roles.set(roleArn, serialNumber);
    },
    replay(interaction, o = {}) {
      replays.push({ interaction, opts: o });
    },
    waitForRequest(match, timeoutMs = 5000) {
      const pred: (r: RecordedRequest) => boolean =
        match === undefined ? () => true : typeof match === 'number' ? (r) => r.index === match : match;
      const found = server.requests.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise<RecordedRequest>((resolve, reject) => {
        const t = setTimeout(() => {
          timers.delete(t);
          waiters = waiters.filter((w) => w.resolve !== done);
          reject(new Error(`no matching request within ${timeoutMs} ms (received ${server.requests.length})`));
        }, timeoutMs);
        timers.add(t);
        const done = (r: RecordedRequest) => {
          clearTimeout(t);
          timers.delete(t);
          resolve(r);
        };
        waiters.push({ match: pred, resolve: done });
      });
    },
    async streamClosedByClient(index, timeoutMs = 5000) {
      let target = index;
      if (target === undefined) {
        const streams = server.requests.filter((r) => r.operation === 'converse-stream');
        target = streams.length ? streams[streams.length - 1].index : undefined;
      }
      const start = Date.now();
      const rec = await server.waitForRequest(target ?? ((r) => r.operation === 'converse-stream'), timeoutMs);
      const left = Math.max(1, timeoutMs - (Date.now() - start));
      let t: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        rec.done,
        new Promise<'timeout'>((resolve) => {
          t = setTimeout(() => resolve('timeout'), left);
          timers.add(t);
        }),
      ]);
      if (t) {
        clearTimeout(t);
        timers.delete(t);
      }
      if (outcome !== 'client-closed') {
        throw new Error(`request #${rec.index} (${rec.operation}) did not end by client close: ${outcome} after ${rec.framesSent} frames`);
      }
      return rec;
    },
    reset() {
      server.requests.length = 0;
      replays = [];
      server.onConverseStream = undefined;
      server.onConverse = undefined;
      server.onCountTokens = undefined;
      server.override = undefined;
    },
    async close() {
      closing = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      waiters = [];
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeAllConnections();
      for (const s of sockets) s.destroy();
      await closed;
      await new Promise((resolve) => setImmediate(resolve));
      for (const [rec, settle] of pending) {
        if (rec.outcome === 'pending') {
          rec.outcome = 'server-closed';
          settle('server-closed');
        }
      }
      pending.clear();
    },
  };

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port ?? 0, '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  Object.assign(server, { port, url: `http://127.0.0.1:${port}`, endpoint: `http://127.0.0.1:${port}${prefix}` });
  server.oidc.verificationUri = `${server.url}/device`;
  return server;
}

/** Split concatenated event-stream bytes at frame boundaries (no decoding). */
export function splitRawFrames(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 0;
  while (off + 4 <= bytes.byteLength) {
    const len = view.getUint32(off, false);
    if (len < 16 || off + len > bytes.byteLength) break;
    out.push(bytes.subarray(off, off + len));
    off += len;
  }
  if (off < bytes.byteLength) out.push(bytes.subarray(off));
  return out;
}

export { decodeFrames };
