/**
 * The picker's model list (src/vscode/modelList.ts) in plain Node with a
 * stand-in `vscode` module: it answers without waiting on a slow control
 * plane, tells VS Code when discovery changes the list, and logs why
 * discovery failed once, however often it is asked.
 */
import '../support/vscodeShim'; // first: it makes require('vscode') work
import * as assert from 'node:assert/strict';
import { SettingKey, SettingLayers } from '../../src/core/config/settings';
import { BedrockState, resolveState } from '../../src/core/state';
import { ModelList } from '../../src/vscode/modelList';
import { applicationProfile, foundationModelSummary as fm, startBedrockServer, systemProfile, type BedrockServer } from '../support';

const API_KEY = 'ABSKbW9kZWwtbGlzdC10ZXN0LWtleS0wMDAwMDAwMA==';
const UNKNOWN = 'acme.lumen-2-v1:0';

describe('the picker\'s model list', () => {
  let server: BedrockServer;
  let lines: string[];
  const log = { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`) };

  before(async () => {
    server = await startBedrockServer({ strictAuth: true });
    server.addBearerToken(API_KEY);
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    lines = [];
    server.foundationModels = [fm(UNKNOWN, { name: 'Lumen 2', provider: 'Acme', inferenceTypes: ['INFERENCE_PROFILE'] }), fm('amazon.nova-micro-v1:0')];
    server.inferenceProfiles = [systemProfile(`us.${UNKNOWN}`, ['us-east-1', 'us-west-2']), applicationProfile('team', 'Team', 'amazon.nova-micro-v1:0')];
  });

  const stateWith = (layers: Partial<Record<SettingKey, SettingLayers>> = {}, apiKey: string | null = API_KEY): Promise<BedrockState> =>
    resolveState({
      layers: { controlPlaneEndpoint: { user: server.endpoint }, region: { user: 'us-east-1' }, ...layers },
      managed: { path: '/none', present: false, values: {}, unknownKeys: [] },
      secrets: apiKey ? { apiKey } : {},
      env: {},
      profileRegion: async () => undefined,
    });
  const listRequests = () => server.requests.filter((r) => r.operation === 'list-foundation-models').length;

  it('answers from the catalogue while discovery is slow, then fires a change and answers with what Bedrock listed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    server.override = async (r) => (r.operation === 'list-foundation-models' ? (await gate, undefined) : undefined);
    const list = new ModelList(log, { firstAnswerWaitMs: 0 });
    const state = await stateWith();
    const first = await list.list(state);
    assert.deepEqual(first.map((m) => m.id), state.models.map((m) => m.id), 'the catalogue, not an empty list');
    const changed = new Promise<void>((resolve) => list.onDidChange(() => resolve()));
    release();
    await changed;
    const second = await list.list(state);
    assert.ok(second.some((m) => m.id === `us.${UNKNOWN}`), second.map((m) => m.id).join());
    assert.ok(list.current(state).some((m) => m.id === `us.${UNKNOWN}`), 'a request finds the discovered model without waiting');
    assert.equal(listRequests(), 1);
    assert.match(lines.join('\n'), /info Model discovery in us-east-1 at http:\/\/127\.0\.0\.1:\d+: 3 models offered, 1 unknown to the catalogue/);
  });

  it('a quick discovery is in the first answer', async () => {
    const list = new ModelList(log, { firstAnswerWaitMs: 60_000 });
    const models = await list.list(await stateWith());
    assert.deepEqual(models.map((m) => m.id), ['arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/team', 'amazon.nova-micro-v1:0', `us.${UNKNOWN}`]);
  });

  it('logs why discovery failed once, not on every call, and never shows an empty list', async () => {
    server.override = (r) => (r.operation === 'list-foundation-models' ? { httpError: { status: 403, type: 'AccessDeniedException', message: 'not authorized to perform: bedrock:ListFoundationModels' } } : undefined);
    const list = new ModelList(log, { failureTtlMs: 0, firstAnswerWaitMs: 60_000 });
    const state = await stateWith();
    for (let i = 0; i < 3; i++) {
      assert.deepEqual((await list.list(state)).map((m) => m.id), state.models.map((m) => m.id));
      await list.discovery.get(list.target(state)!); // the run that call started in the background (failure TTL 0: always one)
    }
    assert.ok(listRequests() >= 3, 'asked again each time');
    const warnings = lines.filter((l) => l.startsWith('warn'));
    assert.equal(warnings.length, 1, lines.join('\n'));
    assert.match(warnings[0], /Model discovery in us-east-1 at .* failed: your identity may not list models \(AccessDeniedException: .*\); allow bedrock:ListFoundationModels and bedrock:ListInferenceProfiles\. Offering the built-in catalogue and your custom models/);
  });

  it('retryFailed (new credentials at hand) asks again at once after a failure, with a change for the picker; a success stays', async () => {
    let denied = true;
    server.override = (r) => (denied && r.operation === 'list-foundation-models' ? { httpError: { status: 403, type: 'AccessDeniedException', message: 'not authorized' } } : undefined);
    const list = new ModelList(log, { firstAnswerWaitMs: 60_000 });
    const state = await stateWith();
    assert.deepEqual((await list.list(state)).map((m) => m.id), state.models.map((m) => m.id), 'the catalogue after the failure');
    await list.list(state);
    assert.equal(listRequests(), 1, 'the failure is cached (5 minutes)');
    denied = false;
    let changes = 0;
    list.onDidChange(() => changes++);
    list.retryFailed();
    assert.equal(changes, 1, 'the picker is told to ask');
    await list.list(state);
    await list.discovery.get(list.target(state)!);
    assert.ok((await list.list(state)).some((m) => m.id === `us.${UNKNOWN}`), 'discovered now');
    assert.equal(listRequests(), 2);
    list.retryFailed();
    await list.list(state);
    assert.equal(listRequests(), 2, 'nothing failed: nothing asked again');
    assert.equal(changes, 2, 'the discovery that worked changed the list; no change for the retry of nothing');
  });

  it('invalidate (after a sign-in, which changes no setting) asks Bedrock again and tells the picker to ask', async () => {
    const list = new ModelList(log, { firstAnswerWaitMs: 60_000 });
    const state = await stateWith();
    await list.list(state);
    let changes = 0;
    list.onDidChange(() => changes++);
    list.invalidate();
    assert.equal(changes, 1);
    await list.list(state);
    await list.discovery.get(list.target(state)!); // the run that call started in the background
    assert.equal(listRequests(), 2);
  });

  it('without credentials, or behind a gateway with no control-plane endpoint, asks nothing', async () => {
    const list = new ModelList(log, { firstAnswerWaitMs: 60_000 });
    const noKey = await stateWith({ authMethod: { user: 'apiKey' } }, null);
    assert.equal(noKey.auth.ok, false);
    assert.equal(list.target(noKey), undefined, 'no discovery without credentials');
    assert.ok((await list.list(noKey)).length > 0);
    const gateway = await stateWith({ controlPlaneEndpoint: {}, endpoint: { user: server.endpoint } });
    assert.ok((await list.list(gateway)).length > 0);
    await list.list(gateway);
    assert.equal(server.requests.length, 0);
    assert.equal(lines.filter((l) => /Model discovery is off: requests go to the gateway/.test(l)).length, 1);
  });

  it('Refresh Models asks again although the result is fresh, and fires a change', async () => {
    const list = new ModelList(log, { firstAnswerWaitMs: 60_000 });
    const state = await stateWith();
    await list.list(state);
    await list.list(state);
    assert.equal(listRequests(), 1);
    server.foundationModels.push(fm('acme.lumen-3-v1:0', { name: 'Lumen 3' }));
    let fired = 0;
    list.onDidChange(() => fired++);
    const offer = await list.refresh(state);
    assert.equal(listRequests(), 2);
    assert.equal(offer.source, 'discovery');
    assert.ok(offer.models.some((m) => m.id === 'acme.lumen-3-v1:0'));
    assert.equal(fired, 1);
  });
});
