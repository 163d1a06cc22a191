import { MFA_REFUSED } from '../auth/mfa';
import { apiKeyInfo, apiKeyWarnings } from '../auth/apiKeyInfo';
import { fromCredentialStep } from '../auth/credentialStep';
import { looksLikeAccessKeyId, looksLikeApiKey } from '../auth/keyShapes';
import { BedrockAuth } from '../auth/types';
import { COMMANDS, FixCommand } from '../config/commands';
import { baseModelId, geographiesFor } from '../models/geography';
import { describeProxyFailure } from './proxyError';

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
  /** A shell command that fixes it, offered as "Run in Terminal" (e.g. `aws login --profile dev`, which VS Code cannot do for the user). */
  terminalCommand?: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
/** Node's codes for a certificate chain it cannot trust (a TLS-inspecting proxy, a company CA). */
const TLS_UNTRUSTED_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);
const TLS_DATE_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/** Names that say nothing: the SDK's placeholders when Bedrock (or a proxy) sent no error type. */
const NAMELESS = new Set(['', 'Error', 'Unknown', 'UnknownError', 'SyntaxError', 'TypeError']);
/** The exception Bedrock means by an HTTP status when the response carried no error type. */
const STATUS_TYPES: Record<number, string> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

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

/** The first network or TLS error code on the error or its causes. */
function connectionCode(err: ErrorLike): string | undefined {
  for (let e: ErrorLike | undefined = err, depth = 0; e && depth < 4; e = e.cause as ErrorLike, depth++) {
    if (e.code && (NETWORK_CODES.has(e.code) || TLS_UNTRUSTED_CODES.has(e.code) || TLS_DATE_CODES.has(e.code))) return e.code;
  }
  return undefined;
}

/** A network code named only in the text of an error that wrapped the original (credential providers do). */
function connectionCodeInText(raw: string): string | undefined {
  return /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH)\b/.exec(raw)?.[1];
}

/** Where a connection failed, as Node names it: the host that did not resolve, or the address that refused. */
function failedAddress(err: ErrorLike & { hostname?: string; address?: string; port?: number }, raw: string): string | undefined {
  for (let e: typeof err | undefined = err, depth = 0; e && depth < 4; e = e.cause as typeof err, depth++) {
    if (e.hostname) return e.hostname;
    if (e.address) return e.port ? `${e.address}:${e.port}` : e.address;
  }
  return /\b(?:ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH) ([\w.:[\]-]+)/.exec(raw)?.[1];
}

/** Ends a text taken from elsewhere as a sentence, without doubling its full stop. */
const sentence = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`);

interface Hint {
  text: string;
  fix?: FixCommand;
  terminalCommand?: string;
}

/** A profile name as one shell word. */
function shellWord(s: string): string {
  return /^[\w.@%+=:,/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function ssoLogin(profile: string | undefined): string {
  return `aws sso login${profile ? ` --profile ${shellWord(profile)}` : ''}`;
}

const SIGN_IN = `"Bedrock: ${COMMANDS.signIn.title}"`;

/** An IAM Identity Center session that is over: Sign In does it inside VS Code (the CLI's command still works). */
function ssoSignInMessage(profile: string | undefined, what = 'has expired or you are not signed in'): string {
  return `Your IAM Identity Center (SSO) session${profile ? ` for AWS profile "${profile}"` : ''} ${what}. Run ${SIGN_IN} (or \`${ssoLogin(profile)}\` in a terminal), then retry.`;
}

/**
 * The error for an SSO session found missing or expired before sending (see
 * core/auth/ssoSession.ts): nothing reached Bedrock, and Sign In fixes it.
 */
export function ssoSessionError(profile: string, state: 'missing' | 'expired'): UserFacingError {
  return { kind: 'credentials', message: ssoSignInMessage(profile, state === 'missing' ? 'has not been signed in on this computer' : 'has expired'), fix: 'signIn' };
}

