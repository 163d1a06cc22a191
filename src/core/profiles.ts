import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';

export interface ProfileSummary {
  name: string;
  kind: 'sso' | 'assumeRole' | 'process' | 'webIdentity' | 'keys' | 'other';
  region?: string;
}

/** Profiles from the user's AWS config and credentials files (AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE honoured). */
export async function listProfiles(): Promise<ProfileSummary[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  // The loader also returns `[sso-session x]` and `[services x]` sections, keyed "sso-session.x".
  const isProfile = (name: string) => !/^(sso-session|services)\./.test(name);
  const names = new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)].filter(isProfile));
  return [...names].sort().map((name) => {
    const p = { ...credentialsFile[name], ...configFile[name] };
    const kind: ProfileSummary['kind'] =
      p.sso_start_url || p.sso_session ? 'sso'
      : p.role_arn && p.web_identity_token_file ? 'webIdentity'
      : p.role_arn ? 'assumeRole'
      : p.credential_process ? 'process'
      : p.aws_access_key_id ? 'keys'
      : 'other';
    return { name, kind, ...(p.region ? { region: p.region } : {}) };
  });
}

/** Regions where Amazon Bedrock runs, for the region picker. */
export const BEDROCK_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-2', 'us-west-1', 'ca-central-1', 'sa-east-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'me-central-1', 'us-gov-west-1', 'us-gov-east-1',
] as const;
