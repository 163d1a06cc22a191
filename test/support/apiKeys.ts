/**
 * Short-term Bedrock API keys made the way aws-bedrock-token-generator makes
 * them: a SigV4 presign (service `bedrock`) of
 * `https://bedrock.amazonaws.com/?Action=CallWithBearerToken`, the scheme cut
 * off, `&Version=1` appended, base64, behind `bedrock-api-key-`.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from './sigv4Verify';

export interface ShortTermKeyOptions {
  region: string;
  /** When it was signed (default: now). */
  issuedAt?: Date;
  /** Seconds it lasts (default and maximum 43,200: 12 hours). */
  expiresIn?: number;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

export async function shortTermApiKey(o: ShortTermKeyOptions): Promise<string> {
  const signer = new SignatureV4({
    service: 'bedrock',
    region: o.region,
    sha256: Sha256,
    credentials: {
      accessKeyId: o.accessKeyId ?? 'ASIAKEYGENTEST000001',
      secretAccessKey: o.secretAccessKey ?? 'key-generator-test-secret',
      ...(o.sessionToken ? { sessionToken: o.sessionToken } : {}),
    },
  });
  const presigned = await signer.presign(
    { method: 'POST', protocol: 'https:', hostname: 'bedrock.amazonaws.com', path: '/', headers: { host: 'bedrock.amazonaws.com' }, query: { Action: 'CallWithBearerToken' } },
    { expiresIn: o.expiresIn ?? 43_200, signingDate: o.issuedAt ?? new Date() },
  );
  const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
  const url = `https://${presigned.hostname}${presigned.path}?${query}`;
  return `bedrock-api-key-${Buffer.from(`${url.replace('https://', '')}&Version=1`, 'utf8').toString('base64')}`;
}
