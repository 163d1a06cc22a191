/**
 * Server-side SigV4 verification: recompute the signature with @smithy/signature-v4
 * over the request as it was received, and compare.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** Minimal `Checksum` (SourceData -> sha256 / hmac-sha256) for SignatureV4, around node:crypto. */
export class Sha256 {
  private readonly h: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {
    throw new Error('Sha256.reset is not supported');
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

export function sha256Hex(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('hex');
}

export type AuthInfo =
  | { kind: 'bearer'; token: string }
  | {
      kind: 'sigv4';
      accessKeyId: string;
      sessionToken?: string;
      region?: string;
      service?: string;
      signedHeaders?: string[];
      valid: boolean;
      reason?: string;
    }
  | { kind: 'none' }
  | { kind: 'other'; scheme: string };

export interface ReceivedRequest {
  method: string;
  /** raw path as received on the wire (still percent-encoded), without query */
  rawPath: string;
  /** decoded query parameters */
  query: Record<string, string | string[]>;
  /** lower-cased header names */
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface KnownSecret {
  secretAccessKey: string;
  /** when set, the request must carry exactly this x-amz-security-token */
  sessionToken?: string;
}

const AUTH_RE =
  /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;

/** Classify the Authorization header and, for SigV4, verify the signature. */
export async function verifyAuth(req: ReceivedRequest, lookup: (accessKeyId: string) => KnownSecret | undefined): Promise<AuthInfo> {
  const authz = req.headers['authorization'];
  if (!authz) return { kind: 'none' };
  const bearer = /^Bearer\s+(.+)$/i.exec(authz);
  if (bearer) return { kind: 'bearer', token: bearer[1].trim() };
  if (!authz.startsWith('AWS4-HMAC-SHA256')) return { kind: 'other', scheme: authz.split(/\s+/)[0] };

  const m = AUTH_RE.exec(authz);
  if (!m) return { kind: 'sigv4', accessKeyId: '', valid: false, reason: 'malformed Authorization header' };
  const [, accessKeyId, shortDate, region, service, signedHeaderList, signature] = m;
  const sessionToken = req.headers['x-amz-security-token'];
  const signedHeaders = signedHeaderList.split(';');
  const base = { kind: 'sigv4' as const, accessKeyId, region, service, signedHeaders, ...(sessionToken ? { sessionToken } : {}) };
  const fail = (reason: string): AuthInfo => ({ ...base, valid: false, reason });

  const known = lookup(accessKeyId);
  if (!known) return fail(`unknown access key ${accessKeyId}`);
  if (known.sessionToken !== undefined && known.sessionToken !== sessionToken) {
    return fail('x-amz-security-token does not match the session token issued for this key');
  }
  const amzDate = req.headers['x-amz-date'];
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate)) return fail('missing or malformed x-amz-date');
  if (!amzDate.startsWith(shortDate)) return fail('credential scope date does not match x-amz-date');
  for (const h of ['host', 'x-amz-date']) {
    if (!signedHeaders.includes(h)) return fail(`${h} is not signed`);
  }
  if (sessionToken && !signedHeaders.includes('x-amz-security-token')) return fail('x-amz-security-token is not signed');

  // The signer trusts x-amz-content-sha256, so check it against the bytes we actually got.
  const claimed = req.headers['x-amz-content-sha256'];
  const actual = sha256Hex(req.body);
  if (claimed !== undefined && claimed !== 'UNSIGNED-PAYLOAD' && claimed !== actual) {
    return fail('x-amz-content-sha256 does not match the received body');
  }

  const headers: Record<string, string> = {};
  for (const h of signedHeaders) {
    const v = req.headers[h];
    if (v === undefined) return fail(`signed header ${h} is missing`);
    headers[h] = v;
  }
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({
    service,
    region,
    sha256: Sha256,
    applyChecksum: false,
    uriEscapePath: service !== 's3',
    credentials: { accessKeyId, secretAccessKey: known.secretAccessKey, sessionToken },
  });
  const hostHeader = headers['host'];
  const [hostname] = hostHeader.split(':');
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname,
      path: req.rawPath,
      query: req.query,
      headers,
      body: req.body,
    } as never,
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  const expectedAuthz = (signed as { headers: Record<string, string> }).headers['authorization'] ?? '';
  const expected = /Signature=([0-9a-f]{64})/.exec(expectedAuthz)?.[1] ?? '';
  const expectedHeaders = /SignedHeaders=([^,\s]+)/.exec(expectedAuthz)?.[1] ?? '';
  if (expectedHeaders !== signedHeaderList) {
    return fail(`signed header list mismatch (client ${signedHeaderList}, server ${expectedHeaders})`);
  }
  if (expected.length !== 64 || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    return fail('signature mismatch');
  }
  return { ...base, valid: true };
}
