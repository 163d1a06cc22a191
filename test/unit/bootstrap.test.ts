/**
 * scripts/bootstrap.js decides, before anything is installed, whether `npm test`
 * and `npm start` must run `npm ci` first.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { dependenciesStale } = require(path.join(ROOT, 'scripts', 'bootstrap.js')) as { dependenciesStale(root: string): string | null };

describe('bootstrap: node_modules against package-lock.json', () => {
  let root: string;
  const lock = {
    name: 'p',
    lockfileVersion: 3,
    packages: {
      '': { name: 'p', devDependencies: { a: '1.0.0', esbuild: '0.1.0' } },
      'node_modules/a': { version: '1.0.0', dev: true },
      'node_modules/@esbuild/darwin-arm64': { version: '0.1.0', dev: true, optional: true },
    },
  };
  const install = (packages: Record<string, { version: string }>) => {
    fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', '.package-lock.json'), JSON.stringify({ name: 'p', lockfileVersion: 3, packages }));
    for (const key of Object.keys(packages)) {
      fs.mkdirSync(path.join(root, key), { recursive: true });
      fs.writeFileSync(path.join(root, key, 'package.json'), '{}');
    }
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-chat-bootstrap-'));
    fs.writeFileSync(path.join(root, 'package-lock.json'), JSON.stringify(lock));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('a fresh clone (no node_modules) needs npm ci', () => {
    assert.match(dependenciesStale(root) ?? '', /node_modules is missing/);
  });

  it('an install matching the lock is up to date; optional packages for other platforms may be absent', () => {
    install({ 'node_modules/a': { version: '1.0.0' } });
    assert.equal(dependenciesStale(root), null);
  });

  it('a changed lock, a missing, extraneous or deleted package needs npm ci', () => {
    install({ 'node_modules/a': { version: '0.9.0' } });
    assert.match(dependenciesStale(root) ?? '', /node_modules\/a is 0\.9\.0, package-lock\.json wants 1\.0\.0/);
    fs.rmSync(path.join(root, 'node_modules'), { recursive: true });
    install({});
    assert.match(dependenciesStale(root) ?? '', /node_modules\/a is not installed/);
    install({ 'node_modules/a': { version: '1.0.0' }, 'node_modules/b': { version: '2.0.0' } });
    assert.match(dependenciesStale(root) ?? '', /node_modules\/b is installed but not in package-lock\.json/);
    fs.rmSync(path.join(root, 'node_modules'), { recursive: true });
    install({ 'node_modules/a': { version: '1.0.0' } });
    fs.rmSync(path.join(root, 'node_modules', 'a'), { recursive: true });
    assert.match(dependenciesStale(root) ?? '', /node_modules\/a was removed/);
  });

  it('this checkout is installed as its lock file says (npm test ran the bootstrap first)', () => {
    assert.equal(dependenciesStale(ROOT), null);
  });
});
