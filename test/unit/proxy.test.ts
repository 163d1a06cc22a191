/**
 * Proxies and certificates: the real AWS SDK clients (runtime, and the STS,
 * SSO portal and SSO OIDC clients inside the credential providers) through a
 * real CONNECT proxy on loopback to a TLS server whose CA only AWS_CA_BUNDLE
 * (or NODE_EXTRA_CA_CERTS) makes trusted; SigV4 verified by the server.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { readSsoProfile } from '../../src/core/auth/ssoSession';
import { signInSso } from '../../src/core/auth/ssoSignIn';
import { BedrockAuth } from '../../src/core/auth/types';
import { createHttpHandler, createRuntimeClient } from '../../src/core/bedrock/client';
import { converse } from '../../src/core/bedrock/converse';
import { createControlClient } from '../../src/core/bedrock/controlClient';
import { describeDiscoveryFailure } from '../../src/core/bedrock/discovery';
import { describeError } from '../../src/core/bedrock/errors';
import { loadTrustStore, pemCertificates } from '../../src/core/bedrock/proxy';
import { bypassesProxy, NetworkConfig, NetworkSettings, redactProxyUrl, resolveNetwork } from '../../src/core/config/network';
import { listModels } from '../../src/core/models/chatModel';
import { ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { isolatedAwsEnv, makeTempAwsHome, startBedrockServer, TempAwsHome, withEnv, type BedrockServer } from '../support';
import { ConnectProxy, startConnectProxy, startTlsFront, TlsFront } from '../support/connectProxy';
import { CorporateCerts, makeCorporateCerts } from '../support/tls';

const model = listModels('us-east-1').find((m) => m.family === 'nova-micro')!;
const hello = [{ role: 'user' as const, parts: [{ type: 'text' as const, text: 'hello' }] }];
const KEY = { id: 'AKIAPROXYTEST0000001', secret: 'proxy-test-secret' };
const iam: BedrockAuth = { kind: 'iamCredentials', accessKeyId: KEY.id, secretAccessKey: KEY.secret };

describe('network configuration (http.proxy, NO_PROXY, CA files)', () => {
  it('http.proxy wins over the environment; lowercase variables before uppercase; host:port gets http://', () => {
    const env = { https_proxy: 'lower.example:3128', HTTPS_PROXY: 'http://upper.example:3128', HTTP_PROXY: 'http://plain.example:80' };
    assert.deepEqual(resolveNetwork({}, env).httpsProxy, { url: 'http://lower.example:3128/', source: 'https_proxy' });
    assert.deepEqual(resolveNetwork({}, { HTTPS_PROXY: 'http://upper.example:3128' }).httpsProxy, { url: 'http://upper.example:3128/', source: 'HTTPS_PROXY' });
    assert.deepEqual(resolveNetwork({}, env).httpProxy, { url: 'http://plain.example/', source: 'HTTP_PROXY' });
    const set = resolveNetwork({ proxy: 'http://setting.example:8080' }, env);
    assert.deepEqual(set.httpsProxy, { url: 'http://setting.example:8080/', source: 'http.proxy' });
    assert.deepEqual(set.httpProxy, set.httpsProxy);
    assert.equal(resolveNetwork({}, {}).httpsProxy, undefined);
  });

  it('an unusable proxy is a problem (requests are refused, never sent around it), without its password', () => {
    const n = resolveNetwork({ proxy: 'socks5://user:hunter2@proxy.example:1080' }, {});
    assert.equal(n.httpsProxy, undefined);
    assert.match(n.problem ?? '', /http\.proxy cannot be used: socks5 proxies are not supported/);
    assert.ok(!n.problem!.includes('hunter2'));
    assert.equal(redactProxyUrl('http://alice:s3cr%40t@proxy:8080'), 'http://alice:***@proxy:8080');
  });

  it('NO_PROXY and http.noProxy: exact hosts, domains with subdomains, wildcards, ports, CIDR, *', () => {
    const n = resolveNetwork({ noProxy: ['internal.example.com'] }, { NO_PROXY: '.corp.example, 10.0.0.0/8,localhost:8443', no_proxy: '' });
    assert.deepEqual(n.noProxy, ['internal.example.com', '.corp.example', '10.0.0.0/8', 'localhost:8443']);
    const by = (h: string, p = 443) => bypassesProxy(h, p, n.noProxy);
    assert.ok(by('internal.example.com'));
    assert.ok(by('api.internal.example.com'));
    assert.ok(!by('notinternal.example.com'));
    assert.ok(by('gw.corp.example'));
    assert.ok(by('corp.example'));
    assert.ok(by('10.1.2.3'));
    assert.ok(!by('11.1.2.3'));
    assert.ok(by('localhost', 8443));
    assert.ok(!by('localhost', 443));
    assert.ok(!by('bedrock-runtime.us-east-1.amazonaws.com'));
    assert.ok(bypassesProxy('anything', 1, ['*']));
    assert.ok(bypassesProxy('::1', 443, ['[::1]']));
    assert.ok(bypassesProxy('x.example', 443, ['*.example']));
  });

  it('strictSSL and systemCertificates default on; CA files from NODE_EXTRA_CA_CERTS and AWS_CA_BUNDLE', () => {
    const n = resolveNetwork({}, { NODE_EXTRA_CA_CERTS: '/a.pem', AWS_CA_BUNDLE: '/b.pem' });
    assert.equal(n.strictSSL, true);
    assert.equal(n.systemCertificates, true);
    assert.deepEqual(n.caFiles, [
      { source: 'NODE_EXTRA_CA_CERTS', path: '/a.pem' },
      { source: 'AWS_CA_BUNDLE', path: '/b.pem' },
    ]);
    assert.equal(resolveNetwork({ proxyStrictSSL: false, systemCertificates: false }, {}).strictSSL, false);
  });
});

describe('trust store', () => {
  let dir: string;
  let certs: CorporateCerts;
  before(() => {
    certs = makeCorporateCerts();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-chat-ca-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("Node's default roots plus every extra CA; nothing extra leaves Node's defaults alone", () => {
    const bundle = path.join(dir, 'corp.pem');
    fs.writeFileSync(bundle, `subject=Corp\n${certs.ca.cert}\n${certs.intermediate.cert}`);
    const store = loadTrustStore({ caFiles: [{ source: 'AWS_CA_BUNDLE', path: bundle }], systemCertificates: false });
    assert.ok(store.ca, 'an explicit store');
    assert.equal(store.defaults, tls.rootCertificates.length);
    for (const root of tls.rootCertificates.slice(0, 5)) assert.ok(store.ca.includes(root.trim() + '\n'), "Node's roots are kept");
    assert.ok(store.ca.includes(pemCertificates(certs.ca.cert)[0]));
    assert.ok(store.ca.includes(pemCertificates(certs.intermediate.cert)[0]));
    assert.deepEqual(store.sources, [{ source: 'AWS_CA_BUNDLE', path: bundle, certificates: 2 }]);
    assert.equal(loadTrustStore({ caFiles: [], systemCertificates: false }).ca, undefined);
  });

  it('an unreadable or empty CA file is reported, not fatal; the system store comes from tls.getCACertificates', () => {
    const empty = path.join(dir, 'empty.pem');
    fs.writeFileSync(empty, 'nothing here');
    const system = [certs.ca.cert];
    const store = loadTrustStore(
      { caFiles: [{ source: 'NODE_EXTRA_CA_CERTS', path: path.join(dir, 'missing.pem') }, { source: 'AWS_CA_BUNDLE', path: empty }], systemCertificates: true },
      {
        readFile: (p) => fs.readFileSync(p, 'utf8'),
        stat: () => undefined,
        getCACertificates: (kind) => (kind === 'system' ? system : ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----']),
        rootCertificates: [],
        nodeVersion: 'v24.0.0',
      },
    );
    assert.deepEqual(
      store.sources.map((s) => [s.source, s.certificates, s.problem]),
      [
        ['NODE_EXTRA_CA_CERTS', 0, 'cannot be read (ENOENT)'],
        ['AWS_CA_BUNDLE', 0, 'holds no PEM certificates'],
        ['system', 1, undefined],
      ],
    );
    assert.equal(store.ca?.length, 2, 'the default list from getCACertificates("default") plus the system CA');
    const old = loadTrustStore({ caFiles: [], systemCertificates: true }, { readFile: () => '', stat: () => undefined, rootCertificates: [], nodeVersion: 'v20.1.0' });
    assert.match(old.sources[0].problem ?? '', /not readable by Node v20\.1\.0/);
  });
});

describe('requests through a CONNECT proxy to a TLS server with a company CA', function () {
  let server: BedrockServer;
  let front: TlsFront;
  let certs: CorporateCerts;
  let home: TempAwsHome;
  let caFile: string;
  const proxies: ConnectProxy[] = [];

  before(async () => {
    certs = makeCorporateCerts();
    server = await startBedrockServer({ strictAuth: true });
    server.addCredentials(KEY.id, KEY.secret);
    front = await startTlsFront(server.port, [certs.leafViaIntermediate, certs.intermediate]);
  });
  after(async () => {
    await front.close();
    await server.close();
  });
  beforeEach(() => {
    server.reset();
    home = makeTempAwsHome();
    caFile = home.writeFile('corp-ca.pem', certs.ca.cert);
  });
  afterEach(async () => {
    home.cleanup();
    for (const p of proxies.splice(0)) await p.close();
  });

  async function proxy(opts: Parameters<typeof startConnectProxy>[0] = {}): Promise<ConnectProxy> {
    const p = await startConnectProxy(opts);
    proxies.push(p);
    return p;
  }

  /** The network as the extension resolves it from VS Code's settings and this environment. */
  const network = (settings: NetworkSettings, env: Record<string, string> = {}): NetworkConfig => resolveNetwork({ systemCertificates: false, ...settings }, { AWS_CA_BUNDLE: caFile, ...env });

  const inHome = <T>(fn: () => Promise<T>) =>
    withEnv(isolatedAwsEnv(home.home, { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile, AWS_EC2_METADATA_DISABLED: 'true' }), fn);

  async function chat(auth: BedrockAuth, net: NetworkConfig) {
    return inHome(async () => {
      const client = createRuntimeClient({ auth, region: 'us-east-1', endpoint: front.url, network: net, credentialClientConfig: { endpoint: front.url } });
      try {
        let text = '';
        await converse(client, model, hello, {}, new AbortController().signal, (e) => e.type === 'text' && (text += e.text));
        assert.equal(text, 'Hello from the local Bedrock server.');
        return server.requests.filter((r) => r.operation === 'converse-stream').at(-1)!;
      } finally {
        client.destroy();
      }
    });
  }

  function assertSigV4(req: { auth: { kind: string } }, accessKeyId: string) {
    const a = req.auth as { kind: string; valid?: boolean; accessKeyId?: string; reason?: string };
    assert.equal(a.kind, 'sigv4');
    assert.ok(a.valid, a.reason);
    assert.equal(a.accessKeyId, accessKeyId);
  }

  /** Every TLS connection the server got came through the proxy's tunnels (none went direct). */
  function assertAllTunnelled(p: ConnectProxy, before: number) {
    const tunnels = p.connects.filter((c) => c.status === 200);
    assert.ok(tunnels.length > 0, 'the proxy tunnelled');
    assert.ok(tunnels.every((c) => c.target === `127.0.0.1:${front.port}`), JSON.stringify(p.connects));
    assert.equal(front.connections - before, tunnels.length, 'every connection to the server came through the proxy');
  }

  it('runtime: through http.proxy, the company CA from AWS_CA_BUNDLE, SigV4 verified', async () => {
    const p = await proxy();
    const before = front.connections;
    assertSigV4(await chat(iam, network({ proxy: p.url })), KEY.id);
    assertAllTunnelled(p, before);
    assert.deepEqual(p.plainRequests, []);
  });

  it('runtime: HTTPS_PROXY from the environment and the CA from NODE_EXTRA_CA_CERTS work the same', async () => {
    const p = await proxy();
    const before = front.connections;
    const net = resolveNetwork({ systemCertificates: false }, { HTTPS_PROXY: p.url, NODE_EXTRA_CA_CERTS: caFile });
    assertSigV4(await chat(iam, net), KEY.id);
    assertAllTunnelled(p, before);
  });

  it('without the company CA the server is not trusted, through the proxy or not', async () => {
    const p = await proxy();
    for (const net of [resolveNetwork({ proxy: p.url, systemCertificates: false }, {}), resolveNetwork({ systemCertificates: false }, {})]) {
      await assert.rejects(chat(iam, net), (err: unknown) => {
        const d = describeError(err, { modelId: model.id, region: 'us-east-1', endpoint: front.url });
        assert.match(d.message, /certificate is not trusted/);
        return true;
      });
    }
    assert.equal(server.requests.length, 0);
  });

  it('http.proxyStrictSSL false accepts the untrusted chain through the proxy only', async () => {
    const p = await proxy();
    assertSigV4(await chat(iam, resolveNetwork({ proxy: p.url, proxyStrictSSL: false, systemCertificates: false }, {})), KEY.id);
    await assert.rejects(chat(iam, resolveNetwork({ proxyStrictSSL: false, systemCertificates: false }, {})), /self[- ]signed|unable to (get|verify)/i);
  });

  it('NO_PROXY (or http.noProxy) sends the request directly: the proxy sees nothing', async () => {
    const p = await proxy();
    for (const net of [network({ proxy: p.url }, { NO_PROXY: '127.0.0.1' }), network({ proxy: p.url, noProxy: ['127.0.0.0/8'] })]) {
      const before = front.connections;
      assertSigV4(await chat(iam, net), KEY.id);
      assert.ok(front.connections > before, 'the server was reached');
    }
    assert.deepEqual(p.connects, []);
  });

  it('credential clients: STS AssumeRole (profile with role_arn) goes through the same proxy', async () => {
    const p = await proxy();
    home.writeCredentials(`[base]\naws_access_key_id = ${KEY.id}\naws_secret_access_key = ${KEY.secret}\n`);
    home.writeConfig('[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/Deploy\nsource_profile = base\nregion = us-east-1\n');
    const before = front.connections;
    const req = await chat({ kind: 'profile', profile: 'deploy' }, network({ proxy: p.url }));
    const issued = server.issuedCredentials.filter((c) => c.source === 'sts:AssumeRole').at(-1);
    assert.ok(issued, 'STS AssumeRole was called');
    const sts = server.requests.find((r) => r.operation === 'sts-assume-role')!;
    assert.ok(sts.auth.kind === 'sigv4' && sts.auth.valid, 'the AssumeRole call is SigV4-signed with the base keys');
    assertSigV4(req, issued.accessKeyId);
    assertAllTunnelled(p, before);
  });

  it('credential clients: SSO OIDC sign-in, the SSO portal and Bedrock all go through the proxy', async () => {
    const p = await proxy();
    server.oidc.portal = { accountId: '111122223333', roleName: 'Dev' };
    home.writeConfig(
      ['[profile corp]', 'sso_session = corp', 'sso_account_id = 111122223333', 'sso_role_name = Dev', 'region = us-east-1', '[sso-session corp]', 'sso_start_url = https://corp.awsapps.com/start', 'sso_region = us-east-1', 'sso_registration_scopes = sso:account:access'].join('\n'),
    );
    const net = network({ proxy: p.url });
    const before = front.connections;
    await inHome(async () => {
      const found = await readSsoProfile('corp');
      assert.ok(found.ok);
      const requestHandler = createHttpHandler(30, net);
      try {
        await signInSso(found.config, { clientConfig: { endpoint: front.url, requestHandler }, sleep: async () => {}, onPending: (a) => server.oidc.approve(a.userCode) });
      } finally {
        requestHandler.destroy();
      }
    });
    const req = await chat({ kind: 'sso', profile: 'corp' }, net);
    const issued = server.issuedCredentials.filter((c) => c.source === 'sso').at(-1);
    assert.ok(issued, 'the SSO portal issued role credentials');
    assertSigV4(req, issued.accessKeyId);
    assert.deepEqual(
      server.requests.map((r) => r.operation),
      ['oidc-register-client', 'oidc-start-device-authorization', 'oidc-create-token', 'sso-get-role-credentials', 'converse-stream'],
    );
    assertAllTunnelled(p, before);
  });

  it('control plane (model discovery) goes through the proxy too', async () => {
    const p = await proxy();
    const before = front.connections;
    await inHome(async () => {
      const client = createControlClient({ auth: iam, region: 'us-east-1', endpoint: front.url, network: network({ proxy: p.url }) });
      try {
        const out = await client.send(new ListFoundationModelsCommand({}));
        assert.ok((out.modelSummaries ?? []).length > 0);
      } finally {
        client.destroy();
      }
    });
    const list = server.requests.find((r) => r.operation === 'list-foundation-models')!;
    assert.ok(list.auth.kind === 'sigv4' && list.auth.valid);
    assertAllTunnelled(p, before);
  });

  it('a proxy that wants credentials: 407 says to put them in http.proxy; with them in the URL it works', async () => {
    const p = await proxy({ auth: { user: 'alice', password: 'pr0xy-pass' } });
    await assert.rejects(chat(iam, network({ proxy: p.url })), (err: unknown) => {
      const d = describeError(err, { modelId: model.id, region: 'us-east-1', endpoint: front.url, auth: iam });
      assert.equal(d.kind, 'network');
      assert.match(d.message, /requires authentication \(HTTP 407 Proxy Authentication Required\).*http\.proxy setting \(http:\/\/user:password@host:port\)/);
      return true;
    });
    assert.equal(server.requests.length, 0, 'nothing reached the server');
    assert.equal(p.connects.at(-1)?.status, 407);

    const withCreds = p.url.replace('http://', 'http://alice:pr0xy-pass@');
    assertSigV4(await chat(iam, network({ proxy: withCreds })), KEY.id);
    assert.equal(p.connects.at(-1)?.authorization, `Basic ${Buffer.from('alice:pr0xy-pass').toString('base64')}`);
    // VS Code's http.proxyAuthorization is sent as the header instead.
    assertSigV4(await chat(iam, network({ proxy: p.url, proxyAuthorization: `Basic ${Buffer.from('alice:pr0xy-pass').toString('base64')}` })), KEY.id);
  });

  it('a proxy that cannot be reached, or that forbids the host, is named as the problem', async () => {
    const p = await proxy({ forbid: [`127.0.0.1:${front.port}`] });
    await assert.rejects(chat(iam, network({ proxy: p.url })), (err: unknown) => {
      assert.match(describeError(err, { modelId: model.id, region: 'us-east-1', endpoint: front.url }).message, /proxy http:\/\/127\.0\.0\.1:\d+\/ refused the connection to 127\.0\.0\.1:\d+ \(HTTP 403\).*http\.noProxy/);
      return true;
    });
    const closed = await proxy();
    const url = closed.url;
    await closed.close();
    await assert.rejects(chat(iam, network({ proxy: url.replace('http://', 'http://bob:hunter22@') })), (err: unknown) => {
      const message = describeError(err, { modelId: model.id, region: 'us-east-1', endpoint: front.url }).message;
      assert.match(message, /Cannot connect through the proxy http:\/\/bob:\*\*\*@127\.0\.0\.1:\d+\/ \(ECONNREFUSED\)/);
      assert.ok(!message.includes('hunter22'));
      return true;
    });
    assert.equal(server.requests.length, 0);
  });

  it('a 407 inside a credential provider (the SSO portal) is still the proxy advice, not "no credentials"', async () => {
    const p = await proxy({ auth: { user: 'alice', password: 'pr0xy-pass' } });
    home.writeConfig(['[profile corp]', 'sso_session = corp', 'sso_account_id = 1', 'sso_role_name = Dev', '[sso-session corp]', 'sso_start_url = https://corp.awsapps.com/start', 'sso_region = us-east-1'].join('\n'));
    home.writeSsoToken('corp', { accessToken: 'tok' });
    const auth: BedrockAuth = { kind: 'sso', profile: 'corp' };
    await assert.rejects(chat(auth, network({ proxy: p.url, noProxy: [] })), (err: unknown) => {
      const d = describeError(err, { modelId: model.id, region: 'us-east-1', endpoint: front.url, auth });
      assert.match(d.message, /HTTP 407.*http\.proxy/, d.message);
      assert.ok(!/No usable AWS credentials/.test(d.message));
      return true;
    });
    // Model discovery through the same proxy says the same in the log.
    await inHome(async () => {
      const client = createControlClient({ auth: iam, region: 'us-east-1', endpoint: front.url, network: network({ proxy: p.url }) });
      try {
        await assert.rejects(client.send(new ListFoundationModelsCommand({})), (err: unknown) => {
          const f = describeDiscoveryFailure(err, { region: 'us-east-1', endpoint: front.url });
          assert.equal(f.kind, 'unreachable');
          assert.match(f.message, /HTTP 407/);
          return true;
        });
      } finally {
        client.destroy();
      }
    });
  });
});
