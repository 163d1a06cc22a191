/**
 * The fault suite, bad input (issue 11 item 3): settings and pasted secrets
 * that cannot work go through resolveState (what the controller does before
 * any request); requests Bedrock would refuse go through sendChat, the real
 * SDK client and a local server that checks bodies the way Bedrock does
 * (test/support/bedrockRules.ts), so a repair that stops working fails here.
 * Every message a user would see is checked for a next step.
 */
import * as assert from 'node:assert/strict';
import { BedrockAuth } from '../../src/core/auth/types';
import { ClientCache, ClientTarget } from '../../src/core/bedrock/client';
import { ChatMessage, ChatOptions, ChatTool } from '../../src/core/chat/types';
import { SettingKey, SettingLayers } from '../../src/core/config/settings';
import { ChatModel, listModels } from '../../src/core/models/chatModel';
import { resolveState } from '../../src/core/state';
import { httpError, metadataEvent, startBedrockServer, textEvents, toolUseEvents, type BedrockServer, type StreamScript } from '../support';
import { bedrockProblems, strictBedrock } from '../support/bedrockRules';
import { ChatOutcome, runChat } from '../support/chatPath';
import { assertUserFacing } from '../support/userFacing';

const none = { path: '/nonexistent', present: false, values: {}, unknownKeys: [] };
const models = listModels('us-east-1');
const claude = models.find((m) => m.id === 'us.anthropic.claude-sonnet-4-5-20250929-v1:0')!;
const nova = models.find((m) => m.id === 'us.amazon.nova-micro-v1:0')!;
const API_KEY = 'ABSKYmFkLWlucHV0LXN1aXRlLWtleS0wMDAwMDA=';
const ACCESS = { id: 'AKIABADINPUT00000001', secret: 'bad/input/secret/0000000000000000000000', session: 'bad-input-session-token-000000' };

const user = (...parts: ChatMessage['parts']): ChatMessage => ({ role: 'user', parts });
const assistant = (...parts: ChatMessage['parts']): ChatMessage => ({ role: 'assistant', parts });
const system = (t: string): ChatMessage => ({ role: 'system', parts: [{ type: 'text', text: t }] });
const text = (t: string) => ({ type: 'text' as const, text: t });

async function state(layers: Partial<Record<SettingKey, SettingLayers>>, secrets = {}, env: Record<string, string> = {}) {
  return resolveState({ layers, managed: none, secrets, env, profileRegion: async () => undefined });
}

/** The refusal the provider shows before sending (state.auth.message with its fix). */
function refusal(s: Awaited<ReturnType<typeof state>>) {
  assert.equal(s.auth.ok, false, 'requests must be refused before sending');
  if (s.auth.ok) throw new Error('unreachable');
  const shown = { kind: 'settings', message: s.auth.message, fix: s.auth.fix };
  assertUserFacing(shown);
  return shown;
}

