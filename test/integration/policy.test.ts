/**
 * Administrator policy in the real VS Code: the managed file forbids API keys
 * while the host's environment has AWS_BEARER_TOKEN_BEDROCK, and the status bar
 * and the chat refuse, naming the policy; models outside bedrockChat.allowedModels
 * leave the picker; commands do not change what the organisation manages.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { bedrockServer, chat, extensionApi, resetUser, testEnv, VENDOR } from './harness';

async function managed(file: Record<string, unknown>): Promise<void> {
  fs.writeFileSync(testEnv.managedFile, JSON.stringify(file));
  await (await extensionApi()).controller.refresh('test: managed file');
}

/** The Bedrock models VS Code offers once `ready` holds, waiting on VS Code's change events. */
async function modelsWhen(ready: (ids: string[]) => boolean, what: string): Promise<string[]> {
  for (let i = 0; i < 20; i++) {
    const changed = new Promise<void>((resolve) => {
      const timer = setTimeout(() => (sub.dispose(), resolve()), 1_000);
      const sub = vscode.lm.onDidChangeChatModels(() => (clearTimeout(timer), sub.dispose(), resolve()));
    });
    const ids = (await vscode.lm.selectChatModels({ vendor: VENDOR })).map((m) => m.id);
    if (ready(ids)) return ids;
    await changed;
  }
  const ids = (await vscode.lm.selectChatModels({ vendor: VENDOR })).map((m) => m.id);
  assert.fail(`${what}; VS Code lists ${ids.join(', ')}`);
}

describe('administrator policy in the real VS Code', () => {
  beforeEach(resetUser);
  after(resetUser);

  it('API keys forbidden with a key in the environment: the status bar and the chat refuse, naming the policy', async () => {
    assert.ok(testEnv.envBearer, 'the host has AWS_BEARER_TOKEN_BEDROCK');
    await managed({ 'bedrockChat.allowedAuthenticationMethods': ['sso', 'profile'] });
    const server = await bedrockServer();
    const api = await extensionApi();
    await api.statusBar.update();
    assert.equal(api.statusBar.text, '$(error) Bedrock: not allowed by policy');
    assert.match(api.statusBar.tooltip, /does not allow API key authentication.*AWS_BEARER_TOKEN_BEDROCK is set/);
    assert.match(api.statusBar.tooltip, /Allowed methods \(policy\): sso, profile/);
    await assert.rejects(async () => await chat('hi'), /policy \(bedrockChat\.allowedAuthenticationMethods in .*managed-settings\.json\) does not allow API key authentication/);
    assert.equal(server.requests.filter((r) => r.operation === 'converse-stream').length, 0, 'nothing was sent with the forbidden key');
    assert.ok(!api.statusBar.tooltip.includes(testEnv.envBearer));
  });

  it('commands do not store a forbidden key, choose a forbidden method, or change a managed region', async () => {
    await managed({ 'bedrockChat.allowedAuthenticationMethods': ['sso', 'profile'], 'bedrockChat.region': 'eu-central-1' });
    await vscode.commands.executeCommand('bedrockChat.setApiKey', 'ABSKZm9yYmlkZGVuLWtleS1zdG9yZWQtYW55d2F5MDA=');
    await vscode.commands.executeCommand('bedrockChat.selectAuthMethod', 'apiKey');
    await vscode.commands.executeCommand('bedrockChat.selectRegion', 'us-west-2');
    const config = vscode.workspace.getConfiguration();
    assert.equal(config.inspect('bedrockChat.authentication.method')?.globalValue, undefined, 'the method was not changed');
    assert.equal(config.inspect('bedrockChat.region')?.globalValue, undefined, 'the region was not changed');
    const state = await (await extensionApi()).controller.refresh('test');
    assert.deepEqual(state.region, { region: 'eu-central-1', source: 'managed' });
    // The refusal is still about the environment key: no key was stored in SecretStorage.
    assert.ok(!state.auth.ok && /AWS_BEARER_TOKEN_BEDROCK is set/.test(state.auth.message));
  });

  it('models outside bedrockChat.allowedModels leave the picker, and a request to one is refused', async () => {
    const all = await modelsWhen((ids) => ids.some((id) => id.includes('anthropic')), 'Claude is listed without a policy');
    const claude = all.find((id) => id.includes('anthropic'))!;
    const claudeModel = (await vscode.lm.selectChatModels({ vendor: VENDOR, id: claude }))[0];
    await managed({ 'bedrockChat.allowedModels': ['amazon.nova-*'] });
    const ids = await modelsWhen((list) => list.length > 0 && list.every((id) => id.includes('amazon.nova')), 'only Nova models are listed');
    assert.ok(!ids.includes(claude));
    // VS Code no longer routes to it; a request that still reaches the provider (an old model list) is refused, naming the policy.
    const server = await bedrockServer();
    const api = await extensionApi();
    const info = { id: claude, name: claudeModel.name, family: claudeModel.family, version: claudeModel.version, maxInputTokens: 1000, maxOutputTokens: 100, capabilities: {} };
    await assert.rejects(
      api.provider.provideLanguageModelChatResponse(info, [vscode.LanguageModelChatMessage.User('hi')], {} as vscode.ProvideLanguageModelChatResponseOptions, { report: () => {} }, new vscode.CancellationTokenSource().token),
      /policy \(bedrockChat\.allowedModels in .*\) does not allow the model us\.anthropic/,
    );
    assert.equal(server.requests.filter((r) => r.operation === 'converse-stream').length, 0);
    assert.match((await chat('hi')).text, /./, 'an allowed model still answers');
  });
});
