import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultManagedSettingsPath, managedSettingsPath, parseManagedSettings, readManagedSettings } from '../../src/core/config/managedSettings';
import { mergeSettings } from '../../src/core/config/settings';
import { resolveState } from '../../src/core/state';
import { statusView } from '../../src/vscode/statusView';

describe('mergeSettings', () => {
  it('managed wins over workspace over user', () => {
    const { settings } = mergeSettings({ region: { managed: 'eu-west-1', workspace: 'us-west-2', user: 'us-east-1' } });
    assert.deepEqual(settings.region, { value: 'eu-west-1', layer: 'managed' });
    const { settings: s2 } = mergeSettings({ region: { workspace: 'us-west-2', user: 'us-east-1' } });
    assert.deepEqual(s2.region, { value: 'us-west-2', layer: 'workspace' });
  });

  it('reports invalid values and falls through to the next layer', () => {
    const { settings, problems } = mergeSettings({ region: { user: 'Frankfurt', default: undefined }, endpoint: { user: 'not a url' } });
    assert.equal(settings.region.value, undefined);
    assert.equal(settings.endpoint.value, undefined);
    assert.deepEqual(problems.map((p) => [p.id, p.layer]), [['bedrockChat.region', 'user'], ['bedrockChat.endpoint', 'user']]);
    assert.match(problems[0].message, /Frankfurt.*not an AWS region/);
  });

  it('trims strings, treats empty as unset and strips a trailing slash from the endpoint', () => {
    const { settings, problems } = mergeSettings({ profile: { user: '  corp ' }, region: { user: '' }, endpoint: { user: 'https://gw.example.com/bedrock/' } });
    assert.equal(settings.profile.value, 'corp');
    assert.equal(settings.region.value, undefined);
    assert.equal(settings.endpoint.value, 'https://gw.example.com/bedrock');
    assert.deepEqual(problems, []);
  });

  it('refuses a plain-http endpoint except on loopback, so keys never travel in clear text', () => {
    const remote = mergeSettings({ endpoint: { user: 'http://gw.example.com/bedrock' } });
    assert.equal(remote.settings.endpoint.value, undefined);
    assert.match(remote.problems[0].message, /must use https/);
    assert.equal(mergeSettings({ endpoint: { user: 'http://127.0.0.1:8080' } }).settings.endpoint.value, 'http://127.0.0.1:8080');
    assert.equal(mergeSettings({ endpoint: { user: 'http://localhost:8080/x' } }).settings.endpoint.value, 'http://localhost:8080/x');
  });

  it('accepts region names AWS opens after a release, and rejects typos', () => {
    for (const r of ['eusc-de-east-1', 'us-gov-west-1', 'ap-southeast-5', 'mx-central-1', 'us-isob-east-1', 'cn-northwest-1']) {
      assert.deepEqual(mergeSettings({ region: { user: r } }).problems, [], r);
    }
    for (const r of ['us-east', 'useast1', 'US-EAST-1', 'us-east-1a', 'eu central 1']) {
      assert.equal(mergeSettings({ region: { user: r } }).problems.length, 1, r);
    }
  });

  it('idleTimeoutSeconds below the documented minimum of 5 is refused, not applied', () => {
    const { settings, problems } = mergeSettings({ idleTimeoutSeconds: { user: 1, default: 120 } });
    assert.equal(settings.idleTimeoutSeconds.value, 120);
    assert.match(problems[0].message, /at least 5/);
    assert.equal(mergeSettings({ idleTimeoutSeconds: { user: 5 } }).settings.idleTimeoutSeconds.value, 5);
  });

  it('validates custom models', () => {
    const bad = mergeSettings({ customModels: { user: [{ name: 'no id' }] } });
    assert.equal(bad.problems.length, 1);
    const good = mergeSettings({ customModels: { user: [{ id: 'arn:aws:bedrock:us-east-1:123:application-inference-profile/abc' }] } });
    assert.equal(good.settings.customModels.value?.length, 1);
  });
});

