// The Copilot Chat extension bundled with the code-server that
// scripts/vscode-host installs: a few unit tests read it to check that what we
// send matches what the installed Copilot reads. `npm test` installs the host
// before the unit tests, so on CI these tests always run; elsewhere (the host
// could not be installed, or `npm run test:unit` alone) they are skipped.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const COPILOT_DIR = path.resolve(__dirname, '../../..', '.cache/vscode-host/cs/node_modules/code-server/lib/vscode/extensions/copilot');

/** On CI a missing host is a failure (the test would otherwise never run anywhere); else a skip. */
export function copilotFileOrSkip(ctx: Mocha.Context, relative: string): string {
  const file = path.join(COPILOT_DIR, relative);
  if (fs.existsSync(file)) return file;
  const ci = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
  if (ci) throw new Error(`CI is set but the installed Copilot Chat is missing (${file}); npm test installs the VS Code host before the unit tests`);
  ctx.skip();
  return file;
}
