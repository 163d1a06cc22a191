#!/usr/bin/env node
'use strict';
// `npm start`: sets up what is missing, builds the extension and opens it in a
// real VS Code (code-server, in your browser). Prints the URL; Ctrl-C stops
// everything it started.
//
//   npm start                 real Bedrock if AWS credentials are found, else demo mode
//   npm start -- --demo       always demo mode (a local Bedrock-compatible server answers)
//   npm start -- --real       always real Bedrock, with your environment and ~/.aws
//   npm start -- --folder D   open folder D in VS Code
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
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

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'node_modules', '.package-lock.json'))) step('Installing npm dependencies', 'npm', ['ci', '--no-audit', '--no-fund']);
  const host = require('./vscode-host/host');
  if (host.missingInstall()) step('Installing the real VS Code host (code-server, Node 24, Chromium; first run only)', 'bash', ['scripts/vscode-host/install.sh']);
  step('Building the extension', process.execPath, ['esbuild.mjs']);

  const demo = flag('demo') || (!flag('real') && !hasAwsCredentials(process.env));
  const env = { ...process.env };
  const userSettings = {};
  if (demo) {
    step('Compiling the local Bedrock-compatible server', process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']);
    const server = await require('./demo-server').startDemoServer();
    host.onCleanup(() => server.close());
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-chat-demo-home-'));
    host.onCleanup(() => fs.rmSync(home, { recursive: true, force: true }));
    for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
    Object.assign(env, { HOME: home, AWS_BEARER_TOKEN_BEDROCK: 'ABSKZGVtby1tb2RlLWtleS1ub3QtYS1yZWFsLWtleQ==', AWS_EC2_METADATA_DISABLED: 'true' });
    userSettings['bedrockChat.endpoint'] = server.endpoint;
    console.log(`\n[start] DEMO MODE: no AWS credentials found; the local Bedrock-compatible server at ${server.endpoint} answers.`);
  } else {
    console.log('\n[start] Using real Amazon Bedrock with the AWS credentials from your environment and ~/.aws.');
  }

  const cs = await host.startCodeServer({
    env,
    userSettings,
    onOutput: (line, stream) => {
      if (process.env.VSCODE_HOST_VERBOSE) process.stderr.write(`[code-server:${stream}] ${line}\n`);
    },
  });
  const folder = option('folder');
  const url = host.workbenchUrl(cs.url, { folder: folder && path.resolve(folder), devPaths: [ROOT] });
  console.log('');
  console.log('  VS Code is running with Bedrock Chat loaded. Open this URL in a browser:');
  console.log(`    ${url}`);
  console.log('  Then open the Chat view, pick a model under "Amazon Bedrock" in the model picker, and chat.');
  console.log('  (Remote machine? ssh -L ' + cs.port + ':127.0.0.1:' + cs.port + ' <host>, then open the URL locally.)');
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
