import { BedrockAuth } from '../auth/types';
import { FixCommand } from '../config/commands';
import { IncompleteStreamError, InvalidToolInputError } from './failures';

export type ErrorKind =
  | 'accessDenied'
  | 'throttled'
  | 'contextTooLong'
  | 'credentials'
  | 'modelNotFound'
  | 'network'
  | 'cancelled'
  | 'validation'
  | 'service'
  | 'unknown';

export interface ErrorContext {
  modelId: string;
  region: string;
  endpoint?: string;
  auth?: BedrockAuth;
  estimatedInputTokens?: number;
  maxInputTokens?: number;
  redact?: (s: string) => string;
}

export interface UserFacingError {
  kind: ErrorKind;
  message: string;
  fix?: FixCommand;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT']);

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
  cause?: unknown;
}

/** Text of any thrown value, never "[object Object]". */
export function errorText(err: unknown): string {
  if (err instanceof Error || (err && typeof err === 'object' && typeof (err as ErrorLike).message === 'string')) {
    return (err as ErrorLike).message || (err as ErrorLike).name || 'Unknown error';
  }
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}

function networkCode(err: ErrorLike): string | undefined {
  for (let e: ErrorLike | undefined = err, depth = 0; e && depth < 4; e = e.cause as ErrorLike, depth++) {
    if (e.code && NETWORK_CODES.has(e.code)) return e.code;
  }
  return undefined;
}

function authHint(auth: BedrockAuth | undefined): { text: string; fix?: FixCommand } {
  switch (auth?.kind) {
    case 'apiKey':
      return { text: 'Check the API key: run "Bedrock: Set Bedrock API Key" with a current key.', fix: 'setApiKey' };
    case 'iamCredentials':
      return { text: 'Check the access key: run "Bedrock: Set IAM Credentials" with current credentials.', fix: 'setIamCredentials' };
    case 'sso':
      return { text: `Sign in again: run \`aws sso login --profile ${auth.profile}\`.` };
    case 'profile':
      return { text: `Refresh the credentials of AWS profile "${auth.profile}" (for an SSO profile: \`aws sso login --profile ${auth.profile}\`).`, fix: 'selectProfile' };
    default:
      return { text: 'Configure AWS credentials (a profile, `aws sso login`, or environment variables), or run "Bedrock: Select Authentication Method".', fix: 'selectAuthMethod' };
  }
}

/** Pulls "N tokens > M maximum"-style numbers out of a Bedrock validation message. */
function tokenNumbers(message: string): { used?: number; limit?: number } {
  const nums = (message.match(/\d[\d,]*/g) ?? []).map((n) => Number(n.replace(/,/g, ''))).filter((n) => n > 100);
  if (nums.length >= 2) return { used: nums[0], limit: nums[1] };
  return {};
}

/**
 * Turns anything the SDK, the network or the stream can throw into one short
 * message that says what happened and what to do next.
 */
