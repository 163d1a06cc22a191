import * as path from 'node:path';
import { getHomeDir, loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { Env } from '../config/env';

/**
 * The user's own AWS config and credentials files, read the way the SDK reads
 * them (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE honoured), never cached:
 * the user edits them while VS Code runs.
 */
type Section = Record<string, string | undefined>;

async function readProfiles(): Promise<Map<string, Section>> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  // The loader also returns `[sso-session x]` and `[services x]` sections, keyed "sso-session.x".
  const isProfile = (name: string) => !/^(sso-session|services)\./.test(name);
  const profiles = new Map<string, Section>();
  for (const name of [...Object.keys(configFile), ...Object.keys(credentialsFile)].filter(isProfile).sort()) {
    // config wins over credentials for settings such as region, as in the SDK.
    profiles.set(name, { ...credentialsFile[name], ...configFile[name] });
  }
  return profiles;
}

export interface ProfileSummary {
  name: string;
  kind: 'sso' | 'assumeRole' | 'process' | 'webIdentity' | 'keys' | 'other';
  region?: string;
}

function summary(name: string, p: Section): ProfileSummary {
  const kind: ProfileSummary['kind'] =
    p.sso_start_url || p.sso_session ? 'sso'
    : p.role_arn && p.web_identity_token_file ? 'webIdentity'
    : p.role_arn ? 'assumeRole'
    : p.credential_process ? 'process'
    : p.aws_access_key_id ? 'keys'
    : 'other';
  const region = p.region?.trim();
  return { name, kind, ...(region ? { region } : {}) };
}

/** Every profile, for the profile picker. */
export async function listProfiles(): Promise<ProfileSummary[]> {
  return [...(await readProfiles())].map(([name, p]) => summary(name, p));
}

/** A profile's `region`, or undefined (also when the files cannot be read: the region then falls back). */
export async function profileRegion(profile: string): Promise<string | undefined> {
  try {
    const p = (await readProfiles()).get(profile);
    return p ? summary(profile, p).region : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The files whose edits change credentials: the config and credentials files
 * where the SDK looks for them (same variables, same home directory rules).
 */
export function awsFilePaths(env: Env, home: string = getHomeDir()): { config: string; credentials: string } {
  return {
    config: env.AWS_CONFIG_FILE?.trim() || path.join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE?.trim() || path.join(home, '.aws', 'credentials'),
  };
}
