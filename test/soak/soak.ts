/**
 * The soak (issue 11 item 4): many requests, a seeded random mix of the fault
 * suite's faults and normal answers, several at once, through the provider's
 * path without VS Code (test/support/chatPath.ts: sendChat with one shared
 * ClientCache, describeError, the request log through a Redactor that knows the
 * secrets, as the controller builds it) and the real AWS SDK against the local
 * server, which checks every signature.
 *
 * Each request must end in its own complete answer or a clear error (a next
 * step, no SDK internals), or as cancelled when it was cancelled; nothing may
 * hang, reject unhandled, leak a socket, timer, listener or client, show one
 * request's words in another's answer, or let a canary secret into a log line
 * or an error. `runSoak` returns the figures and every violation; scripts/soak.js
 * prints them and exits non-zero on any violation.
 */
import { getEventListeners } from 'node:events';
import { knownSecrets, Redactor } from '../../src/core/auth/redact';
import { BedrockAuth } from '../../src/core/auth/types';
import { ClientCache, ClientTarget } from '../../src/core/bedrock/client';
import { ChatEvent, ChatMessage, ChatTool } from '../../src/core/chat/types';
import { ChatModel, listModels } from '../../src/core/models/chatModel';
import {
  delay,
  destroyConnection,
  drop,
  encodeEvent,
  exceptionEvent,
  httpError,
  makeTempAwsHome,
  metadataEvent,
  noResponse,
  startBedrockServer,
  textEvents,
  toolUseEvents,
  type BedrockServer,
  type RecordedRequest,
  type StreamScript,
  type StreamStep,
} from '../support';
import { ChatOutcome, runChat } from '../support/chatPath';
import { userFacingProblems } from '../support/userFacing';

export interface SoakOptions {
  requests: number;
  concurrency: number;
  seed: number;
  /** seconds without data before a stalled request is abandoned (the product's idle timeout) */
  idleTimeoutSeconds: number;
  /** a request still running after this long is a hang (a violation) and is cancelled */
  hangAfterMs: number;
  /** requests between switches of the auth method (each switch builds a new client while others stream) */
  switchEvery: number;
}

export const DEFAULT_SOAK: SoakOptions = { requests: 500, concurrency: 8, seed: 1, idleTimeoutSeconds: 1, hangAfterMs: 30_000, switchEvery: 20 };

export interface SoakFigures {
  options: SoakOptions;
  elapsedMs: number;
  answers: number;
  toolCalls: number;
  cancelled: number;
  /** user-visible errors by describeError's kind */
  errors: Record<string, number>;
  faults: Record<string, number>;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  handlesBefore: Record<string, number>;
  handlesAfter: Record<string, number>;
  serverSocketsPeak: number;
  serverSocketsAfter: number;
  liveClientsPeak: number;
  liveClientsAtEnd: number;
  liveClientsAfterDispose: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  logLines: number;
  /** raw errors that carried a canary (the server echoed a secret): the redaction was put to work */
  canaryEchoes: number;
  /** log lines or shown errors that carried a canary */
  secretLeaks: number;
  processListenersBefore: number;
  processListenersAfter: number;
  abortListenersLeft: number;
  violations: string[];
}

// ---- secrets ---------------------------------------------------------------------------------

const CANARY_API_KEY = 'ABSK' + Buffer.from('soak-canary-api-key-must-never-be-seen').toString('base64');
const CANARY_SESSION = 'soak-canary-session-token-must-never-be-seen-0123456789';
const CANARY_IAM_SECRET = 'soak/canary/iam/secret/must+never+be+seen0';
const CANARY_PROFILE_SECRET = 'soak/canary/profile/secret/never+be+seen00';
const CANARIES = [CANARY_API_KEY, CANARY_SESSION, CANARY_IAM_SECRET, CANARY_PROFILE_SECRET];
const IAM_KEY_ID = 'AKIASOAKCANARY000001';
const PROFILE_KEY_ID = 'AKIASOAKPROFILE00001';

// ---- faults ----------------------------------------------------------------------------------

