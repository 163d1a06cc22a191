/**
 * Script types and builders for the local Bedrock server: what a scripted
 * response looks like, plus small helpers to build common event sequences.
 */
import type { StreamEvent } from './eventStream';
import type { RecordedInteraction } from './recordings';

export type { StreamEvent } from './eventStream';

/** Wait `ms` before the next step. */
export interface DelayStep { kind: 'delay'; ms: number }
/** Stop sending but keep the connection open (until the client closes it or the server is closed). */
export interface HangStep { kind: 'hang' }
/** Destroy the socket abruptly (no terminating chunk). */
export interface DropStep { kind: 'drop' }
/** Send a `:message-type=exception` frame (e.g. `throttlingException`), then end the stream. */
export interface ExceptionStep { kind: 'exception'; exceptionType: string; message: string; extra?: Record<string, unknown> }
/** Send these bytes as-is (e.g. a corrupt frame). */
export interface RawBytesStep { kind: 'raw'; bytes: Uint8Array }

export type ControlStep = DelayStep | HangStep | DropStep | ExceptionStep | RawBytesStep;
/** A stream step: a plain event object (`{ contentBlockDelta: {...} }`) or a control step (has `kind`). */
export type StreamStep = StreamEvent | ControlStep;

export interface StreamOptions {
  events: StreamStep[];
  /** delay before every event after the first (ms) */
  delayMs?: number;
  /** after this many frames: keep the connection open without sending anything more */
  hangAfter?: number;
  /** after this many frames: destroy the socket */
  dropAfter?: number;
  /** extra response headers */
  headers?: Record<string, string>;
}

/** An HTTP error with a JSON body `{message}` and `x-amzn-ErrorType`, as Bedrock sends them. */
export interface HttpErrorSpec {
  status: number;
  /** error name, e.g. `AccessDeniedException`; may carry Bedrock's suffix `Foo:http://internal.amazon.com/...` */
  type: string;
  message?: string;
  /** where to put the type: header `x-amzn-ErrorType` (default), body `__type`, or both */
  typeIn?: 'header' | 'body' | 'both';
  /** extra JSON body fields */
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
}
export interface HttpErrorScript { httpError: HttpErrorSpec }

/** Raw response: exact status, headers and bytes. */
export interface RawScript {
  raw: {
    status: number;
    headers?: Record<string, string>;
    body: Uint8Array | string;
    /** split the body into these chunk sizes/frames with a delay between them */
    chunkDelayMs?: number;
  };
}

/** Serve a recorded interaction (status/headers/bytes). `errorType` adds `x-amzn-ErrorType` (recordings lack it). */
export interface ReplayScript { replay: RecordedInteraction; errorType?: string; frameDelayMs?: number }

/** JSON success response. */
export interface JsonScript { json: unknown; status?: number; headers?: Record<string, string> }

/** Never answer: no status line, no headers; the request stays open until the client closes it (or the server is closed). */
export interface NoResponseScript { noResponse: true }
/** Close the connection at once, before any status line (a reset before the headers). */
export interface DestroyConnectionScript { destroyConnection: true }
/** Either of the two above. */
export type ConnectionScript = NoResponseScript | DestroyConnectionScript;

export type StreamScript = StreamStep[] | StreamOptions | HttpErrorScript | RawScript | ReplayScript | ConnectionScript;
export type ResponseScript = JsonScript | HttpErrorScript | RawScript | ReplayScript | ConnectionScript;
/** Anything a handler may return. */
export type AnyScript = StreamScript | ResponseScript;

// ---- builders ------------------------------------------------------------------------------

