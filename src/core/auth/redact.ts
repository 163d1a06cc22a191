import { Env, SECRET_ENV } from '../config/env';
import { StoredSecrets } from './types';

/**
 * Removes secrets from anything that may be shown or logged. Known secrets are
 * replaced wherever they appear; recognisable secret shapes are replaced even
 * when we were never told about them (a key pasted into a model id, a header
 * echoed in an error).
 */
const PATTERNS: [RegExp, string][] = [
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1[REDACTED]'],
  [/\bABSK[A-Za-z0-9+/=]{16,}/g, '[REDACTED-API-KEY]'],
  [/\bbedrock-api-key-[A-Za-z0-9+/=._-]{16,}/g, '[REDACTED-API-KEY]'],
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '$1[REDACTED]'],
  [/((?:aws_secret_access_key|secretAccessKey|SecretAccessKey|aws_session_token|sessionToken|SessionToken|X-Amz-Security-Token|x-amz-security-token)["']?\s*[:=]\s*["']?)[^\s"',&]+/g, '$1[REDACTED]'],
  [/(Signature=)[0-9a-f]{64}/g, '$1[REDACTED]'],
];

export class Redactor {
  private secrets: string[] = [];

  /** Replaces the set of known secrets (call whenever auth changes). */
  setSecrets(values: (string | undefined)[]): void {
    // Longest first so a secret that contains another is fully removed.
    this.secrets = [...new Set(values.filter((v): v is string => !!v && v.length >= 4))].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('[REDACTED]');
    for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
    return out;
  }
}

/** Every secret the extension may hold: stored ones and the credential environment variables. */
export function knownSecrets(stored: StoredSecrets, env: Env): (string | undefined)[] {
  const values = [stored.apiKey, stored.iamCredentials?.secretAccessKey, stored.iamCredentials?.sessionToken, ...SECRET_ENV.map((name) => env[name])];
  // As pasted, and as sent: resolveAuth takes out whitespace pasted with a secret (core/auth/resolve.ts).
  return [...values, ...values.map((v) => v?.replace(/\s+/g, ''))];
}