/** What a request must end in: its answer, its tool call, cancelled, or an error of one of these kinds. */
type Expect = { answer?: true; tool?: true; cancelled?: true; errors?: string[] };

interface Fault {
  weight: number;
  /** the server's reply to this request's `attempt`th (1-based) call */
  reply(ctx: ReplyCtx): StreamScript | Promise<StreamScript>;
  expect(target: TargetName): Expect;
  /** the request's model (default: Nova Micro) */
  model?: 'unknown';
  tools?: true;
  /** cancel after the first text event */
  cancelOnText?: true;
}

interface ReplyCtx {
  id: string;
  attempt: number;
  req: RecordedRequest;
  words: string[];
  /** cancels the request from the client side (as VS Code's cancellation token would) */
  cancel(): void;
}

const MID_STREAM: Record<string, [string, string]> = {
  internalServerException: ['The server encountered an internal error while processing the request.', 'service'],
  modelStreamErrorException: ['The model stopped streaming unexpectedly.', 'service'],
  validationException: ['The model returned the following errors: Output blocked by a content filter.', 'validation'],
  throttlingException: ['Too many tokens, please wait before trying again.', 'throttled'],
  serviceUnavailableException: ['Bedrock is unable to process your request.', 'service'],
};

const answerText = (id: string, words: string[]) => [`Answer to ${id}: `, ...words.map((w, i) => `${w}${i < words.length - 1 ? ' ' : '.'}`)];
const partial = (id: string, words: string[]): StreamStep[] => [{ messageStart: { role: 'assistant' } }, ...answerText(id, words).slice(0, 2).map((text) => ({ contentBlockDelta: { contentBlockIndex: 0, delta: { text } } }))];