export const delay = (ms: number): DelayStep => ({ kind: 'delay', ms });
export const hang = (): HangStep => ({ kind: 'hang' });
export const drop = (): DropStep => ({ kind: 'drop' });
export const exceptionEvent = (exceptionType: string, message = exceptionType, extra?: Record<string, unknown>): ExceptionStep => ({
  kind: 'exception',
  exceptionType,
  message,
  extra,
});
export const noResponse = (): NoResponseScript => ({ noResponse: true });
export const destroyConnection = (): DestroyConnectionScript => ({ destroyConnection: true });
export const httpError = (status: number, type: string, message = `${type} from the local Bedrock server`, extra: Partial<HttpErrorSpec> = {}): HttpErrorScript => ({
  httpError: { status, type, message, ...extra },
});

export interface TextEventsOptions {
  contentBlockIndex?: number;
  stopReason?: string;
  usage?: { inputTokens: number; outputTokens: number; totalTokens?: number };
  latencyMs?: number;
  /** leave out messageStart (e.g. when appending to another block) */
  omitMessageStart?: boolean;
  /** leave out messageStop (stream "ends without messageStop") */
  omitMessageStop?: boolean;
  omitMetadata?: boolean;
}

/** A full text answer: messageStart, one contentBlockDelta per chunk, contentBlockStop, messageStop, metadata. */
export function textEvents(chunks: string | string[], opts: TextEventsOptions = {}): StreamEvent[] {
  const parts = typeof chunks === 'string' ? splitWords(chunks) : chunks;
  const idx = opts.contentBlockIndex ?? 0;
  const out: StreamEvent[] = [];
  if (!opts.omitMessageStart) out.push({ messageStart: { role: 'assistant' } });
  for (const text of parts) out.push({ contentBlockDelta: { contentBlockIndex: idx, delta: { text } } });
  out.push({ contentBlockStop: { contentBlockIndex: idx } });
  if (!opts.omitMessageStop) out.push({ messageStop: { stopReason: opts.stopReason ?? 'end_turn' } });
  if (!opts.omitMetadata) out.push(metadataEvent(opts.usage, opts.latencyMs));
  return out;
}

/** contentBlockStart(toolUse) + input deltas + contentBlockStop for one tool call. */
export function toolUseEvents(contentBlockIndex: number, tool: { toolUseId: string; name: string; inputChunks: string[] }): StreamEvent[] {
  return [
    { contentBlockStart: { contentBlockIndex, start: { toolUse: { toolUseId: tool.toolUseId, name: tool.name } } } },
    ...tool.inputChunks.map((input) => ({ contentBlockDelta: { contentBlockIndex, delta: { toolUse: { input } } } })),
    { contentBlockStop: { contentBlockIndex } },
  ];
}

/** reasoningContent deltas (text chunks then an optional signature) + contentBlockStop. */
export function reasoningEvents(contentBlockIndex: number, chunks: string[], signature?: string): StreamEvent[] {
  return [
    ...chunks.map((text) => ({ contentBlockDelta: { contentBlockIndex, delta: { reasoningContent: { text } } } })),
    ...(signature ? [{ contentBlockDelta: { contentBlockIndex, delta: { reasoningContent: { signature } } } }] : []),
    { contentBlockStop: { contentBlockIndex } },
  ];
}

export function metadataEvent(usage?: { inputTokens: number; outputTokens: number; totalTokens?: number }, latencyMs = 5): StreamEvent {
  const u = usage ?? { inputTokens: 10, outputTokens: 8 };
  return {
    metadata: {
      usage: { inputTokens: u.inputTokens, outputTokens: u.outputTokens, totalTokens: u.totalTokens ?? u.inputTokens + u.outputTokens },
      metrics: { latencyMs },
    },
  };
}

export const DEFAULT_REPLY = 'Hello from the local Bedrock server.';

function splitWords(text: string): string[] {
  const parts = text.match(/\S+\s*|\s+/g) ?? [text];
  return parts.length ? parts : [''];
}

export function isControlStep(step: StreamStep): step is ControlStep {
  const k = (step as { kind?: unknown }).kind;
  return typeof k === 'string' && ['delay', 'hang', 'drop', 'exception', 'raw'].includes(k) && Object.keys(step).length <= 4;
}
