/**
 * A short-term Bedrock API key in the real VS Code: stored with the command,
 * made for another region than requests go to and expiring within the hour,
 * the status bar turns red and the log warns, with no part of the key shown.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { shortTermApiKey } from '../support/apiKeys';
import { extensionApi, resetUser, setSetting } from './harness';

describe('short-term API keys in the real VS Code', () => {
  beforeEach(resetUser);
  after(resetUser);

  it('a key for another region, expiring soon: the status bar and the log say so; the key never shows', async () => {
    const key = await shortTermApiKey({ region: 'eu-west-1', issuedAt: new Date(Date.now() - 11.5 * 3600_000), accessKeyId: 'ASIAINTEGKEYCANARY01' });
    await setSetting('bedrockChat.region', 'us-east-1');
    await vscode.commands.executeCommand('bedrockChat.setApiKey', key);
    const api = await extensionApi();
    await api.controller.refresh('test');
    await api.statusBar.update();
    assert.equal(api.statusBar.text, '$(warning) Bedrock: API key for eu-west-1');
    assert.match(api.statusBar.tooltip, /API key: short-term, for eu-west-1, valid until/);
    assert.match(api.statusBar.tooltip, /expires in (29|30) minutes/);
    assert.match(api.statusBar.tooltip, /made for eu-west-1, but requests go to us-east-1/);
    const log = api.controller.log.recent.join('\n');
    assert.match(log, /bedrock-api-key-…: This short-term Bedrock API key was made for eu-west-1/);
    for (const text of [api.statusBar.tooltip, log]) {
      assert.ok(!text.includes(key.slice(16, 48)) && !text.includes('ASIAINTEGKEYCANARY01'), 'no part of the key');
    }
    await setSetting('bedrockChat.region', 'eu-west-1');
    await api.statusBar.update();
    assert.match(api.statusBar.text, /^\$\(warning\) Bedrock: API key expires in (29|30) min$/, 'in its own region, only the expiry warning is left');
  });
});
