#!/usr/bin/env node
'use strict';
// Runs the suites that need a real VS Code: extension-host tests
// (test/integration, through @vscode/test-electron with the code-server
// launcher) and the chat-panel end-to-end test (test/e2e, Playwright).
//
//   node scripts/test-vscode.js [integration|e2e|all]
//   node scripts/test-vscode.js install   only install the host when missing (npm test does this before
//                                         the unit tests, some of which read the Copilot Chat it ships)
//
// Installs the host first when missing. Where it cannot be installed (no apt,
// no root) both suites are SKIPPED with a loud banner; they never pass by
// default, and when CI is set a skipped suite fails the run (exit 1).
// The chat-panel suite runs the extension as users get it: the VSIX that
// `npm run package` builds, installed with code-server --install-extension
// (the extension-host suite loads the development folder). The run is
// isolated: a temp HOME with its own AWS files, a temp managed-settings path, a
// free port for the local Bedrock server, and none of the caller's AWS_* variables.
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const host = require('./vscode-host/host');
const { npmCommand } = require('./bootstrap');

const ROOT = path.resolve(__dirname, '..');
const which = process.argv[2] || 'all';
/** On CI a suite that cannot run is a failure, not a banner. */
const CI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

/** A skipped suite: a loud banner; exit status 1 on CI, else 0. */
function skipped(lines) {
  banner([...lines, ...(CI ? ['CI is set: a skipped suite FAILS this run.'] : [])]);
  return CI ? 1 : 0;
}

function banner(lines) {
  const bar = '#'.repeat(78);
  console.error(['', bar, ...lines.map((l) => `## ${l}`), bar, ''].join('\n'));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function run(cmd, args, env) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env, cwd: ROOT });
  return r.status ?? 1;
}

async function main() {
  // VSCODE_HOST=desktop: plain @vscode/test-electron downloads desktop VS Code (needs internet and a
  // display); only the extension-host suite runs that way, the chat-panel suite needs code-server.
  const desktop = process.env.VSCODE_HOST === 'desktop';
  if (!desktop && host.missingInstall()) {
    console.error(`test-vscode: the real VS Code host is not installed (${host.missingInstall()}); installing it now`);
    if (run('bash', [path.join(ROOT, 'scripts', 'vscode-host', 'install.sh')], process.env) !== 0 || host.missingInstall()) {
      // Installing only: the unit tests run regardless; the suites that need the host report it.
      if (which === 'install') return 0;
      return skipped([
        'SKIPPED: extension-host integration tests and chat-panel end-to-end tests.',
        `The real VS Code host could not be installed here: ${host.missingInstall() || 'install.sh failed'}.`,
        'These suites did NOT run and did NOT pass. Needs: apt (chromium, libkrb5-dev) and the npm registry.',
      ]);
    }
  }

  if (which === 'install') return 0;

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-chat-vscode-'));
  const home = path.join(tmp, 'home');
  fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
  // The developer's own AWS environment must not leak into the run.
  const base = { ...process.env };
  for (const k of Object.keys(base)) if (k.startsWith('AWS_')) delete base[k];

  let status = 0;
  try {
    if (which === 'all' || which === 'integration') {
      const port = await freePort();
      const server = `http://127.0.0.1:${port}`;
      const extensionHostEnv = {
        HOME: home,
        AWS_CONFIG_FILE: path.join(home, '.aws', 'config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(home, '.aws', 'credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL_SSO: server,
        AWS_ENDPOINT_URL_STS: server,
        AWS_ENDPOINT_URL_SSO_OIDC: server,
        AWS_BEARER_TOKEN_BEDROCK: 'ABSKZW52aXJvbm1lbnQta2V5LWZvci1pbnRlZ3JhdGlvbg==',
        BEDROCK_CHAT_MANAGED_SETTINGS: path.join(tmp, 'managed-settings.json'),
        BEDROCK_TEST_PORT: String(port),
      };
      console.log('\n== Extension-host integration tests (real VS Code) ==');
      const code = run(process.execPath, [path.join(ROOT, 'scripts', 'vscode-host', 'run-integration.js')], {
        ...base,
        ...(desktop ? {} : { VSCODE_HOST_REQUIRED: '1' }),
        VSCODE_TEST_EXTRA_ENV: JSON.stringify(extensionHostEnv),
      });
      status = status || code;
    }
    if (desktop && which !== 'integration') {
      status = skipped(['SKIPPED: chat-panel end-to-end tests (they drive code-server in Chromium; VSCODE_HOST=desktop given).']) || status;
    } else if (which === 'all' || which === 'e2e') {
      console.log('\n== Packaging the extension (npm run package) for the chat-panel suite ==');
      const vsix = path.join(ROOT, 'bedrock-chat.vsix');
      fs.rmSync(vsix, { force: true });
      const [npm, pre] = npmCommand();
      const packaged = run(npm, [...pre, 'run', 'package'], process.env);
      if (packaged !== 0 || !fs.existsSync(vsix)) {
        console.error(`test-vscode: npm run package failed (${packaged}); the chat-panel suite cannot run`);
        return 1;
      }
      console.log('\n== Chat panel end-to-end tests (real VS Code in headless Chromium, extension installed from bedrock-chat.vsix) ==');
      const mocha = path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
      const code = run(process.execPath, [mocha, '--no-config', '--timeout', '300000', path.join(ROOT, 'out', 'test', 'e2e', '*.test.js')], {
        ...base,
        BEDROCK_CHAT_E2E_VSIX: vsix,
      });
      status = status || code;
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return status;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