describe('managed settings file', () => {
  it('default locations per platform', () => {
    assert.equal(defaultManagedSettingsPath('linux'), '/etc/bedrock-chat/managed-settings.json');
    assert.equal(defaultManagedSettingsPath('darwin'), '/Library/Application Support/BedrockChat/managed-settings.json');
    assert.equal(defaultManagedSettingsPath('win32', { ProgramData: 'D:\\PD' }), 'D:\\PD\\BedrockChat\\managed-settings.json');
    assert.equal(managedSettingsPath({ BEDROCK_CHAT_MANAGED_SETTINGS: '/tmp/m.json' }, 'linux'), '/tmp/m.json');
  });

  it('parses our keys and lists unknown ones', () => {
    const m = parseManagedSettings('/m.json', JSON.stringify({ 'bedrockChat.authentication.method': 'sso', 'bedrockChat.regoin': 'x' }));
    assert.deepEqual(m.values, { authMethod: 'sso' });
    assert.deepEqual(m.unknownKeys, ['bedrockChat.regoin']);
    assert.equal(m.error, undefined);
  });

  it('reads a file saved with a UTF-8 byte order mark (Windows PowerShell writes one)', async () => {
    const m = parseManagedSettings('/m.json', '\uFEFF{ "bedrockChat.authentication.method": "sso" }');
    assert.equal(m.error, undefined);
    assert.deepEqual(m.values, { authMethod: 'sso' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'managed-'));
    const file = path.join(dir, 'm.json');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"bedrockChat.region":"eu-central-1"}')]));
    assert.deepEqual((await readManagedSettings(file)).values, { region: 'eu-central-1' });
    fs.rmSync(dir, { recursive: true });
  });

  it('reports malformed JSON and non-objects clearly', () => {
    assert.match(parseManagedSettings('/m.json', '{ "bedrockChat.region": ').error!, /\/m\.json is not valid JSON/);
    assert.match(parseManagedSettings('/m.json', '[1]').error!, /must hold a JSON object/);
  });

  it('a missing file is simply absent; an unreadable one is an error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'managed-'));
    const missing = await readManagedSettings(path.join(dir, 'none.json'));
    assert.equal(missing.present, false);
    assert.equal(missing.error, undefined);
    const unreadable = await readManagedSettings(dir); // a directory cannot be read as a file
    assert.ok(unreadable.error);
    fs.writeFileSync(path.join(dir, 'm.json'), '{"bedrockChat.region":"eu-central-1"}');
    const ok = await readManagedSettings(path.join(dir, 'm.json'));
    assert.deepEqual(ok.values, { region: 'eu-central-1' });
  });
});