export function describeError(err: unknown, ctx: ErrorContext): UserFacingError {
  const redact = ctx.redact ?? ((s: string) => s);
  const e = (err && typeof err === 'object' ? err : {}) as ErrorLike;
  const name = e.name ?? '';
  const raw = errorText(err);
  const aws = redact(raw).replace(/\s+/g, ' ').trim();
  const model = ctx.modelId;
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;

  const result = (kind: ErrorKind, message: string, fix?: FixCommand): UserFacingError => ({ kind, message: redact(message), ...(fix ? { fix } : {}) });

  if (name === 'AbortError' || name === 'CancellationError') return result('cancelled', 'The request was cancelled.');
  if (err instanceof IncompleteStreamError || err instanceof InvalidToolInputError) return result('service', raw);

  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    const hint = authHint(ctx.auth);
    if (/aws sso login|sso session|token is expired|sso.*expired/i.test(raw)) {
      const profile = ctx.auth && 'profile' in ctx.auth ? ctx.auth.profile : undefined;
      return result('credentials', `Your AWS SSO session has expired or you are not signed in. Run \`aws sso login${profile ? ` --profile ${profile}` : ''}\`, then retry.`);
    }
    if (/profile .* (could not be found|not found)|could not resolve credentials using profile/i.test(raw)) {
      return result('credentials', `${aws} Run "Bedrock: Select AWS Profile" to pick one from your AWS config.`, 'selectProfile');
    }
    return result('credentials', `No usable AWS credentials: ${aws} ${hint.text}`, hint.fix ?? 'selectAuthMethod');
  }

  switch (name) {
    case 'AccessDeniedException': {
      if (/don.t have access to the model|access to the model with the specified model id/i.test(raw)) {
        return result('accessDenied', `Access to ${model} is not enabled in ${ctx.region}. Enable it under Model access in the Amazon Bedrock console (or ask your AWS administrator), then retry.`);
      }
      if (/not authorized to perform/i.test(raw)) {
        return result('accessDenied', `Access denied: your AWS identity is missing an IAM permission for ${model} in ${ctx.region}. Ask your administrator to allow bedrock:InvokeModelWithResponseStream. (${aws})`);
      }
      return result('accessDenied', `Access denied to ${model} in ${ctx.region}: ${aws} Check that model access is enabled and your IAM policy allows bedrock:InvokeModelWithResponseStream.`);
    }
    case 'ThrottlingException':
    case 'ServiceQuotaExceededException':
    case 'TooManyRequestsException':
      return result('throttled', `Bedrock is throttling requests to ${model} (still throttled after retries). Wait a minute and retry, use a cross-region inference profile, or ask for a higher quota. (${aws})`);
    case 'ValidationException': {
      if (/too long|too many (input )?tokens|exceed.*(context|maximum|limit)|context (length|window)|max_tokens/i.test(raw)) {
        const { used, limit } = tokenNumbers(raw);
        const usedTokens = used ?? ctx.estimatedInputTokens;
        const limitTokens = limit ?? ctx.maxInputTokens;
        const numbers = usedTokens && limitTokens ? ` (about ${usedTokens.toLocaleString('en-US')} tokens; ${model} accepts ${limitTokens.toLocaleString('en-US')})` : '';
        return result('contextTooLong', `The conversation is too long for this model${numbers}. Start a new chat, remove attached files, or pick a model with a larger context window.`);
      }
      if (/model identifier is invalid|model id.*(invalid|not found)|unknown model/i.test(raw)) {
        return result('modelNotFound', `Bedrock does not know the model ${model} in ${ctx.region}. Pick another model, or another region with "Bedrock: Select Region".`);
      }
      if (/on-demand throughput isn.t supported|inference profile/i.test(raw)) {
        return result('modelNotFound', `${model} cannot be called directly in ${ctx.region}; it needs a cross-region inference profile (an id such as us.${model}). Pick the profile model, or add it under bedrockChat.models.custom.`);
      }
      return result('validation', `Bedrock rejected the request to ${model}: ${aws}`);
    }
    case 'ResourceNotFoundException':
      return result('modelNotFound', `The model ${model} is not available in ${ctx.region}. Pick another model, or another region with "Bedrock: Select Region". (${aws})`);
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'IncompleteSignatureException':
    case 'InvalidClientTokenId':
    case 'SignatureDoesNotMatch': {
      const hint = authHint(ctx.auth);
      return result('credentials', `Bedrock rejected the credentials (${name}). ${hint.text}`, hint.fix);
    }
    case 'ExpiredTokenException':
    case 'ExpiredToken':
    case 'RequestExpired': {
      const hint = authHint(ctx.auth);
      const what = ctx.auth?.kind === 'apiKey' ? 'Your Bedrock API key has expired' : 'Your AWS credentials have expired';
      return result('credentials', `${what}. ${hint.text}`, hint.fix);
    }
    case 'ModelStreamErrorException':
    case 'ModelErrorException':
    case 'ModelTimeoutException':
    case 'ModelNotReadyException':
    case 'InternalServerException':
    case 'ServiceUnavailableException':
      return result('service', `Bedrock failed while answering with ${model} (${name}): ${aws} Please retry.`);
    case 'TimeoutError':
      return result('network', `No data from Bedrock for too long while answering with ${model}; the request was abandoned. Retry, or raise bedrockChat.idleTimeoutSeconds.`);
  }

  const code = networkCode(e) ?? (raw === 'aborted' ? 'aborted' : undefined);
  const where = ctx.endpoint ?? `bedrock-runtime.${ctx.region}.amazonaws.com`;
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED' || code === 'aborted') {
    return result('network', `The connection to Bedrock at ${where} was interrupted (${code}) before the answer was complete. Retry; if it keeps happening, check your network or proxy.`);
  }
  if (code) {
    return result('network', `Cannot reach Bedrock at ${where} (${code}). Check your network or proxy${ctx.endpoint ? ', and the bedrockChat.endpoint setting' : ''}.`);
  }
  if (status === 403) {
    const hint = authHint(ctx.auth);
    return result('accessDenied', `Bedrock answered 403 Forbidden for ${model}: ${aws} ${hint.text}`, hint.fix);
  }
  if (status === 401) {
    const hint = authHint(ctx.auth);
    return result('credentials', `Bedrock answered 401 Unauthorized. ${hint.text}`, hint.fix);
  }
  return result('unknown', `Bedrock request to ${model} failed: ${name && name !== 'Error' ? `${name}: ` : ''}${aws}`);
}
