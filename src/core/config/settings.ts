import { regionProblem } from './regions';

/** The values of `bedrockChat.authentication.method`. Public API: never rename. */
export const AUTH_METHODS = ['automatic', 'profile', 'sso', 'iamCredentials', 'apiKey'] as const;
export type AuthMethodSetting = (typeof AUTH_METHODS)[number];
/** The values of `bedrockChat.models.inferenceProfile`. Public API: never rename. */
export const INFERENCE_PROFILE_CHOICES = ['geographic', 'global'] as const;
export type InferenceProfileSetting = (typeof INFERENCE_PROFILE_CHOICES)[number];

/**
 * Every `bedrockChat.*` setting the extension reads, with the layer its value
 * came from. The VS Code layer fills this from `inspect()` plus the managed
 * file; everything else only ever sees this snapshot.
 * Setting ids are public API: never rename them.
 */
export const SETTING_IDS = {
  authMethod: 'bedrockChat.authentication.method',
  profile: 'bedrockChat.authentication.profile',
  region: 'bedrockChat.region',
  endpoint: 'bedrockChat.endpoint',
  customModels: 'bedrockChat.models.custom',
  idleTimeoutSeconds: 'bedrockChat.idleTimeoutSeconds',
  controlPlaneEndpoint: 'bedrockChat.controlPlaneEndpoint',
  inferenceProfile: 'bedrockChat.models.inferenceProfile',
  hiddenModels: 'bedrockChat.models.hidden',
  reasoningEffort: 'bedrockChat.reasoning.effort',
  promptCaching: 'bedrockChat.promptCaching',
  guardrail: 'bedrockChat.guardrail',
} as const;

export type SettingKey = keyof typeof SETTING_IDS;
export type SettingLayer = 'managed' | 'workspace' | 'user' | 'default';

export interface Setting<T> {
  value: T | undefined;
  layer: SettingLayer;
}

export interface CustomModelSetting {
  id: string;
  name?: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  toolCalling?: boolean;
  imageInput?: boolean;
  documentInput?: boolean;
  /** Accepts a forced tool choice (`toolChoice: {any: {}}`). */
  toolChoiceAny?: boolean;
}

export interface BedrockSettings {
  authMethod: Setting<AuthMethodSetting>;
  profile: Setting<string>;
  region: Setting<string>;
  endpoint: Setting<string>;
  customModels: Setting<CustomModelSetting[]>;
  idleTimeoutSeconds: Setting<number>;
  /** Bedrock control plane (model discovery) endpoint override. */
  controlPlaneEndpoint: Setting<string>;
  inferenceProfile: Setting<InferenceProfileSetting>;
  /** Glob patterns over model ids and names. */
  hiddenModels: Setting<string[]>;
  /** The thinking effort where the model picker has none. */
  reasoningEffort: Setting<EffortSetting>;
  promptCaching: Setting<boolean>;
  guardrail: Setting<GuardrailSetting>;
}

