/**
 * Changes to region, method or secrets refresh the model list without a
 * reload, and the status bar follows.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, nextEvent, resetUser, VENDOR } from './harness';

describe('live refresh in the real VS Code', () => {
  beforeEach(resetUser);

  it('changing the region refreshes the model list with that region\'s ids', async () => {
    const changed = nextEvent(vscode.lm.onDidChangeChatModels);
    await vscode.commands.executeCommand('bedrockChat.selectRegion', 'eu-central-1');
    await changed;
    const models = await vscode.lm.selectChatModels({ vendor: VENDOR });
    assert.ok(models.some((m) => m.id === 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0'), models.map((m) => m.id).join());
    assert.ok(!models.some((m) => m.id.startsWith('us.')));
    const api = await extensionApi();
    await api.statusBar.update();
    assert.match(api.statusBar.tooltip, /Region: eu-central-1/);
  });

  it('storing or deleting a secret, or changing the method, fires the provider\'s change event', async () => {
    // VS Code re-reads the list on this event; it only re-announces models whose list differs.
    const { provider } = await extensionApi();
    let changed = nextEvent(provider.onDidChangeLanguageModelChatInformation);
    await vscode.commands.executeCommand('bedrockChat.setApiKey', 'ABSKcmVmcmVzaC10ZXN0LWtleS0wMDAwMDAwMDAw');
    await changed;
    changed = nextEvent(provider.onDidChangeLanguageModelChatInformation);
    await vscode.commands.executeCommand('bedrockChat.setApiKey', '');
    await changed;
    changed = nextEvent(provider.onDidChangeLanguageModelChatInformation);
    await vscode.workspace.getConfiguration().update('bedrockChat.authentication.method', 'sso', vscode.ConfigurationTarget.Global);
    await changed;
  });

  it('adding a custom model shows it without a reload', async () => {
    const changed = nextEvent(vscode.lm.onDidChangeChatModels);
    const arn = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/team-claude';
    await vscode.workspace.getConfiguration().update('bedrockChat.models.custom', [{ id: arn, name: 'Team Claude' }], vscode.ConfigurationTarget.Global);
    await changed;
    const [model] = await vscode.lm.selectChatModels({ vendor: VENDOR, id: arn });
    assert.equal(model?.name, 'Team Claude');
  });

  it('the status bar shows the active method', async () => {
    const api = await extensionApi();
    await api.statusBar.update();
    assert.equal(api.statusBar.text, 'Bedrock: API key', 'the environment API key with nothing else set');
    await vscode.commands.executeCommand('bedrockChat.selectAuthMethod', 'profile');
    await vscode.commands.executeCommand('bedrockChat.selectProfile', 'dev');
    await api.controller.refresh('test');
    await api.statusBar.update();
    assert.equal(api.statusBar.text, 'Bedrock: AWS profile (dev)');
    assert.match(api.statusBar.tooltip, /Source: settings/);
    await vscode.workspace.getConfiguration().update('bedrockChat.authentication.method', 'iamCredentials', vscode.ConfigurationTarget.Global);
    await api.controller.refresh('test');
    await api.statusBar.update();
    assert.match(api.statusBar.text, /setup needed/);
  });
});
