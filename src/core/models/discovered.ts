import { thousands } from '../config/format';
import { CustomModelSetting, InferenceProfileSetting, SETTING_IDS } from '../config/settings';
import { CATALOGUE, CatalogueEntry } from './catalogue';
import { ChatModel, fromCustom, fromEntry, listModels, pickerDetail } from './chatModel';
import { geographiesFor } from './geography';
import { hideModels } from './hidden';

/**
 * What the Bedrock control plane says about a region (ListFoundationModels,
 * ListInferenceProfiles), reduced to what choosing models needs. The network
 * half lives in bedrock/discovery.ts; this file is pure.
 */
export interface DiscoveredFoundationModel {
  modelId: string;
  name?: string;
  provider?: string;
  inputModalities: string[];
  outputModalities: string[];
  streaming: boolean;
  /** ON_DEMAND, INFERENCE_PROFILE, PROVISIONED. */
  inferenceTypes: string[];
  /** ACTIVE or LEGACY. */
  status?: string;
}

export interface DiscoveredProfile {
  /** `us.anthropic.claude…` for a system-defined profile; the short id of an application profile. */
  id: string;
  arn: string;
  name: string;
  /** SYSTEM_DEFINED or APPLICATION. */
  type: string;
  status?: string;
  /** The foundation models it routes to (ids without region), unique. */
  modelIds: string[];
  /** The regions it routes to. */
  regions: string[];
}

export interface Discovery {
  foundationModels: DiscoveredFoundationModel[];
  /** System-defined and application profiles; undefined when they could not be listed. */
  profiles?: DiscoveredProfile[];
}

export interface OfferInput {
  region: string;
  custom?: CustomModelSetting[];
  inferenceProfile?: InferenceProfileSetting;
  hidden?: readonly string[];
  /** Undefined: discovery is off or failed; the catalogue is offered. */
  discovery?: Discovery;
  /** Application profiles looked up one by one (GetInferenceProfile) for custom ARNs the list lacks. */
  lookedUp?: DiscoveredProfile[];
}

export interface Offer {
  models: ChatModel[];
  source: 'discovery' | 'catalogue';
  /** Why the catalogue was offered although discovery answered (nothing usable in it). */
  fallbackReason?: string;
  /** Models reachable here only through a global. profile, left out because the setting is "geographic". */
  globalOnly: string[];
}

/**
 * Limits for a model no catalogue entry knows: small enough that no request
 * is cut off for being too long, and nothing claimed that the model may lack
 * (tools, documents, forced tool choice). Declare it in bedrockChat.models.custom
 * to change them.
 */
export const UNKNOWN_MODEL_LIMITS = { contextWindow: 32_000, maxOutputTokens: 4_096 };

const fmt = thousands;
const UNKNOWN_NOTE = `Not in Bedrock Chat's catalogue, so it gets conservative limits (${fmt(UNKNOWN_MODEL_LIMITS.contextWindow)}-token context, ${fmt(UNKNOWN_MODEL_LIMITS.maxOutputTokens)} output, no tools or documents); declare it in ${SETTING_IDS.customModels} to change them.`;

const catalogueEntry = (modelId: string): CatalogueEntry | undefined => CATALOGUE.find((e) => e.modelId === modelId);

/** `arn:aws:bedrock:us-east-1::foundation-model/anthropic.x` → region and model id. */
export function parseModelArn(arn: string): { region?: string; modelId: string } {
  const m = /^arn:[^:]+:bedrock:([^:]*):[^:]*:foundation-model\/(.+)$/.exec(arn);
  return m ? { region: m[1] || undefined, modelId: m[2] } : { modelId: arn.split('/').pop() ?? arn };
}

/** Offered at all: active, streams, answers in text, callable on demand or through a profile. */
function usable(fm: DiscoveredFoundationModel): boolean {
  return (
    (fm.status ?? 'ACTIVE') === 'ACTIVE' &&
    fm.streaming &&
    fm.outputModalities.includes('TEXT') &&
    (fm.inferenceTypes.includes('ON_DEMAND') || fm.inferenceTypes.includes('INFERENCE_PROFILE'))
  );
}

