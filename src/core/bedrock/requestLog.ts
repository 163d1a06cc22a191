import { ConverseSummary } from './converse';
import { UserFacingError } from './errors';
import { ChatModel } from '../models/chatModel';
import { BedrockAuth } from '../auth/types';

/**
 * The lines the log channel gets for each request. They name the model,
 * method, timings and token usage, never a credential; the channel also runs
 * every line through the Redactor in case an error message echoes one.
 */
export const requestLog = {
  start(model: ChatModel, region: string, auth: BedrockAuth, messages: number, estimatedTokens: number, tools: number): string {
    return `Request: ${model.id} in ${region} via ${auth.kind}; ${messages} messages, ~${estimatedTokens} tokens, ${tools} tools`;
  },
  done(model: ChatModel, s: ConverseSummary): string {
    return (
      `Done: ${model.id} stop=${s.stopReason} first=${s.firstEventMs ?? '-'}ms total=${s.totalMs}ms ` +
      `tokens in=${s.inputTokens ?? '?'} out=${s.outputTokens ?? '?'} cacheRead=${s.cacheReadTokens ?? 0} cacheWrite=${s.cacheWriteTokens ?? 0}`
    );
  },
  retried(model: ChatModel, failure: string): string {
    return `Retried: ${model.id} with a new client (fresh credentials) after ${failure}`;
  },
  failed(model: ChatModel, described: UserFacingError, err: unknown): string {
    const detail = err && typeof err === 'object' ? `${(err as Error).name}: ${(err as Error).message}` : String(err);
    return `Failed: ${model.id}: ${described.kind}: ${detail}`;
  },
};
