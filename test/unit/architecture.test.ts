/**
 * The core's folders are its layers. Imports run one way: config → auth →
 * bedrock, with models and chat beside; nothing in the core imports VS Code.
 * This test reads the sources, so a shortcut import fails here, not in review.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMAND_CATEGORY, COMMANDS } from '../../src/core/config/commands';

const ROOT = path.resolve(__dirname, '../../..');
const CORE = path.join(ROOT, 'src', 'core');

/** What each folder of src/core may import from the others ('.' is the folder itself). */
const ALLOWED: Record<string, readonly string[]> = {
  config: [],
  chat: [],
  auth: ['config'],
  models: ['config'],
  bedrock: ['config', 'auth', 'models', 'chat'],
  // state.ts composes the resolution steps; it never reaches the wire.
  '': ['config', 'auth', 'models'],
};

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
}

const layerOf = (file: string) => path.relative(CORE, path.dirname(file)).split(path.sep)[0];

describe('architecture', () => {
  it('the core never imports vscode', () => {
    const offenders = sources(CORE).filter((f) => imports(f).includes('vscode'));
    assert.deepEqual(offenders, []);
  });

  it('core folders import only the layers below them', () => {
    const violations: string[] = [];
    for (const file of sources(CORE)) {
      const from = layerOf(file);
      assert.ok(from in ALLOWED, `${path.relative(ROOT, file)} is in a folder the layer rules do not know; add it to ALLOWED`);
      for (const spec of imports(file).filter((s) => s.startsWith('.'))) {
        const target = path.resolve(path.dirname(file), spec);
        assert.ok(target.startsWith(CORE), `${path.relative(ROOT, file)} imports ${spec}, outside src/core`);
        const to = layerOf(target + '.ts');
        if (to !== from && !ALLOWED[from].includes(to)) violations.push(`${path.relative(ROOT, file)} → ${spec}`);
      }
    }
    assert.deepEqual(violations, []);
  });

  it('presentation helpers in the VS Code layer stay testable without VS Code', () => {
    for (const name of ['statusView.ts', 'labels.ts', 'tokenCount.ts']) {
      assert.ok(!imports(path.join(ROOT, 'src', 'vscode', name)).includes('vscode'), name);
    }
  });

  it('package.json contributes exactly the commands of the one command list', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const contributed = (pkg.contributes.commands as { command: string; title: string; category: string }[]).map((c) => ({ id: c.command, title: c.title, category: c.category }));
    const listed = Object.values(COMMANDS).map((c) => ({ id: c.id, title: c.title, category: COMMAND_CATEGORY }));
    assert.deepEqual(contributed, listed);
  });
});
