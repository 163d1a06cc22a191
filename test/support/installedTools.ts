// Tools a few unit tests check our output against, which `npm test` installs
// before the unit tests (scripts/vscode-host/install.sh): the Copilot Chat
// extension bundled with code-server, and python3-botocore. On CI those tests
// therefore always run, and a missing tool fails them; elsewhere (the host
// could not be installed, or `npm run test:unit` alone) they are skipped.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const COPILOT_DIR = path.resolve(__dirname, '../../..', '.cache/vscode-host/cs/node_modules/code-server/lib/vscode/extensions/copilot');

/** A tool the test needs is not installed: a failure on CI (the test would otherwise run nowhere), else a skip. */
export function toolMissing(ctx: Mocha.Context, what: string): never {
  const ci = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
  if (ci) throw new Error(`CI is set but ${what} is missing; npm test installs it (scripts/vscode-host/install.sh) before the unit tests`);
  ctx.skip();
  throw new Error('unreachable: mocha skip() throws');
}

/** A file of the installed Copilot Chat, or toolMissing. */
export function copilotFileOrSkip(ctx: Mocha.Context, relative: string): string {
  const file = path.join(COPILOT_DIR, relative);
  return fs.existsSync(file) ? file : toolMissing(ctx, `the installed Copilot Chat (${file})`);
}
