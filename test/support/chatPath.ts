/**
 * One chat request down the path src/vscode/provider.ts takes, without VS
 * Code: the request log's start line, sendChat through a ClientCache (the
 * real AWS SDK client; renewal and retry included), the done/retried lines,
 * and on failure describeError with the context the provider gives it, the
 * redacted failure line and the message the user would see. A cancelled
 * request ends quietly, as in the provider. Used by the fault suite and the soak.
 */
import { Redactor } from '../../src/core/auth/redact';
import { ClientCache, ClientTarget } from '../../src/core/bedrock/client';
import { describeError, UserFacingError } from '../../src/core/bedrock/errors';
import { requestLog } from '../../src/core/bedrock/requestLog';
import { sendChat, SendSummary } from '../../src/core/bedrock/send';
import { estimateRequestTokens, tokenFamily } from '../../src/core/chat/tokens';
import { ChatEvent, ChatMessage, ChatOptions } from '../../src/core/chat/types';
import { ChatModel } from '../../src/core/models/chatModel';

export interface ChatOutcome {
  /** the answer's text deltas, joined */
  text: string;
  events: ChatEvent[];
  summary?: SendSummary;
  /** what sendChat threw */
  error?: unknown;
  /** what the user is shown (undefined: answered, or cancelled) */
  shown?: UserFacingError;
  cancelled: boolean;
  /** the log channel's lines for this request, as the provider writes them */
  log: string[];
  notes: string[];
}

export interface ChatPathOptions {
  signal?: AbortSignal;
  redactor?: Redactor;
  /** sees each event as it streams (e.g. to cancel after the first text) */
  onEvent?: (event: ChatEvent) => void;
}

export async function runChat(
  cache: ClientCache,
  target: ClientTarget,
  request: { model: ChatModel; messages: readonly ChatMessage[]; options?: ChatOptions },
  opts: ChatPathOptions = {},
): Promise<ChatOutcome> {
  const { model, messages } = request;
  const options = request.options ?? {};
  const redactor = opts.redactor ?? new Redactor();
  const signal = opts.signal ?? new AbortController().signal;
  const estimatedInputTokens = estimateRequestTokens(tokenFamily(model.id, model.family), messages, options.tools, { toolMode: options.toolMode });
  const out: ChatOutcome = { text: '', events: [], cancelled: false, log: [], notes: [] };
  // The log channel runs every line through the redactor too (src/vscode/log.ts).
  const log = (line: string) => out.log.push(redactor.redact(line));
  log(requestLog.start(model, target.region, target.auth, messages.length, estimatedInputTokens, options.tools?.length ?? 0));
  try {
    out.summary = await sendChat(cache, target, { model, messages, options }, signal, {
      onEvent: (e) => {
        out.events.push(e);
        if (e.type === 'text') out.text += e.text;
        opts.onEvent?.(e);
      },
      onNote: (note) => {
        out.notes.push(note);
        log(requestLog.note(model, note));
      },
      onShape: (shape) => log(requestLog.shape(model, shape)),
    });
    if (out.summary.retriedAfter) log(requestLog.retried(model, out.summary.retriedAfter));
    log(requestLog.done(model, out.summary));
  } catch (err) {
    out.error = err;
    if (signal.aborted) {
      out.cancelled = true;
      log(`Cancelled: ${model.id}`);
      return out;
    }
    const redact = (s: string) => redactor.redact(s);
    out.shown = describeError(err, {
      modelId: model.id,
      region: target.region,
      endpoint: target.endpoint,
      auth: target.auth,
      estimatedInputTokens,
      maxInputTokens: model.maxInputTokens,
      redact,
    });
    log(requestLog.failed(model, out.shown, err, redact));
  }
  return out;
}
