/**
 * A mark on errors thrown while getting credentials (STS, the IAM Identity
 * Center portal, a credential process), set in clientAuth.ts and read by
 * errors.ts. Its own module so that describing an error never loads the AWS
 * SDK's credential providers; `Symbol.for` so the mark reads the same in both
 * bundles (dist/extension.js and the lazily loaded dist/sdk.js).
 */
const CREDENTIAL_STEP = Symbol.for('bedrock-chat.credentialStep');

/** Marks `err` as thrown while getting credentials, before anything went to Bedrock. */
export function markCredentialStep(err: unknown): void {
  if (err && typeof err === 'object' && !Object.isFrozen(err)) Object.defineProperty(err, CREDENTIAL_STEP, { value: true, configurable: true });
}

/** Whether `err` was thrown while getting credentials, before anything went to Bedrock. */
export function fromCredentialStep(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as Record<symbol, unknown>)[CREDENTIAL_STEP] === true;
}
