/**
 * Self-tests for the local Bedrock server in test/support, driven by the real AWS SDK v3.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import {
  ConverseStreamCommand,
  ConverseCommand,
  CountTokensCommand,
  type ConverseStreamOutput,
  type BedrockRuntimeClient,
} from '@aws-sdk/client-bedrock-runtime';
import { ListFoundationModelsCommand, ListInferenceProfilesCommand, paginateListInferenceProfiles } from '@aws-sdk/client-bedrock';
import { fromSSO, fromIni, fromTokenFile } from '@aws-sdk/credential-providers';
import {
  startBedrockServer,
  textEvents,
  toolUseEvents,
  exceptionEvent,
  httpError,
  hang,
  delay,
  type BedrockServer,
} from '../support/bedrockServer';
import { runtimeClientFor, controlClientFor, TEST_ACCESS_KEY_ID } from '../support/clients';
import { loadCassette, loadInteraction, listCassettes } from '../support/recordings';
import { decodeFrames } from '../support/eventStream';
import { makeTempAwsHome, withEnv, isolatedAwsEnv, interceptSsoToken, type TempAwsHome } from '../support/awsEnv';

const MSG = [{ role: 'user' as const, content: [{ text: 'hello' }] }];

async function collect(stream: AsyncIterable<ConverseStreamOutput> | undefined): Promise<ConverseStreamOutput[]> {
  const out: ConverseStreamOutput[] = [];
  for await (const ev of stream ?? []) out.push(ev);
  return out;
}

function eventNames(events: ConverseStreamOutput[]): string[] {
  return events.map((e) => Object.keys(e).filter((k) => (e as unknown as Record<string, unknown>)[k] !== undefined)[0]);
}

function rawPost(url: string, headers: Record<string, string>, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function textOf(events: ConverseStreamOutput[]): string {
  return events.map((e) => e.contentBlockDelta?.delta?.text ?? '').join('');
}

describe('local Bedrock server (test/support)', function () {
  let server: BedrockServer;
  let client: BedrockRuntimeClient;

  beforeEach(async () => {
    server = await startBedrockServer();
    client = runtimeClientFor(server);
  });
  afterEach(async () => {
    client.destroy();
    await server.close();
  });

  it('listens on 127.0.0.1 and streams a default answer', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const out = await client.send(new ConverseStreamCommand({ modelId: 'us.amazon.nova-micro-v1:0', messages: MSG }));
    const events = await collect(out.stream);
    assert.equal(textOf(events), 'Hello from the local Bedrock server.');
    assert.equal(events.find((e) => e.messageStop)?.messageStop?.stopReason, 'end_turn');
    assert.ok(events.some((e) => e.metadata?.usage?.totalTokens));
    const req = server.requests[0];
    assert.equal(req.operation, 'converse-stream');
    assert.equal(req.modelId, 'us.amazon.nova-micro-v1:0');
    assert.deepEqual(req.body.messages, MSG);
    assert.equal(req.outcome, 'completed');
  });

  it('delivers a scripted stream (text + tool use) as SDK events, model ARN decoded', async () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0';
    server.onConverseStream = () => [
      { messageStart: { role: 'assistant' } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Let me check.' } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      ...toolUseEvents(1, { toolUseId: 't1', name: 'get_weather', inputChunks: ['{"city":', '"Paris"}'] }),
      { messageStop: { stopReason: 'tool_use' } },
      { metadata: { usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 }, metrics: { latencyMs: 5 } } },
    ];
    const out = await client.send(new ConverseStreamCommand({ modelId: arn, messages: MSG }));
    const events = await collect(out.stream);
    assert.deepEqual(eventNames(events), [
      'messageStart',
      'contentBlockDelta',
      'contentBlockStop',
      'contentBlockStart',
      'contentBlockDelta',
      'contentBlockDelta',
      'contentBlockStop',
      'messageStop',
      'metadata',
    ]);
    assert.equal(events[3].contentBlockStart?.start?.toolUse?.name, 'get_weather');
    assert.equal(events[4].contentBlockDelta?.delta?.toolUse?.input! + events[5].contentBlockDelta?.delta?.toolUse?.input!, '{"city":"Paris"}');
    assert.equal(events[8].metadata?.usage?.totalTokens, 3);
    assert.equal(server.requests[0].modelId, arn);
  });

  it('stream exception events become SDK exceptions mid-stream', async () => {
    for (const [type, name] of [
      ['throttlingException', 'ThrottlingException'],
      ['modelStreamErrorException', 'ModelStreamErrorException'],
      ['validationException', 'ValidationException'],
    ]) {
      server.onConverseStream = () => [...textEvents('partial', { omitMessageStop: true, omitMetadata: true }), exceptionEvent(type, `boom ${type}`)];
      const out = await client.send(new ConverseStreamCommand({ modelId: 'm', messages: MSG }));
      const seen: ConverseStreamOutput[] = [];
      await assert.rejects(
        (async () => {
          for await (const ev of out.stream!) seen.push(ev);
        })(),
        (e: Error) => e.name === name && e.message === `boom ${type}`,
      );
      assert.equal(textOf(seen), 'partial');
    }
  });

  it('a stream that ends without messageStop just ends', async () => {
    server.onConverseStream = () => textEvents('cut short', { omitMessageStop: true, omitMetadata: true });
    const out = await client.send(new ConverseStreamCommand({ modelId: 'm', messages: MSG }));
    const events = await collect(out.stream);
    assert.equal(textOf(events), 'cut short');
    assert.ok(!events.some((e) => e.messageStop));
  });

  it('dropping the connection mid-stream fails the SDK iteration', async () => {
    // (with no delay the drop can surface at send() already, as an "aborted" deserialization error)
    server.onConverseStream = () => ({ events: textEvents('one two three four'), dropAfter: 2, delayMs: 30 });
    const out = await client.send(new ConverseStreamCommand({ modelId: 'm', messages: MSG }));
    await assert.rejects(collect(out.stream), /aborted/);
    const req = server.requests[0];
    assert.equal(await req.done, 'server-dropped');
    assert.equal(req.framesSent, 2);
  });

  it('HTTP errors become the right SDK exception names', async () => {
    const cases: [number, string][] = [
      [403, 'AccessDeniedException'],
      [429, 'ThrottlingException'],
      [400, 'ValidationException'],
      [404, 'ResourceNotFoundException'],
      [403, 'UnrecognizedClientException'],
      [403, 'ExpiredTokenException'],
      [503, 'ServiceUnavailableException'],
    ];
    for (const [status, type] of cases) {
      server.onConverseStream = () => httpError(status, type, `msg ${type}`);
      await assert.rejects(client.send(new ConverseStreamCommand({ modelId: 'm', messages: MSG })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.name, type);
        assert.equal(e.message, `msg ${type}`);
        assert.equal(e.$metadata?.httpStatusCode, status);
        return true;
      });
    }
    // Bedrock's real header carries a suffix; the SDK strips it. A body `__type` works too.
    server.onConverse = () => httpError(400, 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/', 'bad');
    await assert.rejects(client.send(new ConverseCommand({ modelId: 'm', messages: MSG })), { name: 'ValidationException' });
    server.onConverse = () => httpError(403, 'AccessDeniedException', 'no', { typeIn: 'body' });
    await assert.rejects(client.send(new ConverseCommand({ modelId: 'm', messages: MSG })), { name: 'AccessDeniedException' });
  });

  it('replays recorded streams, and recorded errors', async () => {
    server.replay(loadInteraction('test_bedrock_model_stream', 'converse-stream'));
    const out = await client.send(new ConverseStreamCommand({ modelId: 'us.amazon.nova-micro-v1:0', messages: MSG }));
    const events = await collect(out.stream);
    assert.match(textOf(events), /^The capital of France is Paris\./);
    assert.equal(events.at(-1)?.metadata?.usage?.outputTokens, 82);

    server.replay(loadInteraction('test_bedrock_model_thinking_part_redacted_stream'), { frameDelayMs: 1 });
    const red = await collect((await client.send(new ConverseStreamCommand({ modelId: 'x', messages: MSG }))).stream);
    assert.ok(red.some((e) => e.contentBlockDelta?.delta?.reasoningContent?.redactedContent instanceof Uint8Array));

    // the error recordings carry no x-amzn-ErrorType: the SDK then cannot name the error
    server.replay(loadInteraction('test_bedrock_streaming_error'));
    await assert.rejects(client.send(new ConverseStreamCommand({ modelId: 'x', messages: MSG })), (e: Error) => {
      assert.equal(e.message, 'The provided model identifier is invalid.');
      assert.notEqual(e.name, 'ValidationException');
      return true;
    });
    server.replay(loadInteraction('test_bedrock_streaming_error'), { errorType: 'ValidationException' });
    await assert.rejects(client.send(new ConverseStreamCommand({ modelId: 'x', messages: MSG })), { name: 'ValidationException' });

    server.replay(loadInteraction('test_bedrock_count_tokens_tool_config'));
    const ct = await client.send(new CountTokensCommand({ modelId: 'anthropic.claude-sonnet-4-20250514-v1:0', input: { converse: { messages: MSG } } }));
    assert.equal(typeof ct.inputTokens, 'number');
  });

  it('every stream cassette decodes with the event-stream codec', () => {
    const types = new Set<string>();
    for (const name of listCassettes()) {
      for (const it of loadCassette(name)) {
        if (it.operation !== 'converse-stream' || it.status !== 200) continue;
        for (const f of decodeFrames(it.body)) {
          types.add(`${f.messageType}:${f.eventType ?? f.exceptionType}`);
          const p = f.payload as { delta?: Record<string, unknown>; start?: Record<string, unknown> };
          if (p?.delta) for (const k of Object.keys(p.delta)) types.add(`  delta.${k}${k === 'reasoningContent' ? '.' + Object.keys(p.delta[k] as object).join('|') : ''}`);
          if (p?.start) for (const k of Object.keys(p.start)) types.add(`  start.${k}`);
        }
      }
    }
    assert.ok(types.has('event:messageStart') && types.has('event:metadata'));
    if (process.env.SHOW_RECORDING_EVENTS) console.log([...types].sort().join('\n'));
  });

  it('verifies SigV4: the SDK request is valid, a wrong secret or unknown key is not', async () => {
    await client.send(new ConverseCommand({ modelId: 'anthropic.claude:0', messages: MSG }));
    const good = server.requests[0].auth;
    assert.equal(good.kind, 'sigv4');
    assert.ok(good.kind === 'sigv4' && good.valid, JSON.stringify(good));
    assert.equal(good.kind === 'sigv4' && good.accessKeyId, TEST_ACCESS_KEY_ID);

    const bad = runtimeClientFor(server, { credentials: { accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: 'wrong-secret' } });
    await bad.send(new ConverseStreamCommand({ modelId: 'a:b', messages: MSG })).then((o) => collect(o.stream));
    const r1 = server.requests[1].auth;
    assert.ok(r1.kind === 'sigv4' && !r1.valid && r1.reason === 'signature mismatch', JSON.stringify(r1));
    bad.destroy();

    const unknown = runtimeClientFor(server, { credentials: { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' } });
    await unknown.send(new ConverseCommand({ modelId: 'm', messages: MSG }));
    const r2 = server.requests[2].auth;
    assert.ok(r2.kind === 'sigv4' && !r2.valid && /unknown access key/.test(r2.reason ?? ''));

    // the same signed headers over a tampered body (same length) do not verify
    const orig = server.requests[0];
    const tampered = Buffer.from(orig.rawBody.toString('utf8').replace('hello', 'HELLO'));
    await rawPost(server.url + orig.url, orig.headers, tampered);
    const rt = server.requests.at(-1)!.auth;
    assert.ok(rt.kind === 'sigv4' && !rt.valid && /x-amz-content-sha256/.test(rt.reason ?? ''), JSON.stringify(rt));
    // ... and an identical replay does (no replay protection; not needed for tests)
    await rawPost(server.url + orig.url, orig.headers, orig.rawBody);
    const rr = server.requests.at(-1)!.auth;
    assert.ok(rr.kind === 'sigv4' && rr.valid, JSON.stringify(rr));

    // session tokens are checked when registered with one
    server.addCredentials('ASIATEMP', 'tempsecret', 'sess-1');
    const temp = runtimeClientFor(server, { credentials: { accessKeyId: 'ASIATEMP', secretAccessKey: 'tempsecret', sessionToken: 'sess-1' } });
    await temp.send(new ConverseCommand({ modelId: 'm', messages: MSG }));
    const r3 = server.requests.at(-1)!.auth;
    assert.ok(r3.kind === 'sigv4' && r3.valid && r3.sessionToken === 'sess-1', JSON.stringify(r3));
    temp.destroy();

    // strict mode rejects bad signatures with the error the SDK names
    server.strictAuth = true;
    unknown.config.credentials = async () => ({ accessKeyId: TEST_ACCESS_KEY_ID, secretAccessKey: 'nope' });
    await assert.rejects(unknown.send(new ConverseCommand({ modelId: 'm', messages: MSG })), { name: 'InvalidSignatureException' });
    unknown.destroy();
  });

  it('records a bearer token (API key) with no SigV4', async () => {
    const c = runtimeClientFor(server, {
      credentials: undefined,
      token: { token: 'abc' },
      authSchemePreference: ['httpBearerAuth'],
    });
    try {
      await collect((await c.send(new ConverseStreamCommand({ modelId: 'm', messages: MSG }))).stream);
      const r = server.requests[0];
      assert.deepEqual(r.auth, { kind: 'bearer', token: 'abc' });
      assert.equal(r.headers['x-amz-date'], undefined);
      server.strictAuth = true;
      await assert.rejects(c.send(new ConverseCommand({ modelId: 'm', messages: MSG })), { name: 'AccessDeniedException' });
      server.addBearerToken('abc');
      await c.send(new ConverseCommand({ modelId: 'm', messages: MSG }));
    } finally {
      c.destroy();
    }
  });

  it('sees the client abort a hung stream (abortSignal)', async () => {
    server.onConverseStream = () => [...textEvents('first chunk', { omitMessageStop: true, omitMetadata: true }).slice(0, 2), hang()];
    const ac = new AbortController();
    const out = await client.send(new ConverseStreamCommand({ modelId: 'm', messages: MSG }), { abortSignal: ac.signal });
    const seen: ConverseStreamOutput[] = [];
    const reading = (async () => {
      for await (const ev of out.stream!) {
        seen.push(ev);
        if (seen.length === 2) ac.abort();
      }
    })();
    await assert.rejects(reading, (e: Error) => /abort/i.test(e.name + e.message));
    const rec = await server.streamClosedByClient(0, 3000);
    assert.equal(rec.clientClosedEarly, true);
    assert.equal(rec.framesSent, 2);
  });

  it('SDK behaviour: breaking out of for-await does NOT close the connection; abort() afterwards does', async () => {
    server.onConverseStream = () => [...textEvents('a b c').slice(0, 3), hang()];
    const ac = new AbortController();
    const out = await client.send(new ConverseStreamCommand({ modelId: 'm', messages: MSG }), { abortSignal: ac.signal });
    for await (const ev of out.stream!) {
      if (ev.contentBlockDelta) break;
    }
    await assert.rejects(server.streamClosedByClient(0, 150), /did not end by client close: timeout/);
    assert.equal(server.requests[0].outcome, 'pending');
    ac.abort();
    const rec = await server.streamClosedByClient(0, 3000);
    assert.equal(rec.framesSent, 3);
  });

  it('hang after N frames keeps the stream open until the server closes', async () => {
    server.onConverseStream = () => ({ events: [delay(1), ...textEvents('x')], hangAfter: 1 });
    const out = await client.send(new ConverseStreamCommand({ modelId: 'm', messages: MSG }));
    const it = out.stream![Symbol.asyncIterator]();
    const first = await it.next();
    assert.ok(first.value?.messageStart);
    const pending = it.next();
    const raced = await Promise.race([pending.then(() => 'event'), new Promise((r) => setTimeout(() => r('stalled'), 100))]);
    assert.equal(raced, 'stalled');
    await server.close(); // must not hang
    await pending.then(
      () => undefined,
      () => undefined,
    );
    assert.equal(server.requests[0].outcome, 'server-closed');
  });

  it('serves Bedrock routes under a path prefix (company gateway) and 404s outside it', async () => {
    const gw = await startBedrockServer({ prefix: '/bedrock' });
    const c = runtimeClientFor(gw, { endpoint: gw.url + '/bedrock' });
    const noPrefix = runtimeClientFor(gw, { endpoint: gw.url });
    try {
      const out = await c.send(new ConverseStreamCommand({ modelId: 'us.amazon.nova-micro-v1:0', messages: MSG }));
      assert.equal(textOf(await collect(out.stream)), 'Hello from the local Bedrock server.');
      assert.equal(gw.requests[0].rawPath, '/bedrock/model/us.amazon.nova-micro-v1%3A0/converse-stream');
      assert.ok(gw.requests[0].auth.kind === 'sigv4' && gw.requests[0].auth.valid);
      await assert.rejects(noPrefix.send(new ConverseCommand({ modelId: 'm', messages: MSG })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode === 404);
      // SDK behaviour: a trailing slash on the endpoint yields '//model/...' (404 here, as on strict gateways)
      const slash = runtimeClientFor(gw, { endpoint: gw.url + '/bedrock/' });
      await assert.rejects(slash.send(new ConverseCommand({ modelId: 'm', messages: MSG })), { name: 'UnknownOperationException' });
      assert.equal(gw.requests.at(-1)!.rawPath, '/bedrock//model/m/converse');
      slash.destroy();
    } finally {
      c.destroy();
      noPrefix.destroy();
      await gw.close();
    }
  });

  it('count-tokens and converse have defaults', async () => {
    const ct = await client.send(new CountTokensCommand({ modelId: 'm', input: { converse: { messages: MSG } } }));
    assert.ok((ct.inputTokens ?? 0) > 0);
    server.onCountTokens = () => ({ json: { inputTokens: 42 } });
    assert.equal((await client.send(new CountTokensCommand({ modelId: 'm', input: { converse: { messages: MSG } } }))).inputTokens, 42);
    const cv = await client.send(new ConverseCommand({ modelId: 'm', messages: MSG }));
    assert.equal(cv.output?.message?.content?.[0].text, 'Hello from the local Bedrock server.');
    assert.deepEqual(
      server.requests.map((r) => r.operation),
      ['count-tokens', 'count-tokens', 'converse'],
    );
  });

  it('serves control-plane lists with pagination', async () => {
    const cp = controlClientFor(server);
    try {
      const fms = await cp.send(new ListFoundationModelsCommand({}));
      assert.ok((fms.modelSummaries ?? []).length >= 3);
      const amazon = await cp.send(new ListFoundationModelsCommand({ byProvider: 'Amazon' }));
      assert.ok(amazon.modelSummaries!.every((m) => m.providerName === 'Amazon'));
      const page1 = await cp.send(new ListInferenceProfilesCommand({ maxResults: 2 }));
      assert.equal(page1.inferenceProfileSummaries?.length, 2);
      assert.equal(page1.nextToken, '2');
      const all: string[] = [];
      for await (const page of paginateListInferenceProfiles({ client: cp, pageSize: 1 }, {})) {
        all.push(...(page.inferenceProfileSummaries ?? []).map((p) => p.inferenceProfileId!));
      }
      assert.deepEqual(all, server.inferenceProfiles.map((p) => p.inferenceProfileId));
      const r = server.requests.find((x) => x.operation === 'list-inference-profiles')!;
      assert.equal(r.query.maxResults, '2');
      assert.ok(r.auth.kind === 'sigv4' && r.auth.valid);
    } finally {
      cp.destroy();
    }
  });

  describe('credential services', () => {
    let home: TempAwsHome;
    beforeEach(() => {
      home = makeTempAwsHome();
    });
    afterEach(() => home.cleanup());

    it('fromSSO (sso-session profile) gets role credentials from the fake portal, no env changes', async () => {
      server.addSsoToken('sso-access-token-1', { accountId: '123456789012', roleName: 'Dev' });
      home.writeConfig(
        [
          '[profile dev]',
          'sso_session = corp',
          'sso_account_id = 123456789012',
          'sso_role_name = Dev',
          'region = us-east-1',
          '[sso-session corp]',
          'sso_start_url = https://corp.awsapps.com/start',
          'sso_region = us-east-1',
        ].join('\n'),
      );
      const restore = interceptSsoToken('corp', { accessToken: 'sso-access-token-1' });
      try {
        const provider = fromSSO({
          profile: 'dev',
          filepath: home.credentialsFile,
          configFilepath: home.configFile,
          clientConfig: { endpoint: server.url, region: 'us-east-1' },
        });
        const creds = await provider();
        assert.equal(server.issuedCredentials.length, 1);
        assert.equal(creds.accessKeyId, server.issuedCredentials[0].accessKeyId);
        assert.ok(creds.expiration instanceof Date && creds.expiration.getTime() > Date.now());
        const sso = server.requests.find((r) => r.operation === 'sso-get-role-credentials')!;
        assert.equal(sso.headers['x-amz-sso_bearer_token'], 'sso-access-token-1');
        assert.deepEqual(sso.query, { account_id: '123456789012', role_name: 'Dev' });

        // the issued keys verify on the runtime API
        const c = runtimeClientFor(server, { credentials: provider });
        await c.send(new ConverseCommand({ modelId: 'm', messages: MSG }));
        // (fromSSO does not memoize: the client's call fetched a second set of role credentials)
        const auth = server.requests.at(-1)!.auth;
        const last = server.issuedCredentials.at(-1)!;
        assert.ok(auth.kind === 'sigv4' && auth.valid && auth.sessionToken === last.sessionToken, JSON.stringify(auth));
        c.destroy();
      } finally {
        restore();
      }
    });

    it('fromSSO with an unregistered token fails with UnauthorizedException', async () => {
      home.writeConfig(['[profile dev]', 'sso_start_url = https://legacy.awsapps.com/start', 'sso_region = us-east-1', 'sso_account_id = 1', 'sso_role_name = R'].join('\n'));
      const restore = interceptSsoToken('https://legacy.awsapps.com/start', { accessToken: 'not-registered' });
      try {
        const provider = fromSSO({ profile: 'dev', filepath: home.credentialsFile, configFilepath: home.configFile, clientConfig: { endpoint: server.url } });
        await assert.rejects(provider(), (e: Error) => /UnauthorizedException|Session token not found/.test(e.name + e.message));
      } finally {
        restore();
      }
    });

    it('fromIni with a real token cache file under a temp HOME (withEnv)', async () => {
      server.addSsoToken('cached-token');
      home.writeConfig(['[profile legacy]', 'sso_start_url = https://legacy.awsapps.com/start', 'sso_region = us-east-1', 'sso_account_id = 111122223333', 'sso_role_name = Reader'].join('\n'));
      home.writeSsoToken('https://legacy.awsapps.com/start', { accessToken: 'cached-token' });
      const before = { ...process.env };
      const creds = await withEnv(isolatedAwsEnv(home.home, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile }), () =>
        fromIni({ profile: 'legacy', clientConfig: { endpoint: server.url, region: 'us-east-1' } })(),
      );
      assert.deepEqual({ ...process.env }, before);
      assert.equal(creds.accessKeyId, server.issuedCredentials[0].accessKeyId);
    });

    it('fromIni assume-role via STS, signed with the source profile', async () => {
      server.strictAuth = true;
      server.addCredentials('AKIDSOURCE', 'source-secret');
      home.writeCredentials(['[base]', 'aws_access_key_id = AKIDSOURCE', 'aws_secret_access_key = source-secret'].join('\n'));
      home.writeConfig(['[profile admin]', 'role_arn = arn:aws:iam::123456789012:role/Admin', 'source_profile = base', 'role_session_name = me'].join('\n'));
      const creds = await fromIni({
        profile: 'admin',
        filepath: home.credentialsFile,
        configFilepath: home.configFile,
        clientConfig: { endpoint: server.url, region: 'us-east-1' },
      })();
      const sts = server.requests.find((r) => r.operation === 'sts-assume-role')!;
      assert.equal(sts.body.RoleArn, 'arn:aws:iam::123456789012:role/Admin');
      assert.ok(sts.auth.kind === 'sigv4' && sts.auth.valid && sts.auth.service === 'sts', JSON.stringify(sts.auth));
      assert.equal(creds.accessKeyId, server.issuedCredentials[0].accessKeyId);
      assert.equal(creds.accountId, '123456789012');
      const c = runtimeClientFor(server, { credentials: creds });
      await c.send(new ConverseCommand({ modelId: 'm', messages: MSG }));
      c.destroy();
    });

    it('fromTokenFile (web identity) via STS', async () => {
      server.addWebIdentityToken('oidc-jwt');
      const tokenFile = home.writeFile('token.jwt', 'oidc-jwt');
      const creds = await fromTokenFile({
        webIdentityTokenFile: tokenFile,
        roleArn: 'arn:aws:iam::123456789012:role/Ci',
        roleSessionName: 'ci',
        clientConfig: { endpoint: server.url, region: 'us-east-1' },
      })();
      assert.equal(creds.accessKeyId, server.issuedCredentials[0].accessKeyId);
      assert.equal(server.requests[0].operation, 'sts-assume-role-with-web-identity');
      assert.equal(server.requests[0].auth.kind, 'none');
      const bad = home.writeFile('bad.jwt', 'nope');
      await assert.rejects(
        fromTokenFile({ webIdentityTokenFile: bad, roleArn: 'arn:aws:iam::123456789012:role/Ci', clientConfig: { endpoint: server.url, region: 'us-east-1' } })(),
        { name: 'InvalidIdentityTokenException' },
      );
    });
  });
});
