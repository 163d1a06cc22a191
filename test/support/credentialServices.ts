/**
 * Fake AWS credential services for the local server: the IAM Identity Center (SSO)
 * portal `GetRoleCredentials` and STS `AssumeRole` / `AssumeRoleWithWebIdentity`.
 * Issued keys are registered with the server so SigV4 requests made with them verify.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export interface IssuedCredentials {
  source: 'sso' | 'sts:AssumeRole' | 'sts:AssumeRoleWithWebIdentity';
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  /** SSO: account/role; STS: role ARN and session name */
  accountId?: string;
  roleName?: string;
  roleArn?: string;
  roleSessionName?: string;
  /** AssumeRole with an MFA code: the device it was checked against */
  mfaSerial?: string;
}

/**
 * MFA for the fake STS: devices and their current code (a code is accepted once, as by AWS), and
 * roles whose trust policy demands MFA (`aws:MultiFactorAuthPresent`) from a given device.
 */
export interface MfaState {
  devices: Map<string, { code: string; used: Set<string> }>;
  roles: Map<string, string>;
}

export interface SsoTokenOptions {
  /** if set, GetRoleCredentials for another account is refused (403 ForbiddenException) */
  accountId?: string;
  roleName?: string;
  /** lifetime of issued credentials (default 1 hour) */
  credentialLifetimeMs?: number;
}

export function newKeys(prefix = 'ASIA'): { accessKeyId: string; secretAccessKey: string; sessionToken: string } {
  return {
    accessKeyId: prefix + randomBytes(8).toString('hex').toUpperCase(),
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: 'FwoGZXIvYXdzE' + randomBytes(48).toString('base64'),
  };
}

export interface JsonOut { status: number; headers: Record<string, string>; body: string }

export function jsonOut(status: number, value: unknown, headers: Record<string, string> = {}): JsonOut {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...headers }, body: JSON.stringify(value) };
}

export function jsonError(status: number, type: string, message: string): JsonOut {
  return jsonOut(status, { message }, { 'x-amzn-errortype': type });
}

/** SSO portal GetRoleCredentials. */
export function ssoGetRoleCredentials(
  query: Record<string, string | string[]>,
  headers: Record<string, string>,
  tokens: Map<string, SsoTokenOptions>,
  issue: (c: IssuedCredentials) => void,
): JsonOut {
  const token = headers['x-amz-sso_bearer_token'];
  const accountId = String(query['account_id'] ?? '');
  const roleName = String(query['role_name'] ?? '');
  if (!token || !tokens.has(token)) {
    return jsonError(401, 'UnauthorizedException', 'Session token not found or invalid');
  }
  if (!accountId || !roleName) return jsonError(400, 'InvalidRequestException', 'account_id and role_name are required');
  const opts = tokens.get(token)!;
  if ((opts.accountId && opts.accountId !== accountId) || (opts.roleName && opts.roleName !== roleName)) {
    return jsonError(403, 'ForbiddenException', 'No access');
  }
  const keys = newKeys();
  const expiration = new Date(Date.now() + (opts.credentialLifetimeMs ?? 3600_000));
  issue({ source: 'sso', ...keys, expiration, accountId, roleName });
  return jsonOut(200, {
    roleCredentials: { ...keys, expiration: expiration.getTime() },
  });
}

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

export function stsError(status: number, code: string, message: string): JsonOut {
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() },
    body:
      `<ErrorResponse xmlns="${STS_NS}"><Error><Type>Sender</Type><Code>${xmlEscape(code)}</Code>` +
      `<Message>${xmlEscape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  };
}

/** STS query API (form body). Returns undefined when the body is not an STS action. */
export function stsAction(
  form: Record<string, string>,
  webIdentityTokens: Set<string>,
  issue: (c: IssuedCredentials) => void,
  mfa: MfaState = { devices: new Map(), roles: new Map() },
): JsonOut | undefined {
  const action = form['Action'];
  if (action !== 'AssumeRole' && action !== 'AssumeRoleWithWebIdentity') {
    return action ? stsError(400, 'InvalidAction', `Could not find operation ${action}`) : undefined;
  }
  const roleArn = form['RoleArn'] ?? '';
  const sessionName = form['RoleSessionName'] ?? 'session';
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
  if (!m) return stsError(400, 'ValidationError', `invalid RoleArn ${roleArn}`);
  if (action === 'AssumeRoleWithWebIdentity' && !webIdentityTokens.has(form['WebIdentityToken'] ?? '')) {
    return stsError(400, 'InvalidIdentityToken', 'The web identity token that was passed could not be validated by AWS.');
  }
  const serial = form['SerialNumber'];
  if (action === 'AssumeRole' && (serial || form['TokenCode'])) {
    const device = serial ? mfa.devices.get(serial) : undefined;
    const code = form['TokenCode'] ?? '';
    if (!device || code !== device.code || device.used.has(code)) {
      return stsError(403, 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ');
    }
    device.used.add(code);
  }
  const requiredDevice = action === 'AssumeRole' ? mfa.roles.get(roleArn) : undefined;
  if (requiredDevice && serial !== requiredDevice) {
    return stsError(403, 'AccessDenied', `User: arn:aws:iam::${m[1]}:user/dev is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  }
  const [, account, roleName] = m;
  const keys = newKeys();
  const lifetime = Number(form['DurationSeconds'] ?? '3600') * 1000;
  const expiration = new Date(Date.now() + lifetime);
  issue({ source: `sts:${action}`, ...keys, expiration, accountId: account, roleName, roleArn, roleSessionName: sessionName, ...(serial ? { mfaSerial: serial } : {}) });
  const roleBase = roleName.split('/').pop()!;
  const extra =
    action === 'AssumeRoleWithWebIdentity'
      ? `<SubjectFromWebIdentityToken>subject</SubjectFromWebIdentityToken><Audience>sts.amazonaws.com</Audience><Provider>local-oidc</Provider>`
      : '';
  const body =
    `<${action}Response xmlns="${STS_NS}"><${action}Result>${extra}` +
    `<AssumedRoleUser><AssumedRoleId>AROA${randomBytes(8).toString('hex').toUpperCase()}:${xmlEscape(sessionName)}</AssumedRoleId>` +
    `<Arn>arn:aws:sts::${account}:assumed-role/${xmlEscape(roleBase)}/${xmlEscape(sessionName)}</Arn></AssumedRoleUser>` +
    `<Credentials><AccessKeyId>${keys.accessKeyId}</AccessKeyId><SecretAccessKey>${xmlEscape(keys.secretAccessKey)}</SecretAccessKey>` +
    `<SessionToken>${xmlEscape(keys.sessionToken)}</SessionToken><Expiration>${expiration.toISOString()}</Expiration></Credentials>` +
    `<PackedPolicySize>6</PackedPolicySize></${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() }, body };
}
