import { apiKeyInfo, apiKeyLabel, apiKeyWarnings } from './auth/apiKeyInfo';
import type { SsoSessionStatus } from './auth/ssoSession';
import type { CallerIdentity } from './auth/types';
import { ENV } from './config/env';
import { redactProxyUrl } from './config/network';
import { POLICY_IDS } from './config/policy';
import { SETTING_IDS, SettingKey } from './config/settings';
import { BedrockState } from './state';

/**
 * The text of "Bedrock: Show Connection Details": how this machine reaches
 * Bedrock, in a form to paste into a support ticket. Pure: the VS Code layer
 * gathers the live parts (caller identity, trust store, SSO session) and
 * shows the result. Secrets never appear: keys are named by their prefix only,
 * proxy passwords are masked, and the whole text passes through the redactor.
 */
export interface ReportTrust {
  /** How many of Node's default roots are in the store (0: Node's defaults apply as they are). */
  defaults: number;
  ca?: readonly string[];
  sources: readonly { source: string; path?: string; certificates: number; problem?: string }[];
}

export interface ReportInput {
  state: BedrockState;
  now: number;
  /** e.g. { extension: '0.1.0', vscode: '1.106.0', node: 'v22.20.0', platform: 'linux x64' } */
  product: { extension: string; vscode: string; node: string; platform: string };
  identity?: CallerIdentity;
  trust?: ReportTrust;
  sso?: SsoSessionStatus;
  /** The extension's redactor: known secrets and secret shapes. */
  redact: (text: string) => string;
}

const AUTH_NAMES = { automatic: 'Automatic (AWS SDK default chain)', profile: 'AWS profile', sso: 'SSO (IAM Identity Center)', iamCredentials: 'IAM credentials', apiKey: 'API key' } as const;
const SOURCE_NAMES = {
  managed: "your organisation's managed settings file",
  settings: `settings (${SETTING_IDS.authMethod})`,
  secretStorage: 'stored in VS Code SecretStorage (no method set)',
  environment: 'environment variables (no method set)',
  defaultChain: 'nothing set: the AWS SDK default credential chain',
} as const;

const iso = (t: number) => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');

