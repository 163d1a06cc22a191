/**
 * What users install: the VSIX `npm run package` builds. It must hold the
 * two bundles (dist/extension.js, loaded at activation, and dist/sdk.js, the
 * AWS SDK half it loads on first use) with the bundled packages' licences,
 * media, README, CHANGELOG, LICENSE and package.json and nothing else
 * (no sources, tests, node_modules, .cache, source maps), and stay small.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const MAX_BYTES = 1024 * 1024;

interface ZipEntry {
  name: string;
  size: number;
}

/** The entries of a zip file, from its central directory. */
export function zipEntries(buf: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'not a zip file (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'central directory entry');
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    out.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Builds the VSIX exactly as `npm run package` does, into `out`. */
function packageVsix(out: string): void {
  const script: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.package;
  const args = script.split(/\s+/);
  assert.equal(args[0], 'vsce', 'npm run package runs vsce');
  const outAt = args.indexOf('--out');
  assert.ok(outAt > 0, 'npm run package names its output with --out');
  args[outAt + 1] = out;
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, ...args.slice(1)], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `vsce package failed:\n${r.stdout}\n${r.stderr}`);
}

describe('the packaged VSIX (npm run package)', function () {
  this.timeout(120_000);
  let tmp: string;
  let vsix: string;
  let names: string[];

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-chat-vsix-'));
    vsix = path.join(tmp, 'bedrock-chat.vsix');
    packageVsix(vsix);
    names = zipEntries(fs.readFileSync(vsix)).map((e) => e.name);
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('holds both bundles, media, README, CHANGELOG, LICENSE and package.json', () => {
    for (const f of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/sdk.js', 'extension/dist/THIRD_PARTY_NOTICES.txt', 'extension/readme.md', 'extension/changelog.md', 'extension/LICENSE.txt', 'extension/media/icon.png']) {
      assert.ok(names.includes(f), `${f} is in the VSIX; it holds: ${names.join(', ')}`);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.ok(names.includes(`extension/${pkg.main.replace(/^\.\//, '')}`), 'package.json main is in the VSIX');
    assert.ok(names.includes(`extension/${pkg.icon}`), 'the icon is in the VSIX');
  });

  it('holds nothing else: no sources, tests, node_modules, .cache, scripts or source maps', () => {
    const allowed = [/^extension\.vsixmanifest$/, /^\[Content_Types\]\.xml$/, /^extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt|dist\/(extension|sdk)\.js|dist\/THIRD_PARTY_NOTICES\.txt)$/, /^extension\/media\/[\w./-]+\.(png|md|svg|gif|jpg)$/];
    const unexpected = names.filter((n) => !allowed.some((re) => re.test(n)));
    assert.deepEqual(unexpected, [], 'files outside the allowed list');
    for (const bad of [/\/src\//, /\/test\//, /node_modules\//, /\.cache\//, /\.map$/, /\.ts$/, /\/out\//, /\/scripts\//, /demo-workspace\//, /\.vsix$/]) {
      assert.deepEqual(names.filter((n) => bad.test(n)), [], `nothing matching ${bad}`);
    }
  });

  it('stays under 1 MB', () => {
    const size = fs.statSync(vsix).size;
    assert.ok(size < MAX_BYTES, `the VSIX is ${size} bytes`);
  });
});