/** The values of `bedrockChat.reasoning.effort` (the levels of src/core/models/reasoning.ts). Public API: never rename. */
export const EFFORT_SETTINGS = ['off', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type EffortSetting = (typeof EFFORT_SETTINGS)[number];

/** `bedrockChat.guardrail`: Bedrock's guardrailConfig for every request. */
export interface GuardrailSetting {
  identifier: string;
  version: string;
  trace?: 'enabled' | 'disabled' | 'enabled_full';
  streamProcessingMode?: 'sync' | 'async';
}

const GUARDRAIL_TRACES = ['enabled', 'disabled', 'enabled_full'];

function checkGuardrail(v: unknown): Checked<GuardrailSetting> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { problem: 'must be an object like { "identifier": "gr-abc123", "version": "1" }' };
  const g = v as Record<string, unknown>;
  if (!Object.keys(g).length) return { unset: true };
  const identifier = typeof g.identifier === 'string' ? g.identifier.trim() : '';
  const version = typeof g.version === 'number' ? String(g.version) : typeof g.version === 'string' ? g.version.trim() : '';
  if (!identifier) return { problem: 'needs an "identifier" (the guardrail id or ARN)' };
  if (!version) return { problem: 'needs a "version" (a number such as "1", or "DRAFT")' };
  const trace = g.trace === true ? 'enabled' : g.trace === false ? 'disabled' : g.trace;
  if (trace !== undefined && !GUARDRAIL_TRACES.includes(trace as string)) return { problem: `"trace" must be one of ${GUARDRAIL_TRACES.join(', ')} (or true/false)` };
  const mode = g.streamProcessingMode;
  if (mode !== undefined && mode !== 'sync' && mode !== 'async') return { problem: '"streamProcessingMode" must be "sync" or "async"' };
  return {
    value: {
      identifier,
      version,
      ...(trace !== undefined ? { trace: trace as GuardrailSetting['trace'] } : {}),
      ...(mode !== undefined ? { streamProcessingMode: mode } : {}),
    },
  };
}

/** Values of one setting as VS Code's `inspect()` reports them, plus the managed file. */
export interface SettingLayers {
  managed?: unknown;
  workspace?: unknown;
  user?: unknown;
  default?: unknown;
}

/**
 * Below this, a model that thinks before its first token (or a busy region)
 * would be cut off as "stalled" on every request. package.json says the same.
 */
export const MIN_IDLE_TIMEOUT_SECONDS = 5;
/** bedrockChat.idleTimeoutSeconds when unset (package.json's default). */
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 120;

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * An endpoint URL as the runtime and control-plane endpoint settings (and
 * AWS_ENDPOINT_URL_BEDROCK) must give it: https, or plain http to loopback only.
 */
function checkEndpoint(s: string): Checked<string> {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return { problem: `"${s}" is not a URL (like https://bedrock-gateway.example.com/bedrock)` };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { problem: `"${s}" must start with https://` };
  // Plain http would send API keys and session tokens in clear text; only loopback (a local proxy or test server) may use it.
  if (u.protocol === 'http:' && !LOOPBACK_HOSTS.includes(u.hostname)) return { problem: `"${s}" must use https:// (plain http is allowed only for localhost)` };
  return { value: s.replace(/\/+$/, '') };
}

/** Checks an endpoint URL from anywhere else (the environment): the cleaned URL, or what is wrong with it. */
export function endpointCheck(raw: string): { value: string } | { problem: string } {
  const checked = trimmedString(raw, checkEndpoint);
  return 'unset' in checked ? { problem: 'is empty' } : checked;
}

/** A validator cleans a raw value, says it is unset (empty), or explains what is wrong. */
type Checked<T> = { value: T } | { unset: true } | { problem: string };
type Validator<T> = (v: unknown) => Checked<T>;

const trimmedString = (v: unknown, then: (s: string) => Checked<string> = (s) => ({ value: s })): Checked<string> => {
  if (typeof v !== 'string') return { problem: 'must be a string' };
  const s = v.trim();
  return s === '' ? { unset: true } : then(s);
};

