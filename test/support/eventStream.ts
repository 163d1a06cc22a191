/**
 * Encoding/decoding of `application/vnd.amazon.eventstream` frames for the
 * local Bedrock server, using the same codec the AWS SDK uses.
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import type { Message, MessageHeaders } from '@smithy/eventstream-codec';

export const toUtf8 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
export const fromUtf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** A ConverseStream event as the SDK models it: exactly one key, e.g. `{ messageStart: { role: 'assistant' } }`. */
export type StreamEvent = Record<string, unknown>;

function stringHeaders(h: Record<string, string>): MessageHeaders {
  const out: MessageHeaders = {};
  for (const [k, v] of Object.entries(h)) out[k] = { type: 'string', value: v };
  return out;
}

/** Encode one `:message-type=event` frame. `event` must have exactly one key (the event type). */
export function encodeEvent(event: StreamEvent): Uint8Array {
  const keys = Object.keys(event);
  if (keys.length !== 1) {
    throw new Error(`stream event must have exactly one key (the event type), got ${JSON.stringify(keys)}`);
  }
  const eventType = keys[0];
  return encodeFrame(
    { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    fromUtf8(JSON.stringify(event[eventType] ?? {})),
  );
}

/**
 * Encode one `:message-type=exception` frame. `exceptionType` is the union member name
 * as Bedrock sends it (lower camel case), e.g. `throttlingException`,
 * `modelStreamErrorException`, `validationException`, `internalServerException`,
 * `serviceUnavailableException`.
 */
export function encodeException(exceptionType: string, message: string, extra: Record<string, unknown> = {}): Uint8Array {
  return encodeFrame(
    { ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' },
    fromUtf8(JSON.stringify({ message, ...extra })),
  );
}

/** Encode an arbitrary frame with string headers. */
export function encodeFrame(headers: Record<string, string>, body: Uint8Array): Uint8Array {
  return codec.encode({ headers: stringHeaders(headers), body });
}

export interface DecodedFrame {
  /** all headers, as plain values */
  headers: Record<string, unknown>;
  messageType: string | undefined;
  /** `:event-type` (events) */
  eventType: string | undefined;
  /** `:exception-type` (exceptions) or `:error-code` (errors) */
  exceptionType: string | undefined;
  /** body parsed as JSON when possible, else the text */
  payload: unknown;
  raw: Message;
}

/** Split a byte buffer holding whole concatenated frames and decode each (throws on a bad CRC / truncation). */
export function decodeFrames(bytes: Uint8Array): DecodedFrame[] {
  const out: DecodedFrame[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset < bytes.byteLength) {
    if (bytes.byteLength - offset < 12) throw new Error(`truncated event stream frame at offset ${offset}`);
    const total = view.getUint32(offset, false);
    if (total < 16 || offset + total > bytes.byteLength) {
      throw new Error(`bad event stream frame length ${total} at offset ${offset}`);
    }
    const msg = codec.decode(bytes.subarray(offset, offset + total));
    offset += total;
    const headers: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(msg.headers)) headers[k] = v.value;
    const text = toUtf8(msg.body);
    let payload: unknown = text;
    try {
      payload = text.length ? JSON.parse(text) : undefined;
    } catch {
      /* keep text */
    }
    out.push({
      headers,
      messageType: headers[':message-type'] as string | undefined,
      eventType: headers[':event-type'] as string | undefined,
      exceptionType: (headers[':exception-type'] ?? headers[':error-code']) as string | undefined,
      payload,
      raw: msg,
    });
  }
  return out;
}

/** Decode frames back into SDK-shaped event objects (`{ [eventType]: payload }`); exceptions become `{ exception: {type, payload} }`. */
export function decodeEvents(bytes: Uint8Array): StreamEvent[] {
  return decodeFrames(bytes).map((f) =>
    f.messageType === 'event'
      ? { [f.eventType ?? '?']: f.payload }
      : { [f.messageType ?? 'unknown']: { type: f.exceptionType, payload: f.payload } },
  );
}
