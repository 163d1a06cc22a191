import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENV } from './env';
import { POLICY_KEY_BY_ID, PolicyKey } from './policy';
import { SETTING_KEY_BY_ID, SettingKey } from './settings';

/**
 * VS Code has no policy mechanism for third-party extensions, so admins pin
 * settings in a JSON file they own. Its keys are this extension's own setting
 * ids, e.g. { "bedrockChat.authentication.method": "sso" }.
 */
export const MANAGED_SETTINGS_ENV = ENV.managedSettings;

export function defaultManagedSettingsPath(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  switch (platform) {
    case 'win32':
      return path.win32.join(env.ProgramData || 'C:\\ProgramData', 'BedrockChat', 'managed-settings.json');
    case 'darwin':
      return '/Library/Application Support/BedrockChat/managed-settings.json';
    default:
      return '/etc/bedrock-chat/managed-settings.json';
  }
}

export function managedSettingsPath(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  return env[MANAGED_SETTINGS_ENV]?.trim() || defaultManagedSettingsPath(platform, env);
}

export interface ManagedSettings {
  path: string;
  /** Whether the file exists at all. */
  present: boolean;
  values: Partial<Record<SettingKey, unknown>>;
  /** A file that exists but cannot be used. Callers must surface it and fail closed. */
  error?: string;
  /** Keys the file has that are not ours (likely typos): reported, not fatal (policy.ts refuses ones that read like a policy). */
  unknownKeys: string[];
  /** Managed-only policy keys (policy.ts), raw. */
  policy?: Partial<Record<PolicyKey, unknown>>;
}

export function parseManagedSettings(filePath: string, text: string): ManagedSettings {
  const result: ManagedSettings = { path: filePath, present: true, values: {}, unknownKeys: [] };
  let data: unknown;
  try {
    // Windows PowerShell (Set-Content/Out-File -Encoding UTF8) starts files with a BOM, which JSON.parse rejects.
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    result.error = `Managed settings file ${filePath} is not valid JSON (${(e as Error).message}). Ask your administrator to fix it.`;
    return result;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    result.error = `Managed settings file ${filePath} must hold a JSON object of "bedrockChat.*" settings.`;
    return result;
  }
  for (const [id, value] of Object.entries(data as Record<string, unknown>)) {
    const key = SETTING_KEY_BY_ID[id];
    const policyKey = POLICY_KEY_BY_ID[id];
    if (key) result.values[key] = value;
    else if (policyKey) (result.policy ??= {})[policyKey] = value;
    else result.unknownKeys.push(id);
  }
  return result;
}

export async function readManagedSettings(filePath: string): Promise<ManagedSettings> {
  let text: string;
  try {
    text = await fs.promises.readFile(filePath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { path: filePath, present: false, values: {}, unknownKeys: [] };
    return {
      path: filePath,
      present: true,
      values: {},
      unknownKeys: [],
      error: `Managed settings file ${filePath} cannot be read (${code ?? (e as Error).message}).`,
    };
  }
  return parseManagedSettings(filePath, text);
}
