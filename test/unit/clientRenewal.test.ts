/**
 * Clients are rebuilt when credentials may have changed under them, and old
 * ones are destroyed once idle. The SDK memoises credentials that have no
 * expiry for a client's whole life, so without this, keys rotated in
 * ~/.aws/credentials kept being used until VS Code restarted.
 */
import * as assert from 'node:assert/strict';
import { BedrockAuth } from '../../src/core/auth/types';
import { ClientCache, ClientTarget } from '../../src/core/bedrock/client';
import { sendChat } from '../../src/core/bedrock/send';
import { listModels } from '../../src/core/models/chatModel';
import { httpError, isolatedAwsEnv, makeTempAwsHome, startBedrockServer, TempAwsHome, withEnv, type BedrockServer } from '../support';

const model = listModels('us-east-1').find((m) => m.family === 'nova-micro')!;
const hello = [{ role: 'user' as const, parts: [{ type: 'text' as const, text: 'hello' }] }];
const OLD = { id: 'AKIAROTATEOLD0000001', secret: 'old-secret' };
const NEW = { id: 'AKIAROTATENEW0000001', secret: 'new-secret' };
const keys = (k: { id: string; secret: string }) => `[dev]\naws_access_key_id = ${k.id}\naws_secret_access_key = ${k.secret}\n`;

describe('client renewal', function () {
  let server: BedrockServer;
  let home: TempAwsHome;
  let cache: ClientCache;
  let revoked: Set<string>;

  before(async () => (server = await startBedrockServer({ credentials: { [OLD.id]: OLD.secret, [NEW.id]: NEW.secret } })));
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    home = makeTempAwsHome();
    cache = new ClientCache();
    revoked = new Set();
    // IAM answers a deactivated key like this.
    server.override = (req) =>
      req.operation === 'converse-stream' && req.auth.kind === 'sigv4' && revoked.has(req.auth.accessKeyId)
        ? httpError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.')
        : undefined;
  });
  afterEach(() => {
    cache.dispose();
    home.cleanup();
  });

  const target = (auth: BedrockAuth = { kind: 'profile', profile: 'dev' }): ClientTarget => ({ auth, region: 'us-east-1', endpoint: server.endpoint });

  async function chat(t = target()) {
    return withEnv(isolatedAwsEnv(home.home, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile, AWS_EC2_METADATA_DISABLED: 'true' }), async () => {
      let text = '';
      const summary = await sendChat(cache, t, { model, messages: hello, options: {} }, new AbortController().signal, { onEvent: (e) => e.type === 'text' && (text += e.text) });
      assert.equal(text, 'Hello from the local Bedrock server.');
      return summary;
    });
  }
  const keysSeen = () => server.requests.map((r) => (r.auth.kind === 'sigv4' ? r.auth.accessKeyId : r.auth.kind));

  it('a key rotated in ~/.aws/credentials is picked up after the old one is refused, with one retry', async () => {
    home.writeCredentials(keys(OLD));
    await chat();
    home.writeCredentials(keys(NEW));
    revoked.add(OLD.id);
    const summary = await chat();
    assert.deepEqual(keysSeen(), [OLD.id, OLD.id, NEW.id]);
    assert.equal(summary.retriedAfter, 'UnrecognizedClientException');
  });

  it('renew() (the AWS files changed) makes the next request use the new key without a failed attempt', async () => {
    home.writeCredentials(keys(OLD));
    await chat();
    home.writeCredentials(keys(NEW));
    cache.renew();
    const summary = await chat();
    assert.deepEqual(keysSeen(), [OLD.id, NEW.id]);
    assert.equal(summary.retriedAfter, undefined);
  });

  it('renews once: when the rebuilt client is refused too, later requests are not doubled', async () => {
    home.writeCredentials(keys(OLD));
    revoked.add(OLD.id);
    await assert.rejects(chat(), { name: 'UnrecognizedClientException' });
    await assert.rejects(chat(), { name: 'UnrecognizedClientException' });
    assert.equal(server.requests.length, 3, 'two attempts for the first request, one for the second');
    // A success re-arms the renewal.
    revoked.delete(OLD.id);
    await chat();
    revoked.add(OLD.id);
    await assert.rejects(chat());
    assert.equal(server.requests.length, 6);
  });

  it('does not retry an API key or stored keys: a new client would send the same secret', async () => {
    server.addBearerToken('ABSKvalid000000000000000000');
    server.override = () => httpError(403, 'AccessDeniedException', 'Authentication failed: Please make sure your API Key is valid.');
    await assert.rejects(chat(target({ kind: 'apiKey', apiKey: 'ABSKexpired00000000000000' })));
    assert.equal(server.requests.length, 1);
  });

  it('destroys a replaced client once its last request is done, never while it streams', async () => {
    const destroyed: string[] = [];
    const lease = cache.acquire(target());
    const original = lease.client.destroy.bind(lease.client);
    lease.client.destroy = () => (destroyed.push('first'), original());
    cache.acquire({ ...target(), region: 'us-west-2' }).release(); // an auth/region switch while the first streams
    assert.deepEqual(destroyed, [], 'still in use');
    assert.equal(cache.liveClients, 2);
    lease.release();
    assert.deepEqual(destroyed, ['first']);
    assert.equal(cache.liveClients, 1);
    cache.renew();
    assert.equal(cache.liveClients, 0, 'an idle client is destroyed as soon as it is replaced');
  });

  it('keeps one client per (auth, region, endpoint) and rebuilds when one changes', () => {
    const t = { auth: { kind: 'apiKey' as const, apiKey: 'k1' }, region: 'us-east-1', endpoint: 'http://127.0.0.1:1' };
    const get = (x: ClientTarget) => {
      const l = cache.acquire(x);
      l.release();
      return l.client;
    };
    const a = get(t);
    assert.equal(get({ ...t }), a);
    const b = get({ ...t, region: 'us-west-2' });
    assert.notEqual(b, a);
    assert.notEqual(get({ ...t, region: 'us-west-2', auth: { kind: 'apiKey', apiKey: 'k2' } }), b);
  });
});

describe('sendChat notes', () => {
  it('reports what request building changed (a tool choice the model lacks) before the request is sent', async () => {
    const server = await startBedrockServer();
    const cache = new ClientCache();
    try {
      const llama = listModels('us-east-1').find((m) => m.family === 'llama-3.3')!;
      const notes: string[] = [];
      const tools = [{ name: 'read_file', description: 'Reads a file', inputSchema: { type: 'object', properties: {} } }];
      let requestsWhenNoted = -1;
      await sendChat(cache, { auth: { kind: 'apiKey', apiKey: 'ABSKnotes0000000000000000' }, region: 'us-east-1', endpoint: server.endpoint }, { model: llama, messages: hello, options: { tools, toolMode: 'required' } }, new AbortController().signal, {
        onEvent: () => {},
        onNote: (n) => {
          notes.push(n);
          requestsWhenNoted = server.requests.length;
        },
      });
      assert.equal(notes.length, 1, notes.join('\n'));
      assert.match(notes[0], /auto/);
      assert.equal(requestsWhenNoted, 0, 'noted before sending, so a failed request still logs it');
      assert.deepEqual(server.requests[0].body.toolConfig.toolChoice, { auto: {} });
    } finally {
      cache.dispose();
      await server.close();
    }
  });
});
