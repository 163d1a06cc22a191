#!/usr/bin/env node
'use strict';
// Interactive use ("npm start"): runs code-server (real VS Code 1.139.1 in the
// browser) with the extension under development loaded, prints the URL to open,
// and stops every child on Ctrl-C / SIGTERM.
//
//   node scripts/vscode-host/start.js [--dev <extensionDir>] [--folder <dirToOpen>] [--port <port>]
//
// Env: VSCODE_HOST_PORT (default: a free port), VSCODE_HOST_USER_SETTINGS (JSON),
//      VSCODE_HOST_VERBOSE=1 (show code-server output). All environment variables
//      reach the extension host (e.g. AWS_PROFILE, AWS_REGION).
// The dev extension is loaded through the workbench URL's payload
// (extensionDevelopmentPath), so only a window opened with the printed URL has it
// ("[Extension Development Host]" in the title). Reload the window to pick up a rebuilt extension.
// code-server listens on 127.0.0.1 only; from another machine use an SSH tunnel
// (ssh -L <port>:127.0.0.1:<port> host).

const path = require('path');
const host = require('./host');

function arg(name, def) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--' + name);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : def;
}

async function main() {
  const reason = host.missingInstall();
  if (reason) {
    console.error(`\n########## start: vscode-host NOT INSTALLED: ${reason} ##########\n`);
    process.exit(3);
  }
  const devPath = path.resolve(arg('dev', process.env.VSCODE_TEST_DEV_PATH || host.ROOT));
  const folder = arg('folder', process.env.VSCODE_HOST_FOLDER);
  const port = Number(arg('port', process.env.VSCODE_HOST_PORT || 0)) || undefined;
  const cs = await host.startCodeServer({
    env: process.env,
    port,
    onOutput: (line, stream) => {
      if (process.env.VSCODE_HOST_VERBOSE || /error/i.test(line) && !/open-vsx|ENOTFOUND|vsda/.test(line)) process.stderr.write(`[code-server:${stream}] ${line}\n`);
    },
  });
  const url = host.workbenchUrl(cs.url, { folder: folder && path.resolve(folder), devPaths: [devPath] });
  console.log('');
  console.log('  VS Code (code-server) is running with the extension loaded from');
  console.log(`    ${devPath}`);
  console.log('  Open this URL in a browser:');
  console.log(`    ${url}`);
  console.log('  Press Ctrl-C to stop.');
  console.log('');
  cs.child.on('exit', async (code, signal) => {
    if (host.isShuttingDown()) return; // we are stopping it (Ctrl-C)
    console.error(`code-server exited (${code ?? signal})`);
    await host.cleanupAll();
    process.exit(code || 1);
  });
}

main().catch(async (e) => {
  console.error('start failed:', e && e.stack ? e.stack : e);
  await host.cleanupAll();
  process.exit(1);
});
