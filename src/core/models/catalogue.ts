import { InferenceProfileSetting } from '../config/settings';
import { Geography, geographiesFor } from './geography';

/**
 * A curated list of current Bedrock chat models. Limits are the providers'
 * published ones. `profiles` lists the geographies with a cross-region
 * inference profile; `onDemand` the regions where the bare model id can be
 * called directly ('all' when that holds wherever the model is offered).
 * Live discovery (ListFoundationModels / ListInferenceProfiles) will refine
 * this; anything missing can be added with `bedrockChat.models.custom`.
 */
export interface CatalogueEntry {
  /** Bedrock base model id, without a geography prefix. */
  modelId: string;
  name: string;
  family: string;
  provider: string;
  contextWindow: number;
  maxOutputTokens: number;
  toolCalling: boolean;
  imageInput: boolean;
  /**
   * Accepts `toolChoice: {any: {}}` (must call a tool). AWS documents it for
   * Anthropic Claude, Amazon Nova and Mistral Large; other models reject the
   * request, so absent means tool mode Required is sent as `auto`.
   */
  toolChoiceAny?: boolean;
  /** Accepts `document` blocks (PDF, Word, Excel, CSV, HTML, text, Markdown): "Document chat" in AWS's Converse feature table. */
  documentInput?: boolean;
  /** Accepts `cachePoint` blocks (prompt caching). */
  cachePoints?: boolean;
  /** Emits reasoning content. */
  reasoning?: boolean;
  profiles?: Geography[];
  onDemand?: string[] | 'all';
}

const CLAUDE_GEOS: Geography[] = ['us', 'eu', 'apac', 'jp', 'au', 'global'];

