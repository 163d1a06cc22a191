/**
 * A fake IAM Identity Center OIDC service (SSO OIDC, restJson1) for the local server:
 * RegisterClient (POST /client/register), StartDeviceAuthorization (POST /device_authorization)
 * and CreateToken (POST /token) with the device-code and refresh-token grants. Access tokens it
 * issues are accepted by the fake SSO portal (GetRoleCredentials), so a sign-in here leads to
 * SigV4 credentials the server verifies.
 *
 * The browser step is the test's: `approve(userCode)` (e.g. from the sign-in's `onPending`,
 * where a user would open the page), `deny(userCode)`, or `autoApproveOnPoll` for a test that
 * cannot reach the code (the real VS Code host).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { jsonOut, type JsonOut, type SsoTokenOptions } from './credentialServices';

export interface OidcClient {
  clientId: string;
  clientSecret: string;
  clientName: string;
  clientType: string;
  scopes?: string[];
  /** ms since the epoch */
  expiresAt: number;
}

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  clientId: string;
  startUrl: string;
  state: 'pending' | 'approved' | 'denied' | 'expired' | 'used';
  /** CreateToken calls for this device code so far */
  polls: number;
}

export interface IssuedToken {
  grant: 'device_code' | 'refresh_token';
  clientId: string;
  startUrl: string;
  accessToken: string;
  refreshToken?: string;
}

export type OidcOperation = 'oidc-register-client' | 'oidc-start-device-authorization' | 'oidc-create-token';

export function oidcRoute(method: string, rawPath: string): OidcOperation | undefined {
  if (method !== 'POST') return undefined;
  if (rawPath === '/client/register') return 'oidc-register-client';
  if (rawPath === '/device_authorization') return 'oidc-start-device-authorization';
  if (rawPath === '/token') return 'oidc-create-token';
  return undefined;
}

function oidcError(status: number, type: string, error: string, description: string): JsonOut {
  return jsonOut(status, { error, error_description: description }, { 'x-amzn-errortype': type });
}

const token = (prefix: string) => prefix + randomBytes(24).toString('base64url');

export class FakeOidc {
  /** Seconds between polls that StartDeviceAuthorization asks for. */
  interval = 1;
  /** Seconds a device code lives. */
  deviceCodeExpiresIn = 600;
  /** Seconds an access token lives. */
  accessTokenLifetime = 8 * 3600;
  /** Seconds a client registration lives. */
  registrationLifetime = 90 * 24 * 3600;
  /**
   * Refresh tokens are issued, as by IAM Identity Center, only to clients registered with the
   * `sso:account:access` scope ('scoped'), or always, or never.
   */
  refreshTokens: 'scoped' | 'always' | 'never' = 'scoped';
  /** Approve a pending device code on this CreateToken poll (1-based) by itself; 0: never. */
  autoApproveOnPoll = 0;
  /** Poll numbers (1-based, per device code) answered with slow_down while pending. */
  slowDownPolls = new Set<number>();
  /** What access tokens issued here may fetch from the fake SSO portal. */
  portal: SsoTokenOptions = {};
  /** The page a user would open (the local server's own address once it listens: nothing leaves the machine). */
  verificationUri = 'https://device.sso.example.com/';

  readonly clients = new Map<string, OidcClient>();
  readonly authorizations: DeviceAuthorization[] = [];
  readonly issued: IssuedToken[] = [];
  private readonly liveRefreshTokens = new Map<string, { clientId: string; startUrl: string }>();

  /** `issueAccessToken` registers a token with the SSO portal. */
  constructor(private readonly issueAccessToken: (accessToken: string, opts: SsoTokenOptions) => void) {}

  private pending(userCode: string): DeviceAuthorization {
    const a = this.authorizations.find((x) => x.userCode === userCode);
    if (!a) throw new Error(`no device authorization with user code ${userCode}`);
    return a;
  }

  /** The user approved the code in the browser. */
  approve(userCode: string): void {
    this.pending(userCode).state = 'approved';
  }
  deny(userCode: string): void {
    this.pending(userCode).state = 'denied';
  }
  /** The code ran out before anyone approved it. */
  expire(userCode: string): void {
    this.pending(userCode).state = 'expired';
  }
  /** Every refresh token stops working (signed out in the portal, or expired). */
  revokeRefreshTokens(): void {
    this.liveRefreshTokens.clear();
  }
  /** Forget every client registration (an expired or deleted registration). */
  forgetClients(): void {
    this.clients.clear();
  }

