import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { getHomeDir, loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { Env, ENV, envProfile, envValue } from '../config/env';
import { BedrockAuth } from './types';

/**
 * IAM Identity Center sessions as the AWS CLI keeps them in `~/.aws/sso/cache`,
 * so a sign-in here is a sign-in for the CLI and every SDK, and theirs is ours.
 *
 * File names and fields follow the AWS CLI v2 (botocore's SSOTokenFetcher):
 * - the token: `sha1(sso-session name)` (or `sha1(start URL)` for a legacy
 *   profile without `sso_session`) + `.json`, holding startUrl, region,
 *   accessToken, expiresAt, clientId, clientSecret, registrationExpiresAt and
 *   refreshToken when one was issued;
 * - the client registration: `sha1` of Python's
 *   `json.dumps({tool, startUrl, region, scopes, session_name}, sort_keys=True)`
 *   + `.json`, holding clientId, clientSecret, expiresAt and scopes.
 */

/** An SSO profile's sign-in details, from `[profile x]` and its `[sso-session y]`. */
export interface SsoProfileConfig {
  profile: string;
  /** The `sso_session` name; undefined for a legacy profile (start URL in the profile itself). */
  sessionName?: string;
  startUrl: string;
  /** The IAM Identity Center region (`sso_region`): where OIDC and the portal are asked. */
  region: string;
  /** `sso_registration_scopes` of the sso-session, as the CLI registers them. */
  scopes?: string[];
}

/** A token cache file's contents (the AWS CLI's fields). */
export interface CachedSsoToken {
  startUrl: string;
  region: string;
  accessToken: string;
  expiresAt: string;
  clientId?: string;
  clientSecret?: string;
  registrationExpiresAt?: string;
  refreshToken?: string;
}

/** A client registration cache file's contents. */
export interface CachedRegistration {
  clientId: string;
  clientSecret: string;
  expiresAt: string;
  scopes?: string[];
}

/** The SDK refreshes an sso-session token this long before it expires, and fails without a refresh token. */
export const SDK_REFRESH_WINDOW_MS = 5 * 60_000;

type Section = Record<string, string | undefined>;

/** What the config file says about an SSO profile, or why it is not one. */
export type SsoProfileLookup =
  | { ok: true; config: SsoProfileConfig }
  | { ok: false; reason: 'notFound' | 'notSso' | 'incomplete'; message: string };

function parseScopes(raw: string | undefined): string[] | undefined {
  const scopes = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return scopes.length ? scopes : undefined;
}

async function configSections(): Promise<{ profiles: Record<string, Section>; sessions: Record<string, Section>; credentials: Record<string, Section> }> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const profiles: Record<string, Section> = {};
  const sessions: Record<string, Section> = {};
  for (const [name, section] of Object.entries(configFile)) {
    if (name.startsWith('sso-session.')) sessions[name.slice('sso-session.'.length)] = section;
    else if (!name.startsWith('services.')) profiles[name] = section;
  }
  return { profiles, sessions, credentials: credentialsFile };
}

function lookup(profile: string, profiles: Record<string, Section>, sessions: Record<string, Section>): SsoProfileLookup {
  const p = profiles[profile];
  if (!p) return { ok: false, reason: 'notFound', message: `AWS profile "${profile}" is not in your AWS config file.` };
  const sessionName = p.sso_session?.trim();
  if (sessionName) {
    const s = sessions[sessionName];
    if (!s) return { ok: false, reason: 'incomplete', message: `AWS profile "${profile}" names sso-session "${sessionName}", which your AWS config file does not define.` };
    const startUrl = s.sso_start_url?.trim();
    const region = s.sso_region?.trim();
    if (!startUrl || !region) {
      return { ok: false, reason: 'incomplete', message: `The sso-session "${sessionName}" needs sso_start_url and sso_region in your AWS config file.` };
    }
    const scopes = parseScopes(s.sso_registration_scopes);
    return { ok: true, config: { profile, sessionName, startUrl, region, ...(scopes ? { scopes } : {}) } };
  }
  const startUrl = p.sso_start_url?.trim();
  const region = p.sso_region?.trim();
  if (startUrl || region || p.sso_account_id || p.sso_role_name) {
    if (!startUrl || !region) return { ok: false, reason: 'incomplete', message: `AWS profile "${profile}" needs sso_start_url and sso_region (or an sso_session).` };
    return { ok: true, config: { profile, startUrl, region } };
  }
  return { ok: false, reason: 'notSso', message: `AWS profile "${profile}" is not an IAM Identity Center (SSO) profile.` };
}