describe('resolveState and the status view', () => {
  const none = { path: '/etc/bedrock-chat/managed-settings.json', present: false, values: {}, unknownKeys: [] };
  const noProfileRegion = async () => undefined;

  it('managed values are layered over user values and shown as managed', async () => {
    const state = await resolveState({
      layers: { authMethod: { user: 'apiKey' }, profile: { user: 'mine' } },
      managed: { ...none, present: true, values: { authMethod: 'sso', profile: 'corp', region: 'eu-west-1' } },
      secrets: { apiKey: 'ABSKx' },
      env: {},
      profileRegion: noProfileRegion,
    });
    assert.deepEqual(state.auth, { ok: true, auth: { kind: 'sso', profile: 'corp' }, source: 'managed' });
    assert.deepEqual(state.region, { region: 'eu-west-1', source: 'managed' });
    assert.ok(state.models.every((m) => !m.id.startsWith('us.')));
    const view = statusView(state);
    assert.equal(view.text, '$(lock) Bedrock: SSO (corp)');
    assert.match(view.tooltip, /managed by your administrator/);
    assert.match(view.tooltip, /Region: eu-west-1/);
    assert.equal(view.error, false);
  });

  it('region: setting, then AWS_REGION, then AWS_DEFAULT_REGION, then profile, then us-east-1', async () => {
    const region = async (layers: object, env: Record<string, string>, fromProfile?: string) =>
      (await resolveState({ layers, managed: none, secrets: {}, env, profileRegion: async () => fromProfile })).region;
    assert.deepEqual(await region({ region: { user: 'ap-south-1' } }, { AWS_REGION: 'eu-west-1' }), { region: 'ap-south-1', source: 'settings' });
    assert.deepEqual(await region({}, { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-2' }), { region: 'eu-west-1', source: 'environment' });
    assert.deepEqual(await region({}, { AWS_DEFAULT_REGION: 'eu-west-2' }, 'ca-central-1'), { region: 'eu-west-2', source: 'environment' });
    assert.deepEqual(await region({}, {}, 'ca-central-1'), { region: 'ca-central-1', source: 'profile' });
    assert.deepEqual(await region({}, {}), { region: 'us-east-1', source: 'default' });
  });

  it('a malformed AWS_REGION or profile region blocks requests with a message naming it, instead of calling a made-up host', async () => {
    const state = async (env: Record<string, string>, fromProfile?: string) =>
      resolveState({ layers: {}, managed: none, secrets: { apiKey: 'ABSKx' }, env, profileRegion: async () => fromProfile });
    const bad = await state({ AWS_REGION: 'us-east' });
    assert.equal(bad.auth.ok, false);
    assert.match(!bad.auth.ok ? bad.auth.message : '', /AWS_REGION is invalid: "us-east" is not an AWS region name.*bedrockChat\.region/);
    assert.equal(statusView(bad).error, true);
    const badDefault = await state({ AWS_DEFAULT_REGION: 'Frankfurt' });
    assert.match(!badDefault.auth.ok ? badDefault.auth.message : '', /AWS_DEFAULT_REGION is invalid/);
    const badProfile = await state({}, 'eu_west_1');
    assert.match(!badProfile.auth.ok ? badProfile.auth.message : '', /region in your AWS profile is invalid/);
    assert.equal((await state({ AWS_REGION: 'eusc-de-east-1' })).auth.ok, true);
  });

  it('reads the region of the chosen profile', async () => {
    const asked: string[] = [];
    await resolveState({
      layers: { authMethod: { user: 'profile' }, profile: { user: 'corp' } },
      managed: none,
      secrets: {},
      env: { AWS_PROFILE: 'other' },
      profileRegion: async (p) => (asked.push(p), undefined),
    });
    assert.deepEqual(asked, ['corp']);
  });

  it('shows an error state, with the fix, when a method lacks its secret', async () => {
    const state = await resolveState({ layers: { authMethod: { user: 'apiKey' } }, managed: none, secrets: {}, env: {}, profileRegion: noProfileRegion });
    const view = statusView(state);
    assert.equal(view.error, true);
    assert.match(view.text, /setup needed/);
    assert.match(view.tooltip, /Set Bedrock API Key/);
    assert.ok(state.models.length > 0, 'the model list shows even without credentials');
  });

  it('an invalid endpoint blocks requests instead of falling back to AWS\'s endpoint', async () => {
    const state = await resolveState({ layers: { endpoint: { user: 'http://gw.example.com' } }, managed: none, secrets: { apiKey: 'ABSKx' }, env: {}, profileRegion: noProfileRegion });
    assert.equal(state.auth.ok, false);
    assert.match(!state.auth.ok ? state.auth.message : '', /bedrockChat\.endpoint is invalid: .*https/);
  });

  it('status text for each method', async () => {
    const text = async (layers: object, secrets = {}, env = {}) =>
      statusView(await resolveState({ layers, managed: none, secrets, env, profileRegion: noProfileRegion })).text;
    assert.equal(await text({}, { apiKey: 'ABSKx' }), 'Bedrock: API key');
    assert.equal(await text({}, {}, { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' }), 'Bedrock: IAM credentials');
    assert.equal(await text({ authMethod: { user: 'profile' }, profile: { user: 'dev' } }), 'Bedrock: AWS profile (dev)');
    assert.equal(await text({}), 'Bedrock: Automatic');
  });
});
