#!/usr/bin/env node
'use strict';
// An "executable" usable as vscodeExecutablePath for @vscode/test-electron's
// runTests(): instead of Electron VS Code it runs the extension tests in a real
// VS Code (code-server, web workbench) driven by headless Chromium.
//
//   code-server-launcher.js --extensionDevelopmentPath=<dir> [--extensionDevelopmentPath=<dir>...]
//                           --extensionTestsPath=<file-or-dir> [<folder-to-open>] [ignored electron flags]
//
// Exit code = the code the workbench passes to window.codeAutomationExit
// (0 when the extension tests' run() resolves, non-zero otherwise).
//
// Env:
//   VSCODE_HOST_TIMEOUT_MS      overall timeout (default 600000) -> exit 124
//   VSCODE_HOST_USER_SETTINGS   JSON merged into User/settings.json
//   VSCODE_HOST_VERBOSE=1       forward all code-server output and browser console messages
//   VSCODE_HOST_SCREENSHOT_DIR  if set, a screenshot is saved there at the end
// All other environment variables (e.g. runTests' extensionTestsEnv) are passed
// to code-server and therefore reach the extension host.

const fs = require('fs');
const path = require('path');
const host = require('./host');

const VALUE_FLAGS = new Set([
  'extensionDevelopmentPath',
  'extensionTestsPath',
  'user-data-dir',
  'extensions-dir',
  'folder-uri',
  'file-uri',
  'locale',
  'log',
]);

function parseArgs(argv) {
  const out = { devPaths: [], testsPath: undefined, positionals: [], ignored: [], folderUri: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      let key = a.slice(2);
      let value;
      const eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.slice(eq + 1);
        key = key.slice(0, eq);
      } else if (VALUE_FLAGS.has(key) && i + 1 < argv.length) {
        value = argv[++i];
      }
      if (key === 'extensionDevelopmentPath') out.devPaths.push(toPath(value));
      else if (key === 'extensionTestsPath') out.testsPath = toPath(value);
      else if (key === 'folder-uri') out.folderUri = value;
      else out.ignored.push(a);
    } else {
      out.positionals.push(a);
    }
  }
  return out;
}

function toPath(v) {
  if (v && v.startsWith('file://')) return require('url').fileURLToPath(v);
  return path.resolve(v);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (process.env.VSCODE_HOST_VERBOSE) host.log('args', JSON.stringify(args));
  if (!args.testsPath) {
    console.error('code-server-launcher: --extensionTestsPath is required');
    return 2;
  }
  const reason = host.missingInstall();
  if (reason) {
    console.error(`\n########## code-server-launcher: vscode-host NOT INSTALLED: ${reason} ##########\n`);
    return 3;
  }
  let folder = args.positionals.find((p) => fs.existsSync(p) && fs.statSync(p).isDirectory());
  if (!folder && args.folderUri && args.folderUri.startsWith('file://')) folder = toPath(args.folderUri);

  const timeoutMs = Number(process.env.VSCODE_HOST_TIMEOUT_MS || 600000);
  const verbose = !!process.env.VSCODE_HOST_VERBOSE;

  let resolveExit;
  const exitCode = new Promise((r) => (resolveExit = r));
  const timer = setTimeout(() => {
    console.error(`\n########## code-server-launcher: TIMEOUT after ${timeoutMs} ms ##########\n`);
    resolveExit(124);
  }, timeoutMs);

  const cs = await host.startCodeServer({
    env: process.env,
    onOutput: (line, stream) => {
      // Extension host stdout/stderr of the test run arrive here in code-server's log.
      if (verbose) process.stderr.write(`[code-server:${stream}] ${line}\n`);
    },
  });
  cs.child.on('exit', (code, signal) => {
    if (host.isShuttingDown()) return;
    console.error(`code-server-launcher: code-server exited unexpectedly (${code ?? signal})`);
    resolveExit(4);
  });

  const { page } = await host.launchBrowser();
  await page.exposeFunction('codeAutomationExit', (code) => {
    resolveExit(typeof code === 'number' ? code : Number(code) || 0);
  });
  const consoleFwd = host.forwardConsole(page, { verbose });
  page.on('pageerror', (err) => verbose && process.stderr.write(`[browser:pageerror] ${err.message}\n`));

  const url = host.workbenchUrl(cs.url, { folder, devPaths: args.devPaths, testsPath: args.testsPath });
  host.log(`opening ${url}`);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120000 });

  const code = await exitCode;
  clearTimeout(timer);
  await Promise.race([consoleFwd.flush(), new Promise((r) => setTimeout(r, 3000))]);
  cs.child.removeAllListeners('exit');
  if (process.env.VSCODE_HOST_SCREENSHOT_DIR) {
    try {
      fs.mkdirSync(process.env.VSCODE_HOST_SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(process.env.VSCODE_HOST_SCREENSHOT_DIR, `extension-tests-${Date.now()}.png`), timeout: 10000 });
    } catch {}
  }
  return code;
}

main()
  .then(
    (code) => code,
    (err) => {
      console.error('code-server-launcher failed:', err && err.stack ? err.stack : err);
      return 1;
    },
  )
  .then(async (code) => {
    await host.cleanupAll();
    host.log(`exit code ${code}`);
    process.exit(code);
  });
