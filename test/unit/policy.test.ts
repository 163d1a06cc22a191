/**
 * Administrator policy from the managed file: allowed authentication methods
 * and models, a guardrail the user cannot remove, and a file or value that
 * cannot be read leaving nothing less restricted. Resolution is pure; the
 * model list runs with the `vscode` stand-in against the local server, and the
 * guardrail reaches the wire through the real SDK.
 */
import '../support/vscodeShim'; // first: it makes require('vscode') work
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sendChat } from '../../src/core/bedrock/send';
import { ClientCache } from '../../src/core/bedrock/client';
import { ManagedSettings, parseManagedSettings } from '../../src/core/config/managedSettings';
import { methodAllowed, resolvePolicy } from '../../src/core/config/policy';
import { SettingKey, SettingLayers } from '../../src/core/config/settings';
import { modelAllowed, modelRefusal } from '../../src/core/models/allowed';
import { resolveState, StateInputs } from '../../src/core/state';
import { chatOptions } from '../../src/vscode/exchange';
import { ModelList } from '../../src/vscode/modelList';
import { statusView } from '../../src/vscode/statusView';
import { foundationModelSummary as fm, startBedrockServer, systemProfile, type BedrockServer } from '../support';

const PATH = '/etc/bedrock-chat/managed-settings.json';
const ENV_KEY = 'ABSKZW52LWtleS1mb3ItcG9saWN5LXRlc3RzMDAwMDA=';
const managed = (file: Record<string, unknown>): ManagedSettings => parseManagedSettings(PATH, JSON.stringify(file));
const none: ManagedSettings = { path: PATH, present: false, values: {}, unknownKeys: [] };

function state(over: Partial<StateInputs> & { layers?: Partial<Record<SettingKey, SettingLayers>> }) {
  return resolveState({ layers: {}, managed: none, secrets: {}, env: {}, profileRegion: async () => undefined, ...over });
}