const validators: { [K in SettingKey]: Validator<NonNullable<BedrockSettings[K]['value']>> } = {
  authMethod: (v) =>
    trimmedString(v, (s) =>
      (AUTH_METHODS as readonly string[]).includes(s)
        ? { value: s }
        : { problem: `"${s}" is not a method; use one of ${AUTH_METHODS.join(', ')}` },
    ) as Checked<AuthMethodSetting>,
  profile: (v) => trimmedString(v),
  region: (v) =>
    trimmedString(v, (s) => {
      const problem = regionProblem(s);
      return problem ? { problem } : { value: s };
    }),
  endpoint: (v) => trimmedString(v, checkEndpoint),
  customModels: (v) => {
    if (!Array.isArray(v)) return { problem: 'must be a list of models' };
    if (v.length === 0) return { unset: true };
    for (const m of v) {
      const id = m && typeof m === 'object' ? (m as CustomModelSetting).id : undefined;
      if (typeof id !== 'string' || !id.trim()) {
        return { problem: 'each entry needs an "id" (a Bedrock model id, inference profile id or ARN)' };
      }
    }
    return { value: v as CustomModelSetting[] };
  },
  idleTimeoutSeconds: (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= MIN_IDLE_TIMEOUT_SECONDS
      ? { value: v }
      : { problem: `must be a number of seconds, at least ${MIN_IDLE_TIMEOUT_SECONDS}` },
  controlPlaneEndpoint: (v) => trimmedString(v, checkEndpoint),
  inferenceProfile: (v) =>
    trimmedString(v, (s) =>
      (INFERENCE_PROFILE_CHOICES as readonly string[]).includes(s)
        ? { value: s }
        : { problem: `"${s}" is not a choice; use one of ${INFERENCE_PROFILE_CHOICES.join(', ')}` },
    ) as Checked<InferenceProfileSetting>,
  hiddenModels: (v) => {
    if (!Array.isArray(v) || v.some((p) => typeof p !== 'string')) return { problem: 'must be a list of glob patterns (strings)' };
    const patterns = v.map((p: string) => p.trim()).filter(Boolean);
    return patterns.length ? { value: patterns } : { unset: true };
  },
  reasoningEffort: (v) =>
    trimmedString(v, (s) =>
      (EFFORT_SETTINGS as readonly string[]).includes(s) ? { value: s } : { problem: `"${s}" is not an effort; use one of ${EFFORT_SETTINGS.join(', ')}` },
    ) as Checked<EffortSetting>,
  promptCaching: (v) => (typeof v === 'boolean' ? { value: v } : { problem: 'must be true or false' }),
  guardrail: checkGuardrail,
};

export interface SettingProblem {
  id: string;
  layer: SettingLayer;
  message: string;
}

/**
 * Picks each setting's effective value: managed, then workspace, then user,
 * then default. An invalid value is reported and skipped, never silently.
 * An invalid *managed* value is reported with layer 'managed': callers treat
 * that as fatal, since an admin's pin that cannot be honoured must not fall
 * back to a user's choice.
 */
export function mergeSettings(layers: Partial<Record<SettingKey, SettingLayers>>): {
  settings: BedrockSettings;
  problems: SettingProblem[];
} {
  const problems: SettingProblem[] = [];
  const settings = {} as Record<SettingKey, Setting<unknown>>;
  for (const key of Object.keys(SETTING_IDS) as SettingKey[]) {
    const l = layers[key] ?? {};
    settings[key] = { value: undefined, layer: 'default' };
    for (const layer of ['managed', 'workspace', 'user', 'default'] as const) {
      const raw = l[layer];
      if (raw === undefined || raw === null) continue;
      const checked = (validators[key] as Validator<unknown>)(raw);
      if ('problem' in checked) {
        problems.push({ id: SETTING_IDS[key], layer, message: checked.problem });
        continue;
      }
      if ('unset' in checked) continue;
      settings[key] = { value: checked.value, layer };
      break;
    }
  }
  return { settings: settings as unknown as BedrockSettings, problems };
}

/** Settings a managed file may pin, by public id. */
export const SETTING_KEY_BY_ID: Record<string, SettingKey> = Object.fromEntries(
  (Object.keys(SETTING_IDS) as SettingKey[]).map((k) => [SETTING_IDS[k], k]),
);

/**
 * Settings that decide where credentials go (or, for the inference profile
 * choice, which geographies may process a prompt). They are application-scoped,
 * so a workspace (a cloned repository) can never redirect a user's credentials
 * or data; workspace values for them are ignored even if present.
 */
export const APPLICATION_SCOPED: readonly SettingKey[] = ['authMethod', 'profile', 'endpoint', 'controlPlaneEndpoint', 'inferenceProfile', 'guardrail'];
