/**
 * Live model discovery in the real VS Code: with bedrockChat.controlPlaneEndpoint
 * pointed at the local server, the picker lists a model the catalogue does not
 * know, and a request to it goes to the id the control plane gave. Without it
 * (the rest of this suite: the runtime endpoint is a gateway) the catalogue.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { foundationModelSummary as fm, systemProfile, textEvents, type BedrockServer } from '../support';
import { bedrockServer, chat, extensionApi, resetUser, setSetting, VENDOR } from './harness';

const LUMEN = 'us.acme.lumen-2-v1:0';
const US = ['us-east-1', 'us-east-2', 'us-west-2'];

/** The Bedrock models VS Code offers once `ready` holds for them, waiting on VS Code's change events. */
async function modelsWhen(ready: (models: vscode.LanguageModelChat[]) => boolean, what: string): Promise<vscode.LanguageModelChat[]> {
  for (let i = 0; i < 20; i++) {
    const changed = new Promise<void>((resolve) => {
      const timer = setTimeout(() => (sub.dispose(), resolve()), 1_000);
      const sub = vscode.lm.onDidChangeChatModels(() => (clearTimeout(timer), sub.dispose(), resolve()));
    });
    const models = await vscode.lm.selectChatModels({ vendor: VENDOR });
    if (ready(models)) return models;
    await changed;
  }
  const models = await vscode.lm.selectChatModels({ vendor: VENDOR });
  assert.fail(`${what}; VS Code lists ${models.map((m) => m.id).join(', ')}`);
}

describe('live model discovery in the real VS Code', () => {
  let saved: Pick<BedrockServer, 'foundationModels' | 'inferenceProfiles'>;
  before(async () => {
    await extensionApi();
    await resetUser();
    const { foundationModels, inferenceProfiles } = await bedrockServer();
    saved = { foundationModels, inferenceProfiles };
  });
  after(async () => {
    Object.assign(await bedrockServer(), saved);
    await resetUser();
  });

  it('without a control-plane endpoint behind a gateway, the picker shows the catalogue and nothing is asked', async () => {
    const server = await bedrockServer();
    const models = await vscode.lm.selectChatModels({ vendor: VENDOR });
    assert.ok(models.some((m) => m.id === 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'));
    assert.ok(!models.some((m) => m.id === LUMEN));
    assert.equal(server.requests.filter((r) => r.operation.startsWith('list-')).length, 0);
  });

  it('lists a discovered model the catalogue does not know, and a request goes to the id the control plane gave', async () => {
    const server = await bedrockServer();
    server.foundationModels = [
      fm('acme.lumen-2-v1:0', { name: 'Lumen 2', provider: 'Acme', inferenceTypes: ['INFERENCE_PROFILE'] }),
      fm('amazon.nova-micro-v1:0', { name: 'Nova Micro', provider: 'Amazon', inferenceTypes: ['ON_DEMAND', 'INFERENCE_PROFILE'] }),
      fm('amazon.titan-embed-text-v2:0', { output: ['EMBEDDING'] }),
    ];
    server.inferenceProfiles = [systemProfile(`us.acme.lumen-2-v1:0`, US), systemProfile('us.amazon.nova-micro-v1:0', US)];
    await setSetting('bedrockChat.controlPlaneEndpoint', server.endpoint);
    const models = await modelsWhen((ms) => ms.some((m) => m.id === LUMEN), `${LUMEN} is listed`);
    assert.deepEqual(models.map((m) => m.id).sort(), [LUMEN, 'us.amazon.nova-micro-v1:0'], 'what Bedrock listed, not the catalogue');
    const lumen = models.find((m) => m.id === LUMEN)!;
    assert.equal(lumen.name, 'Lumen 2');
    assert.ok(lumen.maxInputTokens > 0 && lumen.maxInputTokens < 32_000, 'conservative limits');
    assert.ok(server.requests.some((r) => r.operation === 'list-foundation-models' && r.auth.kind === 'bearer'), 'asked with the API key chat requests use');

    server.onConverseStream = () => textEvents('Lumen here.');
    const { text, request } = await chat('hello', {}, LUMEN);
    assert.equal(text, 'Lumen here.');
    assert.equal(request.modelId, LUMEN);
  });

  it('Refresh Models asks Bedrock again; hidden patterns take models out of the picker', async () => {
    const server = await bedrockServer();
    const before = server.requests.filter((r) => r.operation === 'list-foundation-models').length;
    server.foundationModels.push(fm('acme.lumen-3-v1:0', { name: 'Lumen 3', provider: 'Acme' }));
    await vscode.commands.executeCommand('bedrockChat.refreshModels');
    assert.equal(server.requests.filter((r) => r.operation === 'list-foundation-models').length, before + 1);
    await modelsWhen((ms) => ms.some((m) => m.id === 'acme.lumen-3-v1:0'), 'the new model is listed after Refresh Models');
    await setSetting('bedrockChat.models.hidden', ['*lumen*']);
    const left = await modelsWhen((ms) => !ms.some((m) => /lumen/.test(m.id)), 'Lumen models are hidden');
    assert.deepEqual(left.map((m) => m.id), ['us.amazon.nova-micro-v1:0']);
  });
});
