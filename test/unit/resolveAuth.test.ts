import * as assert from 'node:assert/strict';
import { AuthInputs, resolveAuth } from '../../src/core/auth/resolve';
import { StoredSecrets } from '../../src/core/auth/types';
import { AUTH_METHODS, mergeSettings, SettingKey, SettingLayers } from '../../src/core/config/settings';

type Layers = Partial<Record<SettingKey, SettingLayers>>;

function inputs(layers: Layers = {}, secrets: StoredSecrets = {}, env: Record<string, string> = {}, extra: Partial<AuthInputs> = {}): AuthInputs {
  const { settings, problems } = mergeSettings(layers);
  return { settings, settingProblems: problems, secrets, env, ...extra };
}

const KEY = 'ABSKstoredkey0000000000000000';
const ENV_KEY = 'ABSKenvkey00000000000000000000';
const STORED_IAM = { accessKeyId: 'AKIASTORED0000000000', secretAccessKey: 'stored-secret' };
const ENV_IAM = { AWS_ACCESS_KEY_ID: 'AKIAENVENV0000000000', AWS_SECRET_ACCESS_KEY: 'env-secret' };

describe('resolveAuth: precedence', () => {
  it('falls back to the default chain when nothing is set', () => {
    assert.deepEqual(resolveAuth(inputs()), { ok: true, auth: { kind: 'automatic' }, source: 'defaultChain' });
  });

  it('uses a stored API key before stored IAM credentials', () => {
    const r = resolveAuth(inputs({}, { apiKey: KEY, iamCredentials: STORED_IAM }));
    assert.deepEqual(r, { ok: true, auth: { kind: 'apiKey', apiKey: KEY }, source: 'secretStorage' });
  });

  it('uses stored IAM credentials when there is no stored key', () => {
    const r = resolveAuth(inputs({}, { iamCredentials: { ...STORED_IAM, sessionToken: 'tok' } }));
    assert.deepEqual(r, { ok: true, auth: { kind: 'iamCredentials', ...STORED_IAM, sessionToken: 'tok' }, source: 'secretStorage' });
  });

  it('prefers SecretStorage over environment variables', () => {
    const r = resolveAuth(inputs({}, { iamCredentials: STORED_IAM }, { AWS_BEARER_TOKEN_BEDROCK: ENV_KEY, ...ENV_IAM }));
    assert.equal(r.ok && r.source, 'secretStorage');
    assert.equal(r.ok && r.auth.kind, 'iamCredentials');
  });

  it('uses AWS_BEARER_TOKEN_BEDROCK before env access keys', () => {
    const r = resolveAuth(inputs({}, {}, { AWS_BEARER_TOKEN_BEDROCK: ENV_KEY, ...ENV_IAM }));
    assert.deepEqual(r, { ok: true, auth: { kind: 'apiKey', apiKey: ENV_KEY }, source: 'environment' });
  });

  it('uses env access keys with the session token', () => {
    const r = resolveAuth(inputs({}, {}, { ...ENV_IAM, AWS_SESSION_TOKEN: 'sess' }));
    assert.deepEqual(r, {
      ok: true,
      auth: { kind: 'iamCredentials', accessKeyId: ENV_IAM.AWS_ACCESS_KEY_ID, secretAccessKey: 'env-secret', sessionToken: 'sess' },
      source: 'environment',
    });
  });

  it('ignores an access key id without its secret, and blank values', () => {
    const r = resolveAuth(inputs({}, { apiKey: '  ' }, { AWS_ACCESS_KEY_ID: 'AKIAENVENV0000000000', AWS_BEARER_TOKEN_BEDROCK: '' }));
    assert.deepEqual(r, { ok: true, auth: { kind: 'automatic' }, source: 'defaultChain' });
  });

  it('a method in settings beats stored secrets and the environment', () => {
    const r = resolveAuth(inputs({ authMethod: { user: 'sso' }, profile: { user: 'corp' } }, { apiKey: KEY }, { AWS_BEARER_TOKEN_BEDROCK: ENV_KEY }));
    assert.deepEqual(r, { ok: true, auth: { kind: 'sso', profile: 'corp' }, source: 'settings' });
  });

  it('a managed method beats user and workspace methods and is reported as managed', () => {
    const r = resolveAuth(inputs({ authMethod: { managed: 'profile', workspace: 'apiKey', user: 'sso' }, profile: { user: 'dev' } }, { apiKey: KEY }));
    assert.deepEqual(r, { ok: true, auth: { kind: 'profile', profile: 'dev' }, source: 'managed' });
  });

  it('a managed profile beats the user profile', () => {
    const r = resolveAuth(inputs({ authMethod: { user: 'profile' }, profile: { managed: 'org', user: 'mine' } }));
    assert.deepEqual(r, { ok: true, auth: { kind: 'profile', profile: 'org' }, source: 'settings' });
  });

  it('explicit automatic ignores stored secrets', () => {
    const r = resolveAuth(inputs({ authMethod: { user: 'automatic' } }, { apiKey: KEY }, { AWS_BEARER_TOKEN_BEDROCK: ENV_KEY }));
    assert.deepEqual(r, { ok: true, auth: { kind: 'automatic' }, source: 'settings' });
  });
});