function authHint(auth: BedrockAuth | undefined): Hint {
  switch (auth?.kind) {
    case 'apiKey':
      return { text: 'Check the API key: run "Bedrock: Set Bedrock API Key" with a current key.', fix: 'setApiKey' };
    case 'iamCredentials':
      return { text: 'Check the access key: run "Bedrock: Set IAM Credentials" with current credentials.', fix: 'setIamCredentials' };
    case 'sso':
      return { text: `Sign in again: run ${SIGN_IN}.`, fix: 'signIn' };
    case 'profile':
      return { text: `Refresh the credentials of AWS profile "${auth.profile}" (for an SSO profile: ${SIGN_IN}).`, fix: 'selectProfile' };
    default:
      return { text: 'Configure AWS credentials (a profile, `aws sso login`, or environment variables), or run "Bedrock: Select Authentication Method".', fix: 'selectAuthMethod' };
  }
}

const n = (v: string | number) => Number(String(v).replace(/,/g, '')).toLocaleString('en-US');

/** A model id for the same model through a cross-region inference profile of `region`, if one differs from `modelId`. */
function profileIdFor(modelId: string, region: string): string | undefined {
  if (modelId.startsWith('arn:')) return undefined;
  const base = baseModelId(modelId);
  return geographiesFor(region)
    .map((geo) => `${geo}.${base}`)
    .find((id) => id !== modelId);
}

