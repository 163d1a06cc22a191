import { baseModelId } from './geography';
import { ModelIdentity } from './reasoning';

/**
 * What a model's prompt cache takes (Bedrock prompt caching; Anthropic's and
 * Amazon's minimums per checkpoint): a cache point only creates a cache entry
 * when the prompt since the previous one is at least `minTokens` long (a
 * shorter one is accepted and silently not cached, but still uses one of the
 * four places), and Nova cannot cache the tool list.
 */
export interface CacheProfile {
  minTokens: number;
  /** A cache point may follow the tool list (toolConfig.tools). */
  tools: boolean;
}

/** At most four cache points per request. */
export const MAX_CACHE_POINTS = 4;

/**
 * Minimum tokens per cache checkpoint, by Claude line and version: 1,024 for
 * Claude 3.7 Sonnet, Sonnet 4 / 4.5 and Opus 4 / 4.1; 2,048 for Claude 3.5
 * Haiku (and, the sources differ, Sonnet 4.6); 4,096 for Haiku 4.5 and Opus
 * 4.5 and later. Unknown Claude models get the largest.
 */
function claudeMinimum(name: string): number {
  if (/claude-3-7-sonnet|claude-sonnet-4-(20|5-)|claude-sonnet-4-5\b|claude-opus-4-(20|1-)|claude-opus-4-1\b/.test(name)) return 1024;
  if (/claude-3-5-haiku|claude-sonnet-4-6/.test(name)) return 2048;
  return 4096;
}

/** How this model caches; undefined when it takes no cache points. */
export function cacheProfile(model: ModelIdentity & { cachePoints: boolean }): CacheProfile | undefined {
  if (!model.cachePoints) return undefined;
  const name = [model.version, baseModelId(model.id), model.family].filter(Boolean).join(' ').toLowerCase();
  if (name.includes('anthropic') || name.includes('claude')) return { minTokens: claudeMinimum(name), tools: true };
  // Amazon Nova: about 1,000 tokens per checkpoint, system prompt and messages only.
  if (name.includes('nova')) return { minTokens: 1024, tools: false };
  return { minTokens: 4096, tools: false };
}
