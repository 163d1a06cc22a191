import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { Env, ENV, envProfile } from './auth/resolve';
import { BedrockAuth } from './auth/types';
import { Setting } from './settings';

export const DEFAULT_REGION = 'us-east-1';
export type RegionSource = 'managed' | 'settings' | 'environment' | 'profile' | 'default';

export interface ResolvedRegion {
  region: string;
  source: RegionSource;
}

/** The profile whose config applies: the chosen one, or AWS_PROFILE for the default chain. */
export function effectiveProfile(auth: BedrockAuth | undefined, env: Env): string {
  if (auth && (auth.kind === 'profile' || auth.kind === 'sso')) return auth.profile;
  return envProfile(env);
}

/** Reads `region` of a profile from the user's AWS config files (AWS_CONFIG_FILE honoured). */
export async function profileRegion(profile: string): Promise<string | undefined> {
  try {
    const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
    return configFile[profile]?.region?.trim() || credentialsFile[profile]?.region?.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Region is independent of auth: `bedrockChat.region`, else AWS_REGION /
 * AWS_DEFAULT_REGION, else the profile's region, else us-east-1.
 */
export async function resolveRegion(setting: Setting<string>, env: Env, profileRegion: () => Promise<string | undefined>): Promise<ResolvedRegion> {
  if (setting.value) return { region: setting.value, source: setting.layer === 'managed' ? 'managed' : 'settings' };
  const fromEnv = env[ENV.region]?.trim() || env[ENV.defaultRegion]?.trim();
  if (fromEnv) return { region: fromEnv, source: 'environment' };
  // Only now read the AWS config files: most users set a region and never pay for this.
  const fromProfile = await profileRegion();
  if (fromProfile) return { region: fromProfile, source: 'profile' };
  return { region: DEFAULT_REGION, source: 'default' };
}
