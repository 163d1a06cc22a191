/**
 * Lazy start: what VS Code loads at activation (dist/extension.js) holds no
 * AWS SDK; everything that needs it is in dist/sdk.js, loaded by the first
 * request or model-list query that needs it, never before the status bar or
 * the model list's first answer. Builds both bundles exactly as esbuild.mjs
 * does (into a temporary folder), reads esbuild's metafile, then runs the
 * bundle in a fresh Node process on the fake host (test/support/bundleProbe)
 * against the local Bedrock server with the real SDK.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LifecycleProbe } from '../support/bundleProbe';
import { PROBE_MODEL } from '../support/bundleProbe';

const ROOT = path.resolve(__dirname, '../../..');

interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, { entryPoint?: string; imports: { path: string; external?: boolean }[]; inputs: Record<string, { bytesInOutput: number }> }>;
}

/**
 * The one piece of @smithy allowed at activation: the AWS config-file reader
 * (@smithy/shared-ini-file-loader, which re-exports @smithy/core's copy, and the
 * enum it uses from @smithy/types), so that the region and profiles are read
 * exactly as the SDK reads them. About 3 KB, no client, no network code.
 */
const ALLOWED_SMITHY = /node_modules\/@smithy\/(shared-ini-file-loader\/|core\/dist-es\/submodules\/config\/(index\.js|shared-ini-file-loader\/)|types\/dist-es\/(index|profile)\.js)/;
const ALLOWED_SMITHY_BYTES = 4 * 1024;

describe('lazy start: the AWS SDK loads on first use, not at activation', function () {
  this.timeout(60_000);
  let dir: string;
  let meta: Record<'extension' | 'sdk', Metafile>;
  const bundled = (name: 'extension' | 'sdk') => Object.values(meta[name].outputs).find((o) => o.entryPoint)!;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-chat-lazy-'));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'esbuild.mjs'), `--outdir=${dir}`, '--metafile'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `esbuild.mjs failed:\n${r.stdout}\n${r.stderr}`);
    meta = { extension: JSON.parse(fs.readFileSync(path.join(dir, 'extension.meta.json'), 'utf8')), sdk: JSON.parse(fs.readFileSync(path.join(dir, 'sdk.meta.json'), 'utf8')) };
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the activation bundle holds no AWS SDK client, credential provider, HTTP handler or proxy agent', () => {
    const inputs = Object.keys(bundled('extension').inputs);
    assert.deepEqual(inputs.filter((f) => /node_modules\/(@aws-sdk|@aws\/|agent-base|https-proxy-agent)/.test(f)), []);
    assert.deepEqual(inputs.filter((f) => /node_modules\/@smithy\//.test(f) && !ALLOWED_SMITHY.test(f)), []);
    const smithyBytes = Object.entries(bundled('extension').inputs).reduce((n, [f, i]) => n + (/node_modules\/@smithy\//.test(f) ? i.bytesInOutput : 0), 0);
    assert.ok(smithyBytes <= ALLOWED_SMITHY_BYTES, `${smithyBytes} bytes of @smithy in the activation bundle`);
    // The modules that drive the SDK stay out too (each would drag it in).
    const driving = ['src/core/bedrock/sdk.ts', 'src/core/bedrock/client.ts', 'src/core/bedrock/send.ts', 'src/core/bedrock/converse.ts', 'src/core/bedrock/controlClient.ts', 'src/core/bedrock/identity.ts', 'src/core/bedrock/proxy.ts', 'src/core/auth/clientAuth.ts', 'src/core/auth/ssoSignIn.ts'];
    assert.deepEqual(inputs.filter((f) => driving.includes(f)), []);
  });

  it('the activation bundle requires nothing but Node, vscode and ./sdk.js; the SDK bundle holds the SDK', () => {
    const external = bundled('extension').imports.filter((i) => i.external).map((i) => i.path);
    assert.deepEqual([...new Set(external.filter((p) => !p.startsWith('node:')))].sort(), ['./sdk.js', 'vscode']);
    const sdkInputs = Object.keys(bundled('sdk').inputs);
    for (const pkg of ['@aws-sdk/client-bedrock-runtime', '@aws-sdk/client-bedrock', '@aws-sdk/credential-providers', '@smithy/node-http-handler', 'https-proxy-agent']) {
      assert.ok(sdkInputs.some((f) => f.includes(`node_modules/${pkg}/`)), `${pkg} is in dist/sdk.js`);
    }
    assert.ok(!sdkInputs.some((f) => f.startsWith('src/vscode/')), 'the SDK bundle has no VS Code layer');
  });

  it('activation, the status bar and the first model list do not load it; discovery and a chat request do, with the real SDK', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'out', 'test', 'support', 'bundleProbe.js'), dir, 'lifecycle'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } });
    assert.equal(r.status, 0, `the probe failed:\n${r.stderr}`);
    const probe = JSON.parse(r.stdout) as LifecycleProbe;
    assert.equal(probe.statusText, 'Bedrock: API key');
    assert.equal(probe.sdkLoaded, false, 'dist/sdk.js loaded before the status bar showed');
    assert.deepEqual(probe.loaded.filter((f) => /@aws-sdk|@smithy|sdk\.js$/.test(f)), [], 'nothing of the SDK in require.cache at activation');
    assert.equal(probe.firstAnswer.sdkLoaded, false, 'the first model list waited for the SDK');
    assert.ok(probe.firstAnswer.ids.length > 5 && !probe.firstAnswer.ids.includes(PROBE_MODEL), 'the first answer is the catalogue');
    assert.equal(probe.changed.sdkLoaded, true, 'discovery loaded dist/sdk.js');
    assert.ok(probe.secondAnswer.ids.includes(PROBE_MODEL), `discovery's models after the change: ${probe.secondAnswer.ids.join(', ')}`);
    assert.deepEqual(probe.chat, { text: 'Hello from the probe.', modelId: 'us.amazon.nova-micro-v1:0', auth: 'bearer' });
  });
});
