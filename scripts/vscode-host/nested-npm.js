#!/usr/bin/env node
'use strict';
// Runs npm with another Node (Node 24 for code-server), isolated from the npm
// that may be running us. Used by install.sh:
//
//   node scripts/vscode-host/nested-npm.js <nodeDir> <npm args...>
//
// <nodeDir> holds bin/node and include/node (node-gyp builds against it).
//
// Why: `npm start` / `npm test` run install.sh as an npm script, and npm hands
// its scripts its own state in the environment. The nested npm reads every
// npm_config_* variable as its own configuration, so the outer npm's
// `npm_config_user_agent` ("npm/11.x node/v20.x linux x64 …") survives into the
// nested install, and code-server's postinstall takes the Node version from it:
// "code-server currently requires node v24 … detected node v20". The rest of
// npm's script state is just as foreign to the nested install: npm_node_execpath
// and NODE (the outer Node binary), npm_execpath, npm_package_* and
// npm_lifecycle_* (our package.json), npm_config_node_gyp and the prefixes, and
// PATH with node_modules/.bin folders and npm's node-gyp-bin in front.
// Plain CommonJS, no dependencies, runs on Node 20.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

/**
 * npm settings a user may give through the environment to reach the registry
 * (a mirror, a proxy, a company CA, credentials). They say nothing about the
 * outer Node or package, so the nested install keeps them.
 */
const KEEP_NPM_CONFIG = new Set([
  'registry',
  'proxy',
  'https_proxy',
  'http_proxy',
  'noproxy',
  'no_proxy',
  'cafile',
  'ca',
  'strict_ssl',
  'cert',
  'key',
  'userconfig',
  'globalconfig',
  'cache',
  'fetch_retries',
  'fetch_retry_factor',
  'fetch_retry_mintimeout',
  'fetch_retry_maxtimeout',
  'fetch_timeout',
  'maxsockets',
  'fund',
  'audit',
  'update_notifier',
  'progress',
  'loglevel',
]);

/** A PATH entry npm (or a parent npm) put in front for a script. */
function isNpmPathEntry(dir) {
  const d = dir.replace(/[\\/]+$/, '').split(path.sep).join('/');
  return d.endsWith('/node_modules/.bin') || d === 'node_modules/.bin' || d.endsWith('/node-gyp-bin');
}

/**
 * The environment for an npm run by the Node in `nodeDir`: `env` without the
 * state of any npm that runs us, with `<nodeDir>/bin` first in PATH and
 * npm_config_nodedir = nodeDir (native modules build against that Node's headers).
 */
function nestedNpmEnv(env, nodeDir) {
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    const lower = k.toLowerCase();
    if (k === 'NODE' || k === 'INIT_CWD') continue;
    if (lower.startsWith('npm_config_')) {
      const key = lower.slice('npm_config_'.length).replace(/-/g, '_');
      // scoped registries (@scope:registry) and per-registry credentials (//host/:_authToken) stay too
      if (!KEEP_NPM_CONFIG.has(key) && !key.startsWith('//') && !/^@[^:]+:registry$/.test(key)) continue;
    } else if (lower.startsWith('npm_')) {
      continue; // npm_node_execpath, npm_execpath, npm_command, npm_package_*, npm_lifecycle_*
    }
    out[k] = v;
  }
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') || 'PATH';
  const entries = (env[pathKey] || '').split(path.delimiter).filter((d) => d && !isNpmPathEntry(d));
  const bin = path.join(nodeDir, 'bin');
  for (const k of Object.keys(out)) if (k.toUpperCase() === 'PATH') delete out[k];
  out.PATH = [bin, ...entries.filter((d) => path.resolve(d) !== path.resolve(bin))].join(path.delimiter);
  out.npm_config_nodedir = nodeDir;
  return out;
}

/** The first executable `name` on `pathValue`, or undefined. */
function which(name, pathValue) {
  for (const dir of (pathValue || '').split(path.delimiter)) {
    if (!dir) continue;
    const f = path.join(dir, name);
    try {
      fs.accessSync(f, fs.constants.X_OK);
      if (fs.statSync(f).isFile()) return f;
    } catch {}
  }
  return undefined;
}

/**
 * The npm CLI script to run with the other Node: the npm running us
 * (npm_execpath), else the `npm` on PATH when it is a script (Debian's
 * /usr/bin/npm links to npm-cli.js). The npm "node" package ships no npm.
 */
function npmCli(env) {
  const candidates = [env.npm_execpath, which('npm', env.PATH)];
  for (const c of candidates) {
    if (!c) continue;
    let real;
    try {
      real = fs.realpathSync(c);
    } catch {
      continue;
    }
    if (/\.c?js$/.test(real)) return real;
  }
  return undefined;
}

/** Runs npm `args` with the Node in `nodeDir`, isolated; returns the exit status. */
function runNestedNpm(nodeDir, args, env = process.env, opts = {}) {
  const node = path.join(nodeDir, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  const cli = npmCli(env);
  const clean = nestedNpmEnv(env, nodeDir);
  const [cmd, argv] = cli ? [node, [cli, ...args]] : ['npm', args];
  if (!opts.quiet) console.log(`[nested-npm] ${cmd} ${argv.join(' ')} (nodedir=${nodeDir}; npm script environment removed)`);
  const r = spawnSync(cmd, argv, { stdio: opts.stdio || 'inherit', env: clean, cwd: opts.cwd });
  if (r.error) console.error(`[nested-npm] ${r.error.message}`);
  return r.status ?? 1;
}

module.exports = { nestedNpmEnv, npmCli, which, runNestedNpm, isNpmPathEntry };

if (require.main === module) {
  const [nodeDir, ...args] = process.argv.slice(2);
  if (!nodeDir || !args.length) {
    console.error('usage: node nested-npm.js <nodeDir> <npm args...>');
    process.exit(2);
  }
  process.exit(runNestedNpm(path.resolve(nodeDir), args));
}
