import { ChatEvent, ChatMessage, ChatOptions } from '../chat/types';
import { ChatModel } from '../models/chatModel';
import { ClientCache, ClientTarget } from './client';
import { converseBuilt, ConverseSummary } from './converse';
import { describeError } from './errors';
import { BuiltRequest, buildConverseRequest } from './request';

export interface SendSummary extends ConverseSummary {
  /** Set when the first attempt failed on credentials and a rebuilt client answered: what that failure was. */
  retriedAfter?: string;
}

/**
 * One chat request through the cached client for `target`.
 *
 * A credential or access-denied failure before anything was streamed renews
 * the client and retries once: the SDK keeps credentials without an expiry
 * for a client's whole life, so keys rotated in ~/.aws/credentials (or a
 * role's refreshed session) are only read by a new client. Once anything has
 * reached the user, a retry would repeat it, so the error stands.
 */
export interface ChatRequest {
  model: ChatModel;
  messages: readonly ChatMessage[];
  options: ChatOptions;
}

export interface ChatHandlers {
  onEvent(event: ChatEvent): void;
  /** What request building changed or left out (a tool choice the model lacks, a file it cannot take), before sending. */
  onNote?(note: string): void;
  /** The request's thinking, context, cache points and guardrail, before sending. */
  onShape?(shape: string): void;
}

export async function sendChat(clients: ClientCache, target: ClientTarget, request: ChatRequest, signal: AbortSignal, handlers: ChatHandlers): Promise<SendSummary> {
  const built = buildConverseRequest(request.model, request.messages, request.options);
  handlers.onShape?.(built.shape);
  for (const note of built.notes) handlers.onNote?.(note);
  let streamed = false;
  const forward = (e: ChatEvent) => {
    streamed = true;
    handlers.onEvent(e);
  };
  try {
    const summary = await attempt(clients, target, built, signal, forward);
    clients.succeeded();
    return summary;
  } catch (err) {
    // Stored keys and API keys are part of the target itself: a new client would send the same ones.
    const rereadable = target.auth.kind === 'automatic' || target.auth.kind === 'profile' || target.auth.kind === 'sso';
    if (streamed || signal.aborted || !rereadable) throw err;
    const kind = describeError(err, { modelId: request.model.id, region: target.region, auth: target.auth }).kind;
    if ((kind !== 'credentials' && kind !== 'accessDenied') || !clients.renewAfterFailure()) throw err;
    const summary: SendSummary = await attempt(clients, target, built, signal, forward);
    clients.succeeded();
    summary.retriedAfter = `${(err as Error)?.name ?? 'Error'}`;
    return summary;
  }
}

async function attempt(clients: ClientCache, target: ClientTarget, built: BuiltRequest, signal: AbortSignal, onEvent: (event: ChatEvent) => void): Promise<ConverseSummary> {
  const lease = clients.acquire(target);
  try {
    return await converseBuilt(lease.client, built, signal, onEvent);
  } finally {
    lease.release();
  }
}
