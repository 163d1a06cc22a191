import { CreateTokenCommand, RegisterClientCommand, SSOOIDCClient, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { CredentialClientConfig } from './clientAuth';
import {
  cacheTimestamp,
  CachedRegistration,
  CachedSsoToken,
  canRefresh,
  readCachedToken,
  readRegistration,
  SsoProfileConfig,
  writeCachedToken,
  writeRegistration,
} from './ssoSession';

/**
 * Signing in to IAM Identity Center without the AWS CLI: the OAuth device
 * authorization flow of SSO OIDC (RegisterClient, StartDeviceAuthorization,
 * CreateToken polled until the user approves in a browser), or, when the cached
 * session has a refresh token, CreateToken with grant_type refresh_token and no
 * browser at all. The result goes to the AWS CLI's cache files (ssoSession.ts),
 * where the SDK's SSO credential provider reads it on the next request.
 *
 * Nothing here knows VS Code: the caller shows the code and opens the browser
 * in `onPending`, and cancels through `signal`.
 */

/** What the user must do in a browser. */
export interface PendingAuthorization {
  userCode: string;
  verificationUri: string;
  /** The verification URL with the code filled in: open this one. */
  verificationUriComplete: string;
  /** When the code stops working (ms since the epoch). */
  expiresAt: number;
}

export interface SignInOptions {
  /** Endpoint and HTTP handler for the SSO OIDC client (tests, proxies); its region is always the profile's sso_region. */
  clientConfig?: CredentialClientConfig;
  /** Called once the device code exists: show `userCode` and open `verificationUriComplete`. Not awaited by the polling. */
  onPending(authorization: PendingAuthorization): void;
  /** Progress worth logging (a refresh that failed and why the browser is needed). */
  onNote?(note: string): void;
  signal?: AbortSignal;
  /** Waits between polls (tests replace it); must reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export interface SignInResult {
  /** `refresh`: the cached refresh token was enough; `device`: the user approved in a browser. */
  method: 'refresh' | 'device';
  token: CachedSsoToken;
  /** The token cache file written. */
  file: string;
}

export type SsoSignInFailure = 'cancelled' | 'expired' | 'denied' | 'failed';

export class SsoSignInError extends Error {
  constructor(
    readonly reason: SsoSignInFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SsoSignInError';
  }
}

/** The device flow's default and slow_down step, from RFC 8628 (what the AWS CLI uses too). */
const DEFAULT_INTERVAL_SECONDS = 5;
const SLOW_DOWN_SECONDS = 5;
/** A cached registration this close to expiry is replaced, as the CLI does. */
const REGISTRATION_EXPIRY_WINDOW_MS = 15 * 60_000;
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const cancelled = () => new SsoSignInError('cancelled', 'Sign-in cancelled.');

function oidcClient(config: SsoProfileConfig, clientConfig: CredentialClientConfig = {}): SSOOIDCClient {
  return new SSOOIDCClient({ ...(clientConfig as Record<string, never>), region: config.region });
}

/** Runs an OIDC call; an abort becomes a cancellation. */
async function call<T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  if (signal?.aborted) throw cancelled();
  try {
    return await run();
  } catch (err) {
    if (signal?.aborted || (err as Error)?.name === 'AbortError') throw cancelled();
    throw err;
  }
}

const errorName = (err: unknown) => (err as Error)?.name ?? '';
/** An OIDC error in words: its type and description (the SDK's `message` is a placeholder for these). */
function errorMessage(err: unknown): string {
  const e = (err ?? {}) as { name?: string; message?: string; error_description?: string };
  const text = e.error_description || (e.message && !/^unknown(error)?$/i.test(e.message) ? e.message : '');
  return [e.name && e.name !== 'Error' ? e.name : '', text].filter(Boolean).join(': ') || String(err);
}

/**
 * The cache entry for a CreateToken answer, in the AWS CLI's fields, with the
 * client registration it was asked with. As the CLI does, the refresh token is
 * kept only when IAM Identity Center returns one.
 */
function tokenToCache(
  config: SsoProfileConfig,
  response: { accessToken?: string; expiresIn?: number; refreshToken?: string },
  client: Pick<CachedSsoToken, 'clientId' | 'clientSecret' | 'registrationExpiresAt'>,
  now: number,
  what: string,
): CachedSsoToken {
  if (!response.accessToken || !response.expiresIn) throw new SsoSignInError('failed', `IAM Identity Center answered ${what} without a token.`);
  return {
    startUrl: config.startUrl,
    region: config.region,
    accessToken: response.accessToken,
    expiresAt: cacheTimestamp(now + response.expiresIn * 1000),
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    ...(client.registrationExpiresAt ? { registrationExpiresAt: client.registrationExpiresAt } : {}),
    ...(response.refreshToken ? { refreshToken: response.refreshToken } : {}),
  };
}

/**
 * A new access token from the cached refresh token (no browser). Throws when
 * the token has none or IAM Identity Center refuses it (expired, revoked).
 */
export async function refreshSsoToken(config: SsoProfileConfig, cached: CachedSsoToken, opts: Pick<SignInOptions, 'clientConfig' | 'signal' | 'now'> = {}): Promise<SignInResult> {
  const now = opts.now ?? Date.now;
  if (!canRefresh(cached, now())) throw new SsoSignInError('failed', 'The cached session has no usable refresh token.');
  const client = oidcClient(config, opts.clientConfig);
  try {
    const response = await call(opts.signal, () =>
      client.send(
        new CreateTokenCommand({ grantType: 'refresh_token', clientId: cached.clientId, clientSecret: cached.clientSecret, refreshToken: cached.refreshToken }),
        { abortSignal: opts.signal },
      ),
    );
    const token = tokenToCache(config, response, cached, now(), 'the refresh');
    const file = await writeCachedToken(config, token);
    return { method: 'refresh', token, file };
  } finally {
    client.destroy();
  }
}