/** The prefix of a system profile for `modelId`: `us` for `us.anthropic.x`. */
function prefixOf(profile: DiscoveredProfile, modelId: string): string {
  return profile.id.endsWith(`.${modelId}`) ? profile.id.slice(0, -modelId.length - 1) : profile.id.split('.')[0];
}

interface Choice {
  id: string;
  note: string;
}

/**
 * Which id to send for a foundation model, from the profiles Bedrock lists in
 * this region (their prefixes, not a table). A geographic profile where there
 * is one (the most local: fewest regions), since it gives more capacity at the
 * on-demand price and keeps ids stable whatever the region offers on demand;
 * else the on-demand id; `global.` only when the setting says so.
 */
function chooseId(
  modelId: string,
  name: string,
  onDemand: boolean,
  profiles: DiscoveredProfile[] | undefined,
  region: string,
  setting: InferenceProfileSetting,
): Choice | 'globalOnly' | undefined {
  if (!profiles) {
    // Profiles could not be listed: the catalogue's geographies, else the region's table.
    const entry = catalogueEntry(modelId);
    const geos = geographiesFor(region).filter((g) => (entry ? entry.profiles?.includes(g) : true));
    if (setting === 'global' && geos.includes('global')) return { id: `global.${modelId}`, note: globalNote(`global.${modelId}`) };
    const geo = geos.find((g) => g !== 'global');
    if (geo && (entry || !onDemand)) {
      return { id: `${geo}.${modelId}`, note: `Sends ${geo}.${modelId}, the ${geo}. geographic inference profile (inference profiles could not be listed, so the prefix comes from the region).` };
    }
    return onDemand ? { id: modelId, note: `Sends ${modelId} on demand: Bedrock lists it as served directly in ${region}.` } : undefined;
  }
  const global = profiles.find((p) => prefixOf(p, modelId) === 'global');
  const order = geographiesFor(region) as string[];
  const rank = (p: DiscoveredProfile) => (order.indexOf(prefixOf(p, modelId)) + 1 || order.length + 1);
  const geographic = profiles
    .filter((p) => p !== global)
    .sort((a, b) => (a.regions.length || Infinity) - (b.regions.length || Infinity) || rank(a) - rank(b) || a.id.localeCompare(b.id))[0];
  if (setting === 'global' && global) return { id: global.id, note: globalNote(global.id) };
  if (geographic) {
    const geo = prefixOf(geographic, modelId);
    const where = geographic.regions.length ? ` (routes to ${geographic.regions.join(', ')})` : '';
    const why = onDemand ? `chosen over on-demand for more capacity at the same price` : `${name} needs an inference profile in ${region}`;
    return { id: geographic.id, note: `Sends ${geographic.id}, the ${geo}. geographic inference profile${where}: ${why}.` };
  }
  if (onDemand) return { id: modelId, note: `Sends ${modelId} on demand: Bedrock lists it as served directly in ${region}.` };
  return global ? 'globalOnly' : undefined;
}

function globalNote(id: string): string {
  return `Sends ${id}, the global inference profile, because ${SETTING_IDS.inferenceProfile} is "global" (requests may be served in any commercial region).`;
}

/** A model the catalogue does not know, with conservative limits. */
function unknownModel(id: string, name: string, fm: DiscoveredFoundationModel | undefined, note: string): ChatModel {
  const model = fromCustom({
    id,
    name,
    contextWindow: UNKNOWN_MODEL_LIMITS.contextWindow,
    maxOutputTokens: UNKNOWN_MODEL_LIMITS.maxOutputTokens,
    toolCalling: false,
    imageInput: fm?.inputModalities.includes('IMAGE') ?? false,
    documentInput: false,
    toolChoiceAny: false,
  });
  return {
    ...model,
    family: fm?.modelId ?? model.family,
    version: fm?.modelId ?? id,
    provider: fm?.provider ?? 'Unknown',
    detail: pickerDetail(fm?.provider ?? 'unknown model'),
    idNote: `${note} ${UNKNOWN_NOTE}`,
  };
}

