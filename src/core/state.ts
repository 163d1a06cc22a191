import { AuthResolution, Env, resolveAuth } from './auth/resolve';
import { AUTH_LABELS, SOURCE_LABELS, StoredSecrets } from './auth/types';
import { ManagedSettings } from './managedSettings';
import { ChatModel, listModels } from './models/chatModel';
import { effectiveProfile, ResolvedRegion, resolveRegion } from './region';
import { BedrockSettings, mergeSettings, SETTING_IDS, SettingKey, SettingLayers, SettingProblem } from './settings';

export interface StateInputs {
  /** inspect() values from the editor, per setting; the managed layer is filled from `managed`. */
  layers: Partial<Record<SettingKey, SettingLayers>>;
  managed: ManagedSettings;
  secrets: StoredSecrets;
  env: Env;
  /** Reads a profile's region from the AWS config files. */
  profileRegion: (profile: string) => Promise<string | undefined>;
}

/** Everything the extension derives from settings, secrets and environment. */
export interface BedrockState {
  settings: BedrockSettings;
  problems: SettingProblem[];
  managed: ManagedSettings;
  auth: AuthResolution;
  region: ResolvedRegion;
  endpoint?: string;
  models: ChatModel[];
}

export async function resolveState(inputs: StateInputs): Promise<BedrockState> {
  const layers: Partial<Record<SettingKey, SettingLayers>> = {};
  for (const key of Object.keys(inputs.layers) as SettingKey[]) layers[key] = { ...inputs.layers[key] };
  for (const [key, value] of Object.entries(inputs.managed.values) as [SettingKey, unknown][]) {
    layers[key] = { ...layers[key], managed: value };
  }
  const { settings, problems } = mergeSettings(layers);
  let auth = resolveAuth({ settings, settingProblems: problems, managedError: inputs.managed.error, secrets: inputs.secrets, env: inputs.env });
  // An endpoint the user meant but we cannot use must not quietly become AWS's own endpoint.
  const endpointProblem = problems.find((p) => p.id === SETTING_IDS.endpoint);
  if (endpointProblem && auth.ok) {
    auth = { ok: false, source: 'settings', message: `The ${endpointProblem.layer} setting ${endpointProblem.id} is invalid: ${endpointProblem.message}. Fix or clear it.` };
  }
  const profile = effectiveProfile(auth.ok ? auth.auth : undefined, inputs.env);
  const region = await resolveRegion(settings.region, inputs.env, () => inputs.profileRegion(profile));
  return {
    settings,
    problems,
    managed: inputs.managed,
    auth,
    region,
    endpoint: settings.endpoint.value,
    models: listModels(region.region, settings.customModels.value),
  };
}

export interface StatusView {
  text: string;
  tooltip: string;
  error: boolean;
}

/** The status bar item: the active method in a few words, details in the tooltip. */
export function statusView(state: BedrockState): StatusView {
  const lines: string[] = [];
  const where = `Region: ${state.region.region} (${state.region.source})`;
  const endpoint = `Endpoint: ${state.endpoint ?? 'AWS default'}`;
  if (!state.auth.ok) {
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
  lines.push(where, endpoint);
  if (state.managed.present) lines.push(`Managed settings: ${state.managed.path}`);
  for (const p of state.problems) lines.push(`Ignored ${p.layer} setting ${p.id}: ${p.message}`);
  return { text, tooltip: lines.join('\n'), error: false };
}
