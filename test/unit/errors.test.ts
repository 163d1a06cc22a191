import * as assert from 'node:assert/strict';
import { describeError, errorText } from '../../src/core/bedrock/errors';
import { Redactor } from '../../src/core/auth/redact';
import { IncompleteStreamError } from '../../src/core/bedrock/failures';

const ctx = { modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', region: 'us-east-1' };
const sdkError = (name: string, message: string, status = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe('describeError', () => {
  it('model access not granted', () => {
    const e = describeError(sdkError('AccessDeniedException', "You don't have access to the model with the specified model ID.", 403), ctx);
    assert.equal(e.kind, 'accessDenied');
    assert.match(e.message, /cannot use .* yet.*use-case form.*Service Control Policy/);
    assert.doesNotMatch(e.message, /Model access/, 'that console page is retired');
  });

  it('IAM action missing', () => {
    const e = describeError(sdkError('AccessDeniedException', 'User: arn:aws:iam::1:user/x is not authorized to perform: bedrock:InvokeModelWithResponseStream', 403), ctx);
    assert.match(e.message, /bedrock:InvokeModelWithResponseStream/);
    assert.match(e.message, /IAM permission/);
  });

  it('throttling after retries', () => {
    const e = describeError(sdkError('ThrottlingException', 'Too many requests, please wait before trying again.', 429), ctx);
    assert.equal(e.kind, 'throttled');
    assert.match(e.message, /throttling.*Wait a minute/);
  });

  it('context too long, with the numbers from Bedrock', () => {
    const e = describeError(sdkError('ValidationException', 'prompt is too long: 215000 tokens > 200000 maximum'), ctx);
    assert.equal(e.kind, 'contextTooLong');
    assert.match(e.message, /215,000 tokens.*accepts 200,000/);
  });

  it('context too long, with our estimate when Bedrock gives no numbers', () => {
    const e = describeError(sdkError('ValidationException', 'Input is too long for requested model.'), { ...ctx, estimatedInputTokens: 150_000, maxInputTokens: 136_000 });
    assert.match(e.message, /150,000 tokens.*accepts 136,000/);
  });

  it('unknown model in region', () => {
    assert.equal(describeError(sdkError('ValidationException', 'The provided model identifier is invalid.'), ctx).kind, 'modelNotFound');
    const nf = describeError(sdkError('ResourceNotFoundException', 'Model not found', 404), ctx);
    assert.equal(nf.kind, 'modelNotFound');
    assert.match(nf.message, /Select Region/);
    const od = describeError(sdkError('ValidationException', "Invocation of model ID anthropic.x with on-demand throughput isn't supported."), { ...ctx, modelId: 'anthropic.x' });
    assert.match(od.message, /inference profile/);
  });

  it('expired or missing credentials say what to do per method', () => {
    const sso = describeError(Object.assign(new Error('The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.'), { name: 'CredentialsProviderError' }), { ...ctx, auth: { kind: 'sso', profile: 'corp' } });
    assert.equal(sso.kind, 'credentials');
    assert.equal(sso.fix, 'signIn');
    assert.match(sso.message, /Sign In with IAM Identity Center.*aws sso login --profile corp/);
    const expired = describeError(sdkError('ExpiredTokenException', 'The security token included in the request is expired', 403), { ...ctx, auth: { kind: 'profile', profile: 'dev' } });
    assert.match(expired.message, /expired.*profile "dev"/);
    const badKey = describeError(sdkError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403), { ...ctx, auth: { kind: 'apiKey', apiKey: 'k' } });
    assert.equal(badKey.fix, 'setApiKey');
    const none = describeError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), { ...ctx, auth: { kind: 'automatic' } });
    assert.equal(none.fix, 'selectAuthMethod');
  });

  it('an expired SSO login offers Sign In (the CLI command stays in the text); an `aws login` session the terminal', () => {
    const refresh = "To refresh this SSO session run 'aws sso login' with the corresponding profile.";
    const providerError = (name: string, message: string) => Object.assign(new Error(message), { name });
    const expired = providerError('CredentialsProviderError', 'The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.');
    const sso = describeError(expired, { ...ctx, auth: { kind: 'sso', profile: 'corp' } });
    assert.equal(sso.fix, 'signIn');
    assert.equal(sso.terminalCommand, undefined);
    assert.equal(
      sso.message,
      'Your IAM Identity Center (SSO) session for AWS profile "corp" has expired or you are not signed in. Run "Bedrock: Sign In with IAM Identity Center" (or `aws sso login --profile corp` in a terminal), then retry.',
    );
    // A profile name that is not one shell word is quoted.
    assert.match(describeError(expired, { ...ctx, auth: { kind: 'profile', profile: "team a's" } }).message, /`aws sso login --profile 'team a'\\''s'`/);
    // Automatic: the profile only when the SDK names it; Sign In finds it either way.
    const named = providerError('TokenProviderError', `The SSO session token associated with profile=corp was not found or is invalid. ${refresh}`);
    const namedError = describeError(named, { ...ctx, auth: { kind: 'automatic' } });
    assert.equal(namedError.fix, 'signIn');
    assert.match(namedError.message, /profile "corp".*aws sso login --profile corp/);
    const unnamed = providerError('TokenProviderError', `Token is expired. ${refresh}`);
    const unnamedError = describeError(unnamed, { ...ctx, auth: { kind: 'automatic' } });
    assert.equal(unnamedError.fix, 'signIn');
    assert.match(unnamedError.message, /^Your IAM Identity Center \(SSO\) session has expired.*`aws sso login` in a terminal/);
    // The portal refusing a token that was signed out elsewhere.
    const revoked = providerError('CredentialsProviderError', 'UnauthorizedException: Session token not found or invalid');
    assert.equal(describeError(revoked, { ...ctx, auth: { kind: 'sso', profile: 'corp' } }).fix, 'signIn');
    assert.equal(describeError(revoked, { ...ctx, auth: { kind: 'automatic' } }).fix, 'signIn');
    // Bedrock refusing SSO role credentials that expired mid-session.
    const stale = sdkError('ExpiredTokenException', 'The security token included in the request is expired', 403);
    assert.equal(describeError(stale, { ...ctx, auth: { kind: 'sso', profile: 'corp' } }).fix, 'signIn');
    // Not SSO: no Sign In.
    assert.notEqual(describeError(stale, { ...ctx, auth: { kind: 'iamCredentials', accessKeyId: 'AKID', secretAccessKey: 's' } }).fix, 'signIn');
    assert.notEqual(describeError(providerError('CredentialsProviderError', 'Could not load credentials from any providers'), { ...ctx, auth: { kind: 'automatic' } }).fix, 'signIn');
    // `aws login` console sessions: only the CLI signs in again, so the terminal is the better fix.
    const login = providerError('CredentialsProviderError', 'Failed to load a token for session arn:aws:iam::1:user/x, please re-authenticate using aws login');
    const console = describeError(login, { ...ctx, auth: { kind: 'profile', profile: 'dev' } });
    assert.equal(console.terminalCommand, 'aws login --profile dev');
    assert.equal(console.fix, undefined);
    assert.match(console.message, /console sign-in session for AWS profile "dev" has expired\. Run `aws login --profile dev`/);
  });

  it('errors without a type name their HTTP status, never the SDK placeholder', () => {
    const unknown = (status: number, message: string) => Object.assign(new Error(message), { name: 'Unknown', $metadata: { httpStatusCode: status } });
    const down = describeError(unknown(500, 'UnknownError'), ctx);
    assert.equal(down.kind, 'service');
    assert.match(down.message, /\(HTTP 500\)\. Please retry\.$/);
    const throttled = describeError(unknown(429, 'Too many requests'), ctx);
    assert.equal(throttled.kind, 'throttled');
    const rejected = describeError(unknown(400, 'Malformed input request, please reformat your input and try again.'), ctx);
    assert.equal(rejected.kind, 'validation');
    assert.match(rejected.message, /rejected the request to .*: Malformed input request/);
    for (const d of [down, throttled, rejected]) assert.doesNotMatch(d.message, /\bUnknown(Error)?\b/, d.message);
  });

  it('the last resort still says where to look', () => {
    const e = describeError(new TypeError('Cannot read properties of undefined (reading "stream")'), ctx);
    assert.equal(e.kind, 'unknown');
    assert.match(e.message, /failed: Cannot read properties .* See "Bedrock: Show Log" for details\.$/);
    assert.equal(e.fix, 'showLog');
  });

  it('endpoint unreachable', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const e = describeError(err, { ...ctx, endpoint: 'https://gw.example.com/bedrock' });
    assert.equal(e.kind, 'network');
    assert.match(e.message, /Cannot reach Bedrock at https:\/\/gw\.example\.com\/bedrock \(ECONNREFUSED\).*bedrockChat\.endpoint/);
    const nested = describeError(Object.assign(new Error('fetch failed'), { cause: { code: 'ENOTFOUND' } }), ctx);
    assert.match(nested.message, /bedrock-runtime\.us-east-1\.amazonaws\.com \(ENOTFOUND\)/);
  });

  it('an incomplete stream and mid-stream model errors', () => {
    assert.match(describeError(new IncompleteStreamError(), ctx).message, /incomplete/);
    assert.equal(describeError(sdkError('ModelStreamErrorException', 'boom'), ctx).kind, 'service');
  });

  it('never prints [object Object] or a stack', () => {
    for (const thrown of [{ weird: true }, { message: { nested: 1 } }, 42, null, undefined, 'plain']) {
      const e = describeError(thrown, ctx);
      assert.ok(!e.message.includes('[object Object]'), e.message);
      assert.ok(!/\n\s+at /.test(e.message));
    }
    assert.equal(errorText({ a: 1 }), '{"a":1}');
  });

  it('redacts secrets echoed back by a server', () => {
    const redactor = new Redactor();
    redactor.setSecrets(['canary-secret-123456']);
    const e = describeError(sdkError('ValidationException', 'bad header Authorization: Bearer canary-secret-123456'), { ...ctx, redact: (s) => redactor.redact(s) });
    assert.ok(!e.message.includes('canary-secret-123456'));
  });
});

describe('Redactor', () => {
  it('removes known secrets and secret-shaped strings', () => {
    const r = new Redactor();
    r.setSecrets(['s3cr3t-value', undefined, '']);
    const out = r.redact(
      'key s3cr3t-value; Authorization: Bearer ABSKQmVkcm9ja0FQSUtleS1hYmNkZWYxMjM0NTY3ODkw; id AKIAIOSFODNN7EXAMPLE; aws_secret_access_key = wJalrXUtnFEMI/K7MDENG; Signature=' + 'a'.repeat(64),
    );
    for (const leaked of ['s3cr3t-value', 'ABSKQmVk', 'IOSFODNN7EXAMPLE', 'wJalrXUtnFEMI', 'a'.repeat(64)]) assert.ok(!out.includes(leaked), `${leaked} in ${out}`);
    assert.match(out, /AKIA\[REDACTED\]/);
  });
});