describe('fault suite: bad settings', () => {
  for (const region of ['us-east-l', 'Frankfurt', 'eu-central', ' useast1 ']) {
    it(`region setting ${JSON.stringify(region)}: refused before sending, naming the setting and the fix, never another region`, async () => {
      const s = await state({ region: { user: region } }, { apiKey: API_KEY }, { AWS_REGION: 'us-west-2' });
      const shown = refusal(s);
      assert.ok(shown.message.includes('bedrockChat.region'), shown.message);
      assert.ok(shown.message.includes(region.trim()), shown.message);
      assert.equal(shown.fix, 'selectRegion');
    });
  }

  it('a malformed AWS_REGION is refused the same way', async () => {
    const shown = refusal(await state({}, { apiKey: API_KEY }, { AWS_REGION: 'Frankfurt' }));
    assert.match(shown.message, /AWS_REGION/);
  });

  for (const endpoint of ['not a url', 'ftp://gateway.example.com', 'http://gateway.example.com/bedrock', 'bedrock-runtime.us-east-1.amazonaws.com']) {
    it(`endpoint ${JSON.stringify(endpoint)}: refused, never sent to AWS's own endpoint instead`, async () => {
      const shown = refusal(await state({ endpoint: { user: endpoint } }, { apiKey: API_KEY }));
      assert.match(shown.message, /bedrockChat\.endpoint is invalid/);
      assert.match(shown.message, /https/);
    });
  }

  it('plain http to loopback (a local proxy or test server) is allowed', async () => {
    const s = await state({ endpoint: { user: 'http://127.0.0.1:8080/bedrock' } }, { apiKey: API_KEY });
    assert.ok(s.auth.ok);
    assert.equal(s.endpoint, 'http://127.0.0.1:8080/bedrock');
  });

  for (const method of ['apikey', 'sso-profile', 'AWS', 'iam']) {
    it(`method ${JSON.stringify(method)}: refused with the values that exist, not silently another method`, async () => {
      // A stored API key would otherwise win by precedence and be used without the user choosing it.
      const shown = refusal(await state({ authMethod: { user: method } }, { apiKey: API_KEY }));
      assert.ok(shown.message.includes('bedrockChat.authentication.method'), shown.message);
      assert.ok(shown.message.includes(`"${method}"`), shown.message);
      assert.match(shown.message, /automatic, profile, sso, iamCredentials, apiKey/);
      assert.equal(shown.fix, 'selectAuthMethod');
    });
  }

  for (const [method, fix] of [['apiKey', 'setApiKey'], ['iamCredentials', 'setIamCredentials']] as const) {
    it(`method ${method} with nothing to use: refused with the command that sets it`, async () => {
      const shown = refusal(await state({ authMethod: { user: method } }));
      assert.equal(shown.fix, fix);
    });
  }

  it("an administrator's invalid method tells the user to ask the administrator", async () => {
    const s = await resolveState({ layers: {}, managed: { ...none, present: true, values: { authMethod: 'kerberos' } }, secrets: { apiKey: API_KEY }, env: {}, profileRegion: async () => undefined });
    assert.match(refusal(s).message, /administrator.*Ask them/);
  });
});

