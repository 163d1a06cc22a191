#!/usr/bin/env node
'use strict';
// Makes sure node_modules matches package-lock.json, running `npm ci` when it
// does not (a fresh clone, or a lock file changed since the last install).
// Dependency-free on purpose: it runs before anything is installed. `npm test`
// and `npm start` run it first; when everything is installed it only reads two
// JSON files and stats the installed folders.
//
//   node scripts/bootstrap.js     install when needed, else print nothing
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Why node_modules in `root` does not match its package-lock.json, or null when
 * it does. Compares npm's own record of what it installed
 * (node_modules/.package-lock.json) with the lock file, entry by entry, and
 * checks that every recorded package is still on disk. Optional packages for
 * other platforms (e.g. esbuild's) are in the lock but never installed.
 */
function dependenciesStale(root = ROOT) {
  const lock = readJson(path.join(root, 'package-lock.json'));
  if (!lock || !lock.packages) return 'package-lock.json is missing or unreadable';
  const installed = readJson(path.join(root, 'node_modules', '.package-lock.json'));
  if (!installed || !installed.packages) return 'node_modules is missing (no node_modules/.package-lock.json)';
  const want = lock.packages;
  const have = installed.packages;
  for (const [key, entry] of Object.entries(want)) {
    if (key === '' || entry.link) continue;
    const got = have[key];
    if (!got) {
      if (entry.optional) continue;
      return `${key} is not installed`;
    }
    if (got.version !== entry.version) return `${key} is ${got.version}, package-lock.json wants ${entry.version}`;
  }
  for (const [key, entry] of Object.entries(have)) {
    if (key === '' || entry.link) continue;
    if (!want[key]) return `${key} is installed but not in package-lock.json`;
    if (!fs.existsSync(path.join(root, key, 'package.json'))) return `${key} was removed from node_modules`;
  }
  return null;
}

/** The npm to run: the one running this script (npm test / npm start), else `npm` on PATH. */
function npmCommand(env = process.env) {
  const cli = env.npm_execpath;
  if (cli && /\.c?js$/.test(cli) && fs.existsSync(cli)) return [process.execPath, [cli]];
  return ['npm', []];
}

/** Runs `npm ci` in `root` when dependenciesStale(); exits the process if it fails. */
function ensureDependencies(root = ROOT) {
  const why = dependenciesStale(root);
  if (!why) return false;
  console.log(`[bootstrap] Installing npm dependencies (npm ci): ${why}`);
  const [cmd, pre] = npmCommand();
  const r = spawnSync(cmd, [...pre, 'ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[bootstrap] FAILED: npm ci exited with ${r.status ?? r.signal}${r.error ? ` (${r.error.message})` : ''}`);
    process.exit(r.status || 1);
  }
  const still = dependenciesStale(root);
  if (still) {
    console.error(`[bootstrap] FAILED: after npm ci, ${still}`);
    process.exit(1);
  }
  return true;
}

module.exports = { dependenciesStale, ensureDependencies, npmCommand };

if (require.main === module) ensureDependencies();
