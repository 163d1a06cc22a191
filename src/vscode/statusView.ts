import { apiKeyInfo, apiKeyWarnings, apiKeyWarningsChangeAt } from '../core/auth/apiKeyInfo';
import { BedrockState } from '../core/state';
import { AUTH_LABELS, SOURCE_LABELS } from './labels';

/**
 * What the status bar item shows, computed without VS Code so it is tested in
 * plain Node. statusBar.ts puts it on screen.
 */
export interface StatusView {
  text: string;
  tooltip: string;
  error: boolean;
  /** When the view changes by itself (a short-term API key starts expiring or expires): update then. */
  refreshAt?: number;
}

/**
 * Set to `1` by `npm start` (scripts/start.js) in demo mode, where a local
 * Bedrock-compatible server answers instead of Amazon Bedrock. A development
 * aid, deliberately not a setting.
 */
export const DEMO_ENV = 'BEDROCK_CHAT_DEMO';

/** The status bar item: the active method in a few words, details in the tooltip. */
export function statusView(state: BedrockState, opts: { demo?: boolean; now?: number } = {}): StatusView {
  const lines: string[] = [];
  const where = `Region: ${state.region.region} (${state.region.source})`;
  const endpoint = `Endpoint: ${state.endpoint ?? 'AWS default'}`;
  if (!state.auth.ok) {
    // Refused by the administrator's policy: not something setup alone fixes, so it says so.
    if (state.auth.policy) {
      lines.push(`Bedrock: not allowed by your organisation's policy`, state.auth.message, where, endpoint, ...policyLines(state));
      return { text: '$(error) Bedrock: not allowed by policy', tooltip: lines.join('\n'), error: true };
    }
    lines.push(`Bedrock: not configured`, state.auth.message, where, endpoint);
    return { text: '$(error) Bedrock: setup needed', tooltip: lines.join('\n'), error: true };
  }
  const { auth, source } = state.auth;
  let text = `Bedrock: ${AUTH_LABELS[auth.kind]}`;
  if (auth.kind === 'profile' || auth.kind === 'sso') text += ` (${auth.profile})`;
  if (source === 'managed') text = `$(lock) ${text}`;
  lines.push(`Method: ${AUTH_LABELS[auth.kind]}`);
  lines.push(`Source: ${SOURCE_LABELS[source]}`);
  if (state.auth.secretSource) lines.push(`Secret: ${SOURCE_LABELS[state.auth.secretSource]}`);
  if (auth.kind === 'profile' || auth.kind === 'sso') lines.push(`Profile: ${auth.profile}`);
  // A short-term API key's region and lifetime (a long-term key has neither).
  let keyWarning: { text: string; error: boolean } | undefined;
  let refreshAt: number | undefined;
  if (auth.kind === 'apiKey') {
    const now = opts.now ?? Date.now();
    const info = apiKeyInfo(auth.apiKey);
    if (info.kind === 'shortTerm') lines.push(`API key: short-term, for ${info.region}, valid until ${new Date(info.expiresAt).toISOString()}`);
    else if (info.kind === 'longTerm') lines.push('API key: long-term');
    const warnings = apiKeyWarnings(info, state.region.region, now);
    lines.push(...warnings.map((w) => w.message));
    const expired = warnings.find((w) => w.kind === 'expired');
    const region = warnings.find((w) => w.kind === 'region');
    const expiring = warnings.find((w) => w.kind === 'expiring');
    if (expired) keyWarning = { text: 'API key expired', error: true };
    else if (region && info.kind === 'shortTerm') keyWarning = { text: `API key for ${info.region}`, error: true };
    else if (expiring && info.kind === 'shortTerm') keyWarning = { text: `API key expires in ${Math.max(1, Math.round((info.expiresAt - now) / 60_000))} min`, error: false };
    refreshAt = apiKeyWarningsChangeAt(info, now);
  }
  lines.push(where, endpoint);
  if (state.managed.present) lines.push(`Managed settings: ${state.managed.path}`);
  lines.push(...policyLines(state));
  for (const p of state.problems) lines.push(`Ignored ${p.layer} setting ${p.id}: ${p.message}`);
  if (opts.demo) {
    text = '$(beaker) Bedrock: demo';
    lines.unshift('Demo mode (npm start): a local Bedrock-compatible server answers, not Amazon Bedrock.', 'Restart with `npm start -- --real` to use your AWS credentials.', '');
  }
  if (keyWarning && !opts.demo) text = `$(warning) Bedrock: ${keyWarning.text}`;
  return { text, tooltip: lines.join('\n'), error: !!keyWarning?.error && !opts.demo, ...(refreshAt !== undefined ? { refreshAt } : {}) };
}

/** The policy in force, one line per rule (none without a policy). */
function policyLines(state: BedrockState): string[] {
  const p = state.policy;
  if (!p) return [];
  return [
    ...(p.allowedMethods ? [`Allowed methods (policy): ${p.allowedMethods.join(', ') || 'none'}`] : []),
    ...(p.allowedModels ? [`Allowed models (policy): ${p.allowedModels.join(', ') || 'none'}`] : []),
  ];
}