describe('resolveAuth: profile names', () => {
  it('uses AWS_PROFILE when no profile setting, else "default"', () => {
    const withEnv = resolveAuth(inputs({ authMethod: { user: 'profile' } }, {}, { AWS_PROFILE: 'envprof' }));
    assert.deepEqual(withEnv.ok && withEnv.auth, { kind: 'profile', profile: 'envprof' });
    const none = resolveAuth(inputs({ authMethod: { user: 'sso' } }));
    assert.deepEqual(none.ok && none.auth, { kind: 'sso', profile: 'default' });
  });
});

describe('resolveAuth: a method with its secret', () => {
  it('apiKey takes the stored key, then the environment, and says which', () => {
    const stored = resolveAuth(inputs({ authMethod: { user: 'apiKey' } }, { apiKey: KEY }, { AWS_BEARER_TOKEN_BEDROCK: ENV_KEY }));
    assert.deepEqual(stored, { ok: true, auth: { kind: 'apiKey', apiKey: KEY }, source: 'settings', secretSource: 'secretStorage' });
    const env = resolveAuth(inputs({ authMethod: { managed: 'apiKey' } }, {}, { AWS_BEARER_TOKEN_BEDROCK: ENV_KEY }));
    assert.deepEqual(env, { ok: true, auth: { kind: 'apiKey', apiKey: ENV_KEY }, source: 'managed', secretSource: 'environment' });
  });

  it('apiKey without any key is an actionable error, not a fallback to other credentials', () => {
    const r = resolveAuth(inputs({ authMethod: { user: 'apiKey' } }, { iamCredentials: STORED_IAM }, ENV_IAM));
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.fix === 'setApiKey');
    assert.match(!r.ok ? r.message : '', /Set Bedrock API Key/);
    assert.match(!r.ok ? r.message : '', /AWS_BEARER_TOKEN_BEDROCK/);
  });

  it('iamCredentials takes stored credentials, then the environment', () => {
    const stored = resolveAuth(inputs({ authMethod: { user: 'iamCredentials' } }, { iamCredentials: STORED_IAM, apiKey: KEY }, ENV_IAM));
    assert.deepEqual(stored, { ok: true, auth: { kind: 'iamCredentials', ...STORED_IAM }, source: 'settings', secretSource: 'secretStorage' });
    const env = resolveAuth(inputs({ authMethod: { user: 'iamCredentials' } }, { apiKey: KEY }, ENV_IAM));
    assert.equal(env.ok && env.secretSource, 'environment');
    assert.equal(env.ok && env.auth.kind === 'iamCredentials' && env.auth.accessKeyId, ENV_IAM.AWS_ACCESS_KEY_ID);
  });

  it('iamCredentials without credentials is an actionable error', () => {
    const r = resolveAuth(inputs({ authMethod: { user: 'iamCredentials' } }, { apiKey: KEY }, { AWS_BEARER_TOKEN_BEDROCK: ENV_KEY }));
    assert.ok(!r.ok);
    assert.equal(!r.ok && r.fix, 'setIamCredentials');
    assert.equal(!r.ok && r.method, 'iamCredentials');
  });
});

describe('resolveAuth: invalid and managed problems', () => {
  it('an invalid user method is ignored (and reported by mergeSettings)', () => {
    const i = inputs({ authMethod: { user: 'kerberos' } }, { apiKey: KEY });
    assert.equal(i.settingProblems!.length, 1);
    assert.deepEqual(resolveAuth(i), { ok: true, auth: { kind: 'apiKey', apiKey: KEY }, source: 'secretStorage' });
  });

  it('an invalid managed method fails closed instead of falling back to the user', () => {
    const r = resolveAuth(inputs({ authMethod: { managed: 'kerberos', user: 'apiKey' } }, { apiKey: KEY }));
    assert.ok(!r.ok);
    assert.equal(!r.ok && r.source, 'managed');
    assert.match(!r.ok ? r.message : '', /bedrockChat\.authentication\.method/);
  });

  it('a malformed managed file fails closed', () => {
    const r = resolveAuth(inputs({}, { apiKey: KEY }, {}, { managedError: 'Managed settings file /x is not valid JSON' }));
    assert.deepEqual(r, { ok: false, source: 'managed', message: 'Managed settings file /x is not valid JSON' });
  });

  it('every method value resolves to its own kind', () => {
    for (const method of AUTH_METHODS) {
      const r = resolveAuth(inputs({ authMethod: { user: method } }, { apiKey: KEY, iamCredentials: STORED_IAM }));
      assert.ok(r.ok, method);
      assert.equal(r.ok && r.auth.kind, method);
    }
  });

  it('is pure: the same inputs give the same answer and inputs are not modified', () => {
    const i = inputs({ authMethod: { user: 'apiKey' } }, { apiKey: KEY }, { AWS_BEARER_TOKEN_BEDROCK: ENV_KEY });
    const copy = JSON.stringify(i);
    assert.deepEqual(resolveAuth(i), resolveAuth(i));
    assert.equal(JSON.stringify(i), copy);
  });
});
