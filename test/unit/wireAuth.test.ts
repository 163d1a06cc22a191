/**
 * Each auth method, through the real SDK client built by createRuntimeClient,
 * reaches the local Bedrock server with the right wire auth.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BedrockAuth } from '../../src/core/auth/types';
import { createRuntimeClient } from '../../src/core/bedrock/client';
import { converse } from '../../src/core/bedrock/converse';
import { listModels } from '../../src/core/models/chatModel';
import { isolatedAwsEnv, makeTempAwsHome, startBedrockServer, TempAwsHome, withEnv, type BedrockServer } from '../support';

const model = listModels('us-east-1').find((m) => m.family === 'nova-micro')!;
const hello = [{ role: 'user' as const, parts: [{ type: 'text' as const, text: 'hello' }] }];
const STRAY_BEARER = 'ABSKstraybearerfromtheenvironment000000';

describe('wire auth per method', function () {
  let server: BedrockServer;
  let home: TempAwsHome;

  before(async () => {
    server = await startBedrockServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    home = makeTempAwsHome();
  });
  afterEach(() => home.cleanup());

  /** Runs one chat turn with `auth` inside an isolated AWS environment and returns the recorded request. */
  async function send(auth: BedrockAuth, env: Record<string, string | undefined> = {}, credentialClientConfig?: { endpoint: string }) {
    return withEnv(isolatedAwsEnv(home.home, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile, AWS_EC2_METADATA_DISABLED: 'true', ...env }), async () => {
      const client = createRuntimeClient({ auth, region: 'us-east-1', endpoint: server.endpoint, credentialClientConfig });
      let text = '';
      await converse(client, model, hello, {}, new AbortController().signal, (e) => e.type === 'text' && (text += e.text));
      client.destroy();
      assert.equal(text, 'Hello from the local Bedrock server.');
      return server.requests.at(-1)!;
    });
  }

  it('apiKey sends Authorization: Bearer and no SigV4, even with a different bearer token in the environment', async () => {
    const req = await send({ kind: 'apiKey', apiKey: 'ABSKmykey00000000000000000000' }, { AWS_BEARER_TOKEN_BEDROCK: STRAY_BEARER });
    assert.deepEqual(req.auth, { kind: 'bearer', token: 'ABSKmykey00000000000000000000' });
    assert.equal(req.headers['x-amz-date'], undefined);
    assert.equal(req.headers['x-amz-security-token'], undefined);
  });

  it('iamCredentials signs SigV4 with the given keys, and a stray AWS_BEARER_TOKEN_BEDROCK cannot take over', async () => {
    server.addCredentials('AKIASTATIC0000000001', 'static-secret', 'static-session');
    const req = await send({ kind: 'iamCredentials', accessKeyId: 'AKIASTATIC0000000001', secretAccessKey: 'static-secret', sessionToken: 'static-session' }, { AWS_BEARER_TOKEN_BEDROCK: STRAY_BEARER });
    assert.equal(req.auth.kind, 'sigv4');
    assert.ok(req.auth.kind === 'sigv4' && req.auth.valid, JSON.stringify(req.auth));
    assert.equal(req.auth.kind === 'sigv4' && req.auth.accessKeyId, 'AKIASTATIC0000000001');
    assert.equal(req.headers['x-amz-security-token'], 'static-session');
  });

  it('a wrong secret is caught by the server-side SigV4 check (the check can fail)', async () => {
    server.addCredentials('AKIASTATIC0000000002', 'right-secret');
    const req = await send({ kind: 'iamCredentials', accessKeyId: 'AKIASTATIC0000000002', secretAccessKey: 'wrong-secret' });
    assert.ok(req.auth.kind === 'sigv4' && !req.auth.valid);
  });

  it('profile reads the named profile from the AWS files, not AWS_PROFILE', async () => {
    server.addCredentials('AKIAPROFILEDEV000001', 'dev-secret');
    home.writeCredentials('[dev]\naws_access_key_id = AKIAPROFILEDEV000001\naws_secret_access_key = dev-secret\n[other]\naws_access_key_id = AKIAOTHER00000000001\naws_secret_access_key = x\n');
    const req = await send({ kind: 'profile', profile: 'dev' }, { AWS_PROFILE: 'other', AWS_BEARER_TOKEN_BEDROCK: STRAY_BEARER });
    assert.ok(req.auth.kind === 'sigv4' && req.auth.valid && req.auth.accessKeyId === 'AKIAPROFILEDEV000001', JSON.stringify(req.auth));
  });

  it('profile with source_profile + role_arn assumes the role through STS', async () => {
    server.addCredentials('AKIABASE000000000001', 'base-secret');
    home.writeCredentials('[base]\naws_access_key_id = AKIABASE000000000001\naws_secret_access_key = base-secret\n');
    home.writeConfig('[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/Deploy\nsource_profile = base\nregion = us-east-1\n');
    const req = await send({ kind: 'profile', profile: 'deploy' }, { AWS_ENDPOINT_URL_STS: server.url });
    const issued = server.issuedCredentials.find((c) => c.source === 'sts:AssumeRole');
    assert.ok(issued, 'STS AssumeRole was called');
    assert.ok(req.auth.kind === 'sigv4' && req.auth.valid && req.auth.accessKeyId === issued.accessKeyId);
  });

  it('sso gets role credentials from the SSO portal with the cached token', async () => {
    server.addSsoToken('sso-token-abc', { accountId: '111122223333', roleName: 'Dev' });
    home.writeConfig(
      ['[profile corp]', 'sso_session = corp', 'sso_account_id = 111122223333', 'sso_role_name = Dev', 'region = us-east-1', '[sso-session corp]', 'sso_start_url = https://corp.awsapps.com/start', 'sso_region = us-east-1'].join('\n'),
    );
    home.writeSsoToken('corp', { accessToken: 'sso-token-abc', startUrl: 'https://corp.awsapps.com/start' });
    const req = await send({ kind: 'sso', profile: 'corp' }, {}, { endpoint: server.url });
    const issued = server.issuedCredentials.find((c) => c.source === 'sso');
    assert.ok(issued);
    assert.ok(req.auth.kind === 'sigv4' && req.auth.valid && req.auth.accessKeyId === issued.accessKeyId);
  });

  it('sso asks the portal in the profile\'s sso_region, not the Bedrock region', async () => {
    home.writeConfig(['[profile corp]', 'sso_session = corp', 'sso_account_id = 1', 'sso_role_name = Dev', '[sso-session corp]', 'sso_start_url = https://corp.awsapps.com/start', 'sso_region = ap-southeast-2'].join('\n'));
    home.writeSsoToken('corp', { accessToken: 'tok', region: 'ap-southeast-2' });
    const hosts: string[] = [];
    // A transport that only records where the SSO client would connect.
    const requestHandler = { handle: async (req: { hostname: string }) => (hosts.push(req.hostname), Promise.reject(new Error('recorded'))) };
    await withEnv(isolatedAwsEnv(home.home, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile }), async () => {
      const client = createRuntimeClient({ auth: { kind: 'sso', profile: 'corp' }, region: 'eu-central-1', endpoint: server.endpoint, credentialClientConfig: { requestHandler } });
      await assert.rejects(converse(client, model, hello, {}, new AbortController().signal, () => {}));
      client.destroy();
    });
    assert.deepEqual(hosts, ['portal.sso.ap-southeast-2.amazonaws.com']);
  });

  it('sso with an expired token offers Sign In', async () => {
    home.writeConfig(['[profile corp]', 'sso_session = corp', 'sso_account_id = 1', 'sso_role_name = Dev', '[sso-session corp]', 'sso_start_url = https://corp.awsapps.com/start', 'sso_region = us-east-1'].join('\n'));
    home.writeSsoToken('corp', { accessToken: 'old', expiresAt: new Date(Date.now() - 60_000).toISOString() });
    const { describeError } = await import('../../src/core/bedrock/errors');
    await assert.rejects(
      () => send({ kind: 'sso', profile: 'corp' }, {}, { endpoint: server.url }),
      (err: unknown) => {
        const d = describeError(err, { modelId: model.id, region: 'us-east-1', auth: { kind: 'sso', profile: 'corp' } });
        assert.equal(d.kind, 'credentials');
        assert.equal(d.fix, 'signIn');
        assert.match(d.message, /Sign In with IAM Identity Center.*aws sso login --profile corp/);
        return true;
      },
    );
  });

  it('automatic uses the SDK default chain (environment keys here) and still signs SigV4 despite a stray bearer token', async () => {
    server.addCredentials('AKIAENVCHAIN00000001', 'env-secret');
    const req = await send({ kind: 'automatic' }, { AWS_ACCESS_KEY_ID: 'AKIAENVCHAIN00000001', AWS_SECRET_ACCESS_KEY: 'env-secret', AWS_BEARER_TOKEN_BEDROCK: STRAY_BEARER });
    assert.ok(req.auth.kind === 'sigv4' && req.auth.valid && req.auth.accessKeyId === 'AKIAENVCHAIN00000001', JSON.stringify(req.auth));
  });

  it('automatic picks up AWS_PROFILE from the default chain', async () => {
    server.addCredentials('AKIACHAINPROFILE0001', 'p-secret');
    home.writeCredentials('[work]\naws_access_key_id = AKIACHAINPROFILE0001\naws_secret_access_key = p-secret\n');
    const req = await send({ kind: 'automatic' }, { AWS_PROFILE: 'work' });
    assert.ok(req.auth.kind === 'sigv4' && req.auth.valid && req.auth.accessKeyId === 'AKIACHAINPROFILE0001');
  });

  it('works behind a gateway endpoint with a path prefix', async () => {
    const gw = await startBedrockServer({ prefix: '/bedrock' });
    try {
      const client = createRuntimeClient({ auth: { kind: 'apiKey', apiKey: 'ABSKgateway0000000000000000' }, region: 'us-east-1', endpoint: `${gw.url}/bedrock` });
      await converse(client, model, hello, {}, new AbortController().signal, () => {});
      client.destroy();
      assert.equal(gw.requests[0].rawPath, '/bedrock/model/us.amazon.nova-micro-v1%3A0/converse-stream');
    } finally {
      await gw.close();
    }
  });
});

