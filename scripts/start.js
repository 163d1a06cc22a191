#!/usr/bin/env node
'use strict';
// `npm start`: sets up what is missing, builds the extension and opens it in a
// real VS Code (code-server, in your browser) on a small sample workspace.
// Prints the URL; Ctrl-C stops everything it started.
//
//   npm start                 real Bedrock if AWS credentials are found, else demo mode
//   npm start -- --demo       always demo mode (a local Bedrock-compatible server answers)
//   npm start -- --real       always real Bedrock, with your environment, ~/.aws and stored keys
//   npm start -- --fresh      forget the VS Code profile and the sample workspace's edits first
//   npm start -- --folder D   open folder D instead of the sample workspace
//   npm start -- --port N     serve VS Code on port N (default: the port of the last run)
//
// The VS Code profile (settings, extensions, the key half that decrypts stored
// secrets) lives in .cache/vscode-profile/ and the port is kept in
// .cache/vscode-profile/port: VS Code in the browser keeps SecretStorage in the
// browser, per address, so a key stored with "Bedrock: Set Bedrock API Key"
// is there again after a restart when you open the same URL in the same browser.
// The sample workspace is demo-workspace/, copied to .cache/demo-workspace/ so
// agent mode's edits never touch the repository.
// In demo mode the extension host gets BEDROCK_CHAT_DEMO=1 (the status bar then
// says "Bedrock: demo"); it is not a setting.
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ensureDependencies } = require('./bootstrap');

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, '.cache');
const PROFILE_DIR = path.join(CACHE, 'vscode-profile');
const PORT_FILE = path.join(PROFILE_DIR, 'port');
const DEMO_ENDPOINT_FILE = path.join(PROFILE_DIR, 'demo-endpoint');
const SAMPLE = path.join(ROOT, 'demo-workspace');
const SAMPLE_COPY = path.join(CACHE, 'demo-workspace');
const DEMO_ENV = 'BEDROCK_CHAT_DEMO';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => {
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : undefined;
};

