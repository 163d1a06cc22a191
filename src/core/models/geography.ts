/**
 * Cross-region inference profiles are addressed by a geography prefix on the
 * model id (`us.anthropic…`). Which prefix applies depends on the region the
 * request is sent to.
 */
export type Geography = 'us' | 'us-gov' | 'eu' | 'apac' | 'jp' | 'au' | 'ca' | 'global';

/** The geographies whose profiles a region can call, most specific first. */
export function geographiesFor(region: string): Geography[] {
  if (region.startsWith('us-gov-')) return ['us-gov'];
  // No global profile in GovCloud or China; the China regions' profiles are not known here (discovery lists them).
  if (region.startsWith('cn-')) return [];
  if (region.startsWith('us-')) return ['us', 'global'];
  if (region.startsWith('ca-')) return ['ca', 'us', 'global'];
  if (region.startsWith('eu-')) return ['eu', 'global'];
  if (region === 'ap-northeast-1' || region === 'ap-northeast-3') return ['jp', 'apac', 'global'];
  if (region === 'ap-southeast-2' || region === 'ap-southeast-4') return ['au', 'apac', 'global'];
  if (region.startsWith('ap-')) return ['apac', 'global'];
  return ['global'];
}

const PROFILE_PREFIX = /^(us-gov|us|eu|apac|jp|au|ca|global)\./;

/** Strips a geography prefix: `us.amazon.nova-pro-v1:0` → `amazon.nova-pro-v1:0`. */
export function baseModelId(id: string): string {
  return id.replace(PROFILE_PREFIX, '');
}
