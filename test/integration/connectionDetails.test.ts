/**
 * Bedrock: Show Connection Details in the real VS Code: the report for the
 * host's environment key (no STS call for an API key), shown in an untitled
 * Markdown document, with no secret in it; with a profile, the caller identity
 * STS gives for the profile's keys.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { bedrockServer, extensionApi, resetUser, setSetting, testEnv } from './harness';

const KEY = { id: 'AKIADETAILSINTEG0001', secret: 'details-secret-integration' };

describe('Show Connection Details in the real VS Code', () => {
  beforeEach(resetUser);
  after(resetUser);

  it('shows the report in a document: the environment API key by prefix only, endpoints, policy; no secret', async () => {
    const server = await bedrockServer();
    const report = (await vscode.commands.executeCommand('bedrockChat.showConnectionDetails')) as string;
    assert.match(report, /^# Bedrock Chat connection details/);
    assert.match(report, /- Method: API key\n- Chosen by: environment variables/);
    assert.match(report, /- API key: ABSK… from AWS_BEARER_TOKEN_BEDROCK: long-term/);
    assert.match(report, /- Caller identity: not available with an API key/);
    assert.match(report, new RegExp(`- Runtime endpoint: ${server.endpoint.replace(/[.]/g, '\\.')} \\(user setting bedrockChat\\.endpoint\\)`));
    assert.match(report, /- Allowed methods: any/);
    // VS Code's default http.proxySupport: its own proxy support picks the proxy for extensions' connections.
    assert.match(report, /- VS Code's proxy support: override \(http\.proxySupport\): VS Code itself picks the proxy/);
    assert.ok(!report.includes(testEnv.envBearer), 'the environment key is not in the report');
    assert.equal(vscode.window.activeTextEditor?.document.getText(), report, 'shown in an editor');
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'markdown');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('with an AWS profile, the caller identity comes from STS with that profile\'s keys', async () => {
    const server = await bedrockServer();
    server.addCredentials(KEY.id, KEY.secret);
    const original = fs.readFileSync(testEnv.credentialsFile, 'utf8');
    try {
      fs.writeFileSync(testEnv.credentialsFile, `${original}\n[details]\naws_access_key_id = ${KEY.id}\naws_secret_access_key = ${KEY.secret}\n`);
      await setSetting('bedrockChat.authentication.method', 'profile');
      await setSetting('bedrockChat.authentication.profile', 'details');
      const report = (await vscode.commands.executeCommand('bedrockChat.showConnectionDetails', { show: false })) as string;
      const asked = server.requests.filter((r) => r.operation === 'sts-get-caller-identity').at(-1);
      assert.ok(asked && asked.auth.kind === 'sigv4' && asked.auth.valid && asked.auth.accessKeyId === KEY.id, 'STS was asked, signed with the profile\'s keys');
      assert.match(report, /- Caller identity: arn:aws:iam::123456789012:user\/local-test \(account 123456789012\)/);
      assert.match(report, /- Credentials expire: no expiry \(long-term keys\)/);
      assert.ok(!report.includes(KEY.secret));
    } finally {
      fs.writeFileSync(testEnv.credentialsFile, original);
    }
  });
});