export const CATALOGUE: readonly CatalogueEntry[] = [
  {
    modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0', name: 'Claude Sonnet 4.5', family: 'claude-sonnet-4.5', provider: 'Anthropic',
    contextWindow: 200_000, maxOutputTokens: 64_000, toolCalling: true, imageInput: true, documentInput: true, toolChoiceAny: true, cachePoints: true, reasoning: true,
    profiles: CLAUDE_GEOS,
  },
  {
    modelId: 'anthropic.claude-opus-4-5-20251101-v1:0', name: 'Claude Opus 4.5', family: 'claude-opus-4.5', provider: 'Anthropic',
    contextWindow: 200_000, maxOutputTokens: 64_000, toolCalling: true, imageInput: true, documentInput: true, toolChoiceAny: true, cachePoints: true, reasoning: true,
    profiles: ['us', 'eu', 'global'],
  },
  {
    modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0', name: 'Claude Haiku 4.5', family: 'claude-haiku-4.5', provider: 'Anthropic',
    contextWindow: 200_000, maxOutputTokens: 64_000, toolCalling: true, imageInput: true, documentInput: true, toolChoiceAny: true, cachePoints: true, reasoning: true,
    profiles: CLAUDE_GEOS,
  },
  {
    modelId: 'anthropic.claude-opus-4-1-20250805-v1:0', name: 'Claude Opus 4.1', family: 'claude-opus-4.1', provider: 'Anthropic',
    contextWindow: 200_000, maxOutputTokens: 32_000, toolCalling: true, imageInput: true, documentInput: true, toolChoiceAny: true, cachePoints: true, reasoning: true,
    profiles: ['us'],
  },
  {
    modelId: 'anthropic.claude-sonnet-4-20250514-v1:0', name: 'Claude Sonnet 4', family: 'claude-sonnet-4', provider: 'Anthropic',
    contextWindow: 200_000, maxOutputTokens: 64_000, toolCalling: true, imageInput: true, documentInput: true, toolChoiceAny: true, cachePoints: true, reasoning: true,
    profiles: ['us', 'eu', 'apac', 'global'],
  },
  {
    modelId: 'anthropic.claude-3-7-sonnet-20250219-v1:0', name: 'Claude 3.7 Sonnet', family: 'claude-3.7-sonnet', provider: 'Anthropic',
    contextWindow: 200_000, maxOutputTokens: 64_000, toolCalling: true, imageInput: true, documentInput: true, toolChoiceAny: true, cachePoints: true, reasoning: true,
    profiles: ['us', 'eu', 'apac'],
  },
  {
    modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0', name: 'Claude 3.5 Haiku', family: 'claude-3.5-haiku', provider: 'Anthropic',
    contextWindow: 200_000, maxOutputTokens: 8_192, toolCalling: true, imageInput: false, documentInput: true, toolChoiceAny: true, cachePoints: true,
    profiles: ['us'],
  },
  {
    modelId: 'amazon.nova-premier-v1:0', name: 'Amazon Nova Premier', family: 'nova-premier', provider: 'Amazon',
    contextWindow: 1_000_000, maxOutputTokens: 32_000, toolCalling: true, imageInput: true, documentInput: true, toolChoiceAny: true,
    profiles: ['us'],
  },
  {
    modelId: 'amazon.nova-2-lite-v1:0', name: 'Amazon Nova 2 Lite', family: 'nova-2-lite', provider: 'Amazon',
    contextWindow: 1_000_000, maxOutputTokens: 65_536, toolCalling: true, imageInput: true, documentInput: true, toolChoiceAny: true, cachePoints: true, reasoning: true,
    profiles: ['us', 'eu', 'apac', 'jp', 'global'],
  },
  {
    modelId: 'amazon.nova-pro-v1:0', name: 'Amazon Nova Pro', family: 'nova-pro', provider: 'Amazon',
    contextWindow: 300_000, maxOutputTokens: 10_000, toolCalling: true, imageInput: true, documentInput: true, toolChoiceAny: true, cachePoints: true,
    profiles: ['us', 'eu', 'apac'],
  },
  {
    modelId: 'amazon.nova-lite-v1:0', name: 'Amazon Nova Lite', family: 'nova-lite', provider: 'Amazon',
    contextWindow: 300_000, maxOutputTokens: 10_000, toolCalling: true, imageInput: true, documentInput: true, toolChoiceAny: true, cachePoints: true,
    profiles: ['us', 'eu', 'apac'],
  },
  {
    modelId: 'amazon.nova-micro-v1:0', name: 'Amazon Nova Micro', family: 'nova-micro', provider: 'Amazon',
    contextWindow: 128_000, maxOutputTokens: 10_000, toolCalling: true, imageInput: false, toolChoiceAny: true, cachePoints: true,
    profiles: ['us', 'eu', 'apac'],
  },
  {
    modelId: 'meta.llama4-maverick-17b-instruct-v1:0', name: 'Llama 4 Maverick 17B', family: 'llama-4-maverick', provider: 'Meta',
    contextWindow: 1_000_000, maxOutputTokens: 8_192, toolCalling: true, imageInput: true, documentInput: true,
    profiles: ['us'],
  },
  {
    modelId: 'meta.llama4-scout-17b-instruct-v1:0', name: 'Llama 4 Scout 17B', family: 'llama-4-scout', provider: 'Meta',
    contextWindow: 3_500_000, maxOutputTokens: 8_192, toolCalling: true, imageInput: true, documentInput: true,
    profiles: ['us'],
  },
  {
    modelId: 'meta.llama3-3-70b-instruct-v1:0', name: 'Llama 3.3 70B', family: 'llama-3.3', provider: 'Meta',
    contextWindow: 128_000, maxOutputTokens: 8_192, toolCalling: true, imageInput: false, documentInput: true,
    profiles: ['us'],
  },
  {
    modelId: 'mistral.pixtral-large-2502-v1:0', name: 'Pixtral Large (25.02)', family: 'pixtral-large', provider: 'Mistral AI',
    contextWindow: 128_000, maxOutputTokens: 8_192, toolCalling: true, imageInput: true, documentInput: true,
    profiles: ['us', 'eu'],
  },
  {
    modelId: 'mistral.mistral-large-2407-v1:0', name: 'Mistral Large (24.07)', family: 'mistral-large', provider: 'Mistral AI',
    contextWindow: 128_000, maxOutputTokens: 8_192, toolCalling: true, imageInput: false, documentInput: true, toolChoiceAny: true,
    onDemand: ['us-west-2'],
  },
  {
    modelId: 'deepseek.r1-v1:0', name: 'DeepSeek-R1', family: 'deepseek-r1', provider: 'DeepSeek',
    contextWindow: 128_000, maxOutputTokens: 32_768, toolCalling: false, imageInput: false, reasoning: true,
    profiles: ['us'],
  },
  {
    modelId: 'deepseek.v3-v1:0', name: 'DeepSeek-V3.1', family: 'deepseek-v3.1', provider: 'DeepSeek',
    contextWindow: 163_840, maxOutputTokens: 8_192, toolCalling: true, imageInput: false, reasoning: true,
    onDemand: ['us-west-2', 'ap-northeast-1', 'ap-south-1', 'eu-north-1', 'eu-west-2'],
  },
  {
    modelId: 'openai.gpt-oss-120b-1:0', name: 'gpt-oss-120b', family: 'gpt-oss-120b', provider: 'OpenAI',
    contextWindow: 128_000, maxOutputTokens: 32_768, toolCalling: true, imageInput: false, reasoning: true,
    onDemand: ['us-east-1', 'us-west-2', 'eu-north-1', 'eu-west-1', 'eu-south-1', 'ap-south-1', 'ap-northeast-1', 'ap-southeast-3'],
  },
  {
    modelId: 'openai.gpt-oss-20b-1:0', name: 'gpt-oss-20b', family: 'gpt-oss-20b', provider: 'OpenAI',
    contextWindow: 128_000, maxOutputTokens: 32_768, toolCalling: true, imageInput: false, reasoning: true,
    onDemand: ['us-east-1', 'us-west-2', 'eu-north-1', 'eu-west-1', 'eu-south-1', 'ap-south-1', 'ap-northeast-1', 'ap-southeast-3'],
  },
  {
    modelId: 'qwen.qwen3-coder-480b-a35b-v1:0', name: 'Qwen3 Coder 480B', family: 'qwen3-coder-480b', provider: 'Qwen',
    contextWindow: 262_144, maxOutputTokens: 65_536, toolCalling: true, imageInput: false,
    onDemand: ['us-west-2', 'ap-northeast-1', 'ap-south-1', 'eu-north-1', 'eu-west-2'],
  },
  {
    modelId: 'qwen.qwen3-235b-a22b-2507-v1:0', name: 'Qwen3 235B A22B', family: 'qwen3-235b', provider: 'Qwen',
    contextWindow: 262_144, maxOutputTokens: 65_536, toolCalling: true, imageInput: false,
    onDemand: ['us-west-2', 'ap-northeast-1', 'ap-south-1', 'eu-north-1', 'eu-west-2'],
  },
  {
    modelId: 'qwen.qwen3-coder-30b-a3b-v1:0', name: 'Qwen3 Coder 30B', family: 'qwen3-coder-30b', provider: 'Qwen',
    contextWindow: 262_144, maxOutputTokens: 65_536, toolCalling: true, imageInput: false,
    onDemand: ['us-west-2', 'ap-northeast-1', 'ap-south-1', 'eu-north-1', 'eu-west-2'],
  },
];

/**
 * The id Bedrock needs for this model from `region`: the bare id where it can
 * be called on demand, else the most specific geographic inference profile
 * the region can use. `global.` only when the user chose it
 * (`bedrockChat.models.inferenceProfile`): it routes to any commercial region,
 * which accounts whose SCPs deny other regions refuse. Undefined when the
 * model cannot be reached from that region that way.
 */
export function invocationId(entry: CatalogueEntry, region: string, inferenceProfile: InferenceProfileSetting = 'geographic'): string | undefined {
  const geos = geographiesFor(region).filter((g) => entry.profiles?.includes(g));
  if (inferenceProfile === 'global' && geos.includes('global')) return `global.${entry.modelId}`;
  if (entry.onDemand === 'all' || entry.onDemand?.includes(region)) return entry.modelId;
  const geo = geos.find((g) => g !== 'global');
  return geo ? `${geo}.${entry.modelId}` : undefined;
}
