import { AuthResolution, effectiveProfile, resolveAuth } from './auth/resolve';
import { StoredSecrets } from './auth/types';
import { ControlPlane, resolveControlPlane } from './config/controlPlane';
import { Env } from './config/env';
import { ManagedSettings } from './config/managedSettings';
import { NetworkConfig, NetworkSettings, resolveNetwork } from './config/network';
import { methodAllowed, methodRefusal, Policy, PolicyElsewhere, policyElsewhereWarning, resolvePolicy } from './config/policy';
import { ResolvedRegion, resolveRegion } from './config/region';
import { BedrockSettings, mergeSettings, SETTING_IDS, SettingKey, SettingLayers, SettingProblem } from './config/settings';
import { allowedModels } from './models/allowed';
import { ChatModel, listModels } from './models/chatModel';

export interface StateInputs {
  /** inspect() values from the editor, per setting; the managed layer is filled from `managed`. */
  layers: Partial<Record<SettingKey, SettingLayers>>;
  managed: ManagedSettings;
  secrets: StoredSecrets;
  env: Env;
  /** Reads a profile's region from the AWS config files. */
  profileRegion: (profile: string) => Promise<string | undefined>;
  /** VS Code's http.* settings (proxy, certificates); absent: the environment alone. */
  network?: NetworkSettings;
  /** Policy keys found in user or workspace settings, where they are ignored. */
  policyElsewhere?: PolicyElsewhere[];
}

/** Everything the extension derives from settings, secrets and environment. */
export interface BedrockState {
  settings: BedrockSettings;
  problems: SettingProblem[];
  managed: ManagedSettings;
  auth: AuthResolution;
  region: ResolvedRegion;
  endpoint?: string;
  /** Where model discovery goes, or why it does not run. */
  controlPlane: ControlPlane;
  /** The models offered without discovery: custom ones and the catalogue (the provider merges in what discovery finds). */
  models: ChatModel[];
  /** Proxy and trusted CAs for every client. */
  network: NetworkConfig;
  /** The administrator's policy (allowed methods and models) from the managed file. */
  policy: Policy;
}

export async function resolveState(inputs: StateInputs): Promise<BedrockState> {
  const layers: Partial<Record<SettingKey, SettingLayers>> = {};
  for (const key of Object.keys(inputs.layers) as SettingKey[]) layers[key] = { ...inputs.layers[key] };
  for (const [key, value] of Object.entries(inputs.managed.values) as [SettingKey, unknown][]) {
    layers[key] = { ...layers[key], managed: value };
  }
  const { settings, problems } = mergeSettings(layers);
  let auth = resolveAuth({ settings, settingProblems: problems, managedError: inputs.managed.error, secrets: inputs.secrets, env: inputs.env });
  // A method the user set but misspelt: precedence would pick another way of signing in without their choosing it.
  const methodProblem = problems.find((p) => p.id === SETTING_IDS.authMethod && p.layer !== 'managed');
  if (methodProblem && auth.ok) {
    auth = { ok: false, source: 'settings', message: `The ${methodProblem.layer} setting ${methodProblem.id} is invalid: ${methodProblem.message}. Fix it, or run "Bedrock: Select Authentication Method".`, fix: 'selectAuthMethod' };
  }
  // The administrator's policy: a method outside it is refused, never replaced by the next source.
  const policy = resolvePolicy(inputs.managed);
  for (const e of inputs.policyElsewhere ?? []) problems.push({ id: e.id, layer: e.layer, message: policyElsewhereWarning(e) });
  if (auth.ok && policy.error) auth = { ok: false, source: 'managed', message: policy.error, policy: true };
  if (auth.ok && !methodAllowed(policy, auth.auth.kind)) {
    auth = { ok: false, method: auth.auth.kind, source: 'managed', message: methodRefusal(policy, auth.auth.kind, chosenBecause(auth, settings)), fix: 'selectAuthMethod', policy: true };
  }
  // An endpoint the user meant but we cannot use must not quietly become AWS's own endpoint.
  const endpointProblem = problems.find((p) => p.id === SETTING_IDS.endpoint);
  if (endpointProblem && auth.ok) {
    auth = { ok: false, source: 'settings', message: `The ${endpointProblem.layer} setting ${endpointProblem.id} is invalid: ${endpointProblem.message}. Fix or clear it.` };
  }
  // Likewise a region setting that is not a region: requests must not quietly go to another region (and geography).
  const regionProblem = problems.find((p) => p.id === SETTING_IDS.region && p.layer !== 'managed');
  if (regionProblem && auth.ok) {
    auth = { ok: false, source: 'settings', message: `The ${regionProblem.layer} setting ${regionProblem.id} is invalid: ${regionProblem.message}. Fix it, or run "Bedrock: Select Region".`, fix: 'selectRegion' };
  }
  const profile = effectiveProfile(auth.ok ? auth.auth : undefined, inputs.env);
  const region = await resolveRegion(settings.region, inputs.env, () => inputs.profileRegion(profile));
  // Likewise a malformed AWS_REGION: requests to a made-up host would only fail later, less clearly.
  if (region.problem && auth.ok) auth = { ok: false, source: region.source === 'environment' ? 'environment' : 'settings', message: region.problem };
  // A proxy that is configured but unusable: going around it could break a company's rules, so refuse.
  const network = resolveNetwork(inputs.network ?? {}, inputs.env);
  if (network.problem && auth.ok) auth = { ok: false, source: 'settings', message: network.problem };
  return {
    settings,
    problems,
    managed: inputs.managed,
    auth,
    region,
    endpoint: settings.endpoint.value,
    controlPlane: resolveControlPlane(settings, problems, inputs.env),
    models: allowedModels(listModels(region.region, settings.customModels.value, { inferenceProfile: settings.inferenceProfile.value, hidden: settings.hiddenModels.value }), policy),
    network,
    policy,
  };
}

/** How precedence arrived at a method, in words for a policy refusal. */
function chosenBecause(auth: Extract<AuthResolution, { ok: true }>, settings: BedrockSettings): string {
  const kind = auth.auth.kind;
  const secret = kind === 'apiKey' ? 'an API key' : 'IAM credentials';
  const fromEnv = kind === 'apiKey' ? 'AWS_BEARER_TOKEN_BEDROCK is set' : 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set';
  switch (auth.source) {
    case 'managed':
    case 'settings': {
      const where = `${SETTING_IDS.authMethod} is "${settings.authMethod.value}" in your ${settings.authMethod.layer} settings`;
      if (auth.secretSource === 'secretStorage') return `${where}, with ${secret} stored in VS Code`;
      if (auth.secretSource === 'environment') return `${where}, and ${fromEnv} in the environment`;
      return where;
    }
    case 'secretStorage':
      return `${secret} stored in VS Code comes first when no method is set`;
    case 'environment':
      return `${fromEnv} in the environment VS Code started from`;
    case 'defaultChain':
      return 'nothing else is set, so the AWS SDK default credential chain';
  }
}