/** "within the configured timeout of 15000 ms" → "15 seconds" (the SDK's words, from createHttpHandler's connectionTimeout). */
function connectSeconds(raw: string): string {
  const ms = /timeout of (\d+) ?ms/.exec(raw);
  if (!ms) return 'the connection timeout';
  const n = Number(ms[1]);
  return n < 1000 ? `${n} ms` : `${Math.round(n / 1000)} seconds`;
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
  /** Bedrock's own words without their closing full stop (the messages below place it), or nothing when the SDK only has its placeholder. */
  const detail = /^(unknown(error)?|undefined|null)$/i.test(aws) ? '' : aws.replace(/[\s.]+$/, '');
  const model = ctx.modelId;
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const where = ctx.endpoint ?? `bedrock-runtime.${ctx.region}.amazonaws.com`;
  const seeLog = 'See "Bedrock: Show Log" for details.';

  const result = (kind: ErrorKind, message: string, fix?: FixCommand, terminalCommand?: string): UserFacingError => ({
    kind,
    message: redact(message),
    ...(fix ? { fix } : {}),
    ...(terminalCommand ? { terminalCommand } : {}),
  });

  if (name === 'AbortError' || name === 'CancellationError') return result('cancelled', 'The request was cancelled.');
  // By name, not instanceof: these are thrown in dist/sdk.js and described in dist/extension.js, each with its own copy of the classes.
  if (name === 'IncompleteStreamError' || name === 'InvalidToolInputError') return result('service', raw);
  if (name === 'EmptyRequestError') return result('validation', raw);
  if (name === 'ModelStopError') return result((err as { kind: ErrorKind }).kind, raw); // its message already says what to do (failures.ts)
  // A proxy that refused the tunnel (407 and others) or could not be reached, even inside a credential provider's error.
  const proxyFailure = describeProxyFailure(err);
  if (proxyFailure) return result('network', proxyFailure);

  // MFA (core/auth/mfa.ts): the user dismissed the prompt (nothing to retry), or AWS refused the code.
  if (name === 'MfaCancelledError') return result('cancelled', raw);
  if (MFA_REFUSED.test(raw)) {
    const profile = ctx.auth && 'profile' in ctx.auth ? ` for AWS profile "${ctx.auth.profile}"` : '';
    return result('credentials', `AWS did not accept the MFA code${profile}: it was wrong, expired or already used. Send the request again and enter the code your device shows now.`);
  }

  // STS, the IAM Identity Center portal or a credential endpoint could not be reached: a network problem
  // on the way to credentials, not Bedrock's and not a reason to sign in again.
  const credentialStep = fromCredentialStep(err) || name === 'CredentialsProviderError' || name === 'TokenProviderError';
  const credentialNetCode = credentialStep ? (connectionCode(e) ?? connectionCodeInText(raw)) : undefined;
  if (credentialNetCode && !TLS_UNTRUSTED_CODES.has(credentialNetCode) && !TLS_DATE_CODES.has(credentialNetCode)) {
    const address = failedAddress(e, raw);
    return result(
      'network',
      `Cannot reach the AWS service that issues your credentials (STS or IAM Identity Center)${address ? ` at ${address}` : ''} (${credentialNetCode}), so nothing was sent to Bedrock. Check your network or proxy, then retry.`,
    );
  }

  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    const hint = authHint(ctx.auth);
    const profile = ctx.auth && 'profile' in ctx.auth ? ctx.auth.profile : /profile=(\S+?)\.?(\s|$)/.exec(raw)?.[1];
    // `aws login` console sessions: only the CLI can sign in again, so the terminal is the fix.
    if (/re-authenticate using `?aws login/i.test(raw)) {
      const command = `aws login${profile ? ` --profile ${shellWord(profile)}` : ''}`;
      return result('credentials', `Your AWS console sign-in session${profile ? ` for AWS profile "${profile}"` : ''} has expired. Run \`${command}\`, then retry.`, undefined, command);
    }
    // The portal refusing the cached token (signed out, revoked) is an SSO session that is over too.
    if (/aws sso login|sso session|token is expired|sso.*expired|UnauthorizedException|session token not found or invalid/i.test(raw)) {
      return result('credentials', ssoSignInMessage(profile), 'signIn');
    }
    if (/profile .* (could not be found|not found)|could not resolve credentials using profile/i.test(raw)) {
      return result('credentials', `${sentence(aws)} Run "Bedrock: Select AWS Profile" to pick one from your AWS config.`, 'selectProfile');
    }
    return result('credentials', `No usable AWS credentials: ${sentence(aws)} ${hint.text}`, hint.fix ?? 'selectAuthMethod', hint.terminalCommand);
  }

  // A proxy answers before Bedrock does, so its status comes first (its body is often HTML).
  if (status === 407) {
    return result('network', 'A proxy between VS Code and Bedrock requires authentication (HTTP 407). Put your proxy user and password in the http.proxy setting (http://user:password@host:port) or in HTTPS_PROXY, then retry.');
  }
  // A body that is not Bedrock's JSON on an error status: a proxy's or gateway's page. (On a 200 the
  // same wording follows a stream cut short: "aborted", handled with the network errors below.)
  if (status && status >= 300 && (name === 'SyntaxError' || /Deserialization error/.test(raw))) {
    return result('network', `${where} answered HTTP ${status} with something that is not a Bedrock response (a proxy or gateway page?). Check your proxy and the bedrockChat.endpoint setting. ${seeLog}`, 'showLog');
  }

  // The event stream's framing broke: a frame cut short or corrupted on the way (the SDK's decoder says so in its own words).
  if (/Truncated event message received|checksum \(\d+\) did not match|message checksum|prelude checksum/i.test(raw)) {
    return result('network', `The answer from ${model} arrived damaged (part of Bedrock's response stream was cut short or corrupted on the way), so it is incomplete. Retry; if it keeps happening, check your network or proxy.`);
  }
  // A secret that cannot go into an HTTP header (a line break or control character pasted with it).
  if ((e.code === 'ERR_INVALID_CHAR' || e.code === 'ERR_INVALID_HTTP_TOKEN') && /authorization|x-amz-security-token/i.test(raw)) {
    const hint = authHint(ctx.auth);
    return result('credentials', `Your credentials contain a character that cannot be sent (a line break or control character copied with them). ${hint.text}`, hint.fix, hint.terminalCommand);
  }

  // Bedrock's message texts, whatever name the SDK gave the error (it has none when the type header is missing).
  let m: RegExpExecArray | null;
  if ((m = /input length and `?max_tokens`? exceed context limit: (\d+) \+ (\d+) > (\d+)/i.exec(raw))) {
    return result('contextTooLong', `The conversation is too long for ${model}: about ${n(m[1])} input + ${n(m[2])} output tokens exceeds its ${n(m[3])}-token limit. Start a new chat or attach fewer files.`);
  }
  if ((m = /prompt is too long: (\d+) tokens > (\d+) maximum/i.exec(raw))) {
    return result('contextTooLong', `The conversation is too long for this model (about ${n(m[1])} tokens; ${model} accepts ${n(m[2])}). Start a new chat, remove attached files, or pick a model with a larger context window.`);
  }
  if ((m = /max_tokens: (\d+) > (\d+), which is the maximum allowed number of output tokens/i.exec(raw)) || (m = /maximum tokens you requested exceeds the model limit of ()(\d+)/i.exec(raw))) {
    const asked = m[1] ? `up to ${n(m[1])} output tokens, but it allows at most ${n(m[2])}` : `more output tokens than it allows (at most ${n(m[2])})`;
    return result('validation', `This extension asked ${model} for ${asked}; nothing in your chat caused it. For a custom model, lower maxOutputTokens in bedrockChat.models.custom; otherwise please report it. ${seeLog}`, 'showLog');
  }
  if ((m = /image exceeds ([\d.]+) ?MB maximum: (\d+) bytes > (\d+) bytes/i.exec(raw))) {
    const size = (Number(m[2]) / 1024 / 1024).toFixed(1);
    return result('validation', `An attached image is too large: Bedrock accepts at most ${m[1]} MB per image, and this one is ${size} MB as sent. Attach a smaller or more compressed image, then retry.`);
  }
  if ((m = /image dimensions exceed max allowed size( for many-image requests)?: (\d+) pixels/i.exec(raw))) {
    const which = m[1] ? ' when a request has many images' : '';
    return result('validation', `An attached image is too large: Bedrock accepts at most ${n(m[2])} pixels per side${which}. Attach a smaller image (or fewer images), then retry.`);
  }
  if (/model identifier is invalid|model id.*(invalid|not found)|unknown model/i.test(raw)) {
    return result('modelNotFound', `Bedrock does not know the model ${model} in ${ctx.region}. Pick another model, or another region with "Bedrock: Select Region".`, 'selectRegion');
  }
  if (/on-demand throughput isn.t supported|inference profile that contains this model/i.test(raw)) {
    const profileId = profileIdFor(model, ctx.region);
    const example = profileId ? ` (an id such as ${profileId})` : '';
    return result('modelNotFound', `${model} cannot be called directly in ${ctx.region}; it needs a cross-region inference profile${example}. Pick the profile model, or add it under bedrockChat.models.custom.`);
  }
  if (/authentication failed.*api key|api key.*(invalid|expired)|invalid api key/i.test(raw)) {
    if (ctx.auth?.kind === 'apiKey' && looksLikeAccessKeyId(ctx.auth.apiKey)) {
      return result('credentials', 'The stored Bedrock API key is an AWS access key ID (AKIA… or ASIA…), which Bedrock does not take as an API key. Run "Bedrock: Set IAM Credentials" to use it with its secret access key, or "Bedrock: Set Bedrock API Key" with a key that starts with ABSK or bedrock-api-key-.', 'setIamCredentials');
    }
    if (ctx.auth?.kind === 'apiKey' && /invalid api key format/i.test(raw)) {
      return result('credentials', 'Bedrock rejected your API key: it is not a Bedrock API key (those start with ABSK or bedrock-api-key-). Run "Bedrock: Set Bedrock API Key" with the key from the Bedrock console.', 'setApiKey');
    }
    if (ctx.auth?.kind === 'apiKey') {
      // A short-term key says why itself: expired, or made for another region.
      const why = apiKeyWarnings(apiKeyInfo(ctx.auth.apiKey), ctx.region, Date.now()).filter((w) => w.kind !== 'expiring');
      if (why.length) return result('credentials', `Bedrock rejected your API key. ${why.map((w) => w.message).join(' ')}`, 'setApiKey');
      return result('credentials', `Bedrock rejected your API key: it is invalid or expired (or, for a short-term key, made for a region other than ${ctx.region}). Run "Bedrock: Set Bedrock API Key" with a current key.`, 'setApiKey');
    }
    return result('credentials', `Bedrock rejected an API key, but this extension is not set to use one (${ctx.auth?.kind ?? 'automatic'} authentication). Run "Bedrock: Select Authentication Method" to choose how to sign in.`, 'selectAuthMethod');
  }
  if (/aws-marketplace:/i.test(raw)) {
    return result('accessDenied', `${model} comes through AWS Marketplace, and its first use in this AWS account needs a one-time subscription that your identity may not create (aws-marketplace:Subscribe, aws-marketplace:ViewSubscriptions). Ask an administrator, or someone allowed to, to use the model once (or grant you those permissions), then retry in a few minutes.`);
  }

  const type = NAMELESS.has(name) && status ? (STATUS_TYPES[status] ?? (status >= 500 ? 'InternalServerException' : name)) : name;
  /** How the failure is named in a message: the exception's own name, else its HTTP status. */
  const label = NAMELESS.has(name) ? `HTTP ${status}` : name;

  switch (type) {
    case 'AccessDeniedException': {
      if (/don.t have access to the model|access to the model with the specified model id/i.test(raw)) {
        // The console's Model access page is retired: serverless models are on by default, so what is left is
        // Anthropic's one-time use-case form or a policy that denies the model.
        return result('accessDenied', `Your AWS account cannot use ${model} in ${ctx.region} yet. For an Anthropic model, open it once in the Amazon Bedrock console's Model catalog and submit the use-case form; otherwise an IAM policy or Service Control Policy denies it: ask your AWS administrator. Then retry.`);
      }
      if (/not authorized to perform/i.test(raw)) {
        const action = /not authorized to perform:? ([\w-]+:\w+)/i.exec(raw)?.[1] ?? 'bedrock:InvokeModelWithResponseStream';
        return result('accessDenied', `Access denied: your AWS identity is missing an IAM permission for ${model} in ${ctx.region}. Ask your administrator to allow ${action}. (${aws})`);
      }
      return result('accessDenied', `Access denied to ${model} in ${ctx.region}${detail ? `: ${detail}` : ''}. Check that model access is enabled and your IAM policy allows bedrock:InvokeModelWithResponseStream.`);
    }
    case 'ThrottlingException':
    case 'ServiceQuotaExceededException':
    case 'TooManyRequestsException':
      // With a status, the refusal came before the stream and the SDK retried it; inside a stream nothing is retried.
      return result('throttled', `Bedrock is throttling requests to ${model}${status ? ' (still throttled after retries)' : ''}. Wait a minute and retry, use a cross-region inference profile, or ask for a higher quota.${detail ? ` (${detail})` : ''}`);
    case 'ValidationException': {
      if (/too long|too many (input )?tokens|input tokens exceed|exceeds? (the )?(context|maximum (context|input|length))|context (length|window)/i.test(raw)) {
        const used = ctx.estimatedInputTokens;
        const limit = ctx.maxInputTokens;
        const numbers = used && limit ? ` (about ${n(used)} tokens; ${model} accepts ${n(limit)})` : '';
        return result('contextTooLong', `The conversation is too long for this model${numbers}. Start a new chat, remove attached files, or pick a model with a larger context window.`);
      }
      return result('validation', `Bedrock rejected the request to ${model}${detail ? `: ${detail}` : ` (${label})`}. ${seeLog}`, 'showLog');
    }
    case 'ResourceNotFoundException':
      return result('modelNotFound', `The model ${model} is not available in ${ctx.region}. Pick another model, or another region with "Bedrock: Select Region".${detail ? ` (${detail})` : ''}`, 'selectRegion');
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'IncompleteSignatureException':
    case 'InvalidClientTokenId':
    case 'SignatureDoesNotMatch': {
      if (ctx.auth?.kind === 'iamCredentials' && looksLikeApiKey(ctx.auth.accessKeyId)) {
        return result('credentials', `Bedrock rejected the credentials (${name}): the stored access key ID looks like a Bedrock API key. Run "Bedrock: Set Bedrock API Key" to use it as one.`, 'setApiKey');
      }
      const hint = authHint(ctx.auth);
      return result('credentials', `Bedrock rejected the credentials (${name}). ${hint.text}`, hint.fix, hint.terminalCommand);
    }
    case 'ExpiredTokenException':
    case 'ExpiredToken':
    case 'RequestExpired': {
      const hint = authHint(ctx.auth);
      const keyNote = ctx.auth?.kind === 'apiKey' ? apiKeyWarnings(apiKeyInfo(ctx.auth.apiKey), ctx.region, Date.now()).find((w) => w.kind === 'expired') : undefined;
      if (keyNote) return result('credentials', keyNote.message, 'setApiKey');
      const what = ctx.auth?.kind === 'apiKey' ? 'Your Bedrock API key has expired' : 'Your AWS credentials have expired';
      return result('credentials', `${what}. ${hint.text}`, hint.fix, hint.terminalCommand);
    }
    case 'ModelStreamErrorException':
    case 'ModelErrorException':
    case 'ModelTimeoutException':
    case 'ModelNotReadyException':
    case 'InternalServerException':
    case 'ServiceUnavailableException':
      return result('service', `Bedrock failed while answering with ${model} (${label})${detail ? `: ${detail}` : ''}. Please retry.`);
    case 'TimeoutError':
      // The SDK's connection timeout has the same name as its idle timeout.
      if (/establish a connection/.test(raw)) {
        return result('network', `Cannot connect to Bedrock at ${where}: no connection within ${connectSeconds(raw)}, even after retries. Check your network, VPN or proxy${ctx.endpoint ? ', and the bedrockChat.endpoint setting' : ''}.`);
      }
      return result('network', `No data from Bedrock for too long while answering with ${model}; the request was abandoned. Retry, or raise bedrockChat.idleTimeoutSeconds.`);
    case 'IdleTimeoutError': // before the headers (client.ts)
      return result('network', `No data from Bedrock for too long while waiting for ${model} to start answering; the request was abandoned, not retried. Retry, or raise bedrockChat.idleTimeoutSeconds if your prompts are very long.`);
  }

  const code = connectionCode(e) ?? (raw.split('\n')[0].trim() === 'aborted' ? 'aborted' : undefined);
  if (code && TLS_UNTRUSTED_CODES.has(code)) {
    return result('network', `Cannot connect securely to ${where} (${code}): its certificate is not trusted, which usually means a company proxy inspects TLS with its own CA. Set the environment variable NODE_EXTRA_CA_CERTS to your company's CA bundle (a PEM file) and restart VS Code.`);
  }
  if (code && TLS_DATE_CODES.has(code)) {
    return result('network', `Cannot connect securely to ${where} (${code}): the certificate it presented is expired or not yet valid. Check your computer's clock; on a company network, tell IT that the proxy's certificate is out of date.`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED' || code === 'aborted') {
    return result('network', `The connection to Bedrock at ${where} was interrupted (${code}) before the answer was complete. Retry; if it keeps happening, check your network or proxy.`);
  }
  if (code) {
    return result('network', `Cannot reach Bedrock at ${where} (${code}). Check your network or proxy${ctx.endpoint ? ', and the bedrockChat.endpoint setting' : ''}.`);
  }
  if (status === 401) {
    const hint = authHint(ctx.auth);
    return result('credentials', `Bedrock answered 401 Unauthorized. ${hint.text}`, hint.fix, hint.terminalCommand);
  }
  return result('unknown', `Bedrock request to ${model} failed${detail ? `: ${detail}` : status ? ` (HTTP ${status})` : ''}. ${seeLog}`, 'showLog');
}
