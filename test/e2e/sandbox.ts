/**
 * What each chat-panel suite starts from: a temporary folder with a small
 * workspace, a HOME whose ~/.aws is empty, and a managed-settings path of its
 * own, so no run sees the developer's AWS files, profile or policy; and the
 * extension as the suite should load it (the VSIX scripts/test-vscode.js
 * packaged, else the development folder).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const harness = require(path.join(ROOT, 'scripts', 'vscode-host', 'chat-e2e-harness.js'));
/** The VSIX `npm run package` built (set by scripts/test-vscode.js): the suites then run the installed extension, as users get it. */
export const VSIX = process.env.BEDROCK_CHAT_E2E_VSIX;

export interface Sandbox {
  tmp: string;
  workspace: string;
  /** harness.startChatSession's options for the extension and the folder. */
  extension: { vsix: string } | { devPath: string };
  /** The extension host's environment: the sandbox HOME, no instance metadata, the sandbox's managed-settings path; plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
  remove(): void;
}

export function makeSandbox(prefix: string, files: Record<string, string>): Sandbox {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `bedrock-chat-${prefix}-`));
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(workspace, name), text);
  fs.mkdirSync(path.join(tmp, 'home', '.aws'), { recursive: true });
  return {
    tmp,
    workspace,
    extension: VSIX ? { vsix: VSIX } : { devPath: ROOT },
    env: (extra = {}) => ({
      HOME: path.join(tmp, 'home'),
      AWS_EC2_METADATA_DISABLED: 'true',
      BEDROCK_CHAT_MANAGED_SETTINGS: path.join(tmp, 'managed-settings.json'),
      ...extra,
    }),
    remove: () => fs.rmSync(tmp, { recursive: true, force: true }),
  };
}