  handle(operation: OidcOperation, body: Record<string, unknown> | undefined): JsonOut {
    const b = body ?? {};
    const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
    switch (operation) {
      case 'oidc-register-client': {
        const clientName = str('clientName');
        const clientType = str('clientType');
        if (!clientName || clientType !== 'public') return oidcError(400, 'InvalidRequestException', 'invalid_request', 'clientName and clientType public are required');
        const scopes = Array.isArray(b.scopes) ? (b.scopes as string[]) : undefined;
        const now = Date.now();
        const client: OidcClient = {
          clientId: token('client-'),
          clientSecret: token('secret-'),
          clientName,
          clientType,
          ...(scopes ? { scopes } : {}),
          expiresAt: now + this.registrationLifetime * 1000,
        };
        this.clients.set(client.clientId, client);
        return jsonOut(200, {
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          clientIdIssuedAt: Math.floor(now / 1000),
          clientSecretExpiresAt: Math.floor(client.expiresAt / 1000),
        });
      }
      case 'oidc-start-device-authorization': {
        const client = this.client(str('clientId'), str('clientSecret'));
        if (!client) return oidcError(401, 'InvalidClientException', 'invalid_client', 'Invalid client');
        const startUrl = str('startUrl');
        if (!startUrl) return oidcError(400, 'InvalidRequestException', 'invalid_request', 'startUrl is required');
        const userCode = `${randomBytes(2).toString('hex').toUpperCase()}-${randomBytes(2).toString('hex').toUpperCase()}`;
        const a: DeviceAuthorization = { deviceCode: token('device-'), userCode, clientId: client.clientId, startUrl, state: 'pending', polls: 0 };
        this.authorizations.push(a);
        return jsonOut(200, {
          deviceCode: a.deviceCode,
          userCode,
          verificationUri: this.verificationUri,
          verificationUriComplete: `${this.verificationUri}?user_code=${userCode}`,
          expiresIn: this.deviceCodeExpiresIn,
          interval: this.interval,
        });
      }
      case 'oidc-create-token': {
        const client = this.client(str('clientId'), str('clientSecret'));
        if (!client) return oidcError(401, 'InvalidClientException', 'invalid_client', 'Invalid client');
        const grant = str('grantType');
        if (grant === 'urn:ietf:params:oauth:grant-type:device_code') {
          const a = this.authorizations.find((x) => x.deviceCode === str('deviceCode') && x.clientId === client.clientId);
          if (!a) return oidcError(400, 'InvalidGrantException', 'invalid_grant', 'Invalid device code');
          a.polls++;
          if (a.state === 'pending' && this.autoApproveOnPoll > 0 && a.polls >= this.autoApproveOnPoll) a.state = 'approved';
          switch (a.state) {
            case 'pending':
              return this.slowDownPolls.has(a.polls)
                ? oidcError(400, 'SlowDownException', 'slow_down', 'Client is polling too quickly')
                : oidcError(400, 'AuthorizationPendingException', 'authorization_pending', 'Authorization is still pending');
            case 'denied':
              return oidcError(400, 'AccessDeniedException', 'access_denied', 'The user denied the authorization');
            case 'expired':
              return oidcError(400, 'ExpiredTokenException', 'expired_token', 'The device code has expired');
            case 'used':
              return oidcError(400, 'InvalidGrantException', 'invalid_grant', 'The device code was already used');
          }
          a.state = 'used';
          return this.tokens('device_code', client, a.startUrl);
        }
        if (grant === 'refresh_token') {
          const live = this.liveRefreshTokens.get(str('refreshToken') ?? '');
          if (!live || live.clientId !== client.clientId) return oidcError(400, 'InvalidGrantException', 'invalid_grant', 'Invalid refresh token');
          // Refresh tokens rotate: the old one is spent.
          this.liveRefreshTokens.delete(str('refreshToken')!);
          return this.tokens('refresh_token', client, live.startUrl);
        }
        return oidcError(400, 'UnsupportedGrantTypeException', 'unsupported_grant_type', `Unsupported grant type ${grant}`);
      }
    }
  }

  private client(clientId: string | undefined, clientSecret: string | undefined): OidcClient | undefined {
    const c = clientId ? this.clients.get(clientId) : undefined;
    return c && c.clientSecret === clientSecret && c.expiresAt > Date.now() ? c : undefined;
  }

  private tokens(grant: IssuedToken['grant'], client: OidcClient, startUrl: string): JsonOut {
    const accessToken = token('aoa-');
    const withRefresh = this.refreshTokens === 'always' || (this.refreshTokens === 'scoped' && !!client.scopes?.includes('sso:account:access'));
    const refreshToken = withRefresh ? token('aor-') : undefined;
    if (refreshToken) this.liveRefreshTokens.set(refreshToken, { clientId: client.clientId, startUrl });
    this.issueAccessToken(accessToken, this.portal);
    this.issued.push({ grant, clientId: client.clientId, startUrl, accessToken, ...(refreshToken ? { refreshToken } : {}) });
    return jsonOut(200, {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.accessTokenLifetime,
      ...(refreshToken ? { refreshToken } : {}),
      idToken: `id-${randomUUID()}`,
    });
  }
}