/** The SSO details of `profile` in the AWS config file (re-read every time). */
export async function readSsoProfile(profile: string): Promise<SsoProfileLookup> {
  const { profiles, sessions } = await configSections();
  return lookup(profile, profiles, sessions);
}

/**
 * The SSO profile whose session the given auth depends on, if any: the profile
 * itself, or the SSO profile at the end of its `source_profile` chain (a role
 * assumed with SSO credentials). For `automatic`, the profile the SDK's default
 * chain reads (AWS_PROFILE, else "default"), unless environment keys come first.
 */
export async function ssoProfileFor(auth: BedrockAuth, env: Env): Promise<SsoProfileConfig | undefined> {
  let name: string;
  switch (auth.kind) {
    case 'profile':
    case 'sso':
      name = auth.profile;
      break;
    case 'automatic':
      // The default chain reads environment keys before any profile, unless AWS_PROFILE is set.
      if (!envValue(env, ENV.profile) && envValue(env, ENV.accessKeyId) && envValue(env, ENV.secretAccessKey)) return undefined;
      name = envProfile(env);
      break;
    default:
      return undefined;
  }
  let sections;
  try {
    sections = await configSections();
  } catch {
    return undefined;
  }
  // The `sso` method reads the profile's SSO settings directly (fromSSO).
  if (auth.kind === 'sso') {
    const found = lookup(name, sections.profiles, sections.sessions);
    return found.ok ? found.config : undefined;
  }
  // The others resolve the profile as the SDK's fromIni does: a role first (through its source
  // profile), then static keys, web identity and credential_process, and only then SSO.
  const seen = new Set<string>();
  while (!seen.has(name)) {
    seen.add(name);
    const p: Section = { ...sections.profiles[name], ...sections.credentials[name] };
    if (seen.size > 1 && p.aws_access_key_id) return undefined; // a source profile's keys come first
    if (p.role_arn && (p.source_profile || p.credential_source)) {
      if (!p.source_profile) return undefined;
      name = p.source_profile.trim();
      continue;
    }
    if (p.aws_access_key_id || (p.role_arn && p.web_identity_token_file) || p.credential_process) return undefined;
    const found = lookup(name, sections.profiles, sections.sessions);
    return found.ok ? found.config : undefined;
  }
  return undefined;
}

/** `~/.aws/sso/cache`, where the AWS CLI and SDKs keep SSO tokens (HOME as the SDK reads it). */
export function ssoCacheDir(home: string = getHomeDir()): string {
  return path.join(home, '.aws', 'sso', 'cache');
}

const sha1 = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex');

/** The token file's name: sha1 of the sso-session name, or of the start URL for a legacy profile. */
export function tokenCacheKey(config: Pick<SsoProfileConfig, 'sessionName' | 'startUrl'>): string {
  return sha1(config.sessionName ?? config.startUrl);
}