const FAULTS: Record<string, Fault> = {
  answer: { weight: 30, reply: ({ id, words }) => textEvents(answerText(id, words)), expect: () => ({ answer: true }) },
  slowAnswer: {
    weight: 8,
    reply: ({ id, words }) => ({ events: textEvents(answerText(id, words)), delayMs: 10 }),
    expect: () => ({ answer: true }),
  },
  toolCall: {
    weight: 6,
    tools: true,
    // Spread out, so that concurrent tool calls interleave and any state shared between streams would mix them.
    reply: ({ id }) => ({
      events: [
        { messageStart: { role: 'assistant' } },
        ...toolUseEvents(0, { toolUseId: `call-${id}`, name: 'lookup', inputChunks: ['{"ref":', JSON.stringify(id), '}'] }),
        { messageStop: { stopReason: 'tool_use' } },
        metadataEvent(),
      ],
      delayMs: 5,
    }),
    expect: () => ({ tool: true }),
  },
  // The SDK retries these before the stream starts; if its retry budget is spent it reports the first failure.
  throttleThenAnswer: {
    weight: 4,
    reply: ({ id, words, attempt }) => (attempt === 1 ? httpError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.', { headers: { 'retry-after': '0.05' } }) : textEvents(answerText(id, words))),
    expect: () => ({ answer: true, errors: ['throttled'] }),
  },
  throttled: { weight: 2, reply: () => httpError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.'), expect: () => ({ errors: ['throttled'] }) },
  error500ThenAnswer: {
    weight: 3,
    reply: ({ id, words, attempt }) => (attempt === 1 ? httpError(500, 'InternalServerException', 'The server encountered an internal error.') : textEvents(answerText(id, words))),
    expect: () => ({ answer: true, errors: ['service'] }),
  },
  unavailable: { weight: 2, reply: () => httpError(503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.'), expect: () => ({ errors: ['service'] }) },
  resetThenAnswer: {
    weight: 3,
    reply: ({ id, words, attempt }) => (attempt === 1 ? destroyConnection() : textEvents(answerText(id, words))),
    expect: () => ({ answer: true, errors: ['network'] }),
  },
  ...Object.fromEntries(
    Object.entries(MID_STREAM).map(([type, [message, kind]]): [string, Fault] => [
      `midStream:${type}`,
      { weight: 2, reply: ({ id, words }) => [...partial(id, words), exceptionEvent(type, message)], expect: () => ({ errors: [kind] }) },
    ]),
  ),
  drop: { weight: 3, reply: ({ id, words }) => [...partial(id, words), delay(20), drop()], expect: () => ({ errors: ['network'] }) },
  stall: { weight: 2, reply: ({ id, words }) => ({ events: textEvents(answerText(id, words)), hangAfter: 2 }), expect: () => ({ errors: ['network'] }) },
  truncated: {
    weight: 2,
    reply: ({ id, words }) => {
      const frame = encodeEvent({ contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'never arrives' } } });
      return [...partial(id, words), { kind: 'raw', bytes: frame.subarray(0, frame.length - 5) }];
    },
    expect: () => ({ errors: ['network'] }),
  },
  noMessageStop: { weight: 2, reply: ({ id, words }) => textEvents(answerText(id, words), { omitMessageStop: true, omitMetadata: true }), expect: () => ({ errors: ['service'] }) },
  badToolJson: {
    weight: 2,
    tools: true,
    reply: ({ id }) => [
      { messageStart: { role: 'assistant' } },
      ...toolUseEvents(0, { toolUseId: `call-${id}`, name: 'lookup', inputChunks: ['{"ref": "', id] }),
      { messageStop: { stopReason: 'tool_use' } },
      metadataEvent(),
    ],
    expect: () => ({ errors: ['service'] }),
  },
  unknownModel: { weight: 2, model: 'unknown', reply: () => httpError(400, 'ValidationException', 'The provided model identifier is invalid.'), expect: () => ({ errors: ['modelNotFound'] }) },
  // Refused once; the profile method renews its client and retries (unless another request just did), the others cannot.
  expiredToken: {
    weight: 2,
    reply: ({ id, words, attempt }) => (attempt === 1 ? httpError(403, 'ExpiredTokenException', 'The security token included in the request is expired') : textEvents(answerText(id, words))),
    expect: (t) => (t === 'profile' ? { answer: true, errors: ['credentials'] } : { errors: ['credentials'] }),
  },
  // An error that echoes the request's credentials back: the redaction must hold.
  leakyError: {
    weight: 3,
    reply: ({ req }) => httpError(400, 'ValidationException', `Malformed request: authorization=${req.headers.authorization} x-amz-security-token=${req.headers['x-amz-security-token'] ?? '-'}`),
    expect: () => ({ errors: ['validation'] }),
  },
  cancelBeforeHeaders: {
    weight: 3,
    reply: ({ cancel }) => {
      setImmediate(cancel);
      return noResponse();
    },
    expect: () => ({ cancelled: true }),
  },
  cancelMidStream: { weight: 3, cancelOnText: true, reply: ({ id, words }) => ({ events: textEvents(answerText(id, words)), hangAfter: 2 }), expect: () => ({ cancelled: true }) },
};

// ---- randomness ------------------------------------------------------------------------------

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['amber', 'basalt', 'cobalt', 'delta', 'ember', 'fjord', 'garnet', 'harbor', 'indigo', 'juniper', 'kelp', 'lagoon', 'meadow', 'nectar', 'opal', 'prairie', 'quartz', 'river', 'saffron', 'tundra'];

// ---- targets ---------------------------------------------------------------------------------

type TargetName = 'apiKey' | 'iamCredentials' | 'profile';
const TARGET_ORDER: TargetName[] = ['apiKey', 'iamCredentials', 'profile'];
const AUTHS: Record<TargetName, BedrockAuth> = {
  apiKey: { kind: 'apiKey', apiKey: CANARY_API_KEY },
  iamCredentials: { kind: 'iamCredentials', accessKeyId: IAM_KEY_ID, secretAccessKey: CANARY_IAM_SECRET, sessionToken: CANARY_SESSION },
  profile: { kind: 'profile', profile: 'soak' },
};

// ---- measuring -------------------------------------------------------------------------------

function handles(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0);
const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
const tick = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(10);
  return cond();
}

// ---- the soak --------------------------------------------------------------------------------

interface Plan {
  id: string;
  fault: string;
  target: TargetName;
  words: string[];
  attempts: number;
  records: RecordedRequest[];
  cancel(): void;
}

export async function runSoak(partialOptions: Partial<SoakOptions> = {}, gc?: () => void): Promise<SoakFigures> {
  const options = { ...DEFAULT_SOAK, ...partialOptions };
  const violations: string[] = [];
  const violate = (s: string) => violations.push(s);
  const random = rng(options.seed);

  const onUnhandled = (reason: unknown) => violate(`unhandled rejection: ${(reason as Error)?.stack ?? String(reason)}`);
  const onUncaught = (err: Error) => violate(`uncaught exception: ${err.stack ?? err}`);
  const onWarning = (w: Error) => {
    if (w.name === 'MaxListenersExceededWarning') violate(`listener leak: ${w.message}`);
  };
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUncaught);
  process.on('warning', onWarning);

  // The profile method reads AWS files; this process is the soak's own, so its environment is set for the run.
  const home = makeTempAwsHome();
  home.writeCredentials(`[soak]\naws_access_key_id = ${PROFILE_KEY_ID}\naws_secret_access_key = ${CANARY_PROFILE_SECRET}\n`);
  const savedEnv = { ...process.env };
  Object.assign(process.env, { HOME: home.home, AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile, AWS_EC2_METADATA_DISABLED: 'true' });
  for (const k of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_BEARER_TOKEN_BEDROCK', 'AWS_REGION']) delete process.env[k];

  const server: BedrockServer = await startBedrockServer({ strictAuth: true });
  server.addBearerToken(CANARY_API_KEY);
  server.addCredentials(IAM_KEY_ID, CANARY_IAM_SECRET, CANARY_SESSION);
  server.addCredentials(PROFILE_KEY_ID, CANARY_PROFILE_SECRET);

  const plans = new Map<string, Plan>();
  server.onConverseStream = (req) => {
    const id = /soak (\S+):/.exec(JSON.stringify(req.body?.messages?.[0] ?? ''))?.[1];
    const plan = id ? plans.get(id) : undefined;
    if (!plan) {
      violate(`the server got a request it cannot place: ${JSON.stringify(req.body).slice(0, 200)}`);
      return httpError(400, 'ValidationException', 'unplanned request');
    }
    plan.attempts++;
    plan.records.push(req);
    return FAULTS[plan.fault].reply({ id: plan.id, attempt: plan.attempts, req, words: plan.words, cancel: () => plan.cancel() });
  };

  // As the controller does: the redactor knows every stored and environment secret.
  const redactor = new Redactor();
  redactor.setSecrets(knownSecrets({ apiKey: CANARY_API_KEY, iamCredentials: { accessKeyId: IAM_KEY_ID, secretAccessKey: CANARY_IAM_SECRET, sessionToken: CANARY_SESSION } }, {}));
  const cache = new ClientCache();
  const models = listModels('us-east-1', [{ id: 'us.acme.unknown-model-v1:0' }]);
  const nova = models.find((m) => m.id === 'us.amazon.nova-micro-v1:0')!;
  const unknown = models.find((m) => m.id === 'us.acme.unknown-model-v1:0')!;
  const tools: ChatTool[] = [{ name: 'lookup', description: 'Looks a reference up', inputSchema: { type: 'object', properties: { ref: { type: 'string' } } } }];

  // Every fault once first (so a short CI run covers them all), then the seeded mix.
  const names = Object.keys(FAULTS);
  const total = names.reduce((s, n) => s + FAULTS[n].weight, 0);
  const pick = () => {
    let r = random() * total;
    for (const n of names) if ((r -= FAULTS[n].weight) < 0) return n;
    return names[0];
  };
  const schedule = Array.from({ length: options.requests }, (_, i) => (i < names.length ? names[i] : pick()));

  const faults: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const times: number[] = [];
  let answers = 0;
  let toolCalls = 0;
  let cancelled = 0;
  let canaryEchoes = 0;
  let logLines = 0;
  let serverSocketsPeak = 0;
  let liveClientsPeak = 0;
  let secretLeaks = 0;
  /** every request's signal: the SDK's abort listener goes when its connection closes, just after the request ends */
  const signals: AbortSignal[] = [];

  // Warm up outside the figures: one answer per method loads what the SDK loads lazily (credential providers,
  // signing), and the output streams exist once written to (the SDK's warnings go to stderr); all of it stays for
  // the process's life. The warm-up's client is disposed and its sockets closed before anything is counted.
  void process.stdout.fd;
  void process.stderr.fd;
  const warm = new ClientCache();
  for (const t of TARGET_ORDER) {
    const id = `warmup-${t}`;
    plans.set(id, { id, fault: 'answer', target: t, words: ['warm'], attempts: 0, records: [], cancel: () => undefined });
    const out = await runChat(warm, { auth: AUTHS[t], region: 'us-east-1', endpoint: server.endpoint, idleTimeoutSeconds: options.idleTimeoutSeconds }, { model: nova, messages: [{ role: 'user', parts: [{ type: 'text', text: `soak ${id}: warm up` }] }] }, { redactor });
    if (out.text !== answerText(id, ['warm']).join('')) violate(`the warm-up request (${t}) did not answer: ${out.shown?.message ?? out.text}`);
    plans.delete(id);
  }
  warm.dispose();
  await until(() => server.openSockets === 0, 2000);
  server.requests.length = 0;
  if (gc) gc();
  await tick();
  const handlesBefore = handles();
  const heapBefore = process.memoryUsage().heapUsed;
  const processListenersBefore = process.eventNames().reduce((s, e) => s + process.listenerCount(e), 0);
  const started = Date.now();

  async function one(i: number): Promise<void> {
    const fault = schedule[i];
    const spec = FAULTS[fault];
    const target = TARGET_ORDER[Math.floor(i / options.switchEvery) % TARGET_ORDER.length];
    const id = `r${i}-${Math.floor(random() * 1e9).toString(36)}`;
    const words = Array.from({ length: 3 + Math.floor(random() * 8) }, () => WORDS[Math.floor(random() * WORDS.length)]);
    const abort = new AbortController();
    const plan: Plan = { id, fault, target, words, attempts: 0, records: [], cancel: () => abort.abort() };
    plans.set(id, plan);
    faults[fault] = (faults[fault] ?? 0) + 1;
    const model: ChatModel = spec.model === 'unknown' ? unknown : nova;
    const messages: ChatMessage[] = [{ role: 'user', parts: [{ type: 'text', text: `soak ${id}: answer with your id` }] }];
    const clientTarget: ClientTarget = { auth: AUTHS[target], region: 'us-east-1', endpoint: server.endpoint, idleTimeoutSeconds: options.idleTimeoutSeconds };
    const t0 = Date.now();
    const watchdog = setTimeout(() => {
      violate(`request ${id} (${fault}) still running after ${options.hangAfterMs} ms: a hang`);
      abort.abort();
    }, options.hangAfterMs);
    let out: ChatOutcome;
    try {
      out = await runChat(cache, clientTarget, { model, messages, options: spec.tools ? { tools } : {} }, {
        signal: abort.signal,
        redactor,
        onEvent: (e: ChatEvent) => {
          if (spec.cancelOnText && e.type === 'text') abort.abort();
        },
      });
    } catch (err) {
      violate(`request ${id} (${fault}) threw out of the provider's path: ${(err as Error)?.stack ?? err}`);
      return;
    } finally {
      clearTimeout(watchdog);
    }
    times.push(Date.now() - t0);
    serverSocketsPeak = Math.max(serverSocketsPeak, server.openSockets);
    liveClientsPeak = Math.max(liveClientsPeak, cache.liveClients);
    signals.push(abort.signal);
    logLines += out.log.length;
    const where = `request ${id} (${fault}, ${target})`;

    // What it ended in, against what this fault allows.
    const expect = spec.expect(target);
    const full = answerText(id, words).join('');
    const call = out.events.find((e): e is Extract<ChatEvent, { type: 'toolCall' }> => e.type === 'toolCall');
    if (out.cancelled) {
      cancelled++;
      if (!expect.cancelled) violate(`${where}: cancelled, but nothing cancelled it`);
    } else if (out.shown) {
      errors[out.shown.kind] = (errors[out.shown.kind] ?? 0) + 1;
      for (const p of userFacingProblems(out.shown)) violate(`${where}: the error ${p}`);
      if (!expect.errors?.includes(out.shown.kind)) violate(`${where}: ended in a ${out.shown.kind} error (${out.shown.message}); expected ${JSON.stringify(expect)}`);
    } else if (expect.tool) {
      toolCalls++;
      if (!call || call.callId !== `call-${id}` || (call.input as { ref?: string }).ref !== id) violate(`${where}: cross-talk or a broken tool call: ${JSON.stringify(call)}`);
    } else {
      answers++;
      if (!expect.answer) violate(`${where}: answered, but this fault must fail`);
      if (out.text !== full) violate(`${where}: the answer is not its own or not complete: ${JSON.stringify(out.text)} (expected ${JSON.stringify(full)})`);
    }
    // Words of other requests must never show up, whatever the outcome.
    const foreign = /Answer to (r\d+-[0-9a-z]+)/.exec(out.text);
    if (foreign && foreign[1] !== id) violate(`${where}: shows the answer of ${foreign[1]}`);
    if (!full.startsWith(out.text) && !out.shown && !out.cancelled && !expect.tool) violate(`${where}: text that is not its own: ${JSON.stringify(out.text)}`);
    if (out.shown && out.text && !full.startsWith(out.text)) violate(`${where}: partial text that is not its own: ${JSON.stringify(out.text)}`);

    // Secrets: the raw error may carry one (the server echoed it); nothing a user or the log sees may.
    const raw = out.error ? `${(out.error as Error).message ?? ''}` : '';
    if (CANARIES.some((c) => raw.includes(c))) canaryEchoes++;
    const visible = [...out.log, out.shown?.message ?? ''].join('\n');
    for (const c of CANARIES) {
      if (!visible.includes(c)) continue;
      secretLeaks++;
      violate(`${where}: a secret (${c.slice(0, 10)}…) reached the log or the error shown`);
    }

    // A cancelled or stalled exchange is closed by the client, and the server sees it.
    if (out.cancelled || fault === 'stall') {
      const last = plan.records.at(-1);
      if (last) {
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([last.done, new Promise((r) => (timer = setTimeout(() => r('still open'), 2000)))]);
        clearTimeout(timer);
        if (outcome !== 'client-closed') violate(`${where}: the server saw the exchange end as ${outcome}, not closed by the client`);
      }
    }
    plans.delete(id);
  }

  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, options.requests) }, async () => {
      while (next < options.requests) await one(next++);
    }),
  );
  const elapsedMs = Date.now() - started;

  // Tidy up as the extension does on deactivation, then count what is left.
  const liveClientsAtEnd = cache.liveClients;
  if (liveClientsAtEnd > 1) violate(`${liveClientsAtEnd} clients alive after the last request (one current at most): replaced clients were not destroyed`);
  const pendingExchanges = server.requests.filter((r) => r.outcome === 'pending').length;
  cache.dispose();
  const liveClientsAfterDispose = cache.liveClients;
  if (liveClientsAfterDispose) violate(`${liveClientsAfterDispose} clients alive after dispose`);
  await until(() => server.openSockets === 0 && !server.requests.some((r) => r.outcome === 'pending'), 2000);
  const serverSocketsAfter = server.openSockets;
  if (serverSocketsAfter) violate(`${serverSocketsAfter} sockets still open at the server after the clients were disposed`);
  const stillPending = server.requests.filter((r) => r.outcome === 'pending').length;
  if (stillPending) violate(`${stillPending} exchanges still open at the server (of ${pendingExchanges} open before dispose)`);
  await tick();
  await tick();
  // What the harness itself keeps (the server's record of every request, the signals) is let go before measuring.
  const abortListenersLeft = signals.reduce((n, signal) => n + getEventListeners(signal, 'abort').length, 0);
  signals.length = 0;
  server.requests.length = 0;
  plans.clear();
  if (gc) gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const handlesAfter = handles();
  for (const [type, n] of Object.entries(handlesAfter)) {
    if (n > (handlesBefore[type] ?? 0)) violate(`${n - (handlesBefore[type] ?? 0)} more ${type} handles than before the soak`);
  }
  const processListenersAfter = process.eventNames().reduce((s, e) => s + process.listenerCount(e), 0);
  if (processListenersAfter > processListenersBefore) violate(`${processListenersAfter - processListenersBefore} process listeners added and not removed`);
  if (abortListenersLeft) violate(`${abortListenersLeft} abort listeners left on finished requests' signals`);
  const answered = answers + toolCalls + cancelled + Object.values(errors).reduce((a, b) => a + b, 0);
  if (answered !== options.requests) violate(`${options.requests - answered} requests did not end`);

  await server.close();
  home.cleanup();
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUncaught);
  process.off('warning', onWarning);

  const sorted = [...times].sort((a, b) => a - b);
  return {
    options,
    elapsedMs,
    answers,
    toolCalls,
    cancelled,
    errors,
    faults,
    p50Ms: quantile(sorted, 0.5),
    p95Ms: quantile(sorted, 0.95),
    maxMs: sorted.at(-1) ?? 0,
    handlesBefore,
    handlesAfter,
    serverSocketsPeak,
    serverSocketsAfter,
    liveClientsPeak,
    liveClientsAtEnd,
    liveClientsAfterDispose,
    heapBeforeMb: mb(heapBefore),
    heapAfterMb: mb(heapAfter),
    logLines,
    canaryEchoes,
    secretLeaks,
    processListenersBefore,
    processListenersAfter,
    abortListenersLeft,
    violations,
  };
}