function step(title, cmd, args, opts = {}) {
  console.log(`\n[start] ${title}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (r.status !== 0) {
    console.error(`[start] FAILED: ${title}`);
    process.exit(r.status || 1);
  }
}

/** Any sign of AWS credentials the extension could use. */
function hasAwsCredentials(env) {
  if (env.AWS_BEARER_TOKEN_BEDROCK || env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) return true;
  const home = os.homedir();
  return [env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config'), env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials')].some((f) => {
    try {
      return fs.statSync(f).size > 0;
    } catch {
      return false;
    }
  });
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** The port to serve on: --port, else the last run's (stored keys are tied to the address), else a free one. */
async function choosePort(host) {
  const given = Number(option('port'));
  if (given) return given;
  const last = Number((fs.existsSync(PORT_FILE) && fs.readFileSync(PORT_FILE, 'utf8').trim()) || 0);
  if (last && (await portFree(last))) return last;
  if (last) console.log(`[start] Port ${last} (last run) is busy; using another. Keys stored in VS Code at the old address are not visible at the new one.`);
  return host.freePort();
}

function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Whether out/test/support (the demo server, compiled by tsc) is missing or older than its sources. */
function demoServerStale() {
  const src = path.join(ROOT, 'test', 'support');
  const out = path.join(ROOT, 'out', 'test', 'support');
  return fs
    .readdirSync(src)
    .filter((f) => f.endsWith('.ts'))
    .some((f) => {
      try {
        return fs.statSync(path.join(out, f.replace(/\.ts$/, '.js'))).mtimeMs < fs.statSync(path.join(src, f)).mtimeMs;
      } catch {
        return true;
      }
    });
}

async function main() {
  if (flag('fresh')) {
    console.log(`[start] --fresh: removing the VS Code profile (${path.relative(ROOT, PROFILE_DIR)}) and the sample workspace copy (${path.relative(ROOT, SAMPLE_COPY)})`);
    fs.rmSync(PROFILE_DIR, { recursive: true, force: true });
    fs.rmSync(SAMPLE_COPY, { recursive: true, force: true });
  }
  ensureDependencies(ROOT);
  const host = require('./vscode-host/host');
  if (host.missingInstall()) step('Installing the real VS Code host (code-server, Node 24, Chromium; first run only, a few minutes)', 'bash', ['scripts/vscode-host/install.sh']);
  step('Building the extension', process.execPath, ['esbuild.mjs']);

  const folderOption = option('folder');
  let folder;
  if (folderOption) {
    folder = path.resolve(folderOption);
  } else {
    if (!fs.existsSync(SAMPLE_COPY)) fs.cpSync(SAMPLE, SAMPLE_COPY, { recursive: true });
    folder = SAMPLE_COPY;
  }

  const demo = flag('demo') || (!flag('real') && !hasAwsCredentials(process.env));
  const env = { ...process.env };
  // Not for the extension host: what npm hands its scripts.
  for (const k of Object.keys(env)) if (k.startsWith('npm_') || k === 'INIT_CWD' || k === 'NODE') delete env[k];
  const userSettings = {};
  fs.mkdirSync(PROFILE_DIR, { recursive: true });
  const lastDemoEndpoint = readText(DEMO_ENDPOINT_FILE);
  if (demo) {
    if (demoServerStale()) step('Compiling the local Bedrock-compatible server', process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
    const server = await require('./demo-server').startDemoServer({ workspace: folder });
    host.onCleanup(() => server.close());
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-chat-demo-home-'));
    host.onCleanup(() => fs.rmSync(home, { recursive: true, force: true }));
    for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
    Object.assign(env, { HOME: home, AWS_BEARER_TOKEN_BEDROCK: 'ABSKZGVtby1tb2RlLWtleS1ub3QtYS1yZWFsLWtleQ==', AWS_EC2_METADATA_DISABLED: 'true', [DEMO_ENV]: '1' });
    userSettings['bedrockChat.endpoint'] = server.endpoint;
    fs.writeFileSync(DEMO_ENDPOINT_FILE, server.endpoint);
    console.log(`\n[start] DEMO MODE: no AWS credentials found; the local Bedrock-compatible server at ${server.endpoint} answers.`);
    console.log('[start] Stored a key with "Bedrock: Set Bedrock API Key"? Restart with `npm start -- --real` to use it.');
  } else {
    delete env[DEMO_ENV];
    // The demo server's endpoint from an earlier demo run must not stay in the profile.
    const settingsFile = path.join(PROFILE_DIR, 'user-data', 'User', 'settings.json');
    if (lastDemoEndpoint && fs.existsSync(settingsFile)) {
      try {
        if (host.parseJsonc(fs.readFileSync(settingsFile, 'utf8'))['bedrockChat.endpoint'] === lastDemoEndpoint) userSettings['bedrockChat.endpoint'] = undefined;
      } catch {}
    }
    fs.rmSync(DEMO_ENDPOINT_FILE, { force: true });
    console.log('\n[start] Using real Amazon Bedrock with the AWS credentials from your environment, ~/.aws and keys stored in VS Code.');
  }

  const port = await choosePort(host);
  const cs = await host.startCodeServer({
    env,
    port,
    userSettings,
    profileDir: PROFILE_DIR,
    onOutput: (line, stream) => {
      if (process.env.VSCODE_HOST_VERBOSE) process.stderr.write(`[code-server:${stream}] ${line}\n`);
    },
  });
  fs.writeFileSync(PORT_FILE, String(cs.port));
  const url = host.workbenchUrl(cs.url, { folder, devPaths: [ROOT] });
  console.log('');
  console.log(`  VS Code is running with Bedrock Chat loaded${demo ? ' (demo mode)' : ''}. Open this URL in a browser:`);
  console.log(`    ${url}`);
  console.log('  Then open the Chat view, pick a model under "Amazon Bedrock" in the model picker, and chat.');
  if (!folderOption) console.log(`  The workspace is a copy of demo-workspace/ in ${path.relative(ROOT, SAMPLE_COPY)}/ (agent mode may edit it; --fresh restores it).`);
  console.log(`  (Remote machine? ssh -L ${cs.port}:127.0.0.1:${cs.port} <host>, then open the URL locally.)`);
  console.log('  Press Ctrl-C to stop.\n');
  cs.child.on('exit', async (code, signal) => {
    if (host.isShuttingDown()) return;
    console.error(`code-server exited (${code ?? signal})`);
    await host.cleanupAll();
    process.exit(code || 1);
  });
}

main().catch(async (err) => {
  console.error('[start] failed:', err && err.stack ? err.stack : err);
  try {
    await require('./vscode-host/host').cleanupAll();
  } catch {}
  process.exit(1);
});