function relative(t: number, now: number): string {
  const ms = t - now;
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const text = minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

/** A URL without a user name or password in it. */
function safeUrl(url: string): string {
  return redactProxyUrl(url);
}

function settingValue(key: SettingKey, value: unknown): string {
  if (key === 'endpoint' || key === 'controlPlaneEndpoint') return safeUrl(String(value));
  return JSON.stringify(value);
}

export function connectionReport(input: ReportInput): string {
  const { state, now } = input;
  const out: string[] = [];
  const line = (label: string, value: string) => out.push(`- ${label}: ${value}`);
  out.push('# Bedrock Chat connection details', '');
  out.push(`Generated ${iso(now)} · Bedrock Chat ${input.product.extension} · VS Code ${input.product.vscode} · Node ${input.product.node} · ${input.product.platform}`, '');

  out.push('## Authentication');
  if (!state.auth.ok) {
    line('Status', state.auth.policy ? "refused by your organisation's policy" : 'not usable');
    line('Why', state.auth.message);
    if (state.auth.method) line('Method', AUTH_NAMES[state.auth.method]);
  } else {
    const { auth, source } = state.auth;
    line('Method', AUTH_NAMES[auth.kind]);
    line('Chosen by', SOURCE_NAMES[source] + (source === 'settings' ? `, ${state.settings.authMethod.layer} layer` : ''));
    if (state.auth.secretSource) line('Secret from', state.auth.secretSource === 'secretStorage' ? 'VS Code SecretStorage' : 'the environment');
    if (auth.kind === 'profile' || auth.kind === 'sso') line('Profile', `${auth.profile}${state.settings.profile.value ? ` (${state.settings.profile.layer} setting)` : ' (AWS_PROFILE or default)'}`);
    if (auth.kind === 'iamCredentials') line('Access key', `${auth.accessKeyId.slice(0, 4)}… (${auth.sessionToken ? 'temporary, with a session token' : 'long-term'})`);
    if (auth.kind === 'apiKey') {
      const info = apiKeyInfo(auth.apiKey);
      const where = source === 'environment' || state.auth.secretSource === 'environment' ? ` from ${ENV.bearerToken}` : '';
      if (info.kind === 'shortTerm') {
        line('API key', `${apiKeyLabel(auth.apiKey)}${where}: short-term, made for ${info.region}, valid until ${iso(info.expiresAt)} (${relative(info.expiresAt, now)})`);
        for (const w of apiKeyWarnings(info, state.region.region, now)) line('Warning', w.message);
      } else line('API key', `${apiKeyLabel(auth.apiKey)}${where}: ${info.kind === 'longTerm' ? 'long-term (no expiry in the key)' : 'not a recognised Bedrock key format'}`);
    }
  }
  const id = input.identity;
  if (id?.skipped) line('Caller identity', id.skipped);
  else if (id?.error) line('Caller identity', `could not be asked: ${id.error}`);
  else if (id?.arn) {
    line('Caller identity', `${id.arn} (account ${id.account ?? '?'})`);
    line('Credentials expire', id.credentialsExpireAt ? `${iso(id.credentialsExpireAt)} (${relative(id.credentialsExpireAt, now)})` : 'no expiry (long-term keys)');
  }
  const sso = input.sso;
  if (sso) {
    const who = `${sso.config.startUrl} (profile ${sso.config.profile}${sso.config.sessionName ? `, sso-session ${sso.config.sessionName}` : ''}, ${sso.config.region})`;
    line('IAM Identity Center session', sso.state === 'missing' ? `${who}: not signed in on this computer` : `${who}: ${sso.state}, token until ${iso(sso.expiresAt)} (${relative(sso.expiresAt, now)})`);
  }
  out.push('');

  out.push('## Region and endpoints');
  line('Region', `${state.region.region} (${state.region.source})${state.region.problem ? ` — ${state.region.problem}` : ''}`);
  line('Runtime endpoint', state.endpoint ? `${safeUrl(state.endpoint)} (${state.settings.endpoint.layer} setting ${SETTING_IDS.endpoint})` : `https://bedrock-runtime.${state.region.region}.amazonaws.com (AWS default)`);
  const cp = state.controlPlane;
  line('Control-plane endpoint', cp.skip ? `not used: ${cp.skip}` : cp.endpoint ? `${safeUrl(cp.endpoint)} (${cp.source})` : `https://bedrock.${state.region.region}.amazonaws.com (AWS default)`);
  out.push('');

  out.push('## Network');
  const net = state.network;
  if (net.problem) line('Problem', net.problem);
  line('Proxy (https)', net.httpsProxy ? `${safeUrl(net.httpsProxy.url)} (from ${net.httpsProxy.source})` : 'none: direct connections');
  if (net.httpProxy && net.httpProxy.url !== net.httpsProxy?.url) line('Proxy (http)', `${safeUrl(net.httpProxy.url)} (from ${net.httpProxy.source})`);
  if (net.httpsProxy || net.httpProxy) {
    line('Not proxied', net.noProxy.length ? net.noProxy.join(', ') : 'nothing (http.noProxy and NO_PROXY are empty)');
    line('Certificate checks through the proxy', net.strictSSL ? 'on' : 'OFF (http.proxyStrictSSL is false)');
    if (net.proxyAuthorization) line('Proxy-Authorization', 'set (http.proxyAuthorization)');
  }
  const support = net.vscodeProxySupport;
  if (support === 'override' || support === 'fallback') {
    line(
      "VS Code's proxy support",
      `${support} (http.proxySupport): VS Code itself picks the proxy for connections to AWS, from http.proxy, the environment and, in desktop VS Code, the system's proxy settings and PAC files${support === 'fallback' ? ', and uses the lines above only where it finds none' : ''}; the trusted CAs below are kept`,
    );
  } else if (support) {
    line("VS Code's proxy support", `${support} (http.proxySupport): the proxy above is used as shown`);
  }
  const trust = input.trust;
  if (trust) {
    const extra = trust.sources.map((s) => `${s.source}${s.path ? ` ${s.path}` : ''}: ${s.problem ? s.problem : `${s.certificates} certificate${s.certificates === 1 ? '' : 's'}`}`);
    line('Trusted CAs', trust.ca ? `Node's ${trust.defaults} default roots plus ${trust.ca.length - trust.defaults} more` : "Node's default roots (nothing added)");
    for (const e of extra) line('CA source', e);
  }
  out.push('');

  out.push('## Managed settings and policy');
  const m = state.managed;
  line('Managed file', `${m.path}: ${m.error ? `ERROR — ${m.error}` : m.present ? 'present' : 'absent'}`);
  const pinned = (Object.keys(state.settings) as SettingKey[]).filter((k) => state.settings[k].layer === 'managed');
  line('Pinned by the organisation', pinned.length ? pinned.map((k) => `${SETTING_IDS[k]} = ${settingValue(k, state.settings[k].value)}`).join('; ') : 'nothing');
  const p = state.policy;
  line('Allowed methods', p.allowedMethods ? p.allowedMethods.join(', ') || 'none' : `any (${POLICY_IDS.allowedMethods} not set)`);
  line('Allowed models', p.allowedModels ? p.allowedModels.join(', ') || 'none' : `any (${POLICY_IDS.allowedModels} not set)`);
  if (p.error) line('Policy problem', p.error);
  if (m.unknownKeys.length) line('Unknown keys in the managed file', m.unknownKeys.join(', '));
  if (state.problems.length) {
    out.push('', '## Setting problems');
    for (const pr of state.problems) line(`${pr.id} (${pr.layer})`, pr.message);
  }
  out.push('', `${state.models.length} models offered before discovery.`);
  return input.redact(out.join('\n')) + '\n';
}