/** The figures as scripts/soak.js prints them. */
export function formatFigures(f: SoakFigures): string {
  const kv = (o: Record<string, number>) =>
    Object.entries(o)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  const errorTotal = Object.values(f.errors).reduce((a, b) => a + b, 0);
  return [
    `Soak: ${f.options.requests} requests, ${f.options.concurrency} at once, seed ${f.options.seed}, idle timeout ${f.options.idleTimeoutSeconds} s, auth method switched every ${f.options.switchEvery} requests (${(f.elapsedMs / 1000).toFixed(1)} s)`,
    `  answers            ${f.answers} complete, each its own; tool calls ${f.toolCalls}`,
    `  errors             ${errorTotal}: ${kv(f.errors)}`,
    `  cancelled          ${f.cancelled}`,
    `  faults sent        ${kv(f.faults)}`,
    `  time per request   p50 ${f.p50Ms} ms, p95 ${f.p95Ms} ms, max ${f.maxMs} ms`,
    `  handles            before: ${kv(f.handlesBefore)}`,
    `                     after:  ${kv(f.handlesAfter)}`,
    `  server sockets     peak ${f.serverSocketsPeak}, open after dispose ${f.serverSocketsAfter}`,
    `  clients            peak alive ${f.liveClientsPeak}, alive at the end ${f.liveClientsAtEnd}, after dispose ${f.liveClientsAfterDispose}`,
    `  listeners          process ${f.processListenersBefore} → ${f.processListenersAfter}; abort listeners left on finished signals ${f.abortListenersLeft}`,
    `  heap               ${f.heapBeforeMb} MB → ${f.heapAfterMb} MB (${f.heapAfterMb - f.heapBeforeMb >= 0 ? '+' : ''}${(f.heapAfterMb - f.heapBeforeMb).toFixed(1)} MB)`,
    `  secrets            ${f.logLines} log lines and ${errorTotal} errors checked; canary echoed in ${f.canaryEchoes} raw errors, leaked ${f.secretLeaks} times`,
    `  violations         ${f.violations.length}`,
    ...f.violations.slice(0, 30).map((v) => `    - ${v}`),
    ...(f.violations.length > 30 ? [`    … and ${f.violations.length - 30} more`] : []),
  ].join('\n');
}
