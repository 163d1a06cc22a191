/**
 * describeError on what the real SDK client actually throws: Bedrock's own
 * error texts served by the local server, a real recording, a proxy's 407,
 * certificates a company TLS proxy would present, and an expired SSO login.
 */
import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import * as net from 'node:net';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { BedrockAuth } from '../../src/core/auth/types';
import { createRuntimeClient, isIdleTimeout } from '../../src/core/bedrock/client';
import { converse } from '../../src/core/bedrock/converse';
import { describeError, UserFacingError } from '../../src/core/bedrock/errors';
import { ChatModel, listModels } from '../../src/core/models/chatModel';
import {
  httpError,
  isolatedAwsEnv,
  loadInteraction,
  makeTempAwsHome,
  startBedrockServer,
  textEvents,
  withEnv,
  type BedrockServer,
  type StreamScript,
} from '../support';
import { makeCorporateCerts, startHttpsServer, type CorporateCerts, type TestCert } from '../support/tls';

const hello = [{ role: 'user' as const, parts: [{ type: 'text' as const, text: 'hello' }] }];
const modelIn = (region: string, id: string): ChatModel => listModels(region).find((m) => m.id === id) ?? listModels(region, [{ id }]).find((m) => m.id === id)!;
const claude = modelIn('us-east-1', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0');
const API_KEY: BedrockAuth = { kind: 'apiKey', apiKey: 'ABSKZXJyb3JzV2lyZVRlc3RLZXkwMDAwMDAwMDA=' };
/** Bedrock's error type header carries this suffix on the wire. */
const CORAL = ':http://internal.amazon.com/coral/com.amazon.bedrock/';
/** No user-facing text may show the SDK's placeholder names or a deserialisation dump. */
const RAW_SDK = /\bUnknown(Error)?\b|Deserialization error|\$response|SyntaxError/;

/** Runs one chat turn with the real client and returns what it threw. */
async function thrownBy(endpoint: string, opts: { auth?: BedrockAuth; region?: string; model?: ChatModel } = {}): Promise<unknown> {
  const client = createRuntimeClient({ auth: opts.auth ?? API_KEY, region: opts.region ?? 'us-east-1', endpoint, idleTimeoutSeconds: 5 });
  try {
    await converse(client, opts.model ?? claude, hello, {}, new AbortController().signal, () => {});
  } catch (err) {
    return err;
  } finally {
    client.destroy();
  }
  assert.fail('the request was expected to fail');
}

function clean(d: UserFacingError): UserFacingError {
  assert.doesNotMatch(d.message, RAW_SDK, d.message);
  assert.ok(!d.message.includes('[object Object]'), d.message);
  return d;
}

describe('describeError on real SDK errors', function () {
  let server: BedrockServer;
  before(async () => (server = await startBedrockServer()));
  after(() => server.close());
  beforeEach(() => server.reset());

  async function describeReply(script: StreamScript, opts: { auth?: BedrockAuth; region?: string; model?: ChatModel } = {}) {
    server.onConverseStream = () => script;
    const err = await thrownBy(server.endpoint, opts);
    const model = opts.model ?? claude;
    return clean(describeError(err, { modelId: model.id, region: opts.region ?? 'us-east-1', auth: opts.auth ?? API_KEY, endpoint: server.endpoint }));
  }

  describe('an invalid or expired API key', () => {
    const KEY_REJECTED = 'Authentication failed: Please make sure your API Key is valid.';
    // Bedrock sends this body with a capital "Message"; with and without the error type header.
    const replies: [string, StreamScript][] = [
      ['AccessDeniedException', { raw: { status: 403, headers: { 'content-type': 'application/json', 'x-amzn-errortype': `AccessDeniedException${CORAL}` }, body: JSON.stringify({ Message: KEY_REJECTED }) } }],
      ['no error type', { raw: { status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Message: KEY_REJECTED }) } }],
    ];
    for (const [label, reply] of replies) {
      it(`is a credentials problem with "Set Bedrock API Key" as the fix (${label})`, async () => {
        const d = await describeReply(reply);
        assert.equal(server.requests[0].auth.kind, 'bearer', 'the client sent the API key');
        assert.equal(d.kind, 'credentials');
        assert.equal(d.fix, 'setApiKey');
        assert.match(d.message, /API key.*invalid or expired/);
        assert.doesNotMatch(d.message, /IAM|model access/i);
      });
    }

    it('when the extension is not set to use an API key, points at the sign-in method instead', async () => {
      server.onConverseStream = () => replies[0][1];
      const err = await thrownBy(server.endpoint);
      const d = clean(describeError(err, { modelId: claude.id, region: 'us-east-1', auth: { kind: 'automatic' } }));
      assert.equal(d.kind, 'credentials');
      assert.equal(d.fix, 'selectAuthMethod');
      assert.match(d.message, /not set to use one \(automatic authentication\)/);
    });
  });

  it('a recorded "model identifier is invalid" without an error type is modelNotFound, not "Unknown"', async () => {
    const stream = await describeReply({ replay: loadInteraction('test_bedrock_streaming_error', 'converse-stream') });
    assert.equal(stream.kind, 'modelNotFound');
    assert.match(stream.message, /does not know the model/);

    // The non-streaming recording, through the same real client.
    server.replay(loadInteraction('test_bedrock_error', 'converse'));
    const client = createRuntimeClient({ auth: API_KEY, region: 'us-east-1', endpoint: server.endpoint });
    const err = await client.send(new ConverseCommand({ modelId: 'us.does-not-exist-model-v1:0', messages: [{ role: 'user', content: [{ text: 'hello' }] }] })).then(
      () => assert.fail('expected a 400'),
      (e: unknown) => e,
    );
    client.destroy();
    assert.equal((err as Error).name, 'Unknown', 'the SDK names it Unknown: the recording has no error type');
    const d = clean(describeError(err, { modelId: 'us.does-not-exist-model-v1:0', region: 'us-east-1' }));
    assert.equal(d.kind, 'modelNotFound');
    assert.equal(d.fix, 'selectRegion');
  });

  describe("Bedrock's validation texts are read by shape", () => {
    const wrap = (s: string) => `The model returned the following errors: ${s}`;
    const validation = (message: string) => httpError(400, `ValidationException${CORAL}`, message);

    it('input + max_tokens over the context window', async () => {
      const d = await describeReply(validation(wrap('input length and `max_tokens` exceed context limit: 175000 + 32000 > 200000, decrease input length or `max_tokens` and try again')));
      assert.equal(d.kind, 'contextTooLong');
      assert.match(d.message, /about 175,000 input \+ 32,000 output tokens exceeds its 200,000-token limit/);
      assert.match(d.message, /new chat.*fewer files/);
    });

    it('prompt is too long', async () => {
      const d = await describeReply(validation(wrap('prompt is too long: 200049 tokens > 200000 maximum')));
      assert.equal(d.kind, 'contextTooLong');
      assert.match(d.message, /about 200,049 tokens; .* accepts 200,000/);
    });

    it('max_tokens over the model output limit is a request-building problem', async () => {
      const d = await describeReply(validation(wrap('max_tokens: 64000 > 32000, which is the maximum allowed number of output tokens for claude-opus-4-20250514')));
      assert.equal(d.kind, 'validation');
      assert.match(d.message, /asked .* for up to 64,000 output tokens, but it allows at most 32,000; nothing in your chat caused it/);
      assert.doesNotMatch(d.message, /too long|conversation/i);
      assert.equal(d.fix, 'showLog');
    });

    it("Converse's own output-limit text", async () => {
      const d = await describeReply(validation('The maximum tokens you requested exceeds the model limit of 4096. Try again with a maximum tokens value that is lower than 4096.'));
      assert.equal(d.kind, 'validation');
      assert.match(d.message, /more output tokens than it allows \(at most 4,096\)/);
    });

    it('an image over 5 MB', async () => {
      const d = await describeReply(validation(wrap('messages.0.content.1.image.source.bytes: image exceeds 5 MB maximum: 6291456 bytes > 5242880 bytes')));
      assert.equal(d.kind, 'validation');
      assert.match(d.message, /image is too large: Bedrock accepts at most 5 MB per image, and this one is 6\.0 MB/);
      assert.doesNotMatch(d.message, /tokens/);
    });

    it('an image with too many pixels', async () => {
      const one = await describeReply(validation(wrap('messages.7.content.2.image.source.base64.data: At least one of the image dimensions exceed max allowed size: 8000 pixels')));
      assert.match(one.message, /at most 8,000 pixels per side\. /);
      const many = await describeReply(validation(wrap('messages.88.content.1.image.source.base64.data: At least one of the image dimensions exceed max allowed size for many-image requests: 2000 pixels')));
      assert.match(many.message, /at most 2,000 pixels per side when a request has many images/);
    });

    it('an on-demand model suggests the profile for the region, without doubling a prefix', async () => {
      const text = (id: string) =>
        `Invocation of model ID ${id} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`;
      const base = modelIn('us-east-1', 'anthropic.claude-sonnet-4-5-20250929-v1:0');
      const us = await describeReply(validation(text(base.id)), { model: base });
      assert.equal(us.kind, 'modelNotFound');
      assert.match(us.message, /an id such as us\.anthropic\.claude-sonnet-4-5-20250929-v1:0\)/);

      const usInEurope = modelIn('eu-west-1', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0');
      const eu = await describeReply(validation(text(usInEurope.id)), { model: usInEurope, region: 'eu-west-1' });
      assert.match(eu.message, /an id such as eu\.anthropic\.claude-sonnet-4-5-20250929-v1:0\)/);
      assert.doesNotMatch(eu.message, /\b(us|eu)\.(us|eu)\./);

      const tokyo = await describeReply(validation(text(base.id)), { model: base, region: 'ap-northeast-1' });
      assert.match(tokyo.message, /an id such as jp\.anthropic/);
    });
  });

  describe('AWS Marketplace', () => {
    const texts = [
      'Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model. Refer to the Amazon Bedrock documentation for further details. Your AWS Marketplace subscription for this model cannot be completed at this time. If you recently fixed this issue, try again after 5 minutes.',
      'Model access is denied due to User: arn:aws:sts::123456789012:assumed-role/Dev/alice is not authorized to perform: aws-marketplace:ViewSubscriptions on resource: * because no identity-based policy allows the aws-marketplace:ViewSubscriptions action. Your AWS Marketplace subscription for this model cannot be completed at this time. If you recently fixed this issue, try again after 15 minutes.',
    ];
    for (const [i, text] of texts.entries()) {
      it(`a first-use subscription denial asks for the Marketplace permissions (${i + 1})`, async () => {
        const d = await describeReply(httpError(403, `AccessDeniedException${CORAL}`, text), { auth: { kind: 'iamCredentials', accessKeyId: 'AKIDLOCALTEST000001', secretAccessKey: 's' } });
        assert.equal(d.kind, 'accessDenied');
        assert.match(d.message, /first use .* one-time subscription/);
        assert.match(d.message, /aws-marketplace:Subscribe, aws-marketplace:ViewSubscriptions/);
        assert.doesNotMatch(d.message, /InvokeModelWithResponseStream/);
      });
    }
  });

  describe('a proxy that wants credentials (HTTP 407)', () => {
    const replies: [string, StreamScript][] = [
      [
        'an HTML page',
        {
          raw: {
            status: 407,
            headers: { 'content-type': 'text/html', 'proxy-authenticate': 'Basic realm="corp proxy"' },
            body: '<html><head><title>407 Proxy Authentication Required</title></head><body><h1>Proxy Authentication Required</h1></body></html>',
          },
        },
      ],
      ['no body', { raw: { status: 407, headers: { 'proxy-authenticate': 'Basic realm="corp proxy"', 'content-length': '0' }, body: '' } }],
    ];
    for (const [label, reply] of replies) {
      it(`says to put proxy credentials in http.proxy (${label})`, async () => {
        const d = await describeReply(reply);
        assert.equal(d.kind, 'network');
        assert.match(d.message, /proxy .* requires authentication \(HTTP 407\)/);
        assert.match(d.message, /http\.proxy .* HTTPS_PROXY/);
      });
    }

    it('another non-Bedrock page names the status, not a JSON parse error', async () => {
      const d = await describeReply({ raw: { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body>Bad Gateway</body></html>' } });
      assert.equal(d.kind, 'network');
      assert.match(d.message, /answered HTTP 502 with something that is not a Bedrock response/);
      assert.equal(d.fix, 'showLog');
    });
  });

  it('a stream cut short (the SDK adds "Deserialization error" on a 200) is an interrupted connection', async () => {
    const nova = modelIn('us-east-1', 'us.amazon.nova-micro-v1:0');
    server.onConverseStream = () => ({ events: textEvents(['one ', 'two ', 'three']), dropAfter: 3 });
    const err = (await thrownBy(server.endpoint, { model: nova })) as Error & { $metadata?: { httpStatusCode?: number } };
    assert.match(err.message, /^aborted\n\s+Deserialization error/, 'the shape this test is about');
    assert.equal(err.$metadata?.httpStatusCode, 200);
    const d = clean(describeError(err, { modelId: nova.id, region: 'us-east-1', endpoint: server.endpoint }));
    assert.equal(d.kind, 'network');
    assert.match(d.message, /was interrupted \((aborted|ECONNRESET)\) before the answer was complete/);
  });

  it("the SDK's connection timeout is not an idle timeout: retried, then 'cannot connect', not 'no data for too long'", async () => {
    // A socket that never connects (a SYN nobody answers), handed to the SDK's own handler.
    let attempts = 0;
    const agent = new https.Agent();
    (agent as unknown as { createConnection: () => net.Socket }).createConnection = () => {
      attempts++;
      const socket = new net.Socket();
      Object.defineProperty(socket, 'connecting', { value: true });
      return socket;
    };
    const client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: 'https://bedrock-runtime.us-east-1.amazonaws.com',
      token: { token: 'ABSKdGVzdA==' },
      authSchemePreference: ['httpBearerAuth'],
      requestHandler: new NodeHttpHandler({ httpsAgent: agent, connectionTimeout: 50 }),
    });
    const err = await client.send(new ConverseCommand({ modelId: claude.id, messages: [{ role: 'user', content: [{ text: 'hi' }] }] })).then(
      () => assert.fail('answered'),
      (e: unknown) => e as Error,
    );
    client.destroy();
    assert.equal(err.name, 'TimeoutError');
    assert.equal(isIdleTimeout(err), false, 'the idle-timeout rule leaves connection timeouts to the SDK');
    assert.equal(attempts, 3, 'retried by the SDK');
    const d = clean(describeError(err, { modelId: claude.id, region: 'us-east-1' }));
    assert.equal(d.kind, 'network');
    assert.match(d.message, /^Cannot connect to Bedrock at bedrock-runtime\.us-east-1\.amazonaws\.com: no connection within 50 ms, even after retries\. Check your network, VPN or proxy\.$/);
  });

  it('an unrecognised failure still names the next step', async () => {
    const d = await describeReply({ raw: { status: 409, headers: { 'content-type': 'application/json' }, body: '{}' } });
    assert.equal(d.kind, 'unknown');
    assert.match(d.message, /failed \(HTTP 409\)\. See "Bedrock: Show Log" for details\./);
    assert.equal(d.fix, 'showLog');
  });
});

