/**
 * The discovery settings: where the control plane is (setting, then
 * AWS_ENDPOINT_URL_BEDROCK, then AWS's), the inference-profile choice and
 * hidden models, as resolveState applies them.
 */
import * as assert from 'node:assert/strict';
import { APPLICATION_SCOPED, mergeSettings, SETTING_IDS, SettingKey, SettingLayers } from '../../src/core/config/settings';
import { resolveState } from '../../src/core/state';

const none = { path: '/etc/bedrock-chat/managed-settings.json', present: false, values: {}, unknownKeys: [] };

async function state(layers: Partial<Record<SettingKey, SettingLayers>>, env: Record<string, string> = {}) {
  return resolveState({ layers, managed: none, secrets: { apiKey: 'ABSKx' }, env, profileRegion: async () => undefined });
}

describe('control-plane endpoint', () => {
  it('AWS default with nothing set', async () => {
    assert.deepEqual((await state({})).controlPlane, { source: 'default' });
  });

  it('the setting, else AWS_ENDPOINT_URL_BEDROCK, each checked like the runtime endpoint', async () => {
    const env = { AWS_ENDPOINT_URL_BEDROCK: 'https://bedrock.vpce.example.com/' };
    assert.deepEqual((await state({ controlPlaneEndpoint: { user: 'https://cp.example.com/bedrock/' } }, env)).controlPlane, { endpoint: 'https://cp.example.com/bedrock', source: 'settings' });
    assert.deepEqual((await state({}, env)).controlPlane, { endpoint: 'https://bedrock.vpce.example.com', source: 'environment' });
    assert.deepEqual((await state({}, { AWS_ENDPOINT_URL_BEDROCK: 'http://127.0.0.1:9000' })).controlPlane, { endpoint: 'http://127.0.0.1:9000', source: 'environment' });
    const clear = await state({}, { AWS_ENDPOINT_URL_BEDROCK: 'http://cp.example.com' });
    assert.match(clear.controlPlane.skip!, /AWS_ENDPOINT_URL_BEDROCK "http:\/\/cp\.example\.com" must use https:\/\//);
  });

  it('an invalid setting stops discovery instead of falling back to the environment or AWS', async () => {
    const s = await state({ controlPlaneEndpoint: { user: 'http://cp.example.com' } }, { AWS_ENDPOINT_URL_BEDROCK: 'https://fine.example.com' });
    assert.equal(s.controlPlane.endpoint, undefined);
    assert.match(s.controlPlane.skip!, /the user setting bedrockChat\.controlPlaneEndpoint is invalid/);
    assert.equal(s.auth.ok, true, 'chat requests are not blocked by it');
  });

  it('behind a runtime gateway, credentials go to AWS\'s control plane only when told to', async () => {
    const gateway = await state({ endpoint: { user: 'https://gw.example.com/bedrock' } });
    assert.match(gateway.controlPlane.skip!, /requests go to the gateway in bedrockChat\.endpoint and no control-plane endpoint is set/);
    const told = await state({ endpoint: { user: 'https://gw.example.com/bedrock' }, controlPlaneEndpoint: { user: 'https://gw.example.com/bedrock-cp' } });
    assert.deepEqual(told.controlPlane, { endpoint: 'https://gw.example.com/bedrock-cp', source: 'settings' });
  });

  it('a workspace cannot set where discovery goes or the inference-profile choice', () => {
    assert.ok(APPLICATION_SCOPED.includes('controlPlaneEndpoint'));
    assert.ok(APPLICATION_SCOPED.includes('inferenceProfile'));
    assert.ok(!APPLICATION_SCOPED.includes('hiddenModels'));
  });
});

describe('inference profile and hidden settings', () => {
  it('inferenceProfile takes geographic or global; global changes the catalogue ids', async () => {
    const bad = mergeSettings({ inferenceProfile: { user: 'everywhere' } });
    assert.equal(bad.settings.inferenceProfile.value, undefined);
    assert.match(bad.problems[0].message, /use one of geographic, global/);
    const geographic = await state({ region: { user: 'sa-east-1' } });
    assert.ok(!geographic.models.some((m) => m.id.startsWith('global.')));
    const global = await state({ region: { user: 'sa-east-1' }, inferenceProfile: { user: 'global' } });
    assert.ok(global.models.some((m) => m.id === 'global.anthropic.claude-sonnet-4-5-20250929-v1:0'));
  });

  it('hidden takes a list of patterns and hides catalogue models', async () => {
    assert.match(mergeSettings({ hiddenModels: { user: 'meta.*' } }).problems[0].message, /list of glob patterns/);
    assert.equal(mergeSettings({ hiddenModels: { user: [' ', ''] } }).settings.hiddenModels.value, undefined);
    const s = await state({ hiddenModels: { user: ['meta.*', 'Claude*'] }, customModels: { user: [{ id: 'meta.llama-finetune', name: 'Claude-like' }] } });
    assert.deepEqual(s.models.filter((m) => /llama|claude/i.test(m.name + m.id)).map((m) => m.id), ['meta.llama-finetune'], 'catalogue Llama and Claude models hidden; the custom model stays');
  });

  it('the setting ids are the public ones', () => {
    assert.equal(SETTING_IDS.controlPlaneEndpoint, 'bedrockChat.controlPlaneEndpoint');
    assert.equal(SETTING_IDS.inferenceProfile, 'bedrockChat.models.inferenceProfile');
    assert.equal(SETTING_IDS.hiddenModels, 'bedrockChat.models.hidden');
  });
});
