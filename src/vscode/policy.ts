import * as vscode from 'vscode';
import { POLICY_IDS, PolicyElsewhere } from '../core/config/policy';

/**
 * Policy keys (bedrockChat.allowedAuthenticationMethods, bedrockChat.allowedModels)
 * count only in the administrator's managed file. Found in the user's or a
 * workspace's settings.json they are ignored, and the log and status bar say so.
 */
export function readPolicyElsewhere(): PolicyElsewhere[] {
  const config = vscode.workspace.getConfiguration();
  const found: PolicyElsewhere[] = [];
  for (const id of Object.values(POLICY_IDS)) {
    const inspected = config.inspect(id);
    if (inspected?.globalValue !== undefined) found.push({ id, layer: 'user' });
    if (inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined) found.push({ id, layer: 'workspace' });
  }
  return found;
}
