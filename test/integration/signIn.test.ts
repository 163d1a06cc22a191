/**
 * Bedrock: Sign In with IAM Identity Center in the real VS Code: an expired
 * session refused before sending with a Sign In fix and the status bar offering
 * it; the command run through VS Code's command service (device authorization
 * against the fake OIDC service, which approves the code on its second poll, as
 * a user in the browser would: the test never needs a browser); then a chat
 * answer signed with the new session's role credentials, without a reload.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { bedrockServer, chat, extensionApi, nextEvent, resetUser, setSetting, testEnv } from './harness';

const START_URL = 'https://corp.awsapps.com/start';
const CONFIG = [
  '[default]',
  'sso_session = corp',
  'sso_account_id = 111122223333',
  'sso_role_name = Dev',
  '[sso-session corp]',
  `sso_start_url = ${START_URL}`,
  'sso_region = us-east-1',
  'sso_registration_scopes = sso:account:access',
].join('\n');
const tokenFile = () => path.join(testEnv.home, '.aws', 'sso', 'cache', `${createHash('sha1').update('corp').digest('hex')}.json`);

function signedWithSso(auth: { kind: string }, accessKeyId: string) {
  const a = auth as { kind: string; valid?: boolean; accessKeyId?: string; reason?: string };
  assert.equal(a.kind, 'sigv4', JSON.stringify(auth));
  assert.ok(a.valid, a.reason);
  assert.equal(a.accessKeyId, accessKeyId);
}

describe('Sign In with IAM Identity Center in the real VS Code', () => {
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    // `automatic` with the default profile an SSO profile (the SDK's chain finds it).
    for (const f of [testEnv.configFile, testEnv.credentialsFile]) saved[f] = fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined;
    fs.writeFileSync(testEnv.configFile, CONFIG);
    fs.writeFileSync(testEnv.credentialsFile, '');
    const server = await bedrockServer();
    server.oidc.portal = { accountId: '111122223333', roleName: 'Dev' };
  });
  after(async () => {
    for (const [f, text] of Object.entries(saved)) if (text !== undefined) fs.writeFileSync(f, text);
    fs.rmSync(tokenFile(), { force: true });
    const server = await bedrockServer();
    server.oidc.autoApproveOnPoll = 0;
    await (await extensionApi()).controller.refresh('sign-in tests done');
  });
  beforeEach(async () => {
    await resetUser();
    // The user picked "automatic": the environment's API key must not win.
    await setSetting('bedrockChat.authentication.method', 'automatic');
  });

  it('an expired session is refused with Sign In; the command signs in through the device flow; the next chat answers', async () => {
    const server = await bedrockServer();
    const api = await extensionApi();
    fs.mkdirSync(path.dirname(tokenFile()), { recursive: true });
    fs.writeFileSync(tokenFile(), JSON.stringify({ startUrl: START_URL, region: 'us-east-1', accessToken: 'yesterdays-token', expiresAt: '2020-01-01T00:00:00Z' }));

    await assert.rejects(async () => await chat('hi'), /IAM Identity Center \(SSO\) session for AWS profile "default" has expired\. Run "Bedrock: Sign In with IAM Identity Center"/);
    assert.equal(server.requests.filter((r) => r.operation === 'converse-stream').length, 0, 'nothing was sent with a dead session');
    await api.statusBar.update();
    assert.match(api.statusBar.text, /^\$\(error\) Bedrock: Automatic: sign in$/);
    assert.equal(api.statusBar.command, 'bedrockChat.signIn');
    assert.match(api.statusBar.tooltip, /Click to sign in with IAM Identity Center/);

    // The user approves in the browser; here the fake approves on the second poll (about two seconds).
    server.oidc.autoApproveOnPoll = 2;
    const signedIn = await vscode.commands.executeCommand<boolean>('bedrockChat.signIn');
    assert.equal(signedIn, true);
    assert.deepEqual(
      server.requests.filter((r) => r.operation.startsWith('oidc-')).map((r) => r.operation),
      ['oidc-register-client', 'oidc-start-device-authorization', 'oidc-create-token', 'oidc-create-token'],
    );
    const token = JSON.parse(fs.readFileSync(tokenFile(), 'utf8'));
    assert.equal(token.accessToken, server.oidc.issued.at(-1)!.accessToken);
    assert.equal(token.startUrl, START_URL);
    assert.ok(token.refreshToken && token.clientId && token.clientSecret && token.registrationExpiresAt);
    assert.ok(api.controller.log.recent.some((l) => /Opening http:\/\/127\.0\.0\.1:\d+\/device\?user_code=\w{4}-\w{4} in the browser/.test(l)), 'the verification page was opened');

    await api.statusBar.update();
    assert.equal(api.statusBar.text, 'Bedrock: Automatic');
    assert.equal(api.statusBar.command, 'bedrockChat.manage');
    const { request, text } = await chat('hi');
    assert.equal(text, 'Hello from the local Bedrock server.');
    const issued = server.issuedCredentials.filter((c) => c.source === 'sso').at(-1)!;
    signedWithSso(request.auth, issued.accessKeyId);
    assert.equal(server.requests.filter((r) => r.operation === 'sso-get-role-credentials').at(-1)!.headers['x-amz-sso_bearer_token'], token.accessToken);
  });

  it('a session renewed outside VS Code (`aws sso login` in a terminal) clears the status bar by itself', async () => {
    const server = await bedrockServer();
    const api = await extensionApi();
    const saved = fs.readFileSync(tokenFile(), 'utf8');
    try {
      fs.writeFileSync(tokenFile(), JSON.stringify({ startUrl: START_URL, region: 'us-east-1', accessToken: 'old', expiresAt: '2020-01-01T00:00:00Z' }));
      await api.controller.sso.check();
      await api.statusBar.update();
      assert.equal(api.statusBar.command, 'bedrockChat.signIn');
      // What the AWS CLI writes; the monitor polls the token file and notices.
      server.addSsoToken('from-the-cli', { accountId: '111122223333', roleName: 'Dev' });
      const changed = nextEvent(api.controller.sso.onDidChange);
      fs.writeFileSync(tokenFile(), JSON.stringify({ startUrl: START_URL, region: 'us-east-1', accessToken: 'from-the-cli', expiresAt: new Date(Date.now() + 8 * 3600_000).toISOString() }));
      await changed;
      assert.equal(api.controller.sso.status?.state, 'valid');
      await api.statusBar.update();
      assert.equal(api.statusBar.command, 'bedrockChat.manage');
      await chat('hi');
      assert.equal(server.requests.filter((r) => r.operation === 'sso-get-role-credentials').at(-1)!.headers['x-amz-sso_bearer_token'], 'from-the-cli');
    } finally {
      fs.writeFileSync(tokenFile(), saved); // the next test refreshes the device sign-in's session
    }
  });

  it('with a refresh token in the cache, the command signs in without the browser', async () => {
    const server = await bedrockServer();
    const before = JSON.parse(fs.readFileSync(tokenFile(), 'utf8'));
    assert.ok(before.refreshToken, 'the previous test left a session with a refresh token');
    fs.writeFileSync(tokenFile(), JSON.stringify({ ...before, expiresAt: '2020-01-01T00:00:00Z' }));
    server.reset();
    server.oidc.autoApproveOnPoll = 0; // a device flow would now wait for ever
    const signedIn = await vscode.commands.executeCommand<boolean>('bedrockChat.signIn');
    assert.equal(signedIn, true);
    assert.deepEqual(server.requests.map((r) => `${r.operation}:${r.body?.grantType}`), ['oidc-create-token:refresh_token']);
    const after = JSON.parse(fs.readFileSync(tokenFile(), 'utf8'));
    assert.equal(after.accessToken, server.oidc.issued.at(-1)!.accessToken);
    // The next request uses the new session: its client was rebuilt, so role credentials are fetched with the new token.
    const { request } = await chat('hi');
    const portal = server.requests.filter((r) => r.operation === 'sso-get-role-credentials');
    assert.equal(portal.at(-1)?.headers['x-amz-sso_bearer_token'], after.accessToken);
    signedWithSso(request.auth, server.issuedCredentials.filter((c) => c.source === 'sso').at(-1)!.accessKeyId);
  });
});
