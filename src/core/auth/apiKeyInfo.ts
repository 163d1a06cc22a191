/**
 * What a Bedrock API key says about itself. A short-term key is
 * `bedrock-api-key-` + base64 of a SigV4-presigned URL
 * (`bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Credential=…/<region>/bedrock/aws4_request&X-Amz-Date=…&X-Amz-Expires=…&Version=1`):
 * it works in one region and for at most 12 hours. A long-term key (`ABSK…`,
 * an IAM service-specific credential) carries neither. Pure; nothing here ever
 * returns or logs the key itself, only what it says.
 */
export type ApiKeyInfo =
  | { kind: 'shortTerm'; region: string; issuedAt: number; expiresAt: number }
  | { kind: 'longTerm' }
  | { kind: 'unknown' };

export const SHORT_TERM_PREFIX = 'bedrock-api-key-';
/** Short-term keys last at most this long (aws-bedrock-token-generator). */
export const SHORT_TERM_MAX_SECONDS = 43_200;
/** How long before expiry the status bar starts warning. */
export const EXPIRY_WARNING_MS = 60 * 60_000;

function amzDate(s: string): number | undefined {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(s);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}

export function apiKeyInfo(key: string): ApiKeyInfo {
  const k = key.trim();
  if (/^ABSK/.test(k)) return { kind: 'longTerm' };
  if (!k.startsWith(SHORT_TERM_PREFIX)) return { kind: 'unknown' };
  let url: string;
  try {
    url = Buffer.from(k.slice(SHORT_TERM_PREFIX.length), 'base64').toString('utf8');
  } catch {
    return { kind: 'unknown' };
  }
  const q = url.indexOf('?');
  if (q < 0 || !/^(https:\/\/)?bedrock[.\w-]*\.amazonaws\.com(\.cn)?\//.test(url)) return { kind: 'unknown' };
  const params = new URLSearchParams(url.slice(q + 1));
  const scope = (params.get('X-Amz-Credential') ?? '').split('/');
  const issuedAt = amzDate(params.get('X-Amz-Date') ?? '');
  const expires = Number(params.get('X-Amz-Expires'));
  // <access key id>/<yyyymmdd>/<region>/bedrock/aws4_request
  const region = scope.length === 5 && scope[3] === 'bedrock' ? scope[2] : undefined;
  if (!region || issuedAt === undefined || !Number.isFinite(expires) || expires <= 0) return { kind: 'unknown' };
  return { kind: 'shortTerm', region, issuedAt, expiresAt: issuedAt + Math.min(expires, SHORT_TERM_MAX_SECONDS) * 1000 };
}

/** `bedrock-api-key-…` or `ABSK…`: the most of a key that may ever be shown or logged. */
export function apiKeyLabel(key: string): string {
  const k = key.trim();
  if (k.startsWith(SHORT_TERM_PREFIX)) return `${SHORT_TERM_PREFIX}…`;
  return `${k.slice(0, 4)}…`;
}

export interface ApiKeyWarning {
  kind: 'expired' | 'expiring' | 'region';
  /** A sentence for the status bar tooltip and error messages. */
  message: string;
}

function duration(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `${hours} h${rest ? ` ${rest} min` : ''}`;
}

const clock = (t: number) => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z').replace('T', ' ');

/**
 * What is wrong, or about to be, with a short-term key: expired, expiring
 * within the hour, or made for another region than requests go to.
 * Long-term and unrecognised keys: nothing.
 */
export function apiKeyWarnings(info: ApiKeyInfo, activeRegion: string, now: number): ApiKeyWarning[] {
  if (info.kind !== 'shortTerm') return [];
  const out: ApiKeyWarning[] = [];
  if (info.expiresAt <= now) {
    out.push({ kind: 'expired', message: `This short-term Bedrock API key expired ${duration(now - info.expiresAt)} ago (${clock(info.expiresAt)}); create a new one and run "Bedrock: Set Bedrock API Key".` });
  } else if (info.expiresAt - now <= EXPIRY_WARNING_MS) {
    out.push({ kind: 'expiring', message: `This short-term Bedrock API key expires in ${duration(info.expiresAt - now)} (${clock(info.expiresAt)}).` });
  }
  if (info.region !== activeRegion) {
    out.push({ kind: 'region', message: `This short-term Bedrock API key was made for ${info.region}, but requests go to ${activeRegion}, where it is refused; select ${info.region} with "Bedrock: Select Region", or create a key in ${activeRegion}.` });
  }
  return out;
}

/** When the warnings for this key next change (it starts expiring, or expires), if ever. */
export function apiKeyWarningsChangeAt(info: ApiKeyInfo, now: number): number | undefined {
  if (info.kind !== 'shortTerm') return undefined;
  return [info.expiresAt - EXPIRY_WARNING_MS, info.expiresAt].find((t) => t > now);
}
