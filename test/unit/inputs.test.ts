import * as assert from 'node:assert/strict';
import { accessKeyIdWarning, apiKeyWarning } from '../../src/core/auth/keyShapes';
import { listProfiles } from '../../src/core/auth/awsFiles';
import { isolatedAwsEnv, makeTempAwsHome, withEnv } from '../support';

describe('pasted credential checks', () => {
  it('warns when an access key id is pasted as an API key, and the reverse', () => {
    assert.match(apiKeyWarning('AKIAIOSFODNN7EXAMPLE')!, /access key ID/);
    assert.match(accessKeyIdWarning('ABSKQmVkcm9ja0FQSUtleS1hYmNkZWYxMjM0NTY3ODkw')!, /Bedrock API key/);
  });

  it('accepts well-formed values silently', () => {
    assert.equal(apiKeyWarning('ABSKQmVkcm9ja0FQSUtleS1hYmNkZWYxMjM0NTY3ODkw'), undefined);
    assert.equal(apiKeyWarning('bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t'), undefined);
    assert.equal(accessKeyIdWarning('ASIAIOSFODNN7EXAMPLE'), undefined);
    assert.equal(apiKeyWarning(''), undefined);
  });

  it('flags odd shapes', () => {
    assert.match(apiKeyWarning('two words')!, /no spaces/);
    assert.match(accessKeyIdWarning('AKIA123')!, /20 characters/);
  });
});

describe('listProfiles', () => {
  it('lists profiles from both AWS files with their kind and region', async () => {
    const home = makeTempAwsHome();
    try {
      home.writeConfig(
        [
          '[default]', 'region = us-west-2',
          '[profile corp]', 'sso_session = corp', 'sso_account_id = 1', 'sso_role_name = Dev', 'region = eu-west-1',
          '[profile deploy]', 'role_arn = arn:aws:iam::1:role/D', 'source_profile = default',
          '[profile tool]', 'credential_process = /bin/true',
          '[sso-session corp]', 'sso_start_url = https://corp.awsapps.com/start', 'sso_region = eu-west-1',
        ].join('\n'),
      );
      home.writeCredentials('[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n[keys-only]\naws_access_key_id = AKIAIOSFODNN7EXAMPL2\naws_secret_access_key = y\n');
      const profiles = await withEnv(isolatedAwsEnv(home.home, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile }), () => listProfiles());
      assert.deepEqual(profiles, [
        { name: 'corp', kind: 'sso', region: 'eu-west-1' },
        { name: 'default', kind: 'keys', region: 'us-west-2' },
        { name: 'deploy', kind: 'assumeRole' },
        { name: 'keys-only', kind: 'keys' },
        { name: 'tool', kind: 'process' },
      ]);
    } finally {
      home.cleanup();
    }
  });
});