describe('describeError on certificates Node does not trust', function () {
  let certs: CorporateCerts;
  before(() => (certs = makeCorporateCerts()));

  async function describeTls(chain: TestCert[]) {
    const tls = await startHttpsServer(chain);
    try {
      const err = await thrownBy(tls.url);
      assert.equal(tls.requests, 0, 'no request got past the TLS handshake');
      return { code: (err as { code?: string }).code, d: clean(describeError(err, { modelId: claude.id, region: 'us-east-1', auth: API_KEY, endpoint: tls.url })) };
    } finally {
      await tls.close();
    }
  }

  const untrusted: [string, (c: CorporateCerts) => TestCert[]][] = [
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', (c) => [c.leafViaIntermediate, c.intermediate]],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', (c) => [c.leaf]],
    ['SELF_SIGNED_CERT_IN_CHAIN', (c) => [c.leaf, c.ca]],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', (c) => [c.selfSigned]],
  ];
  for (const [expected, chain] of untrusted) {
    it(`${expected}: a TLS-inspecting proxy's CA; set NODE_EXTRA_CA_CERTS`, async () => {
      const { code, d } = await describeTls(chain(certs));
      assert.equal(code, expected, 'Node reports this code for this chain');
      assert.equal(d.kind, 'network');
      assert.match(d.message, new RegExp(`Cannot connect securely to https://127\\.0\\.0\\.1:\\d+ \\(${expected}\\): its certificate is not trusted`));
      assert.match(d.message, /proxy inspects TLS/);
      assert.match(d.message, /NODE_EXTRA_CA_CERTS .* restart VS Code/);
    });
  }

  it('CERT_HAS_EXPIRED: says the certificate is out of date and to check the clock', async () => {
    const { code, d } = await describeTls([certs.expired, certs.ca]);
    assert.equal(code, 'CERT_HAS_EXPIRED');
    assert.equal(d.kind, 'network');
    assert.match(d.message, /\(CERT_HAS_EXPIRED\): the certificate it presented is expired or not yet valid\. Check your computer's clock/);
  });

  it('the same server is reachable once its CA is trusted (the certificates themselves are sound)', async () => {
    const tls = await startHttpsServer([certs.leafViaIntermediate, certs.intermediate]);
    const client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: tls.url,
      token: { token: 'ABSKx' },
      authSchemePreference: ['httpBearerAuth'],
      requestHandler: new NodeHttpHandler({ httpsAgent: new https.Agent({ ca: certs.ca.cert }) }),
      maxAttempts: 1,
    });
    try {
      await assert.rejects(client.send(new ConverseCommand({ modelId: 'm', messages: [{ role: 'user', content: [{ text: 'hi' }] }] })), { name: 'ValidationException', message: 'reached the server' });
      assert.equal(tls.requests, 1);
    } finally {
      client.destroy();
      await tls.close();
    }
  });
});

