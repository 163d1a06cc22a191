import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { ChatEvent, ChatMessage, ChatOptions } from '../chat/types';
import { ChatModel } from '../models/chatModel';
import { BuiltRequest, buildConverseRequest } from './request';
import { CancelledError, EmptyRequestError, ModelStopError } from './failures';
import { stopOutcome } from './stopReasons';
import { translateStream } from './stream';

export interface ConverseSummary {
  stopReason?: string;
  /** What a guardrail's trace says it blocked. */
  guardrail?: string;
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /** Time to the first streamed event, ms. */
  firstEventMs?: number;
  totalMs: number;
  /** What the request builder changed or left out (a degraded tool choice, a dropped document); worth logging. */
  notes?: string[];
}

/**
 * Sends one ConverseStream request and hands each translated event to
 * `onEvent` as it arrives. Cancellation goes through `signal`, which aborts
 * the HTTP request itself (the server sees the stream closed); leaving the
 * loop early would not.
 */
export async function converse(
  client: BedrockRuntimeClient,
  model: ChatModel,
  messages: readonly ChatMessage[],
  options: ChatOptions,
  signal: AbortSignal,
  onEvent: (event: ChatEvent) => void,
): Promise<ConverseSummary> {
  return converseBuilt(client, buildConverseRequest(model, messages, options), signal, onEvent);
}

/** The same, for a request already built (built once, even when it is sent twice). */
export async function converseBuilt(
  client: BedrockRuntimeClient,
  built: BuiltRequest,
  signal: AbortSignal,
  onEvent: (event: ChatEvent) => void,
): Promise<ConverseSummary> {
  const started = Date.now();
  const { input, toolNames, notes } = built;
  const summary: ConverseSummary = { totalMs: 0, ...(notes.length ? { notes } : {}) };
  // Bedrock refuses a conversation without a message; say so before sending rather than relay its refusal.
  if (!input.messages?.length) throw new EmptyRequestError();
  try {
    const response = await client.send(new ConverseStreamCommand(input), { abortSignal: signal });
    if (!response.stream) throw new Error('Bedrock returned no response stream.');
    for await (const event of translateStream(response.stream, toolNames)) {
      summary.firstEventMs ??= Date.now() - started;
      if (event.type === 'stop') {
        summary.stopReason = event.reason;
        if (event.guardrail) summary.guardrail = event.guardrail;
      }
      if (event.type === 'usage') {
        summary.inputTokens = event.inputTokens;
        summary.outputTokens = event.outputTokens;
        summary.cacheReadTokens = event.cacheReadTokens;
        summary.cacheWriteTokens = event.cacheWriteTokens;
      }
      onEvent(event);
    }
  } catch (err) {
    // Once aborted, whatever the transport threw ("aborted", a reset) is a cancellation.
    if (signal.aborted) throw new CancelledError();
    throw err;
  }
  summary.totalMs = Date.now() - started;
  const outcome = stopOutcome(summary.stopReason);
  if (outcome.kind === 'failed') throw new ModelStopError(summary.stopReason!, outcome.message, outcome.errorKind);
  return summary;
}
