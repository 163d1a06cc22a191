/**
 * The bundles inline third-party code and drop its comments, so the licences
 * travel in dist/THIRD_PARTY_NOTICES.txt (scripts/esbuild/notices.mjs). Every
 * package that put bytes into a bundle must be listed with its version, and
 * under a licence text.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

interface Metafile {
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

describe('third-party notices shipped beside the bundles', function () {
  this.timeout(60_000);
  let dir: string;
  let notices: string;
  let packages: string[];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-chat-notices-'));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'esbuild.mjs'), `--outdir=${dir}`, '--metafile'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `esbuild.mjs failed:\n${r.stdout}\n${r.stderr}`);
    notices = fs.readFileSync(path.join(dir, 'THIRD_PARTY_NOTICES.txt'), 'utf8');
    // Worked out here independently of notices.mjs: the package of each file that put bytes into a bundle.
    const found = new Set<string>();
    for (const name of ['extension', 'sdk']) {
      const meta = JSON.parse(fs.readFileSync(path.join(dir, `${name}.meta.json`), 'utf8')) as Metafile;
      for (const output of Object.values(meta.outputs)) {
        for (const [file, input] of Object.entries(output.inputs)) {
          const m = /^(.*node_modules\/)((?:@[^/]+\/)?[^/]+)\//.exec(file);
          if (!m || !input.bytesInOutput) continue;
          const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, m[1], m[2], 'package.json'), 'utf8'));
          found.add(`${pkg.name}@${pkg.version}`);
        }
      }
    }
    packages = [...found];
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists every bundled package with its version and licence', () => {
    assert.ok(packages.length > 10, `only ${packages.length} bundled packages found`);
    for (const id of ['@aws-sdk/client-bedrock-runtime', '@smithy/node-http-handler', 'https-proxy-agent', 'picomatch']) {
      assert.ok(packages.some((p) => p.startsWith(`${id}@`)), `${id} is bundled`);
    }
    const listed = [...notices.matchAll(/^ {2}(\S+@\d\S*) \((.+)\)$/gm)];
    assert.deepEqual(listed.map((m) => m[1]).sort(), [...packages].sort());
  });

  it('gives each a licence text: Apache-2.0 in full for the AWS SDK, MIT with its copyright for the proxy agents and picomatch', () => {
    const groups = notices.split(/^={78}$/m).slice(1);
    for (const id of packages) {
      const group = groups.find((g) => new RegExp(`^\\nLicence of: (.*, )?${id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(,|\\n)`).test(g));
      assert.ok(group, `${id} has a licence text`);
      assert.ok(group.length > 500, `${id}'s licence text is a real one`);
    }
    const apache = groups.find((g) => /Licence of: .*@aws-sdk\/client-bedrock-runtime@/.test(g))!;
    assert.match(apache, /Apache License\s+Version 2\.0/);
    assert.match(apache, /TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION/);
    const mit = groups.find((g) => /Licence of: .*picomatch@/.test(g))!;
    assert.match(mit, /Copyright/);
    assert.match(mit, /Permission is hereby granted, free of charge/);
  });
});
