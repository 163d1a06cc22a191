/**
 * Assume-role profiles with mfa_serial: the code comes from the prompt passed
 * in (an input box in VS Code), the fake STS checks SerialNumber/TokenCode, and
 * the role session is reused by later requests and by new clients until it
 * expires. Plus the default chain's other sources, unchanged: web identity,
 * credential_process, container and instance roles.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MfaCancelledError, MfaCodeRequest, MfaOptions, MfaSessions, withoutPrompt } from '../../src/core/auth/mfa';
import { ModelDiscovery } from '../../src/core/bedrock/discovery';
import { BedrockAuth } from '../../src/core/auth/types';
import { ClientCache, ClientTarget } from '../../src/core/bedrock/client';
import { describeError } from '../../src/core/bedrock/errors';
import { sendChat } from '../../src/core/bedrock/send';
import { listModels } from '../../src/core/models/chatModel';
import { isolatedAwsEnv, makeTempAwsHome, startBedrockServer, TempAwsHome, withEnv, type BedrockServer } from '../support';
import { newKeys } from '../support/credentialServices';

const model = listModels('us-east-1').find((m) => m.family === 'nova-micro')!;
const hello = [{ role: 'user' as const, parts: [{ type: 'text' as const, text: 'hello' }] }];
const ROLE = 'arn:aws:iam::111122223333:role/BedrockUser';
const DEVICE = 'arn:aws:iam::111122223333:mfa/dev-phone';
const BASE = { id: 'AKIABASEMFA000000001', secret: 'base-secret-mfa' };

describe('MFA for assume-role profiles', function () {
  let server: BedrockServer;
  let home: TempAwsHome;
  let clients: ClientCache;
  let asked: MfaCodeRequest[];
  /** What the user types next (undefined: Escape). */
  let answers: (string | undefined)[];
  let clock: number;
  let mfa: MfaOptions;

  before(async () => {
    server = await startBedrockServer();
    server.addCredentials(BASE.id, BASE.secret);
    server.requireMfa(ROLE, DEVICE);
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    home = makeTempAwsHome();
    home.writeCredentials(`[base]\naws_access_key_id = ${BASE.id}\naws_secret_access_key = ${BASE.secret}\n`);
    home.writeConfig(`[profile bedrock]\nrole_arn = ${ROLE}\nsource_profile = base\nmfa_serial = ${DEVICE}\nregion = us-east-1\n`);
    clients = new ClientCache();
    asked = [];
    answers = [];
    clock = Date.now();
    mfa = {
      prompt: async (request) => {
        asked.push(request);
        return answers.shift();
      },
      sessions: new MfaSessions(() => clock),
    };
  });
  afterEach(() => {
    clients.dispose();
    home.cleanup();
  });

  const target = (auth: BedrockAuth, withMfa = true): ClientTarget => ({
    auth,
    region: 'us-east-1',
    endpoint: server.endpoint,
    credentialClientConfig: { endpoint: server.url, ...(withMfa ? { mfa } : {}) },
  });

  async function send(auth: BedrockAuth = { kind: 'profile', profile: 'bedrock' }, env: Record<string, string> = {}, withMfa = true) {
    return withEnv(isolatedAwsEnv(home.home, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile, AWS_EC2_METADATA_DISABLED: 'true', ...env }), async () => {
      await sendChat(clients, target(auth, withMfa), { model, messages: hello, options: {} }, new AbortController().signal, { onEvent: () => {} });
      return server.requests.filter((r) => r.operation === 'converse-stream').at(-1)!;
    });
  }

  const assumeRoles = () => server.requests.filter((r) => r.operation === 'sts-assume-role');

  function signedWithRole(req: { auth: { kind: string } }) {
    const issued = server.issuedCredentials.filter((c) => c.source === 'sts:AssumeRole').at(-1)!;
    assert.equal(issued.mfaSerial, DEVICE);
    const a = req.auth as { kind: string; valid?: boolean; accessKeyId?: string; reason?: string };
    assert.ok(a.kind === 'sigv4' && a.valid, a.reason);
    assert.equal(a.accessKeyId, issued.accessKeyId);
  }

  it('asks for the code once, STS checks it, and Bedrock gets a SigV4 call with the role session', async () => {
    server.setMfaCode(DEVICE, '123456');
    answers = ['123456'];
    signedWithRole(await send());
    assert.deepEqual(asked, [{ profile: 'bedrock', mfaSerial: DEVICE, retry: false }]);
    const sts = assumeRoles();
    assert.equal(sts.length, 1);
    assert.equal(sts[0].body.SerialNumber, DEVICE);
    assert.equal(sts[0].body.TokenCode, '123456');
    assert.equal(sts[0].body.RoleArn, ROLE);
  });

  it('no second prompt: not for the next request, not for a new client, not after the AWS files change', async () => {
    server.setMfaCode(DEVICE, '234567');
    answers = ['234567'];
    await send();
    await send();
    clients.renew(); // what the controller does when ~/.aws changes
    signedWithRole(await send());
    home.writeCredentials(`[base]\naws_access_key_id = ${BASE.id}\naws_secret_access_key = ${BASE.secret}\n\n`); // an edit that changes nothing that matters
    clients.renew();
    signedWithRole(await send());
    assert.equal(asked.length, 1, 'asked once');
    assert.equal(assumeRoles().length, 1, 'one role session for all four requests');
    assert.equal(mfa.sessions.size, 1);
  });

  it('model discovery never prompts: it fails quietly until a chat request has bought the session, then uses it at once', async () => {
    // One discovery cache, as the extension keeps; the controller retries failures when a session is bought.
    const discovery = new ModelDiscovery();
    mfa.sessions.onSession(() => discovery.invalidateFailures());
    const discover = () =>
      withEnv(isolatedAwsEnv(home.home, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile, AWS_EC2_METADATA_DISABLED: 'true' }), () =>
        discovery.get({ auth: { kind: 'profile', profile: 'bedrock' }, region: 'us-east-1', endpoint: server.endpoint, credentialClientConfig: { endpoint: server.url, mfa: withoutPrompt(mfa) } }),
      );
    const before = await discover();
    assert.equal(before.failure?.kind, 'credentials', JSON.stringify(before.failure));
    assert.deepEqual(asked, [], 'the picker asked nobody');
    server.setMfaCode(DEVICE, '135791');
    answers = ['135791'];
    await send();
    const after = await discover();
    assert.equal(after.failure, undefined, JSON.stringify(after.failure));
    assert.equal(asked.length, 1, 'only the chat request asked');
    assert.equal(assumeRoles().length, 1, 'discovery reused the role session');
    const list = server.requests.filter((r) => r.operation === 'list-foundation-models').at(-1)!;
    assert.equal(list.auth.kind === 'sigv4' && list.auth.accessKeyId, server.issuedCredentials.filter((c) => c.source === 'sts:AssumeRole').at(-1)!.accessKeyId);
  });

  it('asks again once the session is about to expire, and when the profile\'s role changes', async () => {
    server.setMfaCode(DEVICE, '345678');
    answers = ['345678'];
    await send();
    const session = server.issuedCredentials.filter((c) => c.source === 'sts:AssumeRole').at(-1)!;
    // Fifty-six minutes later: inside the SDK's five-minute window of the one-hour session.
    clock = session.expiration.getTime() - 4 * 60_000;
    clients.renew();
    server.setMfaCode(DEVICE, '456789');
    answers = ['456789'];
    await send();
    assert.equal(asked.length, 2);
    assert.equal(assumeRoles().length, 2);

    clock = Date.now();
    const other = 'arn:aws:iam::111122223333:role/Other';
    home.writeConfig(`[profile bedrock]\nrole_arn = ${other}\nsource_profile = base\nmfa_serial = ${DEVICE}\nregion = us-east-1\n`);
    clients.renew();
    server.setMfaCode(DEVICE, '567890');
    answers = ['567890'];
    await send();
    assert.equal(asked.length, 3, 'another role: another session');
    assert.equal(assumeRoles().at(-1)!.body.RoleArn, other);
  });

  it('a refused code: the request is tried once more with a new prompt that says so', async () => {
    server.setMfaCode(DEVICE, '111111');
    answers = ['999999', '111111'];
    signedWithRole(await send());
    assert.deepEqual(
      asked.map((a) => a.retry),
      [false, true],
    );
    assert.deepEqual(
      assumeRoles().map((r) => r.status),
      [403, 200],
    );
  });

  it('a code refused twice is an error that says what to do', async () => {
    server.setMfaCode(DEVICE, '222222');
    answers = ['000000', '000001'];
    await assert.rejects(send(), (err: unknown) => {
      const d = describeError(err, { modelId: model.id, region: 'us-east-1', auth: { kind: 'profile', profile: 'bedrock' } });
      assert.equal(d.kind, 'credentials');
      assert.match(d.message, /^AWS did not accept the MFA code for AWS profile "bedrock": it was wrong, expired or already used/);
      return true;
    });
    assert.equal(asked.length, 2);
  });

  it('cancelling the prompt ends the request without sending or asking again', async () => {
    server.setMfaCode(DEVICE, '333333');
    answers = [undefined];
    await assert.rejects(send(), (err: unknown) => {
      assert.ok(err instanceof MfaCancelledError);
      const d = describeError(err, { modelId: model.id, region: 'us-east-1', auth: { kind: 'profile', profile: 'bedrock' } });
      assert.equal(d.kind, 'cancelled');
      assert.match(d.message, /MFA code for AWS profile "bedrock" was not entered, so nothing was sent to Bedrock/);
      return true;
    });
    assert.equal(asked.length, 1, 'no second prompt after a cancel');
    assert.equal(assumeRoles().length, 0);
    assert.equal(server.requests.filter((r) => r.operation === 'converse-stream').length, 0);
  });

  it('a malformed code never reaches STS', async () => {
    answers = ['12345', '12345'];
    await assert.rejects(send(), /Enter the 6 digits/);
    assert.equal(assumeRoles().length, 0);
  });

  it('automatic: the default chain\'s AWS_PROFILE with mfa_serial gets the same prompt and session', async () => {
    server.setMfaCode(DEVICE, '444444');
    answers = ['444444'];
    mfa.defaultProfile = 'bedrock';
    signedWithRole(await send({ kind: 'automatic' }, { AWS_PROFILE: 'bedrock' }));
    clients.renew();
    signedWithRole(await send({ kind: 'automatic' }, { AWS_PROFILE: 'bedrock' }));
    assert.equal(asked.length, 1);
    assert.equal(assumeRoles().length, 1);
  });

  it('without a prompt (no MFA support passed in) the SDK\'s own refusal stands', async () => {
    await assert.rejects(send(undefined, {}, false), /requires multi-factor authentication/);
  });
});