describe('credential refresh', function () {
  let server: BedrockServer;
  let home: TempAwsHome;
  before(async () => (server = await startBedrockServer()));
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    home = makeTempAwsHome();
  });
  afterEach(() => home.cleanup());

  /** A credential_process that hands out a new key pair each call, expiring `minutes` from now. */
  function rotatingProfile(minutes: number): string {
    const counter = path.join(home.home, 'counter');
    fs.writeFileSync(counter, '0');
    for (let i = 1; i <= 40; i++) server.addCredentials(`ASIAROTATE00000000${String(i).padStart(2, '0')}`, `rotating-secret-${i}`, `session-${i}`);
    const script = home.writeFile(
      'rotate.js',
      `const fs=require('fs');const n=Number(fs.readFileSync(${JSON.stringify(counter)},'utf8'))+1;fs.writeFileSync(${JSON.stringify(counter)},String(n));` +
        `process.stdout.write(JSON.stringify({Version:1,AccessKeyId:'ASIAROTATE00000000'+String(n).padStart(2,'0'),SecretAccessKey:'rotating-secret-'+n,SessionToken:'session-'+n,Expiration:new Date(Date.now()+${minutes}*60000).toISOString()}));`,
    );
    home.writeConfig(`[profile rotating]\ncredential_process = ${JSON.stringify(process.execPath)} ${JSON.stringify(script)}\n`);
    return 'rotating';
  }

  async function threeRequests(profile: string) {
    return withEnv(isolatedAwsEnv(home.home, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile }), async () => {
      const client = createRuntimeClient({ auth: { kind: 'profile', profile }, region: 'us-east-1', endpoint: server.endpoint });
      for (let i = 0; i < 3; i++) await converse(client, model, hello, {}, new AbortController().signal, () => {});
      client.destroy();
      return server.requests.map((r) => r.auth);
    });
  }

  it('refreshes credentials that expire within five minutes, each request signed by one consistent set', async () => {
    const auths = await threeRequests(rotatingProfile(4));
    assert.equal(auths.length, 3);
    for (const a of auths) assert.ok(a.kind === 'sigv4' && a.valid, `mixed or invalid signature: ${JSON.stringify(a)}`);
    const keys = auths.map((a) => (a.kind === 'sigv4' ? a.accessKeyId : ''));
    assert.equal(new Set(keys).size, 3, `expected a fresh key per request, got ${keys}`);
  });

  it('reuses credentials that are still fresh', async () => {
    const auths = await threeRequests(rotatingProfile(60));
    const keys = auths.map((a) => (a.kind === 'sigv4' ? a.accessKeyId : ''));
    assert.deepEqual(keys, Array(3).fill('ASIAROTATE0000000001'));
    for (const a of auths) assert.ok(a.kind === 'sigv4' && a.valid);
  });
});