describe('describeError on an expired SSO login', function () {
  let server: BedrockServer;
  before(async () => (server = await startBedrockServer()));
  after(() => server.close());

  const config = ['[profile corp]', 'sso_session = corp', 'sso_account_id = 1', 'sso_role_name = Dev', '[sso-session corp]', 'sso_start_url = https://corp.awsapps.com/start', 'sso_region = us-east-1'].join('\n');

  async function expiredLogin(auth: BedrockAuth, env: Record<string, string> = {}, cachedToken = true) {
    const home = makeTempAwsHome();
    try {
      home.writeConfig(config);
      if (cachedToken) home.writeSsoToken('corp', { accessToken: 'old', expiresAt: new Date(Date.now() - 60_000).toISOString() });
      const err = await withEnv(isolatedAwsEnv(home.home, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile, AWS_EC2_METADATA_DISABLED: 'true', ...env }), () =>
        thrownBy(server.endpoint, { auth }),
      );
      return clean(describeError(err, { modelId: claude.id, region: 'us-east-1', auth }));
    } finally {
      home.cleanup();
    }
  }

  it('offers Sign In (fix signIn) for an sso or profile sign-in, naming the profile and the CLI alternative', async () => {
    for (const auth of [{ kind: 'sso', profile: 'corp' }, { kind: 'profile', profile: 'corp' }] as BedrockAuth[]) {
      const d = await expiredLogin(auth);
      assert.equal(d.kind, 'credentials', auth.kind);
      assert.equal(d.fix, 'signIn', auth.kind);
      assert.equal(d.terminalCommand, undefined, auth.kind);
      assert.match(d.message, /session for AWS profile "corp" has expired or you are not signed in\. Run "Bedrock: Sign In with IAM Identity Center" \(or `aws sso login --profile corp` in a terminal\), then retry\./);
    }
  });

  it('with automatic sign-in, offers Sign In too: the SDK does not name the profile of an expired token', async () => {
    const d = await expiredLogin({ kind: 'automatic' }, { AWS_PROFILE: 'corp' });
    assert.equal(d.kind, 'credentials');
    assert.equal(d.fix, 'signIn');
    assert.equal(d.message, 'Your IAM Identity Center (SSO) session has expired or you are not signed in. Run "Bedrock: Sign In with IAM Identity Center" (or `aws sso login` in a terminal), then retry.');
  });

  it('never signed in: the SDK names the profile, so the message does too', async () => {
    const d = await expiredLogin({ kind: 'automatic' }, { AWS_PROFILE: 'corp' }, false);
    assert.equal(d.kind, 'credentials');
    assert.equal(d.fix, 'signIn');
    assert.match(d.message, /profile "corp".*`aws sso login --profile corp`/);
  });
});
