/**
 * Show Connection Details: the caller identity from STS GetCallerIdentity with
 * the credentials chat requests use (real SDK, local STS/SSO, through the
 * proxy when one is set), and the report (src/core/diagnostics.ts) with every
 * fact a support ticket needs and none of the secrets (canaries).
 */
import * as assert from 'node:assert/strict';
import { knownSecrets, Redactor } from '../../src/core/auth/redact';
import { ssoSessionStatus, readSsoProfile } from '../../src/core/auth/ssoSession';
import { callerIdentity } from '../../src/core/bedrock/identity';
import { loadTrustStore } from '../../src/core/bedrock/proxy';
import { NetworkSettings, networkSecrets } from '../../src/core/config/network';
import { ManagedSettings, parseManagedSettings } from '../../src/core/config/managedSettings';
import { SettingKey, SettingLayers } from '../../src/core/config/settings';
import { StoredSecrets } from '../../src/core/auth/types';
import { connectionReport } from '../../src/core/diagnostics';
import { BedrockState, resolveState } from '../../src/core/state';
import { isolatedAwsEnv, makeTempAwsHome, startBedrockServer, TempAwsHome, withEnv, type BedrockServer } from '../support';
import { shortTermApiKey } from '../support/apiKeys';
import { startConnectProxy } from '../support/connectProxy';

const CANARY = {
  apiKey: 'ABSKY2FuYXJ5LXN0b3JlZC1hcGkta2V5LTAwMDAwMDAw',
  envBearer: 'ABSKY2FuYXJ5LWVudmlyb25tZW50LWtleS0wMDAwMDA=',
  secretAccessKey: 'canary/secret/access/key/0000000000000000',
  sessionToken: 'FwoGZXIvYXdzECanarySessionToken000000000000',
  envSecret: 'canary-env-secret-access-key-00000000000000',
  proxyPassword: 'canary-proxy-pa55word',
  proxyAuthorization: 'Negotiate Y2FuYXJ5LXByb3h5LWF1dGhvcml6YXRpb24=',
  endpointPassword: 'canary-gateway-password',
};
const none: ManagedSettings = { path: '/etc/bedrock-chat/managed-settings.json', present: false, values: {}, unknownKeys: [] };
const product = { extension: '0.1.0', vscode: '1.106.0', node: 'v22.20.0', platform: 'linux x64' };

