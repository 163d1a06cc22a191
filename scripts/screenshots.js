#!/usr/bin/env node
'use strict';
// npm run screenshots: runs the chat-panel end-to-end suite in the real VS Code
// (it saves its pictures under test-results/chat-e2e/) and copies the ones the
// README and the walkthrough show into media/. Nothing is copied unless the
// suite passed and wrote every picture during this run.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const SHOTS_DIR = path.join(ROOT, 'test-results', 'chat-e2e');
/** Picture name as the tests save it (test/e2e/*.test.ts) → where it goes. */
const PICTURES = [
  { name: 'bedrock-tool-call', to: 'media/chat-panel.png', what: 'README: agent mode with a tool call' },
  { name: 'first-run-walkthrough', to: 'media/walkthrough.png', what: 'README: the first-run walkthrough next to a chat answer' },
  { name: 'first-run-model-picker', to: 'media/walkthrough/model-picker.png', what: 'walkthrough chat step: the model picker' },
];

function run(title, cmd, args) {
  console.log(`\n[screenshots] ${title}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT });
  if (r.status !== 0) {
    console.error(`[screenshots] FAILED: ${title}; media/ left unchanged`);
    process.exit(r.status || 1);
  }
}

/** The newest `NN-<name>.png` (or `<name>.png`) written since `since`. */
function newest(name, since) {
  const re = new RegExp(`^(\\d+-)?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.png$`);
  const files = fs.existsSync(SHOTS_DIR) ? fs.readdirSync(SHOTS_DIR).filter((f) => re.test(f)) : [];
  return files
    .map((f) => ({ file: path.join(SHOTS_DIR, f), mtime: fs.statSync(path.join(SHOTS_DIR, f)).mtimeMs }))
    .filter((f) => f.mtime >= since)
    .sort((a, b) => b.mtime - a.mtime)[0]?.file;
}

const started = Date.now() - 1000;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
run('Type-checking and compiling the tests', npm, ['run', 'compile']);
run('Bundling the extension', npm, ['run', 'build']);
run('Chat-panel end-to-end suite (real VS Code in headless Chromium)', process.execPath, [path.join(ROOT, 'scripts', 'test-vscode.js'), 'e2e']);

const found = PICTURES.map((p) => ({ ...p, from: newest(p.name, started) }));
const missing = found.filter((p) => !p.from);
if (missing.length) {
  console.error(`[screenshots] the suite did not save: ${missing.map((p) => p.name).join(', ')} (in ${SHOTS_DIR}); media/ left unchanged`);
  process.exit(1);
}
for (const p of found) {
  const to = path.join(ROOT, p.to);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(p.from, to);
  console.log(`[screenshots] ${path.relative(ROOT, p.from)} → ${p.to} (${Math.round(fs.statSync(to).size / 1024)} KB; ${p.what})`);
}
