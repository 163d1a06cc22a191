/**
 * Signing in to IAM Identity Center without the AWS CLI: the real SSO OIDC
 * client against the fake OIDC service, the AWS CLI's cache files, and the
 * next Bedrock request signed with the role credentials that session gets.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BedrockAuth } from '../../src/core/auth/types';
import {
  readSsoProfile,
  registrationCacheKey,
  SsoProfileConfig,
  ssoProfileFor,
  ssoSessionStatus,
  tokenCacheKey,
} from '../../src/core/auth/ssoSession';
import { PendingAuthorization, SignInOptions, signInSso, SsoSignInError } from '../../src/core/auth/ssoSignIn';
import { ClientCache, createRuntimeClient } from '../../src/core/bedrock/client';
import { converse } from '../../src/core/bedrock/converse';
import { describeError, ssoSessionError } from '../../src/core/bedrock/errors';
import { sendChat } from '../../src/core/bedrock/send';
import { listModels } from '../../src/core/models/chatModel';
import { isolatedAwsEnv, makeTempAwsHome, startBedrockServer, TempAwsHome, withEnv, type BedrockServer } from '../support';
import { toolMissing } from '../support/installedTools';

const model = listModels('us-east-1').find((m) => m.family === 'nova-micro')!;
const hello = [{ role: 'user' as const, parts: [{ type: 'text' as const, text: 'hello' }] }];
const START_URL = 'https://corp.awsapps.com/start';
const SESSION_CONFIG = [
  '[profile corp]',
  'sso_session = corp',
  'sso_account_id = 111122223333',
  'sso_role_name = Dev',
  'region = us-east-1',
  '[sso-session corp]',
  `sso_start_url = ${START_URL}`,
  'sso_region = us-east-1',
  'sso_registration_scopes = sso:account:access',
].join('\n');
const LEGACY_CONFIG = ['[profile old]', `sso_start_url = ${START_URL}`, 'sso_region = us-east-1', 'sso_account_id = 111122223333', 'sso_role_name = Dev'].join('\n');

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

describe('SSO sign-in (IAM Identity Center device authorization)', function () {
  let server: BedrockServer;
  let home: TempAwsHome;

  before(async () => (server = await startBedrockServer()));
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    server.oidc.portal = { accountId: '111122223333', roleName: 'Dev' };
    server.oidc.slowDownPolls.clear();
    server.oidc.autoApproveOnPoll = 0;
    server.oidc.refreshTokens = 'scoped';
    home = makeTempAwsHome();
  });
  afterEach(() => home.cleanup());

  /** Runs `fn` with HOME and the AWS files in the temp home, nothing else from the environment. */
  const inHome = <T>(fn: () => Promise<T>, env: Record<string, string> = {}) =>
    withEnv(isolatedAwsEnv(home.home, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile, AWS_EC2_METADATA_DISABLED: 'true', ...env }), fn);

  async function profile(name: string): Promise<SsoProfileConfig> {
    const found = await inHome(() => readSsoProfile(name));
    assert.ok(found.ok, JSON.stringify(found));
    return found.config;
  }

  /** Sign-in options: the fake's endpoint, no real waiting (the requested waits are recorded), and the user approving in the "browser". */
  function options(over: Partial<SignInOptions> & { approve?: boolean } = {}) {
    const waits: number[] = [];
    const pending: PendingAuthorization[] = [];
    const opts: SignInOptions = {
      clientConfig: { endpoint: server.url },
      sleep: async (ms) => void waits.push(ms),
      onPending: (a) => {
        pending.push(a);
        if (over.approve !== false) server.oidc.approve(a.userCode);
      },
      ...over,
    };
    return { opts, waits, pending };
  }

  async function chatWith(auth: BedrockAuth, env: Record<string, string> = {}) {
    return inHome(async () => {
      const client = createRuntimeClient({ auth, region: 'us-east-1', endpoint: server.endpoint, credentialClientConfig: { endpoint: server.url } });
      try {
        let text = '';
        await converse(client, model, hello, {}, new AbortController().signal, (e) => e.type === 'text' && (text += e.text));
        assert.equal(text, 'Hello from the local Bedrock server.');
        return server.requests.filter((r) => r.operation === 'converse-stream').at(-1)!;
      } finally {
        client.destroy();
      }
    }, env);
  }

  function assertSignedWithSso(req: { auth: { kind: string } }) {
    const issued = server.issuedCredentials.filter((c) => c.source === 'sso').at(-1);
    assert.ok(issued, 'the SSO portal issued role credentials');
    const a = req.auth as { kind: string; valid?: boolean; accessKeyId?: string; reason?: string };
    assert.equal(a.kind, 'sigv4');
    assert.ok(a.valid, a.reason);
    assert.equal(a.accessKeyId, issued.accessKeyId);
  }

  it('names the cache files as the AWS CLI does (sha1 of the session or start URL; botocore\'s registration key)', () => {
    assert.equal(tokenCacheKey({ sessionName: 'corp', startUrl: START_URL }), sha1('corp'));
    assert.equal(tokenCacheKey({ startUrl: START_URL }), sha1(START_URL));
    // Values computed with Python: sha1(json.dumps({...}, sort_keys=True)).
    assert.equal(registrationCacheKey({ sessionName: 'corp', startUrl: START_URL, region: 'us-east-1', scopes: ['sso:account:access'] }), '1b56c55d6e723362537167a7f43960b8185b5a80');
    assert.equal(registrationCacheKey({ startUrl: START_URL, region: 'us-east-1' }), 'ffb6eff0a547e7a6123046d5853a4c054139b507');
    assert.equal(
      registrationCacheKey({ sessionName: 'équipe', startUrl: 'https://d-123.awsapps.com/start#/ü', region: 'eu-west-1', scopes: ['sso:account:access', 'codewhisperer:completions'] }),
      '972f4d90e571454ac98ea0940d4b1c82d4194de5',
    );
  });

  it('device sign-in writes the CLI\'s token and registration files, then Bedrock gets a SigV4-verified call', async () => {
    home.writeConfig(SESSION_CONFIG);
    const config = await profile('corp');
    const { opts, pending, waits } = options();
    const result = await inHome(() => signInSso(config, opts));

    assert.equal(result.method, 'device');
    assert.equal(pending.length, 1, 'the user was shown one code');
    assert.match(pending[0].verificationUriComplete, new RegExp(`user_code=${pending[0].userCode}$`));
    assert.deepEqual(waits, [1000], 'polled once, after the interval the service asked for');
    const ops = server.requests.map((r) => r.operation);
    assert.deepEqual(ops, ['oidc-register-client', 'oidc-start-device-authorization', 'oidc-create-token']);
    const register = server.requests[0].body;
    assert.equal(register.clientType, 'public');
    assert.deepEqual(register.scopes, ['sso:account:access']);
    assert.equal(server.requests[1].body.startUrl, START_URL);
    assert.equal(server.requests[2].body.grantType, 'urn:ietf:params:oauth:grant-type:device_code');

    // The token file: sha1(session name).json with exactly the CLI's fields.
    const tokenFile = path.join(home.ssoCacheDir, `${sha1('corp')}.json`);
    assert.equal(result.file, tokenFile);
    const token = JSON.parse(fs.readFileSync(tokenFile, 'utf8'));
    const issued = server.oidc.issued.at(-1)!;
    const client = server.oidc.clients.get(token.clientId)!;
    assert.deepEqual(Object.keys(token).sort(), ['accessToken', 'clientId', 'clientSecret', 'expiresAt', 'refreshToken', 'region', 'registrationExpiresAt', 'startUrl']);
    assert.equal(token.startUrl, START_URL);
    assert.equal(token.region, 'us-east-1');
    assert.equal(token.accessToken, issued.accessToken);
    assert.equal(token.refreshToken, issued.refreshToken);
    assert.equal(token.clientSecret, client.clientSecret);
    assert.match(token.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Date.parse(token.expiresAt) > Date.now() + 7 * 3600_000);
    assert.equal(Date.parse(token.registrationExpiresAt), Math.floor(client.expiresAt / 1000) * 1000);
    assert.equal(fs.statSync(tokenFile).mode & 0o777, 0o600);

    // The registration file under botocore's key.
    const regFile = path.join(home.ssoCacheDir, `${registrationCacheKey(config)}.json`);
    const reg = JSON.parse(fs.readFileSync(regFile, 'utf8'));
    assert.deepEqual(reg, { clientId: client.clientId, clientSecret: client.clientSecret, expiresAt: token.registrationExpiresAt, scopes: ['sso:account:access'] });
    assert.deepEqual(fs.readdirSync(home.ssoCacheDir).sort(), [path.basename(regFile), path.basename(tokenFile)].sort(), 'no temporary files left');

    // The SDK's SSO provider reads it: the portal accepts the token and Bedrock verifies the signature.
    assertSignedWithSso(await chatWith({ kind: 'sso', profile: 'corp' }));
  });

  it('a legacy profile (start URL in the profile) uses sha1(start URL) and the registration key without a session', async () => {
    home.writeConfig(LEGACY_CONFIG);
    const config = await profile('old');
    assert.equal(config.sessionName, undefined);
    const result = await inHome(() => signInSso(config, options().opts));
    assert.equal(path.basename(result.file), `${sha1(START_URL)}.json`);
    assert.ok(fs.existsSync(path.join(home.ssoCacheDir, 'ffb6eff0a547e7a6123046d5853a4c054139b507.json')));
    assert.equal(result.token.refreshToken, undefined, 'no scopes, no refresh token (as IAM Identity Center does)');
    assertSignedWithSso(await chatWith({ kind: 'profile', profile: 'old' }));
  });

  it('honours interval and slow_down, keeps polling while authorization is pending, and reuses the cached registration', async () => {
    home.writeConfig(SESSION_CONFIG);
    const config = await profile('corp');
    await inHome(() => signInSso(config, options().opts));
    server.reset();
    server.oidc.interval = 2;
    server.oidc.slowDownPolls = new Set([2]);
    server.oidc.autoApproveOnPoll = 4;
    server.oidc.refreshTokens = 'never';
    fs.rmSync(path.join(home.ssoCacheDir, `${sha1('corp')}.json`)); // no refresh token to use: the browser it is
    const { opts, waits } = options({ approve: false });
    const result = await inHome(() => signInSso(config, opts));
    assert.equal(result.method, 'device');
    // pending (2 s), slow_down (then 2 + 5 s), pending, approved.
    assert.deepEqual(waits, [2000, 2000, 7000, 7000]);
    assert.deepEqual(
      server.requests.map((r) => r.operation),
      ['oidc-start-device-authorization', 'oidc-create-token', 'oidc-create-token', 'oidc-create-token', 'oidc-create-token'],
      'the cached registration was reused (no RegisterClient)',
    );
    server.oidc.interval = 1;
  });

  it('a code that expires, a denial, a cancel: each ends the sign-in with its reason and writes nothing', async () => {
    home.writeConfig(SESSION_CONFIG);
    const config = await profile('corp');
    const tokenFile = path.join(home.ssoCacheDir, `${sha1('corp')}.json`);

    const expired = options({ onPending: (a) => server.oidc.expire(a.userCode) });
    await assert.rejects(inHome(() => signInSso(config, expired.opts)), (e: unknown) => e instanceof SsoSignInError && e.reason === 'expired' && /expired before it was approved/.test(e.message));

    const denied = options({ onPending: (a) => server.oidc.deny(a.userCode) });
    await assert.rejects(inHome(() => signInSso(config, denied.opts)), (e: unknown) => e instanceof SsoSignInError && e.reason === 'denied');

    const abort = new AbortController();
    const polls = () => server.requests.filter((r) => r.operation === 'oidc-create-token').length;
    const before = polls();
    const cancelled = options({ approve: false, signal: abort.signal, sleep: async () => abort.abort() });
    await assert.rejects(inHome(() => signInSso(config, cancelled.opts)), (e: unknown) => e instanceof SsoSignInError && e.reason === 'cancelled');
    assert.equal(polls(), before, 'no poll after the cancel');
    assert.ok(!fs.existsSync(tokenFile));
  });

  it('a refused cached registration is replaced once', async () => {
    home.writeConfig(SESSION_CONFIG);
    const config = await profile('corp');
    await inHome(() => signInSso(config, options().opts));
    server.oidc.forgetClients();
    server.oidc.revokeRefreshTokens();
    server.reset();
    const result = await inHome(() => signInSso(config, options().opts));
    assert.equal(result.method, 'device');
    assert.deepEqual(
      server.requests.map((r) => `${r.operation}:${r.status}`),
      ['oidc-create-token:401', 'oidc-start-device-authorization:401', 'oidc-register-client:200', 'oidc-start-device-authorization:200', 'oidc-create-token:200'],
    );
  });

  it('with a refresh token in the cache, signs in without a browser (CreateToken grant refresh_token)', async () => {
    home.writeConfig(SESSION_CONFIG);
    const config = await profile('corp');
    const first = await inHome(() => signInSso(config, options().opts));
    // The working day is over: the access token expired, the refresh token still works.
    const file = first.file;
    fs.writeFileSync(file, JSON.stringify({ ...first.token, expiresAt: '2020-01-01T00:00:00Z' }));
    assert.equal((await inHome(() => ssoSessionStatus(config))).state, 'refreshable');
    server.reset();
    const { opts, pending } = options({ onPending: () => assert.fail('no browser for a refresh') });
    const result = await inHome(() => signInSso(config, opts));
    assert.equal(result.method, 'refresh');
    assert.equal(pending.length, 0);
    assert.deepEqual(server.requests.map((r) => r.operation), ['oidc-create-token']);
    assert.equal(server.requests[0].body.grantType, 'refresh_token');
    assert.equal(server.requests[0].body.refreshToken, first.token.refreshToken);
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(written.accessToken, server.oidc.issued.at(-1)!.accessToken);
    assert.notEqual(written.refreshToken, first.token.refreshToken, 'the rotated refresh token is kept');
    assert.equal(written.clientId, first.token.clientId);
    assert.equal(written.registrationExpiresAt, first.token.registrationExpiresAt);
    assert.equal((await inHome(() => ssoSessionStatus(config))).state, 'valid');
    assertSignedWithSso(await chatWith({ kind: 'sso', profile: 'corp' }));
  });

  it('a refresh token that no longer works falls back to the browser', async () => {
    home.writeConfig(SESSION_CONFIG);
    const config = await profile('corp');
    const first = await inHome(() => signInSso(config, options().opts));
    fs.writeFileSync(first.file, JSON.stringify({ ...first.token, expiresAt: '2020-01-01T00:00:00Z' }));
    server.oidc.revokeRefreshTokens();
    server.reset();
    const notes: string[] = [];
    const { opts, pending } = options({ onNote: (n) => notes.push(n) });
    const result = await inHome(() => signInSso(config, opts));
    assert.equal(result.method, 'device');
    assert.equal(pending.length, 1);
    assert.match(notes.join('\n'), /Refreshing the cached session failed.*InvalidGrantException|invalid refresh token/i);
  });

  it('session status from the cache: missing, valid, expired (the SDK gives up 5 minutes early without a refresh token)', async () => {
    home.writeConfig(`${SESSION_CONFIG}\n${LEGACY_CONFIG}`);
    const corp = await profile('corp');
    const old = await profile('old');
    assert.equal((await inHome(() => ssoSessionStatus(corp))).state, 'missing');
    const now = Date.now();
    home.writeSsoToken('corp', { accessToken: 'a', expiresAt: new Date(now + 3600_000).toISOString() });
    assert.equal((await inHome(() => ssoSessionStatus(corp, now))).state, 'valid');
    home.writeSsoToken('corp', { accessToken: 'a', expiresAt: new Date(now + 4 * 60_000).toISOString() });
    assert.equal((await inHome(() => ssoSessionStatus(corp, now))).state, 'expired');
    home.writeSsoToken(START_URL, { accessToken: 'a', expiresAt: new Date(now + 4 * 60_000).toISOString() });
    assert.equal((await inHome(() => ssoSessionStatus(old, now))).state, 'valid', 'a legacy token lasts until expiresAt');
    home.writeSsoToken('corp', { accessToken: 'a', expiresAt: new Date(now - 1000).toISOString(), refreshToken: 'r', clientId: 'c', clientSecret: 's', registrationExpiresAt: new Date(now - 1000).toISOString() });
    assert.equal((await inHome(() => ssoSessionStatus(corp, now))).state, 'expired', 'a refresh token with an expired registration cannot refresh');
  });

  it('finds the SSO profile behind each method: sso, profile, a role on an SSO source profile, automatic (AWS_PROFILE, else default)', async () => {
    home.writeCredentials('[keys]\naws_access_key_id = AKIA1\naws_secret_access_key = s\n[both]\naws_access_key_id = AKIA3\naws_secret_access_key = s\n');
    home.writeConfig(
      [SESSION_CONFIG, '[profile admin]', 'role_arn = arn:aws:iam::111122223333:role/Admin', 'source_profile = corp', '[default]', 'sso_session = corp', 'sso_account_id = 1', 'sso_role_name = R', '[profile both]', 'sso_session = corp', 'sso_account_id = 1', 'sso_role_name = R', '[profile tool]', 'credential_process = /bin/true', 'sso_session = corp'].join('\n'),
    );
    const found = (auth: BedrockAuth, env: Record<string, string> = {}) => inHome(() => ssoProfileFor(auth, { ...env }), env);
    assert.equal((await found({ kind: 'sso', profile: 'corp' }))?.sessionName, 'corp');
    assert.equal((await found({ kind: 'profile', profile: 'admin' }))?.profile, 'corp');
    assert.equal(await found({ kind: 'profile', profile: 'keys' }), undefined);
    // The SDK's profile resolution takes static keys and credential_process before SSO; the sso method reads SSO only.
    assert.equal(await found({ kind: 'profile', profile: 'both' }), undefined);
    assert.equal(await found({ kind: 'automatic' }, { AWS_PROFILE: 'both' }), undefined);
    assert.equal(await found({ kind: 'profile', profile: 'tool' }), undefined);
    assert.equal((await found({ kind: 'sso', profile: 'both' }))?.profile, 'both');
    assert.equal((await found({ kind: 'automatic' }, { AWS_PROFILE: 'corp' }))?.profile, 'corp');
    assert.equal((await found({ kind: 'automatic' }))?.profile, 'default');
    // Environment keys come before the default profile in the SDK's chain.
    assert.equal(await found({ kind: 'automatic' }, { AWS_ACCESS_KEY_ID: 'AKIA2', AWS_SECRET_ACCESS_KEY: 's' }), undefined);
    assert.equal(await found({ kind: 'apiKey', apiKey: 'k' }), undefined);
  });

  it('expired session → actionable error (fix signIn) → sign in → the next request works with the same client cache', async () => {
    home.writeConfig(SESSION_CONFIG);
    const config = await profile('corp');
    home.writeSsoToken('corp', { accessToken: 'yesterday', expiresAt: new Date(Date.now() - 3600_000).toISOString(), startUrl: START_URL });
    const auth: BedrockAuth = { kind: 'automatic' };
    const env = { AWS_PROFILE: 'corp' };
    const clients = new ClientCache();
    const target = { auth, region: 'us-east-1', endpoint: server.endpoint, credentialClientConfig: { endpoint: server.url } };
    const send = () => inHome(() => sendChat(clients, target, { model, messages: hello, options: {} }, new AbortController().signal, { onEvent: () => {} }), env);
    try {
      // Found before sending, from the cache's expiresAt.
      const status = await inHome(() => ssoProfileFor(auth, env).then((c) => ssoSessionStatus(c!)), env);
      assert.equal(status.state, 'expired');
      const before = ssoSessionError(status.config.profile, 'expired');
      assert.equal(before.fix, 'signIn');
      assert.match(before.message, /session for AWS profile "corp" has expired\. Run "Bedrock: Sign In with IAM Identity Center"/);

      // And from the SDK's own error, when a request goes anyway.
      await assert.rejects(send(), (err: unknown) => {
        const d = describeError(err, { modelId: model.id, region: 'us-east-1', auth });
        assert.equal(d.kind, 'credentials');
        assert.equal(d.fix, 'signIn');
        assert.equal(d.terminalCommand, undefined);
        return true;
      });
      assert.equal(server.requests.filter((r) => r.operation === 'converse-stream').length, 0);

      await inHome(() => signInSso(config, options().opts), env);
      clients.renew();
      await send();
      assertSignedWithSso(server.requests.filter((r) => r.operation === 'converse-stream').at(-1)!);
    } finally {
      clients.dispose();
    }
  });

  it('a token the portal no longer accepts (signed out elsewhere) is a Sign In problem too', async () => {
    home.writeConfig(SESSION_CONFIG);
    home.writeSsoToken('corp', { accessToken: 'revoked-token', startUrl: START_URL });
    for (const [auth, env] of [[{ kind: 'sso', profile: 'corp' }, {}], [{ kind: 'automatic' }, { AWS_PROFILE: 'corp' }]] as [BedrockAuth, Record<string, string>][]) {
      await assert.rejects(chatWith(auth, env), (err: unknown) => {
        const d = describeError(err, { modelId: model.id, region: 'us-east-1', auth });
        assert.equal(d.fix, 'signIn', d.message);
        assert.match(d.message, /^Your IAM Identity Center \(SSO\) session.*has expired or you are not signed in/);
        return true;
      });
    }
  });

  it('the AWS CLI\'s own SDK (botocore) reads the session this sign-in wrote', async function () {
    // The python3 on PATH, else Debian's (where apt puts python3-botocore when PATH has another Python).
    const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import botocore'], { encoding: 'utf8' }).status === 0);
    if (!python) toolMissing(this, 'botocore (apt: python3-botocore)');
    home.writeConfig(SESSION_CONFIG);
    const config = await profile('corp');
    await inHome(() => signInSso(config, options().opts));
    // Debian's python3-botocore (1.29) predates AWS_ENDPOINT_URL_SSO (1.31): point its SSO client at the
    // fake portal by hand. What is under test is that it reads the token cache this sign-in wrote.
    const script = [
      'import os, botocore.session',
      'create = botocore.session.Session.create_client',
      "def to_fake_portal(self, service, *a, **kw):",
      "    if service == 'sso': kw.setdefault('endpoint_url', os.environ['AWS_ENDPOINT_URL_SSO'])",
      '    return create(self, service, *a, **kw)',
      'botocore.session.Session.create_client = to_fake_portal',
      "c = botocore.session.Session(profile='corp').get_credentials().get_frozen_credentials()",
      'print(c.access_key)',
    ].join('\n');
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: home.home, AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile, AWS_ENDPOINT_URL_SSO: server.url, AWS_EC2_METADATA_DISABLED: 'true' };
    // Asynchronously: the fake portal answers from this process.
    const run = await promisify(execFile)(python, ['-c', script], { encoding: 'utf8', env });
    const issued = server.issuedCredentials.filter((c) => c.source === 'sso').at(-1);
    assert.equal(run.stdout.trim(), issued?.accessKeyId);
    const portal = server.requests.filter((r) => r.operation === 'sso-get-role-credentials').at(-1)!;
    assert.equal(portal.headers['x-amz-sso_bearer_token'], server.oidc.issued.at(-1)!.accessToken);
  });
});
