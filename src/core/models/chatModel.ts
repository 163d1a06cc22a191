import { CustomModelSetting, InferenceProfileSetting, SETTING_IDS } from '../config/settings';
import { CATALOGUE, CatalogueEntry, invocationId } from './catalogue';
import { baseModelId } from './geography';
import { hideModels } from './hidden';

/** A model as offered to the editor. `id` is exactly the id sent to Bedrock. */
export interface ChatModel {
  id: string;
  name: string;
  family: string;
  version: string;
  provider: string;
  contextWindow: number;
  maxInputTokens: number;
  maxOutputTokens: number;
  /** maxTokens sent by default; the rest of the context window is left for input. */
  outputBudget: number;
  toolCalling: boolean;
  imageInput: boolean;
  /** Accepts `document` blocks; without it attached documents become a note saying they were left out. */
  documentInput: boolean;
  /** Accepts toolChoice `any`; without it tool mode Required is sent as `auto`. */
  toolChoiceAny: boolean;
  cachePoints: boolean;
  reasoning: boolean;
  /** Shown next to the name in the model picker: "Bedrock · <model provider>", so it is not mistaken for another vendor's model. */
  detail?: string;
  /** Which id is sent and why (the tooltip says it): on demand, a geographic or global profile, an application profile, an unknown model. */
  idNote?: string;
}

/**
 * Bedrock counts a request's maxTokens against the account's tokens-per-minute
 * quota up front, so asking for a model's full 64K output on every turn
 * throttles early. 32K covers long agent turns; callers may ask for more.
 */
export const DEFAULT_OUTPUT_BUDGET = 32_000;

/**
 * Headroom kept out of the `maxInputTokens` given to the editor, which counts
 * messages one by one (provideTokenCount) and so never sees what Bedrock adds
 * to a request as a whole:
 * - tools: a Copilot agent request carries dozens of tool definitions plus the
 *   hidden tool-use system prompt (Anthropic documents 346 tokens for Claude
 *   3.7/4.x with tool choice auto; ~354 measured on Nova). The 38 tools Copilot
 *   Chat contributes in VS Code 1.139 (names, model descriptions, JSON schemas)
 *   are 8,986 tokens by Anthropic's public tokenizer, 236 a tool: 40 tools ≈
 *   9,440 + 346 ≈ 9,800, so 10,000. Copilot's agent prompt also subtracts its
 *   own count of the tool definitions (keys and strings only, no JSON
 *   structure, no preamble); other callers of vscode.lm subtract nothing.
 * - the estimate's error: 5% of the input budget (src/core/chat/tokens.ts is
 *   within ±10% of every recorded real count and leans high; Copilot keeps
 *   another 10% back).
 * At most a quarter of a small window goes to tools.
 */
export const TOOL_HEADROOM = 10_000;
export const ESTIMATE_MARGIN = 0.05;

/** Context window − output budget − tool headroom (models that take tools) − estimate margin. */
export function inputTokenBudget(contextWindow: number, outputBudget: number, toolCalling: boolean): number {
  const room = contextWindow - outputBudget;
  return Math.floor(room - (toolCalling ? Math.min(TOOL_HEADROOM, room / 4) : 0) - room * ESTIMATE_MARGIN);
}

/** The picker's detail: this vendor, then the model's maker. */
export function pickerDetail(provider: string): string {
  return `Bedrock · ${provider}`;
}

/** Why the catalogue sends `id` for this entry from `region`. */
function catalogueIdNote(entry: CatalogueEntry, id: string, region: string): string {
  if (id === entry.modelId) return `Sends ${id} on demand: ${entry.name} is served directly in ${region}.`;
  const geo = id.slice(0, id.length - entry.modelId.length - 1);
  if (geo === 'global') return `Sends ${id}, the global inference profile, because ${SETTING_IDS.inferenceProfile} is "global" (requests may be served in any commercial region).`;
  return `Sends ${id}, the ${geo}. geographic inference profile: ${entry.name} needs an inference profile in ${region}.`;
}

