/**
 * What a Converse stop reason means for the answer already streamed. Bedrock
 * ends every response with one; most mean "finished", some mean the answer is
 * cut short (say so under it), and some mean the request failed and the
 * user has to do something (raise an error, so the log says Failed, not Done).
 */
export type StopOutcome =
  | { kind: 'complete' }
  /** The answer stands but is incomplete or altered: append this note to it. */
  | { kind: 'note'; note: string }
  /** The answer is unusable: fail the request with this message. */
  | { kind: 'failed'; message: string; errorKind: 'service' | 'contextTooLong' };

export function stopOutcome(reason: string | undefined, guardrail?: string): StopOutcome {
  switch (reason) {
    case undefined:
    case 'end_turn':
    case 'tool_use':
    case 'stop_sequence':
      return { kind: 'complete' };
    case 'max_tokens':
      return { kind: 'note', note: '\n\n[The answer was cut off: the model reached its maximum output length.]' };
    case 'guardrail_intervened':
      // What streamed is the guardrail's blocked message (or the answer up to where it stopped); with a trace, say which policy.
      return { kind: 'note', note: `\n\n[Amazon Bedrock Guardrails blocked this response${guardrail ? `: ${guardrail}` : ''}.]` };
    case 'content_filtered':
      return { kind: 'note', note: "\n\n[The response was stopped by the model provider's content filter.]" };
    case 'malformed_tool_use':
      return {
        kind: 'failed',
        errorKind: 'service',
        message: 'The model tried to call a tool but produced a malformed tool call (stop reason malformed_tool_use), so the call was dropped. Please retry; if it keeps happening, try another model or fewer tools.',
      };
    case 'malformed_model_output':
      return {
        kind: 'failed',
        errorKind: 'service',
        message: 'The model produced output Bedrock could not read (stop reason malformed_model_output), so the answer is incomplete. Please retry, or pick another model.',
      };
    case 'model_context_window_exceeded':
      return {
        kind: 'failed',
        errorKind: 'contextTooLong',
        message: "The answer was cut off because the conversation filled the model's context window (stop reason model_context_window_exceeded). Start a new chat, remove attached files, or pick a model with a larger context window.",
      };
    default:
      // A reason newer than this code: the answer arrived, so keep it but say how it ended.
      return { kind: 'note', note: `\n\n[The model stopped with reason "${reason}".]` };
  }
}