describe('the default chain\'s other sources keep working (automatic)', function () {
  let server: BedrockServer;
  let home: TempAwsHome;
  before(async () => (server = await startBedrockServer()));
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    home = makeTempAwsHome();
  });
  afterEach(() => home.cleanup());

  /** One chat with automatic auth and an MFA prompt that must not be used. */
  async function send(env: Record<string, string>) {
    const clients = new ClientCache();
    const mfa: MfaOptions = { prompt: async () => assert.fail('no MFA here'), sessions: new MfaSessions(), defaultProfile: env.AWS_PROFILE ?? 'default' };
    try {
      return await withEnv(isolatedAwsEnv(home.home, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile, ...env }), async () => {
        const target: ClientTarget = { auth: { kind: 'automatic' }, region: 'us-east-1', endpoint: server.endpoint, credentialClientConfig: { endpoint: server.url, mfa } };
        await sendChat(clients, target, { model, messages: hello, options: {} }, new AbortController().signal, { onEvent: () => {} });
        return server.requests.filter((r) => r.operation === 'converse-stream').at(-1)!.auth as { kind: string; valid?: boolean; accessKeyId?: string; reason?: string };
      });
    } finally {
      clients.dispose();
    }
  }

  /** A local credentials endpoint (container or instance metadata) handing out `keys`. */
  async function metadataServer(keys: { accessKeyId: string; secretAccessKey: string; sessionToken: string }) {
    const seen: string[] = [];
    const body = JSON.stringify({ Code: 'Success', AccessKeyId: keys.accessKeyId, SecretAccessKey: keys.secretAccessKey, Token: keys.sessionToken, Expiration: new Date(Date.now() + 3600_000).toISOString(), LastUpdated: new Date().toISOString(), Type: 'AWS-HMAC' });
    const srv = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.method === 'PUT' && req.url === '/latest/api/token') return res.end('imds-session-token');
      if (req.url === '/latest/meta-data/iam/security-credentials/' || req.url === '/latest/meta-data/iam/security-credentials-extended/') return res.end('InstanceRole');
      if (req.url?.startsWith('/latest/meta-data/iam/security-credentials') || req.url === '/creds') return res.end(body);
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, seen, close: () => new Promise((r) => srv.close(r)) };
  }

  it('web identity: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN through STS AssumeRoleWithWebIdentity', async () => {
    server.addWebIdentityToken('eyJ.web.identity');
    const tokenFile = home.writeFile('token', 'eyJ.web.identity');
    const auth = await send({ AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: 'arn:aws:iam::111122223333:role/Ci', AWS_ROLE_SESSION_NAME: 'ci', AWS_ENDPOINT_URL_STS: server.url, AWS_EC2_METADATA_DISABLED: 'true' });
    const issued = server.issuedCredentials.find((c) => c.source === 'sts:AssumeRoleWithWebIdentity');
    assert.ok(issued, 'AssumeRoleWithWebIdentity was called');
    assert.ok(auth.kind === 'sigv4' && auth.valid && auth.accessKeyId === issued.accessKeyId, JSON.stringify(auth));
  });

  it('credential_process of AWS_PROFILE', async () => {
    const keys = newKeys();
    server.addCredentials(keys.accessKeyId, keys.secretAccessKey, keys.sessionToken);
    const script = home.writeFile('creds.js', `process.stdout.write(JSON.stringify({Version:1,AccessKeyId:${JSON.stringify(keys.accessKeyId)},SecretAccessKey:${JSON.stringify(keys.secretAccessKey)},SessionToken:${JSON.stringify(keys.sessionToken)}}))`);
    home.writeConfig(`[profile tool]\ncredential_process = ${JSON.stringify(process.execPath)} ${JSON.stringify(script)}\n`);
    const auth = await send({ AWS_PROFILE: 'tool', AWS_EC2_METADATA_DISABLED: 'true' });
    assert.ok(auth.kind === 'sigv4' && auth.valid && auth.accessKeyId === keys.accessKeyId, JSON.stringify(auth));
  });

  it('a container role (AWS_CONTAINER_CREDENTIALS_FULL_URI)', async () => {
    const keys = newKeys();
    server.addCredentials(keys.accessKeyId, keys.secretAccessKey, keys.sessionToken);
    const ecs = await metadataServer(keys);
    try {
      const auth = await send({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `${ecs.url}/creds`, AWS_EC2_METADATA_DISABLED: 'true' });
      assert.ok(auth.kind === 'sigv4' && auth.valid && auth.accessKeyId === keys.accessKeyId, JSON.stringify(auth));
      assert.ok(ecs.seen.includes('GET /creds'));
    } finally {
      await ecs.close();
    }
  });

  it('an instance role (EC2 instance metadata, IMDSv2)', async () => {
    const keys = newKeys();
    server.addCredentials(keys.accessKeyId, keys.secretAccessKey, keys.sessionToken);
    const imds = await metadataServer(keys);
    try {
      const auth = await send({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url });
      assert.ok(auth.kind === 'sigv4' && auth.valid && auth.accessKeyId === keys.accessKeyId, JSON.stringify(auth));
      assert.ok(imds.seen.includes('PUT /latest/api/token'), imds.seen.join());
    } finally {
      await imds.close();
    }
  });
});
