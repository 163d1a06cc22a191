/**
 * Fake STS GetCallerIdentity for the local server: answers with the identity
 * behind the SigV4 key that signed the request (a role session the fake issued,
 * else an IAM user of the test account), and refuses what does not verify.
 */
import { randomUUID } from 'node:crypto';
import type { AuthInfo } from './sigv4Verify';
import { stsError, type IssuedCredentials, type JsonOut } from './credentialServices';

export const TEST_ACCOUNT = '123456789012';

export function stsGetCallerIdentity(auth: AuthInfo, issued: readonly IssuedCredentials[]): JsonOut {
  if (auth.kind !== 'sigv4') return stsError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  if (!auth.valid) return stsError(403, auth.reason?.startsWith('unknown') ? 'InvalidClientTokenId' : 'SignatureDoesNotMatch', auth.reason ?? 'invalid signature');
  const session = issued.find((c) => c.accessKeyId === auth.accessKeyId);
  const account = session?.accountId ?? TEST_ACCOUNT;
  const arn = session
    ? session.source === 'sso'
      ? `arn:aws:sts::${account}:assumed-role/AWSReservedSSO_${session.roleName}_0123456789abcdef/developer`
      : `arn:aws:sts::${account}:assumed-role/${(session.roleName ?? 'Role').split('/').pop()}/${session.roleSessionName ?? 'session'}`
    : `arn:aws:iam::${account}:user/local-test`;
  const body =
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
    `<Arn>${arn}</Arn><UserId>AIDALOCALTEST${session ? ':session' : ''}</UserId><Account>${account}</Account>` +
    `</GetCallerIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() }, body };
}
