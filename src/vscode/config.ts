import * as vscode from 'vscode';
import { APPLICATION_SCOPED, SETTING_IDS, SettingKey, SettingLayers } from '../core/config/settings';

/**
 * The one module that reads `bedrockChat.*` from VS Code. Returns each
 * setting's user and workspace values; the managed file is layered on top in
 * the core. Workspace values count only in a trusted workspace and never for
 * application-scoped settings.
 */
export function readSettingLayers(): Partial<Record<SettingKey, SettingLayers>> {
  const config = vscode.workspace.getConfiguration();
  const layers: Partial<Record<SettingKey, SettingLayers>> = {};
  for (const key of Object.keys(SETTING_IDS) as SettingKey[]) {
    const inspected = config.inspect(SETTING_IDS[key]);
    const workspace = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
    layers[key] = {
      user: inspected?.globalValue,
      ...(vscode.workspace.isTrusted && !APPLICATION_SCOPED.includes(key) ? { workspace } : {}),
    };
  }
  return layers;
}

/** Writes a user-level setting (undefined removes it). */
export async function writeUserSetting(key: SettingKey, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration().update(SETTING_IDS[key], value, vscode.ConfigurationTarget.Global);
}