/** A string as Python's json.dumps writes it (ensure_ascii: everything outside printable ASCII escaped). */
function pyString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Python's `json.dumps(value, sort_keys=True)` for strings, lists, objects and null. */
function pyJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`;
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${pyString(k)}: ${pyJson(o[k])}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** The client registration file's name, computed as botocore does. */
export function registrationCacheKey(config: Pick<SsoProfileConfig, 'sessionName' | 'startUrl' | 'region' | 'scopes'>): string {
  return sha1(
    pyJson({ tool: 'botocore', startUrl: config.startUrl, region: config.region, scopes: config.scopes ?? null, session_name: config.sessionName ?? null }),
  );
}

export function tokenCachePath(config: Pick<SsoProfileConfig, 'sessionName' | 'startUrl'>, home?: string): string {
  return path.join(ssoCacheDir(home), `${tokenCacheKey(config)}.json`);
}

export function registrationCachePath(config: Pick<SsoProfileConfig, 'sessionName' | 'startUrl' | 'region' | 'scopes'>, home?: string): string {
  return path.join(ssoCacheDir(home), `${registrationCacheKey(config)}.json`);
}

/** A date as the AWS CLI writes it in the cache: `2026-01-02T03:04:05Z`. */
export function cacheTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value = JSON.parse(await fs.readFile(file, 'utf8'));
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Written the way the CLI writes it: owner-only (0600), in a directory created when missing. */
async function writeJson(file: string, value: unknown): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  // A temporary file renamed over the old one: a reader never sees half a token.
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(temp, JSON.stringify(value), { mode: 0o600 });
  await fs.rename(temp, file);
}

export async function readCachedToken(config: SsoProfileConfig): Promise<CachedSsoToken | undefined> {
  const t = await readJson(tokenCachePath(config));
  if (!t || typeof t.accessToken !== 'string' || typeof t.expiresAt !== 'string') return undefined;
  return t as unknown as CachedSsoToken;
}

export async function writeCachedToken(config: SsoProfileConfig, token: CachedSsoToken): Promise<string> {
  const file = tokenCachePath(config);
  await writeJson(file, token);
  return file;
}

export async function readRegistration(config: SsoProfileConfig): Promise<CachedRegistration | undefined> {
  const r = await readJson(registrationCachePath(config));
  if (!r || typeof r.clientId !== 'string' || typeof r.clientSecret !== 'string' || typeof r.expiresAt !== 'string') return undefined;
  // A registration for the authorization-code flow (grantTypes) cannot start a device authorization.
  if (Array.isArray(r.grantTypes) && r.grantTypes.includes('authorization_code')) return undefined;
  return r as unknown as CachedRegistration;
}

export async function writeRegistration(config: SsoProfileConfig, registration: CachedRegistration): Promise<string> {
  const file = registrationCachePath(config);
  await writeJson(file, registration);
  return file;
}

const time = (s: string | undefined) => (s ? Date.parse(s) : NaN);

/** Whether the token carries what a refresh (CreateToken with grant_type refresh_token) needs, with a live registration. */
export function canRefresh(token: CachedSsoToken, now = Date.now()): boolean {
  if (!token.refreshToken || !token.clientId || !token.clientSecret) return false;
  const registration = time(token.registrationExpiresAt);
  return Number.isNaN(registration) || registration > now;
}

/**
 * Where an SSO profile's session stands, as the SDK will see it:
 * - `valid`: the token works until `expiresAt`;
 * - `refreshable`: expired or about to, but the SDK (or Sign In) can refresh it without a browser;
 * - `expired` / `missing`: a sign-in is needed.
 * The SDK gives up on an sso-session token 5 minutes before it expires when it cannot refresh it,
 * and on a legacy profile's token when it has expired.
 */
export type SsoSessionStatus =
  | { state: 'valid'; config: SsoProfileConfig; expiresAt: number; file: string }
  | { state: 'refreshable'; config: SsoProfileConfig; expiresAt: number; file: string }
  | { state: 'expired'; config: SsoProfileConfig; expiresAt: number; file: string }
  | { state: 'missing'; config: SsoProfileConfig; file: string };

export async function ssoSessionStatus(config: SsoProfileConfig, now = Date.now()): Promise<SsoSessionStatus> {
  const file = tokenCachePath(config);
  const token = await readCachedToken(config);
  if (!token) return { state: 'missing', config, file };
  const expiresAt = time(token.expiresAt);
  if (Number.isNaN(expiresAt)) return { state: 'missing', config, file };
  // Only sso-session profiles are refreshed by the SDK; a legacy profile's token lasts until expiresAt.
  const usableUntil = config.sessionName ? expiresAt - SDK_REFRESH_WINDOW_MS : expiresAt;
  if (usableUntil > now) return { state: 'valid', config, expiresAt, file };
  if (config.sessionName && canRefresh(token, now)) return { state: 'refreshable', config, expiresAt, file };
  return { state: 'expired', config, expiresAt, file };
}

/** When a valid session stops being usable without a refresh (to re-check then). */
export function usableUntil(status: SsoSessionStatus): number | undefined {
  if (status.state !== 'valid') return undefined;
  return status.config.sessionName ? status.expiresAt - SDK_REFRESH_WINDOW_MS : status.expiresAt;
}