export function fromEntry(entry: CatalogueEntry, id: string): ChatModel {
  const outputBudget = Math.min(entry.maxOutputTokens, DEFAULT_OUTPUT_BUDGET);
  return {
    id,
    name: entry.name,
    family: entry.family,
    version: entry.modelId,
    provider: entry.provider,
    contextWindow: entry.contextWindow,
    // Reserve the output budget so a full prompt plus a full answer still fits, and the headroom above.
    maxInputTokens: inputTokenBudget(entry.contextWindow, outputBudget, entry.toolCalling),
    maxOutputTokens: entry.maxOutputTokens,
    outputBudget,
    toolCalling: entry.toolCalling,
    imageInput: entry.imageInput,
    documentInput: entry.documentInput ?? false,
    toolChoiceAny: entry.toolChoiceAny ?? false,
    cachePoints: entry.cachePoints ?? false,
    reasoning: entry.reasoning ?? false,
    detail: pickerDetail(entry.provider),
  };
}

const DEFAULT_CUSTOM = { contextWindow: 128_000, maxOutputTokens: 4_096 };

/**
 * A user-declared model (fine-tune, provisioned throughput, application
 * inference profile, gateway alias). `wraps`: the foundation model an
 * application inference profile routes to (discovery found it), whose
 * capabilities it keeps.
 */
export function fromCustom(c: CustomModelSetting, wraps?: string): ChatModel {
  const id = c.id.trim();
  const known = CATALOGUE.find((e) => e.modelId === (wraps ?? baseModelId(id)));
  const contextWindow = c.contextWindow ?? known?.contextWindow ?? DEFAULT_CUSTOM.contextWindow;
  const maxOutputTokens = Math.min(c.maxOutputTokens ?? known?.maxOutputTokens ?? DEFAULT_CUSTOM.maxOutputTokens, contextWindow - 1);
  const outputBudget = Math.min(maxOutputTokens, DEFAULT_OUTPUT_BUDGET);
  return {
    id,
    name: c.name?.trim() || known?.name || id.split('/').pop()!,
    family: known?.family ?? 'custom',
    version: id,
    provider: known?.provider ?? 'Custom',
    contextWindow,
    maxInputTokens: inputTokenBudget(contextWindow, outputBudget, c.toolCalling ?? known?.toolCalling ?? true),
    maxOutputTokens,
    outputBudget,
    toolCalling: c.toolCalling ?? known?.toolCalling ?? true,
    imageInput: c.imageInput ?? known?.imageInput ?? false,
    // Unknown models get only what every Converse model accepts.
    documentInput: c.documentInput ?? known?.documentInput ?? false,
    toolChoiceAny: c.toolChoiceAny ?? known?.toolChoiceAny ?? false,
    cachePoints: known?.cachePoints ?? false,
    reasoning: known?.reasoning ?? false,
    detail: pickerDetail('custom'),
    idNote: `Sends ${id} as declared in ${SETTING_IDS.customModels}${wraps ? `: an application inference profile for ${known?.name ?? wraps}` : ''}.`,
  };
}

export interface ListOptions {
  inferenceProfile?: InferenceProfileSetting;
  /** Glob patterns (bedrockChat.models.hidden); never hide the user's own custom models. */
  hidden?: readonly string[];
  /** The foundation model an application inference profile ARN routes to, where discovery found out. */
  wraps?: (id: string) => string | undefined;
}

/**
 * The models offered for `region` from the catalogue alone (discovery off or
 * failed): custom ones first, then the catalogue entries reachable there.
 */
export function listModels(region: string, custom: CustomModelSetting[] = [], options: ListOptions = {}): ChatModel[] {
  const models: ChatModel[] = custom.map((c) => fromCustom(c, options.wraps?.(c.id.trim())));
  const seen = new Set(models.map((m) => m.id));
  const catalogue: ChatModel[] = [];
  for (const entry of CATALOGUE) {
    const id = invocationId(entry, region, options.inferenceProfile);
    if (id && !seen.has(id)) {
      catalogue.push({ ...fromEntry(entry, id), idNote: catalogueIdNote(entry, id, region) });
      seen.add(id);
    }
  }
  return [...models, ...hideModels(catalogue, options.hidden)];
}
