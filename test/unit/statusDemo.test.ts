/** The status bar in `npm start` demo mode (BEDROCK_CHAT_DEMO=1, set by scripts/start.js). */
import * as assert from 'node:assert/strict';
import { resolveState } from '../../src/core/state';
import { statusView } from '../../src/vscode/statusView';

describe('status view in demo mode', () => {
  const none = { path: '/etc/bedrock-chat/managed-settings.json', present: false, values: {}, unknownKeys: [] };
  const state = (env: Record<string, string>) =>
    resolveState({ layers: { endpoint: { user: 'http://127.0.0.1:4567' } }, managed: none, secrets: {}, env, profileRegion: async () => undefined });

  it('says demo, and in the tooltip where answers come from and how to leave it', async () => {
    const view = statusView(await state({ AWS_BEARER_TOKEN_BEDROCK: 'ABSKZGVtbw==' }), { demo: true });
    assert.equal(view.text, '$(beaker) Bedrock: demo');
    assert.equal(view.error, false);
    assert.match(view.tooltip, /^Demo mode \(npm start\): a local Bedrock-compatible server answers/);
    assert.match(view.tooltip, /npm start -- --real/);
    assert.match(view.tooltip, /Endpoint: http:\/\/127\.0\.0\.1:4567/);
  });

  it('shows the method as usual outside demo mode', async () => {
    assert.equal(statusView(await state({ AWS_BEARER_TOKEN_BEDROCK: 'ABSKZGVtbw==' })).text, 'Bedrock: API key');
  });

  it('a setup problem still shows as an error in demo mode', async () => {
    const s = await resolveState({ layers: { authMethod: { user: 'apiKey' } }, managed: none, secrets: {}, env: {}, profileRegion: async () => undefined });
    const view = statusView(s, { demo: true });
    assert.equal(view.error, true);
    assert.match(view.text, /setup needed/);
  });
});
