import { createHash } from 'node:crypto';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';

/**
 * Assume-role profiles with `mfa_serial`: the SDK asks `mfaCodeProvider` for
 * the current code before calling STS AssumeRole with SerialNumber/TokenCode.
 * The code comes from the user (the VS Code layer passes an input box in as
 * `prompt`; nothing here knows VS Code), and the role session it buys is kept
 * per profile outside any client, so a new client (the AWS files changed, a
 * credential failure) does not ask again while the session is still good.
 */

export interface MfaCodeRequest {
  /** The profile being signed in (the one Bedrock uses, or a source profile in its chain). */
  profile: string;
  mfaSerial: string;
  /** AWS refused the last code for this profile (wrong, expired or already used). */
  retry: boolean;
}

/** Asks for the current MFA code; resolves undefined when the user cancels. */
export type MfaCodePrompt = (request: MfaCodeRequest) => Promise<string | undefined>;

export interface MfaOptions {
  prompt: MfaCodePrompt;
  sessions: MfaSessions;
  /** The profile the SDK's default chain reads for `automatic` (AWS_PROFILE, else "default"). */
  defaultProfile?: string;
}

/**
 * The same sessions, without ever asking: for background work such as model
 * discovery, which runs from the model picker and must never prompt. Until a
 * chat request has bought a session, it fails (and the caller falls back).
 */
export function withoutPrompt(options: MfaOptions): MfaOptions {
  return { ...options, prompt: async () => undefined };
}

/** Six digits, as virtual and hardware MFA devices show them. */
export const MFA_CODE = /^\d{6}$/;

export function mfaCodeProblem(code: string): string | undefined {
  return MFA_CODE.test(code.trim()) ? undefined : 'Enter the 6 digits your MFA device shows.';
}

/** The user dismissed the MFA prompt: nothing was sent, and nothing should be retried. */
export class MfaCancelledError extends Error {
  constructor(readonly profile: string) {
    super(`The MFA code for AWS profile "${profile}" was not entered, so nothing was sent to Bedrock. Send the request again to enter it.`);
    this.name = 'MfaCancelledError';
  }
}

/** The SDK treats credentials this close to expiry as expired (and so do we). */
const EXPIRY_WINDOW_MS = 5 * 60_000;

/** AWS's words for a refused MFA code. */
export const MFA_REFUSED = /MultiFactorAuthentication failed|invalid MFA one time pass code|unable to validate MFA code/i;

/**
 * Role sessions bought with an MFA code, by profile (and the profile's
 * configuration: editing the role or the device starts afresh). Lives as long
 * as the extension, across client renewals.
 */
export class MfaSessions {
  private readonly sessions = new Map<string, AwsCredentialIdentity>();
  private readonly pending = new Map<string, Promise<AwsCredentialIdentity>>();
  private readonly refused = new Set<string>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Called each time the user buys a session with a code (model discovery that failed for want of one can try again). */
  onSession(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** A session still good for more than the SDK's refresh window. */
  get(key: string): AwsCredentialIdentity | undefined {
    const s = this.sessions.get(key);
    if (s?.expiration && s.expiration.getTime() - this.now() > EXPIRY_WINDOW_MS) return s;
    if (s) this.sessions.delete(key);
    return undefined;
  }

  /** Runs `fetch` once per key at a time: two clients needing the session share one prompt. */
  async obtain(key: string, fetch: (retry: boolean) => Promise<{ credentials: AwsCredentialIdentity; prompted: boolean }>): Promise<AwsCredentialIdentity> {
    const cached = this.get(key);
    if (cached) return cached;
    const running = this.pending.get(key);
    if (running) return running;
    const run = (async () => {
      try {
        const { credentials, prompted } = await fetch(this.refused.has(key));
        this.refused.delete(key);
        // Only sessions the user paid for with a code; anything else the SDK re-reads as usual.
        if (prompted && credentials.expiration) {
          this.sessions.set(key, credentials);
          for (const listener of this.listeners) listener();
        }
        return credentials;
      } catch (err) {
        if (MFA_REFUSED.test(`${(err as Error)?.name} ${(err as Error)?.message}`)) this.refused.add(key);
        throw err;
      } finally {
        this.pending.delete(key);
      }
    })();
    this.pending.set(key, run);
    return run;
  }

  /** Forget every session (the user signs out, or tests). */
  clear(): void {
    this.sessions.clear();
    this.refused.clear();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Stable in a client cache key, whatever it holds. */
  toJSON(): string {
    return 'MfaSessions';
  }
}

type Section = Record<string, string | undefined>;

/**
 * The key of `profile`'s MFA session: its name and the configuration of every
 * profile in its `source_profile` chain, hashed (the sections may hold keys).
 * Undefined when no profile in the chain has `mfa_serial`.
 */
export async function mfaSessionKey(profile: string): Promise<string | undefined> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const section = (name: string): Section | undefined =>
    configFile[name] || credentialsFile[name] ? { ...credentialsFile[name], ...configFile[name] } : undefined;
  const chain: [string, Section][] = [];
  let needsMfa = false;
  for (let name: string | undefined = profile; name && !chain.some(([n]) => n === name); ) {
    const s = section(name);
    if (!s) break;
    chain.push([name, Object.fromEntries(Object.entries(s).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))]);
    if (s.role_arn && s.mfa_serial) needsMfa = true;
    name = s.role_arn ? s.source_profile : undefined;
  }
  if (!needsMfa) return undefined;
  return createHash('sha256').update(JSON.stringify(chain)).digest('hex');
}

/**
 * A credential provider for `profile` that asks for an MFA code only when the
 * SDK needs one, and serves a session bought with a code until it expires.
 * `build` makes the SDK provider with the given `mfaCodeProvider`.
 */
export function withMfa(
  profile: string,
  build: (mfaCodeProvider: (mfaSerial: string) => Promise<string>) => AwsCredentialIdentityProvider,
  mfa: MfaOptions,
): AwsCredentialIdentityProvider {
  return async (props) => {
    const key = await mfaSessionKey(profile).catch(() => undefined);
    const fetch = async (retry: boolean) => {
      let prompted = false;
      const credentials = await build(async (mfaSerial) => {
        prompted = true;
        const code = await mfa.prompt({ profile, mfaSerial, retry });
        if (code === undefined) throw new MfaCancelledError(profile);
        const problem = mfaCodeProblem(code);
        if (problem) throw new Error(`MFA code for AWS profile "${profile}" not sent: ${problem}`);
        return code.trim();
      })(props);
      return { credentials, prompted };
    };
    if (!key) return (await fetch(false)).credentials;
    return mfa.sessions.obtain(key, fetch);
  };
}