describe('fault suite: pasted secrets', function () {
  this.timeout(20_000);
  let server: BedrockServer;
  let cache: ClientCache;
  before(async () => {
    server = await startBedrockServer({ strictAuth: true });
    server.addBearerToken(API_KEY);
    server.addCredentials(ACCESS.id, ACCESS.secret, ACCESS.session);
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    cache = new ClientCache();
  });
  afterEach(() => cache.dispose());

  /** Resolve like the controller, then send like the provider. */
  async function sendWith(secrets: object, env: Record<string, string> = {}, layers: Partial<Record<SettingKey, SettingLayers>> = {}): Promise<{ out: ChatOutcome; auth: BedrockAuth }> {
    const s = await state(layers, secrets, env);
    assert.ok(s.auth.ok, !s.auth.ok ? s.auth.message : '');
    const target: ClientTarget = { auth: s.auth.auth, region: s.region.region, endpoint: server.endpoint, idleTimeoutSeconds: 5 };
    return { out: await runChat(cache, target, { model: nova, messages: [user(text('hello'))] }), auth: s.auth.auth };
  }

  const pasted: [string, string][] = [
    ['spaces and a newline around it', `  ${API_KEY}\n`],
    ['a Windows line ending', `${API_KEY}\r\n`],
    ['a line break inside (wrapped when copied)', `${API_KEY.slice(0, 20)}\n${API_KEY.slice(20)}`],
    ['a space inside', `${API_KEY.slice(0, 12)} ${API_KEY.slice(12)}`],
  ];
  for (const [label, key] of pasted) {
    it(`an API key with ${label} is sent as the key itself`, async () => {
      const { out, auth } = await sendWith({ apiKey: key });
      assert.deepEqual(auth, { kind: 'apiKey', apiKey: API_KEY });
      assert.equal(out.text, 'Hello from the local Bedrock server.', out.shown?.message);
      assert.deepEqual(server.requests[0].auth, { kind: 'bearer', token: API_KEY });
    });
  }

  it('AWS_BEARER_TOKEN_BEDROCK with a line break inside works the same', async () => {
    const { out } = await sendWith({}, { AWS_BEARER_TOKEN_BEDROCK: `${API_KEY.slice(0, 9)}\n${API_KEY.slice(9)}\n` });
    assert.equal(out.text, 'Hello from the local Bedrock server.', out.shown?.message);
  });

  it('IAM credentials with stray whitespace sign validly', async () => {
    const { out } = await sendWith({ iamCredentials: { accessKeyId: ` ${ACCESS.id}\n`, secretAccessKey: `${ACCESS.secret}\n`, sessionToken: `${ACCESS.session.slice(0, 10)}\n${ACCESS.session.slice(10)}` } });
    assert.equal(out.text, 'Hello from the local Bedrock server.', out.shown?.message);
    const req = server.requests[0];
    assert.ok(req.auth.kind === 'sigv4' && req.auth.valid, JSON.stringify(req.auth));
  });

  // Bedrock's answer to a bearer token that is not shaped like an API key (capital "Message", as Bedrock sends it).
  const badFormat = (typed: boolean): StreamScript => ({
    raw: {
      status: 403,
      headers: { 'content-type': 'application/json', ...(typed ? { 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/' } : {}) },
      body: JSON.stringify({ Message: 'Invalid API Key format: Must start with pre-defined prefix' }),
    },
  });

  for (const typed of [true, false]) {
    it(`an access key ID pasted as the API key: says so and points to Set IAM Credentials (${typed ? 'typed' : 'untyped'} reply)`, async () => {
      server.strictAuth = false;
      server.onConverseStream = () => badFormat(typed);
      try {
        const { out } = await sendWith({ apiKey: 'AKIAIOSFODNN7EXAMPLE' });
        assert.ok(out.shown);
        assertUserFacing(out.shown);
        assert.equal(out.shown.kind, 'credentials');
        assert.equal(out.shown.fix, 'setIamCredentials');
        assert.match(out.shown.message, /access key ID/);
        assert.match(out.shown.message, /Set IAM Credentials/);
        assert.doesNotMatch(out.shown.message, /model access|IAM policy/);
      } finally {
        server.strictAuth = true;
      }
    });
  }

  it('something else that is not an API key: the key format is wrong, set a real one', async () => {
    server.strictAuth = false;
    server.onConverseStream = () => badFormat(true);
    try {
      const { out } = await sendWith({ apiKey: 'my-console-password' });
      assert.ok(out.shown);
      assertUserFacing(out.shown);
      assert.equal(out.shown.fix, 'setApiKey');
      assert.match(out.shown.message, /ABSK|bedrock-api-key-/);
    } finally {
      server.strictAuth = true;
    }
  });

  it('an API key pasted as the access key ID: says so and points to Set Bedrock API Key', async () => {
    const { out } = await sendWith({ iamCredentials: { accessKeyId: API_KEY, secretAccessKey: 'whatever' } });
    assert.ok(out.shown);
    assertUserFacing(out.shown);
    assert.equal(out.shown.kind, 'credentials');
    assert.equal(out.shown.fix, 'setApiKey');
    assert.match(out.shown.message, /looks like a Bedrock API key/);
  });
});

describe('fault suite: requests Bedrock would refuse', function () {
  this.timeout(20_000);
  let server: BedrockServer;
  let cache: ClientCache;
  const auth: BedrockAuth = { kind: 'apiKey', apiKey: API_KEY };

  before(async () => {
    server = await startBedrockServer({ strictAuth: true });
    server.addBearerToken(API_KEY);
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    server.onConverseStream = strictBedrock(() => textEvents('Accepted.'));
    cache = new ClientCache();
  });
  afterEach(() => cache.dispose());

  async function send(messages: ChatMessage[], options: ChatOptions = {}, model: ChatModel = claude): Promise<ChatOutcome> {
    return runChat(cache, { auth, region: 'us-east-1', endpoint: server.endpoint, idleTimeoutSeconds: 5 }, { model, messages, options });
  }
  /** Bedrock (as modelled) accepted the request and the answer came back whole. */
  function accepted(out: ChatOutcome) {
    assert.equal(out.text, 'Accepted.', out.shown ? `refused: ${out.shown.message}` : 'no answer');
    return server.requests[0].body;
  }

  it('the checks themselves refuse what Bedrock refuses (they can fail)', () => {
    assert.match(bedrockProblems({ messages: [] })[0], /must start with a user message/);
    assert.match(bedrockProblems({ messages: [{ role: 'user', content: [{ text: ' ' }] }] })[0], /blank/);
    assert.match(bedrockProblems({ messages: [{ role: 'user', content: [{ text: 'a' }] }, { role: 'user', content: [{ text: 'b' }] }] })[0], /alternate/);
    assert.ok(bedrockProblems({ messages: [{ role: 'user', content: [{ toolResult: { toolUseId: 'x', content: [] } }] }], toolConfig: { tools: [] } }).some((p) => /exceeds the number of toolUse/.test(p)));
    assert.ok(bedrockProblems({ messages: [{ role: 'user', content: [{ text: 'a' }] }], toolConfig: { tools: [{ toolSpec: { name: 'a.b', description: 'd', inputSchema: { json: { type: 'object' } } } }] } }).some((p) => /regular expression/.test(p)));
    assert.ok(bedrockProblems({ messages: [{ role: 'user', content: [{ text: 'a' }] }], toolConfig: { tools: [{ toolSpec: { name: 'a', description: 'd', inputSchema: { json: { type: 'string' } } } }] } }).some((p) => /Input should be 'object'/.test(p)));
  });

  describe('images', () => {
    /** A PNG header claiming `w`×`h`, padded to `bytes`. */
    const png = (bytes: number, w = 100, h = 100) => {
      const b = new Uint8Array(bytes);
      b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
      new DataView(b.buffer).setUint32(16, w);
      new DataView(b.buffer).setUint32(20, h);
      return b;
    };
    it('a huge image (5 MB) is left out with a placeholder the model sees and a note for the log; the rest is sent', async () => {
      const out = await send([user(text('What is this?'), { type: 'image', mimeType: 'image/png', data: png(5_000_000) })]);
      const body = accepted(out);
      const sent = JSON.stringify(body.messages);
      assert.match(sent, /An image was left out: it is 5\.00 MB/);
      assert.ok(out.notes.some((n) => /image was left out/.test(n)));
      assert.ok(out.log.some((l) => /^Note: .*image was left out/.test(l)), 'the note reaches the log');
    });

    it('an image of 9000 pixels a side, and one whose bytes are no image, are left out the same way', async () => {
      const out = await send([user(text('Compare.'), { type: 'image', mimeType: 'image/png', data: png(2_000, 9000, 100) }, { type: 'image', mimeType: 'image/jpeg', data: new Uint8Array(64) })]);
      const sent = JSON.stringify(accepted(out).messages);
      assert.match(sent, /9000×100 pixels/);
      assert.match(sent, /not a PNG, JPEG, GIF or WebP image/);
    });

    it('more than 20 images: the latest 20 go', async () => {
      const many = Array.from({ length: 25 }, () => ({ type: 'image' as const, mimeType: 'image/png' as const, data: png(100) }));
      const body = accepted(await send([user(text('All of these.'), ...many)]));
      assert.equal(body.messages[0].content.filter((b: { image?: unknown }) => b.image).length, 20);
    });
  });

  describe('tools', () => {
    const odd: ChatTool[] = [
      { name: 'mcp.github/search issues', description: 'Search issues', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } },
      { name: 'ünïcödé_tööl', description: 'Accents', inputSchema: { type: 'string' } },
      { name: 'x'.repeat(100), description: 'Long name', inputSchema: [] as unknown as object },
      { name: 'dup.name', description: 'First', inputSchema: undefined },
      { name: 'dup_name', description: 'Second', inputSchema: { properties: { a: { type: 'number' } } } },
      { name: 'no_description', description: '', inputSchema: { type: ['object', 'null'] } as object },
    ];

    it('invalid names and schemas are repaired so Bedrock accepts the tool list', async () => {
      const body = accepted(await send([user(text('Use a tool.'))], { tools: odd }));
      assert.equal(body.toolConfig.tools.length, odd.length);
    });

    it("the model's call to a renamed tool reaches the editor under the tool's own name", async () => {
      server.onConverseStream = strictBedrock((req) => {
        const sent = req.body.toolConfig.tools[0].toolSpec.name as string;
        return [{ messageStart: { role: 'assistant' } }, ...toolUseEvents(0, { toolUseId: 'call-1', name: sent, inputChunks: ['{"q":"bug"}'] }), { messageStop: { stopReason: 'tool_use' } }, metadataEvent()];
      });
      const out = await send([user(text('Search.'))], { tools: odd });
      assert.equal(out.shown, undefined, out.shown?.message);
      assert.deepEqual(out.events.find((e) => e.type === 'toolCall'), { type: 'toolCall', callId: 'call-1', name: 'mcp.github/search issues', input: { q: 'bug' } });
    });

    it('a history that calls renamed tools goes back under the names Bedrock was given', async () => {
      const body = accepted(
        await send(
          [
            user(text('Search.')),
            assistant({ type: 'toolCall', callId: 'c1', name: 'mcp.github/search issues', input: { q: 'x' } }),
            user({ type: 'toolResult', callId: 'c1', content: [{ type: 'text', text: 'none found' }] }),
          ],
          { tools: odd },
        ),
      );
      assert.equal(body.messages[1].content[0].toolUse.name, body.toolConfig.tools[0].toolSpec.name);
    });
  });

  describe('history', () => {
    it('no messages at all: refused before anything is sent, with what to do', async () => {
      const out = await send([]);
      assert.ok(out.shown, 'an error, not a request Bedrock refuses');
      assertUserFacing(out.shown);
      assert.equal(server.requests.length, 0);
    });

    it('only blank messages: the same', async () => {
      const out = await send([user(text('   ')), assistant(text('\n')), user(text('\t'))]);
      assert.ok(out.shown);
      assertUserFacing(out.shown);
      assert.equal(server.requests.length, 0);
    });

    it('tool results without a call become text; a call without a result gets one', async () => {
      const body = accepted(
        await send(
          [
            user(text('Go.'), { type: 'toolResult', callId: 'orphan', content: [{ type: 'text', text: 'stale output' }] }),
            assistant({ type: 'toolCall', callId: 'unanswered', name: 'get_weather', input: {} }),
            user(text('Never mind.')),
          ],
          { tools: [{ name: 'get_weather', description: 'Weather' }] },
        ),
      );
      assert.match(JSON.stringify(body.messages[0]), /stale output/);
      assert.equal(body.messages[2].content[0].toolResult.toolUseId, 'unanswered');
    });

    it('tool blocks in history when the request has no tools become text', async () => {
      const body = accepted(
        await send([
          user(text('Go.')),
          assistant({ type: 'toolCall', callId: 'c1', name: 'get_weather', input: { city: 'Oslo' } }),
          user({ type: 'toolResult', callId: 'c1', content: [{ type: 'text', text: 'Snow' }] }),
        ]),
      );
      assert.equal(body.toolConfig, undefined);
    });

    it('system messages in the middle of the history join the system prompt; the turns still alternate', async () => {
      const body = accepted(await send([system('Be brief.'), user(text('Hi')), system('Now answer in French.'), assistant(text('Bonjour')), system('   '), user(text('Encore'))]));
      assert.deepEqual(body.system.filter((b: { text?: string }) => b.text).map((b: { text: string }) => b.text), ['Be brief.', 'Now answer in French.']);
      assert.deepEqual(body.messages.map((m: { role: string }) => m.role), ['user', 'assistant', 'user']);
    });

    it('a history that starts with the assistant, repeats roles, or holds only thinking the model cannot take back', async () => {
      const body = accepted(
        await send(
          [assistant(text('Earlier answer')), user(text('a')), user(text('b')), assistant({ type: 'thinking', text: 'unsigned' }), user(text('c'))],
          {},
          nova,
        ),
      );
      assert.equal(body.messages[0].role, 'user');
      assert.ok(body.messages.every((m: { role: string }, i: number) => i === 0 || m.role !== body.messages[i - 1].role));
    });

    it('more than four cache breakpoints: the latest four are kept', async () => {
      const cp = { type: 'cachePoint' as const };
      const body = accepted(await send([system('S'), { role: 'system', parts: [cp] }, user(text('a'), cp), assistant(text('b'), cp), user(text('c'), cp), assistant(text('d'), cp), user(text('e'), cp)]));
      assert.ok(bedrockProblems(body).length === 0);
    });
  });

  it("a refusal Bedrock still sends (what the model decides) is shown with Bedrock's words and a next step", async () => {
    server.onConverseStream = () => httpError(400, 'ValidationException', 'messages.0.content.0.text: Text field is blank.');
    const out = await send([user(text('x'))]);
    assert.ok(out.shown);
    assertUserFacing(out.shown);
  });
});