describe('Show Connection Details', function () {
  let server: BedrockServer;
  let home: TempAwsHome;
  before(async () => (server = await startBedrockServer({ strictAuth: true })));
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    home = makeTempAwsHome();
  });
  afterEach(() => home.cleanup());

  const inHome = <T>(fn: () => Promise<T>) =>
    withEnv(isolatedAwsEnv(home.home, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile, AWS_EC2_METADATA_DISABLED: 'true' }), fn);

  async function stateFor(o: { layers?: Partial<Record<SettingKey, SettingLayers>>; secrets?: StoredSecrets; env?: Record<string, string>; network?: NetworkSettings; managed?: ManagedSettings }): Promise<{ state: BedrockState; redactor: Redactor }> {
    const env = o.env ?? {};
    const redactor = new Redactor();
    redactor.setSecrets([...knownSecrets(o.secrets ?? {}, env), ...networkSecrets(o.network ?? {}, env)]);
    const state = await resolveState({ layers: { region: { user: 'us-east-1' }, ...o.layers }, managed: o.managed ?? none, secrets: o.secrets ?? {}, env, profileRegion: async () => undefined, network: o.network });
    return { state, redactor };
  }

  it('SSO: the caller identity and credential expiry from STS, the session, region, endpoints, proxy, CAs and policy', async () => {
    const proxy = await startConnectProxy();
    try {
      server.addSsoToken('sso-diag-token', { accountId: '111122223333', roleName: 'Dev' });
      home.writeConfig(['[profile corp]', 'sso_session = corp', 'sso_account_id = 111122223333', 'sso_role_name = Dev', 'region = us-east-1', '[sso-session corp]', 'sso_start_url = https://corp.awsapps.com/start', 'sso_region = us-east-1'].join('\n'));
      home.writeSsoToken('corp', { accessToken: 'sso-diag-token', startUrl: 'https://corp.awsapps.com/start' });
      const network: NetworkSettings = { proxy: proxy.url.replace('http://', `http://alice:${CANARY.proxyPassword}@`), noProxy: ['internal.example.com'], proxyAuthorization: CANARY.proxyAuthorization, systemCertificates: false };
      const managed = parseManagedSettings('/etc/bedrock-chat/managed-settings.json', JSON.stringify({ 'bedrockChat.allowedAuthenticationMethods': ['sso'], 'bedrockChat.allowedModels': ['anthropic.claude-*'], 'bedrockChat.region': 'us-east-1' }));
      const { state, redactor } = await stateFor({
        layers: { authMethod: { user: 'sso' }, profile: { user: 'corp' }, endpoint: { user: server.endpoint.replace('http://', `http://gw:${CANARY.endpointPassword}@`) } },
        secrets: { apiKey: CANARY.apiKey, iamCredentials: { accessKeyId: 'AKIACANARY0000000001', secretAccessKey: CANARY.secretAccessKey, sessionToken: CANARY.sessionToken } },
        env: { AWS_BEARER_TOKEN_BEDROCK: CANARY.envBearer, AWS_SECRET_ACCESS_KEY: CANARY.envSecret },
        network,
        managed,
      });
      assert.ok(state.auth.ok, JSON.stringify(state.auth));
      const before = proxy.connects.length;
      const { identity, sso } = await inHome(async () => {
        const found = await readSsoProfile('corp');
        assert.ok(found.ok);
        // The local server is plain http on loopback: tunnelled through the proxy like any AWS endpoint.
        const identity = await callerIdentity({ auth: state.auth.ok ? state.auth.auth : { kind: 'automatic' }, region: 'us-east-1', network: state.network, credentialClientConfig: { endpoint: server.url } });
        return { identity, sso: await ssoSessionStatus(found.config) };
      });
      assert.equal(identity.arn, 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/developer');
      assert.equal(identity.account, '111122223333');
      const issued = server.issuedCredentials.filter((c) => c.source === 'sso').at(-1)!;
      assert.equal(identity.credentialsExpireAt, issued.expiration.getTime());
      const gci = server.requests.find((r) => r.operation === 'sts-get-caller-identity')!;
      assert.ok(gci.auth.kind === 'sigv4' && gci.auth.valid && gci.auth.accessKeyId === issued.accessKeyId, 'signed with the SSO role credentials');
      assert.ok(proxy.connects.length > before, 'STS and the SSO portal were asked through the proxy');

      const now = Date.now();
      const report = connectionReport({ state, now, product, identity, trust: loadTrustStore(state.network), sso, redact: (s) => redactor.redact(s) });
      for (const [name, secret] of Object.entries(CANARY)) assert.ok(!report.includes(secret), `${name} leaked into the report`);
      for (const expected of [
        /- Method: SSO \(IAM Identity Center\)/,
        /- Chosen by: settings \(bedrockChat\.authentication\.method\), user layer/,
        /- Profile: corp \(user setting\)/,
        /- Caller identity: arn:aws:sts::111122223333:assumed-role\/AWSReservedSSO_Dev_0123456789abcdef\/developer \(account 111122223333\)/,
        /- Credentials expire: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in (59 min|1 h)\)/,
        /- IAM Identity Center session: https:\/\/corp\.awsapps\.com\/start \(profile corp, sso-session corp, us-east-1\): valid, token until /,
        /- Region: us-east-1 \(managed\)/,
        new RegExp(`- Runtime endpoint: http://gw:\\*\\*\\*@127\\.0\\.0\\.1:${server.port} \\(user setting bedrockChat\\.endpoint\\)`),
        /- Control-plane endpoint: not used: requests go to the gateway/,
        new RegExp(`- Proxy \\(https\\): http://alice:\\*\\*\\*@127\\.0\\.0\\.1:${proxy.port}/ \\(from http\\.proxy\\)`),
        /- Not proxied: internal\.example\.com/,
        /- Proxy-Authorization: set \(http\.proxyAuthorization\)/,
        /- Trusted CAs: Node's default roots \(nothing added\)/,
        /- Managed file: \/etc\/bedrock-chat\/managed-settings\.json: present/,
        /- Pinned by the organisation: bedrockChat\.region = "us-east-1"/,
        /- Allowed methods: sso/,
        /- Allowed models: anthropic\.claude-\*/,
      ]) {
        assert.match(report, expected);
      }
    } finally {
      await proxy.close();
    }
  });

  it("says when VS Code's own proxy support picks the proxy (http.proxySupport override or fallback), and when it leaves ours", async () => {
    const report = async (proxySupport?: string) => {
      const { state, redactor } = await stateFor({ network: proxySupport ? { proxySupport } : {} });
      return connectionReport({ state, now: Date.now(), product, trust: loadTrustStore(state.network), redact: (s) => redactor.redact(s) });
    };
    assert.match(await report('override'), /- VS Code's proxy support: override \(http\.proxySupport\): VS Code itself picks the proxy for connections to AWS, from http\.proxy, the environment and, in desktop VS Code, the system's proxy settings and PAC files; the trusted CAs below are kept/);
    assert.match(await report('fallback'), /- VS Code's proxy support: fallback \(http\.proxySupport\): VS Code itself picks the proxy for connections to AWS, .*, and uses the lines above only where it finds none; the trusted CAs below are kept/);
    assert.match(await report('off'), /- VS Code's proxy support: off \(http\.proxySupport\): the proxy above is used as shown/);
    assert.doesNotMatch(await report(), /VS Code's proxy support/, 'outside VS Code: nothing to say');
  });

  it('API key: no caller identity (said why), the key by prefix only with its region and expiry; CA sources listed', async () => {
    const key = await shortTermApiKey({ region: 'eu-west-1', issuedAt: new Date(Date.now() - 2 * 3600_000), accessKeyId: 'ASIADIAGCANARY000001' });
    const caFile = home.writeFile('missing-dir/none.pem', 'not a certificate');
    const { state, redactor } = await stateFor({ env: { AWS_BEARER_TOKEN_BEDROCK: key, AWS_CA_BUNDLE: caFile } });
    const identity = await callerIdentity({ auth: state.auth.ok ? state.auth.auth : { kind: 'automatic' }, region: 'us-east-1' });
    assert.match(identity.skipped ?? '', /not available with an API key/);
    assert.equal(server.requests.length, 0, 'STS was not asked');
    const report = connectionReport({ state, now: Date.now(), product, identity, trust: loadTrustStore(state.network), redact: (s) => redactor.redact(s) });
    assert.ok(!report.includes(key.slice(16, 40)) && !report.includes('ASIADIAGCANARY000001'), 'no part of the key beyond its prefix');
    assert.match(report, /- Method: API key\n- Chosen by: environment variables \(no method set\)/);
    assert.match(report, /- API key: bedrock-api-key-… from AWS_BEARER_TOKEN_BEDROCK: short-term, made for eu-west-1, valid until .* \(in (9 h 59 min|10 h)\)/);
    assert.match(report, /- Warning: This short-term Bedrock API key was made for eu-west-1, but requests go to us-east-1/);
    assert.match(report, /- Caller identity: not available with an API key/);
    assert.match(report, /- Proxy \(https\): none: direct connections/);
    assert.match(report, new RegExp(`- CA source: AWS_CA_BUNDLE ${caFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: holds no PEM certificates`));
    assert.match(report, /- Allowed methods: any \(bedrockChat\.allowedAuthenticationMethods not set\)/);
  });

  it('proxy passwords (setting and environment, raw and decoded) and Proxy-Authorization are secrets the redactor knows', () => {
    const r = new Redactor();
    r.setSecrets(networkSecrets({ proxy: 'http://alice:pa%40ss-word@p:8080', proxyAuthorization: 'Negotiate abcdef123456' }, { HTTPS_PROXY: 'http://bob:envpass99@q:1' }));
    const text = r.redact('via http://alice:pa%40ss-word@p:8080 (pa@ss-word), envpass99, Proxy-Authorization: Negotiate abcdef123456');
    assert.ok(!/pa%40ss-word|pa@ss-word|envpass99|abcdef123456/.test(text), text);
    assert.match(text, /alice:\[REDACTED\]@p:8080/);
  });

  it('a refused method or an unusable file is reported as such; IAM keys by their first characters only', async () => {
    const managed = parseManagedSettings('/etc/bedrock-chat/managed-settings.json', JSON.stringify({ 'bedrockChat.allowedAuthenticationMethods': ['sso'] }));
    const { state, redactor } = await stateFor({ secrets: { iamCredentials: { accessKeyId: 'AKIADIAGNOSTIC000001', secretAccessKey: CANARY.secretAccessKey } }, managed });
    const report = connectionReport({ state, now: Date.now(), product, redact: (s) => redactor.redact(s) });
    assert.match(report, /- Status: refused by your organisation's policy\n- Why: Your organisation's policy .* does not allow IAM credentials/);
    assert.ok(!report.includes(CANARY.secretAccessKey));
    const ok = await stateFor({ secrets: { iamCredentials: { accessKeyId: 'AKIADIAGNOSTIC000001', secretAccessKey: CANARY.secretAccessKey } } });
    const r2 = connectionReport({ state: ok.state, now: Date.now(), product, redact: (s) => ok.redactor.redact(s) });
    assert.match(r2, /- Access key: AKIA… \(long-term\)/);
    assert.ok(!r2.includes('AKIADIAGNOSTIC000001') && !r2.includes(CANARY.secretAccessKey));
    // A key pasted into the wrong setting comes back in the setting's problem: the redactor takes it out.
    const pasted = await stateFor({ layers: { endpoint: { user: CANARY.apiKey } }, secrets: { apiKey: CANARY.apiKey } });
    const r3 = connectionReport({ state: pasted.state, now: Date.now(), product, redact: (s) => pasted.redactor.redact(s) });
    assert.match(r3, /## Setting problems\n- bedrockChat\.endpoint \(user\): "\[REDACTED\]" is not a URL/);
    assert.ok(!r3.includes(CANARY.apiKey));
    const broken = await stateFor({ managed: parseManagedSettings('/m.json', '{') });
    assert.match(connectionReport({ state: broken.state, now: Date.now(), product, redact: (s) => s }), /- Managed file: \/m\.json: ERROR — Managed settings file \/m\.json is not valid JSON/);
  });
});
