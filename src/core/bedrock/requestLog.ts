import { ConverseSummary } from './converse';
import { UserFacingError } from './errors';
import { ChatModel } from '../models/chatModel';
import { BedrockAuth } from '../auth/types';

/**
 * The lines the log channel gets for each request. They name the model,
 * method, timings and token usage, never a credential; error details are
 * redacted here, and the channel runs every line through the Redactor again.
 */
export const requestLog = {
  /** `estimatedTokens` when known up front (the provider works it out only for a failure, see `failed`). */
  start(model: ChatModel, region: string, auth: BedrockAuth, messages: number, estimatedTokens: number | undefined, tools: number): string {
    return `Request: ${model.id} in ${region} via ${auth.kind}; ${messages} messages,${estimatedTokens !== undefined ? ` ~${estimatedTokens} tokens,` : ''} ${tools} tools`;
  },
  done(model: ChatModel, s: ConverseSummary): string {
    return (
      `Done: ${model.id} stop=${s.stopReason} first=${s.firstEventMs ?? '-'}ms total=${s.totalMs}ms ` +
      `tokens in=${s.inputTokens ?? '?'} out=${s.outputTokens ?? '?'} cacheRead=${s.cacheReadTokens ?? 0} cacheWrite=${s.cacheWriteTokens ?? 0}` +
      (s.guardrail ? ` guardrail: ${s.guardrail}` : '')
    );
  },
  shape(model: ChatModel, shape: string): string {
    return `Sending: ${model.id} ${shape}`;
  },
  note(model: ChatModel, note: string): string {
    return `Note: ${model.id}: ${note}`;
  },
  retried(model: ChatModel, failure: string): string {
    return `Retried: ${model.id} with a new client (fresh credentials) after ${failure}`;
  },
  /** The raw error may echo a header or a key back, so the line is redacted here, not only by the channel. */
  failed(model: ChatModel, described: UserFacingError, err: unknown, redact: (s: string) => string, estimatedTokens?: number): string {
    const detail = err && typeof err === 'object' ? `${(err as Error).name}: ${(err as Error).message}` : String(err);
    return redact(`Failed: ${model.id}: ${described.kind}: ${detail}${estimatedTokens !== undefined ? ` (request ~${estimatedTokens} tokens by estimate)` : ''}`);
  },
};