/** A model the catalogue knows, addressed by `id`. */
function knownModel(entry: CatalogueEntry, id: string, note: string): ChatModel {
  return { ...fromEntry(entry, id), idNote: note };
}

/**
 * The models to offer: the user's custom ones first, then (with discovery)
 * their application inference profiles, then every usable model Bedrock lists
 * in the region, merged with the catalogue for what the API does not say
 * (limits, tools, documents, caching, reasoning). Without discovery, or when it
 * yields nothing usable, the catalogue. Never empty unless everything is hidden.
 */
export function offeredModels(input: OfferInput): Offer {
  const setting = input.inferenceProfile ?? 'geographic';
  const custom = input.custom ?? [];
  const appProfiles = [...(input.discovery?.profiles ?? []), ...(input.lookedUp ?? [])].filter((p) => p.type === 'APPLICATION');
  const wraps = (id: string) => appProfiles.find((p) => p.arn === id || p.id === id)?.modelIds[0];
  const catalogue = (fallbackReason?: string): Offer => ({
    models: listModels(input.region, custom, { inferenceProfile: setting, hidden: input.hidden, wraps }),
    source: 'catalogue',
    ...(fallbackReason ? { fallbackReason } : {}),
    globalOnly: [],
  });
  if (!input.discovery) return catalogue();

  const { foundationModels, profiles } = input.discovery;
  const byId = new Map(foundationModels.map((fm) => [fm.modelId, fm]));
  const system = profiles?.filter((p) => p.type !== 'APPLICATION' && (p.status ?? 'ACTIVE') === 'ACTIVE');
  const profilesFor = (modelId: string) => system?.filter((p) => p.modelIds.includes(modelId));
  const known: ChatModel[] = [];
  const unknown: ChatModel[] = [];
  const globalOnly: string[] = [];

  const offer = (modelId: string, fm: DiscoveredFoundationModel | undefined) => {
    const entry = catalogueEntry(modelId);
    const name = entry?.name ?? fm?.name ?? modelId;
    const choice = chooseId(modelId, name, fm?.inferenceTypes.includes('ON_DEMAND') ?? false, profilesFor(modelId), input.region, setting);
    if (choice === 'globalOnly') return void globalOnly.push(name);
    if (!choice) return;
    if (entry) known.push(knownModel(entry, choice.id, choice.note));
    else unknown.push(unknownModel(choice.id, name, fm, choice.note));
  };
  for (const fm of foundationModels) if (usable(fm)) offer(fm.modelId, fm);
  // A profile for a model the region does not list itself: only when the catalogue vouches that it chats.
  const profiled = new Set((system ?? []).flatMap((p) => p.modelIds));
  for (const modelId of profiled) if (!byId.has(modelId) && catalogueEntry(modelId)) offer(modelId, undefined);

  const applications: ChatModel[] = [];
  for (const p of appProfiles) {
    if ((p.status ?? 'ACTIVE') !== 'ACTIVE') continue;
    const modelId = p.modelIds[0];
    const entry = modelId ? catalogueEntry(modelId) : undefined;
    const fm = modelId ? byId.get(modelId) : undefined;
    if (fm && !entry && !usable(fm)) continue; // wraps an embedding or image model
    const note = `Sends ${p.arn}, your application inference profile "${p.name}"`;
    if (entry) applications.push({ ...knownModel(entry, p.arn, `${note}, for ${entry.name} (${entry.modelId}), with its capabilities.`), name: p.name, detail: pickerDetail('application profile') });
    else applications.push({ ...unknownModel(p.arn, p.name, fm, `${note}, for ${modelId ?? 'a model Bedrock did not name'}.`), detail: pickerDetail('application profile') });
  }

  const all = [...applications, ...known, ...unknown];
  if (!all.length) return catalogue(`Bedrock listed no model this extension can chat with in ${input.region}`);
  const customModels = custom.map((c) => fromCustom(c, wraps(c.id.trim())));
  const seen = new Set(customModels.map((m) => m.id));
  const discovered = hideModels(all, input.hidden).filter((m) => !seen.has(m.id) && (seen.add(m.id), true));
  return { models: [...customModels, ...discovered], source: 'discovery', globalOnly };
}