describe('administrator policy', () => {
  describe('the policy keys', () => {
    it('are read from the managed file only as policy, not as settings', () => {
      const m = managed({ 'bedrockChat.allowedAuthenticationMethods': ['sso', 'profile'], 'bedrockChat.allowedModels': ['anthropic.claude-*'] });
      assert.deepEqual(m.unknownKeys, []);
      assert.deepEqual(resolvePolicy(m), { path: PATH, allowedMethods: ['sso', 'profile'], allowedModels: ['anthropic.claude-*'] });
      assert.deepEqual(resolvePolicy(none), { path: PATH });
    });

    it('a malformed value, or a misspelt policy key, is an error (fail closed); other unknown keys are not', () => {
      assert.match(resolvePolicy(managed({ 'bedrockChat.allowedAuthenticationMethods': ['SSO'] })).error ?? '', /"SSO" is not a method; use automatic, profile, sso, iamCredentials, apiKey/);
      assert.match(resolvePolicy(managed({ 'bedrockChat.allowedAuthenticationMethods': 'sso' })).error ?? '', /must be a list of methods/);
      assert.match(resolvePolicy(managed({ 'bedrockChat.allowedModels': [''] })).error ?? '', /allowedModels must be a list of glob patterns/);
      assert.match(resolvePolicy(managed({ 'bedrockChat.allowedModel': ['anthropic.*'] })).error ?? '', /bedrockChat\.allowedModel is not a policy key/);
      assert.equal(resolvePolicy(managed({ 'bedrockChat.regoin': 'x' })).error, undefined);
    });
  });

  describe('authentication methods', () => {
    const policy = { 'bedrockChat.allowedAuthenticationMethods': ['sso', 'profile'] };

    it('a key in the environment is refused with the policy named, not replaced by the next source', async () => {
      const s = await state({ managed: managed(policy), env: { AWS_BEARER_TOKEN_BEDROCK: ENV_KEY, AWS_ACCESS_KEY_ID: 'AKIAPOLICYTEST000001', AWS_SECRET_ACCESS_KEY: 'x' } });
      assert.equal(s.auth.ok, false);
      assert.ok(!s.auth.ok && s.auth.policy);
      assert.ok(!s.auth.ok && s.auth.method === 'apiKey');
      const message = !s.auth.ok ? s.auth.message : '';
      assert.match(message, /policy \(bedrockChat\.allowedAuthenticationMethods in \/etc\/bedrock-chat\/managed-settings\.json\) does not allow API key authentication/);
      assert.match(message, /AWS_BEARER_TOKEN_BEDROCK is set in the environment/);
      assert.match(message, /Allowed: SSO \(IAM Identity Center\) \("sso"\), AWS profile \("profile"\)/);
      assert.ok(!message.includes(ENV_KEY));
      const view = statusView(s);
      assert.equal(view.text, '$(error) Bedrock: not allowed by policy');
      assert.match(view.tooltip, /Allowed methods \(policy\): sso, profile/);
    });

    it('a stored key or a method chosen in settings is refused too; an allowed method works', async () => {
      const stored = await state({ managed: managed(policy), secrets: { apiKey: 'ABSKc3RvcmVk' } });
      assert.match(!stored.auth.ok ? stored.auth.message : '', /an API key stored in VS Code comes first/);
      const chosen = await state({ managed: managed(policy), layers: { authMethod: { user: 'iamCredentials' } }, secrets: { iamCredentials: { accessKeyId: 'AKIA', secretAccessKey: 's' } } });
      assert.match(!chosen.auth.ok ? chosen.auth.message : '', /does not allow IAM credentials authentication.*authentication\.method is "iamCredentials" in your user settings, with IAM credentials stored in VS Code/);
      const automatic = await state({ managed: managed(policy) });
      assert.match(!automatic.auth.ok ? automatic.auth.message : '', /does not allow Automatic .*the AWS SDK default credential chain/);
      const sso = await state({ managed: managed(policy), layers: { authMethod: { user: 'sso' }, profile: { user: 'corp' } }, env: { AWS_BEARER_TOKEN_BEDROCK: ENV_KEY } });
      assert.deepEqual(sso.auth, { ok: true, auth: { kind: 'sso', profile: 'corp' }, source: 'settings' });
      assert.ok(methodAllowed(sso.policy, 'profile') && !methodAllowed(sso.policy, 'apiKey'));
    });

    it('a malformed policy value blocks every method, even an allowed-looking one', async () => {
      const s = await state({ managed: managed({ 'bedrockChat.allowedAuthenticationMethods': ['sso', 'api-key'] }), layers: { authMethod: { user: 'sso' } } });
      assert.ok(!s.auth.ok && s.auth.policy);
      assert.match(!s.auth.ok ? s.auth.message : '', /policy in \/etc\/bedrock-chat\/managed-settings\.json is invalid: .*"api-key" is not a method.*Requests are refused/);
    });

    it('a malformed or unreadable managed file blocks requests (as before)', async () => {
      const bad = await state({ managed: parseManagedSettings(PATH, '{ "bedrockChat.allowedModels": ['), env: { AWS_BEARER_TOKEN_BEDROCK: ENV_KEY } });
      assert.match(!bad.auth.ok ? bad.auth.message : '', /not valid JSON/);
      const unreadable = await state({ managed: { ...none, present: true, error: `Managed settings file ${PATH} cannot be read (EACCES).` }, env: { AWS_BEARER_TOKEN_BEDROCK: ENV_KEY } });
      assert.match(!unreadable.auth.ok ? unreadable.auth.message : '', /cannot be read \(EACCES\)/);
    });

    it('policy keys in user or workspace settings are ignored, with a warning', async () => {
      const s = await state({ env: { AWS_BEARER_TOKEN_BEDROCK: ENV_KEY }, policyElsewhere: [{ id: 'bedrockChat.allowedModels', layer: 'user' }] });
      assert.ok(s.auth.ok, 'no policy: the user cannot restrict (or unrestrict) through settings');
      assert.deepEqual(s.problems, [{ id: 'bedrockChat.allowedModels', layer: 'user', message: "The user setting bedrockChat.allowedModels is ignored: only your administrator's managed settings file can set it." }]);
      assert.match(statusView(s).tooltip, /Ignored user setting bedrockChat\.allowedModels/);
    });
  });

  describe('models', () => {
    let server: BedrockServer;
    before(async () => {
      server = await startBedrockServer({ strictAuth: true });
      server.addBearerToken(ENV_KEY);
    });
    after(() => server.close());
    beforeEach(() => {
      server.reset();
      server.foundationModels = [fm('anthropic.claude-sonnet-4-20250514-v1:0', { inferenceTypes: ['INFERENCE_PROFILE'] }), fm('amazon.nova-micro-v1:0'), fm('meta.llama3-70b-instruct-v1:0')];
      server.inferenceProfiles = [systemProfile('us.anthropic.claude-sonnet-4-20250514-v1:0', ['us-east-1', 'us-west-2'])];
    });

    it('match the id sent and the id without its geography prefix, never the name', () => {
      const policy = resolvePolicy(managed({ 'bedrockChat.allowedModels': ['anthropic.claude-*', 'arn:aws:bedrock:*:application-inference-profile/team-*'] }));
      assert.ok(modelAllowed(policy, 'us.anthropic.claude-sonnet-4-20250514-v1:0'));
      assert.ok(modelAllowed(policy, 'ANTHROPIC.claude-3-5-haiku-20241022-v1:0'));
      assert.ok(modelAllowed(policy, 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/team-a'));
      assert.ok(!modelAllowed(policy, 'us.amazon.nova-micro-v1:0'));
      assert.ok(!modelAllowed(resolvePolicy(managed({ 'bedrockChat.allowedModels': [] })), 'anthropic.claude-x'), 'an empty list allows none');
      assert.match(modelRefusal(policy, 'us.amazon.nova-micro-v1:0') ?? '', /policy \(bedrockChat\.allowedModels in \/etc\/bedrock-chat\/managed-settings\.json\) does not allow the model us\.amazon\.nova-micro-v1:0\. Allowed models: anthropic\.claude-\*/);
      assert.equal(modelRefusal(policy, 'us.anthropic.claude-sonnet-4-20250514-v1:0'), undefined);
    });

    it('the picker shows only allowed models, discovered, catalogue and custom alike', async () => {
      const s = await state({
        managed: managed({ 'bedrockChat.allowedModels': ['anthropic.claude-*'] }),
        layers: { controlPlaneEndpoint: { user: server.endpoint }, region: { user: 'us-east-1' }, customModels: { user: [{ id: 'meta.llama3-70b-instruct-v1:0', name: 'My Llama' }] } },
        env: { AWS_BEARER_TOKEN_BEDROCK: ENV_KEY },
      });
      assert.ok(s.models.length > 0 && s.models.every((m) => /anthropic\.claude/.test(m.id)), 'catalogue and custom models outside the policy are gone');
      const list = new ModelList({ info: () => {}, warn: () => {} }, { firstAnswerWaitMs: 5_000 });
      const ids = (await list.list(s)).map((m) => m.id);
      assert.ok(server.requests.some((r) => r.operation === 'list-foundation-models'), 'discovery ran');
      assert.deepEqual(ids, ['us.anthropic.claude-sonnet-4-20250514-v1:0']);
      assert.deepEqual(list.current(s).map((m) => m.id), ids);
      list.dispose();
    });
  });

  describe('guardrail', () => {
    const corp = { identifier: 'gr-corp', version: '3', trace: 'enabled' };
    let server: BedrockServer;
    before(async () => {
      server = await startBedrockServer({ strictAuth: true });
      server.addBearerToken(ENV_KEY);
    });
    after(() => server.close());

    it('a managed guardrail cannot be removed or replaced by user or workspace settings, and goes on every request', async () => {
      for (const user of [{}, { identifier: 'gr-mine', version: '1' }, 'off']) {
        const s = await state({
          managed: managed({ 'bedrockChat.guardrail': corp }),
          layers: { guardrail: { user, workspace: {} }, endpoint: { user: server.endpoint } },
          env: { AWS_BEARER_TOKEN_BEDROCK: ENV_KEY },
        });
        assert.deepEqual(s.settings.guardrail, { value: corp, layer: 'managed' });
        const options = chatOptions({ modelOptions: {}, toolMode: vscode.LanguageModelChatToolMode.Auto } as unknown as vscode.ProvideLanguageModelChatResponseOptions, s.settings);
        const clients = new ClientCache();
        try {
          assert.ok(s.auth.ok);
          const model = s.models.find((m) => m.family === 'nova-micro')!;
          await sendChat(clients, { auth: s.auth.auth, region: 'us-east-1', endpoint: s.endpoint }, { model, messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], options }, new AbortController().signal, { onEvent: () => {} });
        } finally {
          clients.dispose();
        }
        const body = server.requests.filter((r) => r.operation === 'converse-stream').at(-1)!.body;
        assert.deepEqual(body.guardrailConfig, { guardrailIdentifier: 'gr-corp', guardrailVersion: '3', trace: 'enabled' });
      }
    });

    it('a managed guardrail that is malformed blocks requests rather than sending without one', async () => {
      const s = await state({ managed: managed({ 'bedrockChat.guardrail': { identifier: 'gr-corp' } }), env: { AWS_BEARER_TOKEN_BEDROCK: ENV_KEY } });
      assert.match(!s.auth.ok ? s.auth.message : '', /managed setting bedrockChat\.guardrail is invalid: needs a "version"/);
    });
  });
});
