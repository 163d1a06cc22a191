/**
 * The fault suite (issue 11 item 3): what goes wrong on the wire, driven
 * through the path the product uses (sendChat + describeError, as
 * src/vscode/provider.ts does; test/support/chatPath.ts) with the real AWS SDK
 * client against the local Bedrock server, for each auth method where the
 * method changes what happens. Every error a user would see is checked for a
 * next step and for SDK internals (test/support/userFacing.ts).
 *
 * Fast by design: idle timeouts of a fraction of a second, no sleeps; the only
 * real wait is the one `retry-after` asks for. Timeouts only stop hangs.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { BedrockAuth } from '../../src/core/auth/types';
import { ClientCache, ClientTarget } from '../../src/core/bedrock/client';
import { IncompleteStreamError, InvalidToolInputError } from '../../src/core/bedrock/failures';
import { ChatEvent, ChatMessage, ChatOptions } from '../../src/core/chat/types';
import { ChatModel, listModels } from '../../src/core/models/chatModel';
import {
  delay,
  destroyConnection,
  drop,
  encodeEvent,
  exceptionEvent,
  httpError,
  isolatedAwsEnv,
  makeTempAwsHome,
  metadataEvent,
  noResponse,
  startBedrockServer,
  textEvents,
  toolUseEvents,
  withEnv,
  type BedrockServer,
  type RecordedRequest,
  type StreamEvent,
  type StreamScript,
  type TempAwsHome,
} from '../support';
import { ChatOutcome, runChat } from '../support/chatPath';
import { assertUserFacing } from '../support/userFacing';

const models = listModels('us-east-1');
const nova = models.find((m) => m.id === 'us.amazon.nova-micro-v1:0')!;
const claude = models.find((m) => m.id === 'us.anthropic.claude-sonnet-4-5-20250929-v1:0')!;
const hello: ChatMessage[] = [{ role: 'user', parts: [{ type: 'text', text: 'hello' }] }];
const weather = { name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } };

const API_KEY = 'ABSKZmF1bHQtc3VpdGUta2V5LTAwMDAwMDAwMDA=';
const STATIC = { id: 'AKIAFAULTSTATIC00001', secret: 'fault/static/secret/000000000000000000000', session: 'fault-static-session-token-0000' };
const DEV = { id: 'AKIAFAULTPROFILE0001', secret: 'fault/profile/secret/00000000000000000000' };
const SSO_TOKEN = 'fault-suite-sso-access-token';

/** The methods, as resolveAuth gives them. `automatic` finds the SSO profile through AWS_PROFILE. */
const METHODS: Record<string, BedrockAuth> = {
  apiKey: { kind: 'apiKey', apiKey: API_KEY },
  iamCredentials: { kind: 'iamCredentials', accessKeyId: STATIC.id, secretAccessKey: STATIC.secret, sessionToken: STATIC.session },
  profile: { kind: 'profile', profile: 'dev' },
  'profile (assume role)': { kind: 'profile', profile: 'deploy' },
  sso: { kind: 'sso', profile: 'corp' },
  automatic: { kind: 'automatic' },
};
/** The methods whose credentials come from an AWS service that issues them (renewable, expiring). */
const ISSUED = ['profile (assume role)', 'sso', 'automatic'] as const;

/** A TCP port that nothing listens on (just released). */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

const partial = (text = 'The answer starts '): StreamScript => [{ messageStart: { role: 'assistant' } }, { contentBlockDelta: { contentBlockIndex: 0, delta: { text } } }];

