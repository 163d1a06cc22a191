/**
 * The five auth methods, driven by real settings, SecretStorage (through the
 * real commands), the managed file and the extension host's environment, each
 * reaching the local server with the right wire auth; and the precedence.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { bedrockServer, chat, extensionApi, resetUser, setSetting, testEnv } from './harness';

const STORED_KEY = 'ABSKc3RvcmVkLWtleS1mb3ItaW50ZWdyYXRpb24tdGVzdHM=';
const PROFILE_KEY = { id: 'AKIAPROFILEINTEG0001', secret: 'profile-secret-integration' };
const DEFAULT_KEY = { id: 'AKIADEFAULTINTEG0001', secret: 'default-secret-integration' };
const STORED_IAM = { accessKeyId: 'AKIASTOREDINTEG00001', secretAccessKey: 'stored-iam-secret-integration' };

function sigv4(auth: { kind: string }, accessKeyId: string) {
  assert.equal(auth.kind, 'sigv4', JSON.stringify(auth));
  const a = auth as unknown as { accessKeyId: string; valid: boolean; reason?: string };
  assert.equal(a.accessKeyId, accessKeyId);
  assert.ok(a.valid, a.reason);
}

describe('authentication in the real VS Code', () => {
  before(async () => {
    const server = await bedrockServer();
    server.addCredentials(PROFILE_KEY.id, PROFILE_KEY.secret);
    server.addCredentials(DEFAULT_KEY.id, DEFAULT_KEY.secret);
    server.addCredentials(STORED_IAM.accessKeyId, STORED_IAM.secretAccessKey);
    fs.writeFileSync(
      testEnv.credentialsFile,
      `[default]\naws_access_key_id = ${DEFAULT_KEY.id}\naws_secret_access_key = ${DEFAULT_KEY.secret}\n[dev]\naws_access_key_id = ${PROFILE_KEY.id}\naws_secret_access_key = ${PROFILE_KEY.secret}\n`,
    );
    fs.writeFileSync(
      testEnv.configFile,
      ['[profile corp]', 'sso_session = corp', 'sso_account_id = 111122223333', 'sso_role_name = Dev', '[sso-session corp]', 'sso_start_url = https://corp.awsapps.com/start', 'sso_region = us-east-1'].join('\n'),
    );
    const cache = path.join(testEnv.home, '.aws', 'sso', 'cache');
    fs.mkdirSync(cache, { recursive: true });
    const key = require('node:crypto').createHash('sha1').update('corp').digest('hex');
    fs.writeFileSync(path.join(cache, `${key}.json`), JSON.stringify({ accessToken: 'sso-integration-token', expiresAt: new Date(Date.now() + 3600_000).toISOString(), region: 'us-east-1', startUrl: 'https://corp.awsapps.com/start' }));
    server.addSsoToken('sso-integration-token', { accountId: '111122223333', roleName: 'Dev' });
  });
  beforeEach(resetUser);

  it('with nothing set, the environment API key (AWS_BEARER_TOKEN_BEDROCK) is used', async () => {
    const { request } = await chat('hi');
    assert.deepEqual(request.auth, { kind: 'bearer', token: testEnv.envBearer });
  });

  it('"Set Bedrock API Key" stores a key that beats the environment; empty input removes it', async () => {
    await vscode.commands.executeCommand('bedrockChat.setApiKey', `  ${STORED_KEY}  `);
    assert.deepEqual((await chat('hi')).request.auth, { kind: 'bearer', token: STORED_KEY });
    await vscode.commands.executeCommand('bedrockChat.setApiKey', '');
    assert.deepEqual((await chat('hi')).request.auth, { kind: 'bearer', token: testEnv.envBearer });
  });

  it('"Set IAM Credentials" stores credentials that sign SigV4', async () => {
    await vscode.commands.executeCommand('bedrockChat.setIamCredentials', STORED_IAM);
    sigv4((await chat('hi')).request.auth, STORED_IAM.accessKeyId);
  });

  it('a stored API key wins over stored IAM credentials', async () => {
    await vscode.commands.executeCommand('bedrockChat.setIamCredentials', STORED_IAM);
    await vscode.commands.executeCommand('bedrockChat.setApiKey', STORED_KEY);
    assert.deepEqual((await chat('hi')).request.auth, { kind: 'bearer', token: STORED_KEY });
  });

  it('method "profile" from settings beats stored secrets and the environment', async () => {
    await vscode.commands.executeCommand('bedrockChat.setApiKey', STORED_KEY);
    await vscode.commands.executeCommand('bedrockChat.selectAuthMethod', 'profile');
    await vscode.commands.executeCommand('bedrockChat.selectProfile', 'dev');
    await (await extensionApi()).controller.refresh('test');
    sigv4((await chat('hi')).request.auth, PROFILE_KEY.id);
  });

  it('method "sso" gets role credentials from the SSO portal', async () => {
    await setSetting('bedrockChat.authentication.method', 'sso');
    await setSetting('bedrockChat.authentication.profile', 'corp');
    const server = await bedrockServer();
    const { request } = await chat('hi');
    const issued = server.issuedCredentials.filter((c) => c.source === 'sso').at(-1);
    assert.ok(issued, 'the SSO portal was asked');
    sigv4(request.auth, issued.accessKeyId);
  });

  it('method "automatic" uses the SDK default chain (the default profile here), never the env bearer token', async () => {
    await setSetting('bedrockChat.authentication.method', 'automatic');
    sigv4((await chat('hi')).request.auth, DEFAULT_KEY.id);
  });

  it('method "apiKey" without a stored key uses the environment key; "iamCredentials" without credentials explains what to do', async () => {
    await setSetting('bedrockChat.authentication.method', 'apiKey');
    assert.deepEqual((await chat('hi')).request.auth, { kind: 'bearer', token: testEnv.envBearer });
    await setSetting('bedrockChat.authentication.method', 'iamCredentials');
    await assert.rejects(async () => await chat('hi'), /Set IAM Credentials/);
  });

  it('the managed file beats user settings and shows as managed', async () => {
    await setSetting('bedrockChat.authentication.method', 'apiKey');
    fs.writeFileSync(testEnv.managedFile, JSON.stringify({ 'bedrockChat.authentication.method': 'profile', 'bedrockChat.authentication.profile': 'dev' }));
    const api = await extensionApi();
    await api.controller.refresh('test');
    sigv4((await chat('hi')).request.auth, PROFILE_KEY.id);
    await api.statusBar.update();
    assert.match(api.statusBar.text, /\$\(lock\) Bedrock: AWS profile \(dev\)/);
    assert.match(api.statusBar.tooltip, /managed by your administrator/);
  });

  it('an invalid or expired API key is a credentials problem: the chat says so, and the status bar shows it failing', async () => {
    await vscode.commands.executeCommand('bedrockChat.setApiKey', STORED_KEY);
    const server = await bedrockServer();
    server.onConverseStream = () => ({ httpError: { status: 403, type: 'AccessDeniedException', message: 'Authentication failed: Please make sure your API Key is valid.' } });
    await assert.rejects(async () => await chat('hi'), /API key.*(invalid|expired)/i);
    const api = await extensionApi();
    await api.statusBar.update();
    assert.match(api.statusBar.text, /^\$\(error\) Bedrock: API key/);
    assert.match(api.statusBar.tooltip, /Set Bedrock API Key/);
    // A key that works clears the flag.
    server.onConverseStream = undefined;
    await chat('hi');
    await api.statusBar.update();
    assert.equal(api.statusBar.text, 'Bedrock: API key');
  });

  it('keys rotated in the AWS credentials file are used by the next request, without a reload or a failed attempt', async () => {
    const server = await bedrockServer();
    const rotated = { id: 'AKIAROTATEDINTEG0001', secret: 'rotated-secret-integration' };
    server.addCredentials(rotated.id, rotated.secret);
    await setSetting('bedrockChat.authentication.method', 'profile');
    await setSetting('bedrockChat.authentication.profile', 'dev');
    sigv4((await chat('hi')).request.auth, PROFILE_KEY.id);
    const original = fs.readFileSync(testEnv.credentialsFile, 'utf8');
    try {
      const api = await extensionApi();
      const refreshed = new Promise<void>((resolve) => {
        const sub = api.controller.onDidChange(() => (sub.dispose(), resolve()));
      });
      fs.writeFileSync(testEnv.credentialsFile, original.replace(PROFILE_KEY.id, rotated.id).replace(PROFILE_KEY.secret, rotated.secret));
      await refreshed; // the file watcher noticed
      const before = server.requests.length;
      sigv4((await chat('hi')).request.auth, rotated.id);
      assert.equal(server.requests.length, before + 1, 'one request, not a refused one and a retry');
    } finally {
      fs.writeFileSync(testEnv.credentialsFile, original);
    }
  });

  it('a malformed managed file blocks requests with a clear message', async () => {
    fs.writeFileSync(testEnv.managedFile, '{ "bedrockChat.authentication.method": ');
    await (await extensionApi()).controller.refresh('test');
    await assert.rejects(async () => await chat('hi'), /not valid JSON/);
  });

  it('nothing secret reaches the log', async () => {
    await vscode.commands.executeCommand('bedrockChat.setApiKey', STORED_KEY);
    const server = await bedrockServer();
    server.onConverseStream = (req) => ({ httpError: { status: 400, type: 'ValidationException', message: `echo ${req.headers.authorization}` } });
    await assert.rejects(async () => await chat('hi'), (err: Error) => !err.message.includes(STORED_KEY));
    const log = (await extensionApi()).controller.log.recent.join('\n');
    assert.match(log, /Failed: .*REDACTED/, 'the echoed key reached the log line and was redacted');
    assert.ok(!log.includes(STORED_KEY), 'stored key in log');
    assert.ok(!log.includes(testEnv.envBearer), 'env key in log');
    const userDir = path.dirname(path.dirname((await extensionApi()).globalStorageUri.fsPath));
    const settings = fs.readFileSync(path.join(userDir, 'settings.json'), 'utf8');
    assert.match(settings, /bedrockChat\.endpoint/, 'this is the settings file in use');
    assert.ok(!settings.includes(STORED_KEY), 'stored key in settings.json');
  });
});
