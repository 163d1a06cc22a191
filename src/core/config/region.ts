import { Env, ENV, envValue } from './env';
import { regionProblem } from './regions';
import { Setting } from './settings';

export const DEFAULT_REGION = 'us-east-1';
export type RegionSource = 'managed' | 'settings' | 'environment' | 'profile' | 'default';

export interface ResolvedRegion {
  region: string;
  source: RegionSource;
  /** The value found is not a region name: requests are blocked with this message rather than sent somewhere odd. */
  problem?: string;
}

/**
 * Region is independent of auth: `bedrockChat.region`, else AWS_REGION /
 * AWS_DEFAULT_REGION, else the profile's region, else us-east-1.
 */
export async function resolveRegion(setting: Setting<string>, env: Env, profileRegion: () => Promise<string | undefined>): Promise<ResolvedRegion> {
  if (setting.value) return { region: setting.value, source: setting.layer === 'managed' ? 'managed' : 'settings' };
  const envName = envValue(env, ENV.region) !== undefined ? ENV.region : ENV.defaultRegion;
  const fromEnv = envValue(env, envName);
  if (fromEnv) return checked(fromEnv, 'environment', `The environment variable ${envName}`);
  // Only now read the AWS config files: most users set a region and never pay for this.
  const fromProfile = await profileRegion();
  if (fromProfile) return checked(fromProfile, 'profile', 'The region in your AWS profile');
  return { region: DEFAULT_REGION, source: 'default' };
}

function checked(region: string, source: RegionSource, where: string): ResolvedRegion {
  const problem = regionProblem(region);
  return problem ? { region, source, problem: `${where} is invalid: ${problem}. Fix it, or set bedrockChat.region.` } : { region, source };
}
