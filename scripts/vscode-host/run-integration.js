#!/usr/bin/env node
'use strict';
// Runs extension-host integration tests with @vscode/test-electron's runTests().
//
//   node scripts/vscode-host/run-integration.js [--extensionDevelopmentPath <dir>] [--extensionTestsPath <file>]
//                                               [--folder <dir-to-open>] [-- <extra launch args>]
//
// Defaults: extensionDevelopmentPath = repo root, extensionTestsPath = out/test/integration/index.js
// Env overrides: VSCODE_TEST_DEV_PATH, VSCODE_TEST_TESTS_PATH, VSCODE_TEST_FOLDER,
//                VSCODE_TEST_EXTRA_ENV (JSON object passed as extensionTestsEnv).
// Host selection (VSCODE_HOST):
//   code-server  real VS Code via code-server + headless Chromium (scripts/vscode-host/code-server-launcher.js)
//   desktop      @vscode/test-electron downloads desktop VS Code (needs internet + a display, e.g. xvfb-run)
//   (unset)      code-server when installed (scripts/vscode-host/install.sh), else desktop
// VSCODE_HOST_REQUIRED=1: fail (exit 3) instead of falling back to desktop when code-server is missing.
// VSCODE_DESKTOP_VERSION: VS Code version for desktop mode (default 'stable').

const path = require('path');
const fs = require('fs');
const host = require('./host');

function parseArgs(argv) {
  const o = {};
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (m && ['extensionDevelopmentPath', 'extensionTestsPath', 'folder'].includes(m[1])) {
      o[m[1]] = m[2] !== undefined ? m[2] : argv[++i];
    } else {
      rest.push(a);
    }
  }
  o.rest = rest;
  return o;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const devPath = path.resolve(args.extensionDevelopmentPath || process.env.VSCODE_TEST_DEV_PATH || host.ROOT);
  const testsPath = path.resolve(
    args.extensionTestsPath || process.env.VSCODE_TEST_TESTS_PATH || path.join(host.ROOT, 'out', 'test', 'integration', 'index.js'),
  );
  const folder = args.folder || process.env.VSCODE_TEST_FOLDER;
  const extraEnv = process.env.VSCODE_TEST_EXTRA_ENV ? JSON.parse(process.env.VSCODE_TEST_EXTRA_ENV) : {};

  if (!fs.existsSync(testsPath) && !fs.existsSync(testsPath + '.js')) {
    console.error(`run-integration: extensionTestsPath not found: ${testsPath} (did you compile?)`);
    return 2;
  }

  let mode = process.env.VSCODE_HOST;
  const missing = host.missingInstall();
  if (!mode) {
    if (!missing) mode = 'code-server';
    else if (process.env.VSCODE_HOST_REQUIRED) mode = 'code-server';
    else {
      console.error(`\n########## run-integration: code-server host not installed (${missing}); falling back to desktop VS Code download ##########\n`);
      mode = 'desktop';
    }
  }
  if (mode === 'code-server' && missing) {
    console.error(`\n########## run-integration: CANNOT RUN integration tests in code-server: ${missing} ##########\n`);
    return 3;
  }

  const { runTests } = require(require.resolve('@vscode/test-electron', { paths: [host.ROOT, devPath, process.cwd()] }));
  const options = {
    extensionDevelopmentPath: devPath,
    extensionTestsPath: testsPath,
    extensionTestsEnv: extraEnv,
    launchArgs: [...(folder ? [path.resolve(folder)] : []), ...args.rest],
  };
  if (mode === 'code-server') {
    options.vscodeExecutablePath = path.join(__dirname, 'code-server-launcher.js');
    // runTests spawns the executable directly: the launcher must be executable (shebang: node).
    fs.chmodSync(options.vscodeExecutablePath, 0o755);
  } else if (mode === 'desktop') {
    options.version = process.env.VSCODE_DESKTOP_VERSION || 'stable';
  } else {
    console.error(`run-integration: unknown VSCODE_HOST=${mode} (use code-server or desktop)`);
    return 2;
  }
  console.error(`run-integration: host=${mode} dev=${devPath} tests=${testsPath}`);
  try {
    await runTests(options);
    return 0;
  } catch (err) {
    console.error(`run-integration: tests failed: ${err && err.message ? err.message : err}`);
    return typeof err.code === 'number' && err.code !== 0 ? err.code : 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
