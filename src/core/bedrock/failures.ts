/**
 * What a request can fail with on our side of the wire (the SDK's own
 * exceptions cover the rest). `describeError` turns each into a message.
 */

/** The stream ended before Bedrock said it was done: the answer is incomplete. */
export class IncompleteStreamError extends Error {
  override readonly name = 'IncompleteStreamError';
  constructor() {
    super('The response stream from Bedrock ended before the model finished (no messageStop). The answer is incomplete; please retry.');
  }
}

/** Nothing in the request has content Bedrock can take (no messages, or only blank ones): nothing was sent. */
export class EmptyRequestError extends Error {
  override readonly name = 'EmptyRequestError';
  constructor() {
    super('There is nothing to send: the conversation has no message with text, images or files in it. Type a message and send it again.');
  }
}

/** The model produced tool input that is not JSON. */
export class InvalidToolInputError extends Error {
  override readonly name = 'InvalidToolInputError';
  constructor(toolName: string, detail: string) {
    super(`The model called tool "${toolName}" with input that is not valid JSON (${detail}). Please retry.`);
  }
}

/** The user (or VS Code) cancelled the request; named like the platform's AbortError. */
export class CancelledError extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('The request was cancelled.');
  }
}

/** Bedrock finished the stream, but its stop reason says the answer is unusable (see stopReasons.ts). */
export class ModelStopError extends Error {
  override readonly name = 'ModelStopError';
  constructor(
    readonly stopReason: string,
    message: string,
    /** How describeError classifies it. */
    readonly kind: 'service' | 'contextTooLong',
  ) {
    super(message);
  }
}