describe('fault suite: the wire', function () {
  this.timeout(20_000);
  let server: BedrockServer;
  let home: TempAwsHome;
  let cache: ClientCache;

  before(async () => {
    server = await startBedrockServer({ strictAuth: true });
    server.addBearerToken(API_KEY);
    server.addCredentials(STATIC.id, STATIC.secret, STATIC.session);
    server.addCredentials(DEV.id, DEV.secret);
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    server.issuedCredentials.length = 0;
    server.addSsoToken(SSO_TOKEN, { accountId: '111122223333', roleName: 'Dev' });
    home = makeTempAwsHome();
    home.writeCredentials(`[dev]\naws_access_key_id = ${DEV.id}\naws_secret_access_key = ${DEV.secret}\n`);
    home.writeConfig(
      [
        '[profile deploy]',
        'role_arn = arn:aws:iam::123456789012:role/Deploy',
        'source_profile = dev',
        '[profile corp]',
        'sso_session = corp',
        'sso_account_id = 111122223333',
        'sso_role_name = Dev',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = us-east-1',
      ].join('\n'),
    );
    home.writeSsoToken('corp', { accessToken: SSO_TOKEN, startUrl: 'https://corp.awsapps.com/start' });
    cache = new ClientCache();
  });
  afterEach(() => {
    cache.dispose();
    home.cleanup();
  });

  const target = (auth: BedrockAuth, o: Partial<ClientTarget> = {}): ClientTarget => ({
    auth,
    region: 'us-east-1',
    endpoint: server.endpoint,
    idleTimeoutSeconds: 5,
    credentialClientConfig: { endpoint: server.url },
    ...o,
  });

  /** One request down the provider's path, in an AWS environment of its own (AWS_PROFILE=corp for automatic). */
  function chat(
    auth: BedrockAuth,
    o: { target?: Partial<ClientTarget>; model?: ChatModel; messages?: ChatMessage[]; options?: ChatOptions; signal?: AbortSignal; onEvent?: (e: ChatEvent) => void; env?: Record<string, string> } = {},
  ): Promise<ChatOutcome> {
    const env = isolatedAwsEnv(home.home, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile, AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: 'corp', ...o.env });
    return withEnv(env, () =>
      runChat(cache, target(auth, o.target), { model: o.model ?? nova, messages: o.messages ?? hello, options: o.options }, { signal: o.signal, onEvent: o.onEvent }),
    );
  }

  /** The request failed with a message fit for a user; returns what was shown. */
  function failed(out: ChatOutcome, kind?: string) {
    assert.ok(out.shown, `expected an error, got ${out.cancelled ? 'a cancellation' : `the answer "${out.text}"`}`);
    assertUserFacing(out.shown);
    if (kind) assert.equal(out.shown.kind, kind, out.shown.message);
    return out.shown;
  }
  const streams = () => server.requests.filter((r) => r.operation === 'converse-stream');
  /** Every Bedrock request was signed validly by one set of credentials (the server checks the session token belongs to the key). */
  function validAuth(reqs: RecordedRequest[] = streams()) {
    for (const r of reqs) assert.ok(r.auth.kind === 'bearer' || (r.auth.kind === 'sigv4' && r.auth.valid), `request #${r.index}: ${JSON.stringify(r.auth)}`);
  }

  describe('429 before the stream', () => {
    it('is retried after the wait retry-after asks for, then answers', async () => {
      let n = 0;
      server.onConverseStream = () => (n++ === 0 ? httpError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.', { headers: { 'retry-after': '1.5' } }) : textEvents('Answered after the wait.'));
      const out = await chat(METHODS.apiKey);
      assert.equal(out.text, 'Answered after the wait.');
      const [first, second] = streams();
      assert.equal(streams().length, 2);
      // The SDK's own first backoff for throttling is under 1 s; only the header makes it wait 1.5 s.
      assert.ok(second.receivedAt - first.receivedAt >= 1400, `retried after ${second.receivedAt - first.receivedAt} ms despite retry-after: 1.5`);
    });

    for (const name of Object.keys(METHODS)) {
      it(`${name}: each retry is authenticated afresh and the answer is complete`, async () => {
        let n = 0;
        server.onConverseStream = () => (n++ === 0 ? httpError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.') : textEvents('Second time lucky.'));
        const out = await chat(METHODS[name]);
        assert.equal(out.text, 'Second time lucky.', out.shown?.message);
        assert.equal(streams().length, 2);
        validAuth();
        if (name !== 'apiKey') assert.notEqual(streams()[0].headers.authorization, streams()[1].headers.authorization, 'the retry is signed again');
      });
    }

    it('still throttled after the retries: says to wait and what else helps', async () => {
      server.onConverseStream = () => httpError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.');
      const shown = failed(await chat(METHODS.profile), 'throttled');
      assert.equal(streams().length, 3, 'the SDK tried three times');
      assert.match(shown.message, new RegExp(`throttling requests to ${nova.id.replace(/\./g, '\\.')}`));
      assert.match(shown.message, /Wait a minute and retry/);
    });
  });

  describe('5xx before the stream', () => {
    it('a 500 is retried and the next attempt answers', async () => {
      let n = 0;
      server.onConverseStream = () => (n++ === 0 ? httpError(500, 'InternalServerException', 'The server encountered an internal error.') : textEvents('Recovered.'));
      assert.equal((await chat(METHODS.sso)).text, 'Recovered.');
      assert.equal(streams().length, 2);
      validAuth();
    });

    for (const [status, type] of [[500, 'InternalServerException'], [503, 'ServiceUnavailableException'], [503, '']] as const) {
      it(`${status} ${type || 'without an error type'} on every attempt: Bedrock failed, retry`, async () => {
        server.onConverseStream = () =>
          type ? httpError(status, type, 'Bedrock is unable to process your request.') : { raw: { status, headers: { 'content-type': 'application/json' }, body: '{"message":"Service Unavailable"}' } };
        const shown = failed(await chat(METHODS.apiKey), 'service');
        assert.equal(streams().length, 3);
        assert.match(shown.message, /retry/i);
      });
    }

    it("a gateway's HTML error page says to check the proxy and endpoint, not a JSON parse error", async () => {
      server.onConverseStream = () => ({ raw: { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' } });
      const shown = failed(await chat(METHODS.apiKey), 'network');
      assert.match(shown.message, /HTTP 502 .* not a Bedrock response/);
    });
  });

  describe('exceptions inside the stream', () => {
    const cases: [string, string, string][] = [
      ['internalServerException', 'The server encountered an internal error while processing the request.', 'service'],
      ['modelStreamErrorException', 'The model stopped streaming unexpectedly.', 'service'],
      ['validationException', 'The model returned the following errors: Output blocked by a content filter.', 'validation'],
      ['throttlingException', 'Too many tokens, please wait before trying again.', 'throttled'],
      ['serviceUnavailableException', 'Bedrock is unable to process your request.', 'service'],
    ];
    for (const [type, message, kind] of cases) {
      for (const name of ['apiKey', 'sso']) {
        it(`${type} (${name}): the text so far stays, the error says what to do, nothing is retried or renewed`, async () => {
          server.onConverseStream = () => [...(partial() as object[]), exceptionEvent(type, message)] as StreamScript;
          const out = await chat(METHODS[name]);
          assert.equal(out.text, 'The answer starts ');
          const shown = failed(out, kind);
          assert.equal(streams().length, 1, 'an exception inside the stream is not retried');
          assert.equal(cache.liveClients, 1, 'nor does it rebuild the client');
          assert.ok(shown.message.includes(message.replace(/\.$/, '')), `Bedrock's words are kept: ${shown.message}`);
        });
      }
    }

    it('a throttle inside the stream does not claim the SDK retried it', async () => {
      server.onConverseStream = () => [...(partial() as object[]), exceptionEvent('throttlingException', 'Too many tokens, please wait before trying again.')] as StreamScript;
      const shown = failed(await chat(METHODS.apiKey), 'throttled');
      assert.doesNotMatch(shown.message, /after retries/);
    });
  });

  describe('the connection', () => {
    it('dropped mid-stream: interrupted, retry; never retried once text was shown, and not renewed', async () => {
      server.onConverseStream = () => [...textEvents(['one ', 'two ', 'three']).slice(0, 3), delay(50), drop()];
      const out = await chat(METHODS.profile);
      assert.ok('one two '.startsWith(out.text), `only what arrived before the drop: ${out.text}`);
      const shown = failed(out, 'network');
      assert.match(shown.message, /interrupted .* before the answer was complete\. Retry/);
      // The SDK may retry a drop that comes before it hands the stream over; after that, never.
      if (out.text) assert.equal(streams().length, 1, 'text was shown, so the request was not sent again');
      assert.equal(cache.liveClients, 1);
    });

    it('reset before the headers: the SDK retries and the next attempt answers', async () => {
      let n = 0;
      server.onConverseStream = () => (n++ === 0 ? destroyConnection() : textEvents('After a reset.'));
      assert.equal((await chat(METHODS.apiKey)).text, 'After a reset.');
      assert.equal(streams().length, 2);
    });

    it('reset before the headers every time: a clear network error after the retries', async () => {
      server.onConverseStream = () => destroyConnection();
      const shown = failed(await chat(METHODS.apiKey), 'network');
      assert.equal(streams().length, 3);
      assert.match(shown.message, /Retry|Check your network/);
    });

    it('stalled mid-stream: the idle timeout ends it (never a hang) with a message naming the setting', async () => {
      server.onConverseStream = () => ({ events: textEvents(['one ', 'two']), hangAfter: 2 });
      const out = await chat(METHODS.apiKey, { target: { idleTimeoutSeconds: 0.3 } });
      assert.equal(out.text, 'one ');
      const shown = failed(out, 'network');
      assert.match(shown.message, /No data from Bedrock for too long/);
      assert.match(shown.message, /bedrockChat\.idleTimeoutSeconds/);
      assert.equal(streams().length, 1);
      assert.equal((await streams()[0].done), 'client-closed', 'the stalled connection was closed by the client');
    });

    it('stalled before the headers: one idle timeout, not retried (the SDK would wait it three times), a message naming the setting', async () => {
      server.onConverseStream = () => noResponse();
      const shown = failed(await chat(METHODS.sso, { target: { idleTimeoutSeconds: 0.3 } }), 'network');
      assert.match(shown.message, /No data from Bedrock for too long while waiting for .* to start answering; the request was abandoned, not retried/);
      assert.match(shown.message, /bedrockChat\.idleTimeoutSeconds/);
      assert.equal(streams().length, 1, 'not retried: the user has already waited the whole timeout');
      assert.equal(await streams()[0].done, 'client-closed');
    });

    it('a truncated frame: the answer is incomplete, retry (no SDK dump)', async () => {
      const frame = encodeEvent({ contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'lost words' } } });
      server.onConverseStream = () => [...(partial() as object[]), { kind: 'raw', bytes: frame.subarray(0, frame.length - 7) }] as StreamScript;
      const out = await chat(METHODS.apiKey);
      assert.equal(out.text, 'The answer starts ');
      const shown = failed(out);
      assert.match(shown.message, /incomplete|damaged|interrupted/i);
      assert.match(shown.message, /retry/i);
    });

    it('a corrupted frame (bad checksum): the same, not a deserialisation dump', async () => {
      const frame = Buffer.from(encodeEvent({ contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'garbled' } } }));
      frame[frame.length - 1] ^= 0xff;
      server.onConverseStream = () => [...(partial() as object[]), { kind: 'raw', bytes: frame }] as StreamScript;
      const shown = failed(await chat(METHODS.apiKey));
      assert.match(shown.message, /damaged|incomplete/i);
    });

    it('no messageStop: an incomplete answer is an error, not a short answer', async () => {
      server.onConverseStream = () => textEvents('Cut short', { omitMessageStop: true, omitMetadata: true });
      const out = await chat(METHODS.apiKey);
      assert.ok(out.error instanceof IncompleteStreamError);
      assert.match(failed(out, 'service').message, /incomplete; please retry/);
    });

    it('no metadata after messageStop: the same', async () => {
      server.onConverseStream = () => textEvents('Cut short', { omitMetadata: true });
      assert.ok((await chat(METHODS.apiKey)).error instanceof IncompleteStreamError);
    });

    for (const name of ['apiKey', 'sso']) {
      it(`connection refused (${name}): names the address tried and what to check`, async () => {
        const endpoint = `http://127.0.0.1:${await closedPort()}`;
        const shown = failed(await chat(METHODS[name], { target: { endpoint } }), 'network');
        assert.ok(shown.message.includes(`${endpoint} (ECONNREFUSED)`), shown.message);
        assert.match(shown.message, /Check your network or proxy, and the bedrockChat\.endpoint setting/);
      });
    }

    it('DNS failure: names the host and what to check', async () => {
      const endpoint = 'https://bedrock-runtime.fault-suite.invalid';
      const shown = failed(await chat(METHODS.apiKey, { target: { endpoint } }), 'network');
      assert.match(shown.message, /bedrock-runtime\.fault-suite\.invalid \((ENOTFOUND|EAI_AGAIN)\)/);
    });

    it('the IAM Identity Center portal refuses connections: a network problem, not "sign in again"', async () => {
      const portal = `http://127.0.0.1:${await closedPort()}`;
      const shown = failed(await chat(METHODS.sso, { target: { credentialClientConfig: { endpoint: portal } } }), 'network');
      assert.doesNotMatch(shown.message, /Sign in again|Sign In with IAM/);
      assert.match(shown.message, /credentials/);
      assert.ok(shown.message.includes('ECONNREFUSED'), shown.message);
      assert.equal(streams().length, 0, 'nothing reached Bedrock');
    });

    it('STS cannot be resolved (DNS): names the credential service, not Bedrock', async () => {
      const shown = failed(await chat(METHODS['profile (assume role)'], { target: { credentialClientConfig: { endpoint: 'https://sts.fault-suite.invalid' } } }), 'network');
      assert.ok(!shown.message.includes(server.endpoint), `blames Bedrock's endpoint: ${shown.message}`);
      assert.match(shown.message, /sts\.fault-suite\.invalid/);
      assert.match(shown.message, /credentials/);
    });
  });

  describe('cancellation', () => {
    it('before the headers: the request ends at once as cancelled, the server sees the close, nothing is retried', async () => {
      server.onConverseStream = () => noResponse();
      const abort = new AbortController();
      const pending = chat(METHODS.profile, { signal: abort.signal });
      const req = await server.waitForRequest((r) => r.operation === 'converse-stream');
      abort.abort();
      const out = await pending;
      assert.ok(out.cancelled && !out.shown, 'a cancelled request shows no error');
      assert.equal((out.error as Error).name, 'AbortError');
      assert.equal((await server.streamClosedByClient(req.index)).outcome, 'client-closed');
      assert.equal(streams().length, 1);
      assert.equal(cache.liveClients, 1, 'not renewed');
    });

    it('mid-stream: the text so far stays and the server sees the stream closed', async () => {
      server.onConverseStream = () => ({ events: textEvents(['first ', 'second']), hangAfter: 2 });
      const abort = new AbortController();
      const out = await chat(METHODS.apiKey, { signal: abort.signal, onEvent: (e) => e.type === 'text' && abort.abort() });
      assert.ok(out.cancelled && !out.shown);
      assert.equal(out.text, 'first ');
      assert.equal((await server.streamClosedByClient()).outcome, 'client-closed');
    });

    it('while the SDK waits to retry a 429: no further attempt reaches Bedrock', async () => {
      server.onConverseStream = () => httpError(429, 'ThrottlingException', 'Too many requests', { headers: { 'retry-after': '0.3' } });
      const abort = new AbortController();
      const pending = chat(METHODS.apiKey, { signal: abort.signal });
      const first = await server.waitForRequest((r) => r.operation === 'converse-stream');
      assert.equal(await first.done, 'completed', 'the 429 was delivered: the SDK is now waiting to retry');
      abort.abort();
      const out = await pending;
      assert.ok(out.cancelled && !out.shown);
      assert.equal((out.error as Error).name, 'AbortError');
      assert.equal(streams().length, 1);
    });
  });

  describe('credentials that expire', () => {
    it('sso: role credentials within five minutes of expiry are fetched again; every request is signed by one set', async () => {
      server.addSsoToken(SSO_TOKEN, { accountId: '111122223333', roleName: 'Dev', credentialLifetimeMs: 4 * 60_000 });
      for (let i = 0; i < 2; i++) assert.equal((await chat(METHODS.sso)).text, 'Hello from the local Bedrock server.');
      const outs = await withEnv(isolatedAwsEnv(home.home, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile }), () =>
        Promise.all(Array.from({ length: 4 }, () => runChat(cache, target(METHODS.sso), { model: nova, messages: hello }))),
      );
      for (const o of outs) assert.equal(o.text, 'Hello from the local Bedrock server.', o.shown?.message);
      validAuth();
      const issued = new Set(server.issuedCredentials.map((c) => c.accessKeyId));
      const used = streams().map((r) => (r.auth.kind === 'sigv4' ? r.auth.accessKeyId : ''));
      assert.ok(used.every((k) => issued.has(k)), 'only keys the portal issued');
      assert.ok(new Set(used).size >= 3, `refreshed: ${used.join(' ')}`);
    });

    it('assume role: a session of four minutes is renewed per request, never mixed', async () => {
      home.writeConfig(`[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/Deploy\nsource_profile = dev\nduration_seconds = 240\n`);
      for (let i = 0; i < 3; i++) assert.equal((await chat(METHODS['profile (assume role)'])).text, 'Hello from the local Bedrock server.');
      validAuth();
      const keys = streams().map((r) => (r.auth.kind === 'sigv4' ? r.auth.accessKeyId : ''));
      assert.equal(new Set(keys).size, 3, keys.join(' '));
    });

    for (const name of ISSUED) {
      it(`${name}: a 403 for an expired token renews the credentials and retries once, then answers`, async () => {
        // Bedrock refuses the first credentials issued, as it does once their session has ended.
        server.override = (req) =>
          req.operation === 'converse-stream' && req.auth.kind === 'sigv4' && req.auth.accessKeyId === server.issuedCredentials[0]?.accessKeyId
            ? httpError(403, 'ExpiredTokenException', 'The security token included in the request is expired')
            : undefined;
        const out = await chat(METHODS[name]);
        assert.equal(out.text, 'Hello from the local Bedrock server.', out.shown?.message);
        assert.equal(out.summary?.retriedAfter, 'ExpiredTokenException');
        assert.ok(out.log.some((l) => /^Retried: .*\(fresh credentials\) after ExpiredTokenException/.test(l)));
        assert.equal(streams().length, 2);
        assert.equal(server.issuedCredentials.length, 2, 'fresh credentials were fetched');
        validAuth();
      });
    }

    for (const [name, fix] of [['apiKey', 'setApiKey'], ['iamCredentials', 'setIamCredentials']] as const) {
      it(`${name}: a 403 for an expired token is not retried (the same secret would go again) and says how to replace it`, async () => {
        server.onConverseStream = () => httpError(403, 'ExpiredTokenException', 'The security token included in the request is expired');
        const shown = failed(await chat(METHODS[name]), 'credentials');
        assert.equal(shown.fix, fix);
        assert.match(shown.message, /expired/);
        assert.equal(streams().length, 1);
      });
    }

    it('still refused after renewal: the expired-credentials message, once, with the sign-in fix', async () => {
      server.onConverseStream = () => httpError(403, 'ExpiredTokenException', 'The security token included in the request is expired');
      const shown = failed(await chat(METHODS.sso), 'credentials');
      assert.equal(shown.fix, 'signIn');
      assert.equal(streams().length, 2, 'one renewal, no more');
    });
  });

  describe("the model's output", () => {
    it('malformed JSON in a streamed tool input: says the model erred and to retry; the text before it stays', async () => {
      server.onConverseStream = () => [
        ...(partial('Let me check. ') as StreamEvent[]),
        { contentBlockStop: { contentBlockIndex: 0 } },
        ...toolUseEvents(1, { toolUseId: 'call-1', name: 'get_weather', inputChunks: ['{"city": "Par', 'is"'] }),
        { messageStop: { stopReason: 'tool_use' } },
        metadataEvent(),
      ];
      const out = await chat(METHODS.apiKey, { model: claude, options: { tools: [weather] } });
      assert.ok(out.error instanceof InvalidToolInputError);
      assert.equal(out.text, 'Let me check. ');
      assert.ok(!out.events.some((e) => e.type === 'toolCall'), 'no half-made tool call reaches the editor');
      const shown = failed(out, 'service');
      assert.match(shown.message, /tool "get_weather" .* not valid JSON .* retry/i);
    });
  });

  describe('an unknown or unavailable model', () => {
    const custom = listModels('eu-west-1', [{ id: 'eu.acme.imaginary-model-v1:0' }]).find((m) => m.id === 'eu.acme.imaginary-model-v1:0')!;
    const replies: [string, StreamScript][] = [
      ['ValidationException', httpError(400, 'ValidationException', 'The provided model identifier is invalid.')],
      ['no error type (the SDK says "Unknown")', { raw: { status: 400, headers: { 'content-type': 'application/json' }, body: '{"message":"The provided model identifier is invalid."}' } }],
      ['ResourceNotFoundException', httpError(404, 'ResourceNotFoundException', 'Model not found.')],
      ['end of life', httpError(404, 'ResourceNotFoundException', 'This model version has reached the end of its life. Please refer to the AWS documentation for more details.')],
    ];
    for (const [label, reply] of replies) {
      it(`${label}: names the model and the region and says what to pick`, async () => {
        server.onConverseStream = () => reply;
        const shown = failed(await chat(METHODS.apiKey, { model: custom, target: { region: 'eu-west-1' } }), 'modelNotFound');
        assert.ok(shown.message.includes('eu.acme.imaginary-model-v1:0'), shown.message);
        assert.ok(shown.message.includes('eu-west-1'), shown.message);
        assert.equal(shown.fix, 'selectRegion');
        assert.match(shown.message, /Pick another model/);
      });
    }

    it('needs an inference profile: names the profile id to use', async () => {
      server.onConverseStream = () =>
        httpError(400, 'ValidationException', 'Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.');
      const direct = listModels('us-east-1', [{ id: 'anthropic.claude-sonnet-4-5-20250929-v1:0' }]).find((m) => m.id === 'anthropic.claude-sonnet-4-5-20250929-v1:0')!;
      const shown = failed(await chat(METHODS.apiKey, { model: direct }), 'modelNotFound');
      assert.match(shown.message, /us\.anthropic\.claude-sonnet-4-5-20250929-v1:0/);
      assert.match(shown.message, /us-east-1/);
    });
  });
});