async function registration(client: SSOOIDCClient, config: SsoProfileConfig, opts: SignInOptions, force: boolean): Promise<CachedRegistration> {
  const now = opts.now ?? Date.now;
  if (!force) {
    const cached = await readRegistration(config);
    if (cached && Date.parse(cached.expiresAt) - now() > REGISTRATION_EXPIRY_WINDOW_MS) return cached;
  }
  const response = await call(opts.signal, () =>
    client.send(
      new RegisterClientCommand({
        clientName: `bedrock-chat-vscode-${config.sessionName ?? Math.floor(now() / 1000)}`,
        clientType: 'public',
        ...(config.scopes ? { scopes: config.scopes } : {}),
      }),
      { abortSignal: opts.signal },
    ),
  );
  if (!response.clientId || !response.clientSecret || !response.clientSecretExpiresAt) {
    throw new SsoSignInError('failed', 'IAM Identity Center did not register this client.');
  }
  const registered: CachedRegistration = {
    clientId: response.clientId,
    clientSecret: response.clientSecret,
    expiresAt: cacheTimestamp(response.clientSecretExpiresAt * 1000),
    ...(config.scopes ? { scopes: config.scopes } : {}),
  };
  await writeRegistration(config, registered);
  return registered;
}

/** The device authorization flow: the user approves in a browser while this polls. */
export async function deviceSignIn(config: SsoProfileConfig, opts: SignInOptions): Promise<SignInResult> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? abortableSleep;
  const client = oidcClient(config, opts.clientConfig);
  try {
    let reg = await registration(client, config, opts, false);
    let device;
    try {
      device = await call(opts.signal, () =>
        client.send(new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: config.startUrl }), { abortSignal: opts.signal }),
      );
    } catch (err) {
      // A cached registration IAM Identity Center no longer knows: register again, once.
      if (errorName(err) !== 'InvalidClientException' && errorName(err) !== 'UnauthorizedClientException') throw err;
      opts.onNote?.(`The cached client registration was refused (${errorName(err)}); registering again.`);
      reg = await registration(client, config, opts, true);
      device = await call(opts.signal, () =>
        client.send(new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: config.startUrl }), { abortSignal: opts.signal }),
      );
    }
    const { deviceCode, userCode, verificationUri, verificationUriComplete } = device;
    if (!deviceCode || !userCode || !verificationUri) throw new SsoSignInError('failed', 'IAM Identity Center did not start a device authorization.');
    const expiresAt = now() + (device.expiresIn ?? 600) * 1000;
    opts.onPending({ userCode, verificationUri, verificationUriComplete: verificationUriComplete ?? verificationUri, expiresAt });

    let interval = device.interval ?? DEFAULT_INTERVAL_SECONDS;
    for (;;) {
      await sleep(interval * 1000, opts.signal);
      if (opts.signal?.aborted) throw cancelled();
      let response;
      try {
        response = await call(opts.signal, () =>
          client.send(new CreateTokenCommand({ grantType: DEVICE_GRANT, clientId: reg.clientId, clientSecret: reg.clientSecret, deviceCode }), { abortSignal: opts.signal }),
        );
      } catch (err) {
        switch (errorName(err)) {
          case 'AuthorizationPendingException':
            break;
          case 'SlowDownException':
            interval += SLOW_DOWN_SECONDS;
            break;
          case 'ExpiredTokenException':
            throw new SsoSignInError('expired', `The sign-in code ${userCode} expired before it was approved. Run Sign In again.`);
          case 'AccessDeniedException':
            throw new SsoSignInError('denied', 'The sign-in was denied in the browser.');
          default:
            throw err;
        }
        // IAM Identity Center ends a pending authorization with expired_token; stop on our own clock too.
        if (now() > expiresAt) throw new SsoSignInError('expired', `The sign-in code ${userCode} expired before it was approved. Run Sign In again.`);
        continue;
      }
      const token = tokenToCache(config, response, { clientId: reg.clientId, clientSecret: reg.clientSecret, registrationExpiresAt: reg.expiresAt }, now(), 'the sign-in');
      const file = await writeCachedToken(config, token);
      return { method: 'device', token, file };
    }
  } finally {
    client.destroy();
  }
}

/**
 * Signs in to the profile's IAM Identity Center session: with the cached
 * refresh token when there is a usable one, else through the browser.
 */
export async function signInSso(config: SsoProfileConfig, opts: SignInOptions): Promise<SignInResult> {
  const cached = await readCachedToken(config);
  if (cached && canRefresh(cached, (opts.now ?? Date.now)())) {
    try {
      return await refreshSsoToken(config, cached, opts);
    } catch (err) {
      if (err instanceof SsoSignInError && err.reason === 'cancelled') throw err;
      opts.onNote?.(`Refreshing the cached session failed (${errorMessage(err)}); signing in through the browser.`);
    }
  }
  try {
    return await deviceSignIn(config, opts);
  } catch (err) {
    if (err instanceof SsoSignInError) throw err;
    throw new SsoSignInError('failed', `Sign-in to ${config.startUrl} failed: ${errorMessage(err)}`);
  }
}
