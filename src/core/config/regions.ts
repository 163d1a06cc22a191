/**
 * Region names. The check is about shape only, so regions AWS opens after a
 * release (e.g. the European Sovereign Cloud's `eusc-de-east-1`) are accepted;
 * a typo such as `us-east` or `useast1` is caught before any request.
 */
const REGION_NAME = /^[a-z]{2,5}(-[a-z]+)+-\d{1,2}$/;

export function isRegionName(s: string): boolean {
  return REGION_NAME.test(s);
}

export function regionProblem(s: string): string | undefined {
  return isRegionName(s) ? undefined : `"${s}" is not an AWS region name (like us-east-1)`;
}

/** Regions where Amazon Bedrock runs, for the region picker ("Other region…" takes any other). */
export const BEDROCK_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-2', 'us-west-1', 'ca-central-1', 'sa-east-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'me-central-1', 'us-gov-west-1', 'us-gov-east-1',
] as const;
