import { baseModelId } from './geography';

/**
 * What each model accepts for reasoning ("thinking") and context size, as
 * AWS's model-parameter pages document it (checked 2026):
 *
 * - Claude 3.7 Sonnet and the Claude 4 to 4.5 models: extended thinking,
 *   `thinking: {type: "enabled", budget_tokens}` (at least 1,024, below
 *   max_tokens); the Claude 4 models also take interleaved thinking between
 *   tool calls with `anthropic_beta: ["interleaved-thinking-2025-05-14"]`.
 * - Claude Opus 4.6 and Sonnet 4.6: adaptive thinking, `thinking: {type:
 *   "adaptive"}` with `output_config: {effort}` (low, medium, high, max);
 *   `enabled` is deprecated there. Interleaving is automatic.
 * - Claude Opus 4.7 and later (and Mythos, Fable): adaptive only (`enabled`
 *   returns 400), effort up to xhigh and max, thinking text omitted unless
 *   `display: "summarized"` is asked for; Mythos and Fable cannot turn
 *   thinking off.
 * - OpenAI gpt-oss: `reasoning_effort` low, medium or high (it always
 *   reasons; medium when nothing is sent).
 * - Amazon Nova 2: `reasoningConfig: {type: "enabled", maxReasoningEffort}`
 *   low, medium or high (off by default); high takes no maxTokens,
 *   temperature or topP.
 * - Claude Sonnet 4 and 4.5 (and the 4.6 models at 200K): a 1M-token context
 *   with `anthropic_beta: ["context-1m-2025-08-07"]`.
 *
 * Anything else (DeepSeek-R1 reasons but takes no control; Llama, Mistral,
 * Qwen do not reason) gets no reasoning options.
 */

/** Thinking effort levels, lowest first. Public API (setting values, picker values): never rename. */
export const EFFORTS = ['off', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type Effort = (typeof EFFORTS)[number];

export const EFFORT_LABELS: Readonly<Record<Effort, string>> = {
  off: 'Off',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  xhigh: 'Extra high',
  max: 'Max',
};

export type ReasoningStyle =
  /** `thinking: {type: "enabled", budget_tokens}` */
  | 'claude-budget'
  /** `thinking: {type: "adaptive"}` + `output_config: {effort}` */
  | 'claude-adaptive'
  /** `reasoning_effort` */
  | 'reasoning-effort'
  /** `reasoningConfig: {type: "enabled", maxReasoningEffort}` */
  | 'nova';

export interface ReasoningProfile {
  style: ReasoningStyle;
  /** The levels the model accepts, lowest first; 'off' only where reasoning can be turned off. */
  levels: readonly Effort[];
  /** What the model does when no level is sent, for models that always reason. */
  natural?: Effort;
  /** Claude with a budget: interleaved thinking between tool calls via the beta flag. */
  interleavedBeta?: boolean;
  /** Adaptive Claude that omits thinking text unless `display: "summarized"` is asked for. */
  summarizedDisplay?: boolean;
}

export interface LongContext {
  /** The context window with the beta flag. */
  contextWindow: number;
  beta: string;
}

export const INTERLEAVED_THINKING_BETA = 'interleaved-thinking-2025-05-14';
export const CONTEXT_1M_BETA = 'context-1m-2025-08-07';

/** What identifies a model here: its id, and the base model id or family where the id is an ARN or alias. */
export interface ModelIdentity {
  id: string;
  version?: string;
  family?: string;
}

interface ClaudeVersion {
  line: string;
  major: number;
  minor: number;
}

/** `anthropic.claude-sonnet-4-5-20250929-v1:0` → sonnet 4.5; `claude-3-7-sonnet` → sonnet 3.7; `claude-opus-4-7` → opus 4.7. */
function claudeVersion(name: string): ClaudeVersion | undefined {
  const modern = /claude-(opus|sonnet|haiku|mythos|fable)-(\d+)(?:[-.](\d{1,2}))?(?!\d)/.exec(name);
  if (modern) return { line: modern[1], major: Number(modern[2]), minor: Number(modern[3] ?? 0) };
  const legacy = /claude-(\d+)[-.](\d+)-(opus|sonnet|haiku)/.exec(name);
  if (legacy) return { line: legacy[3], major: Number(legacy[1]), minor: Number(legacy[2]) };
  const named = /claude-(mythos|fable)\b/.exec(name);
  if (named) return { line: named[1], major: 0, minor: 0 };
  return undefined;
}

const atLeast = (v: ClaudeVersion, major: number, minor: number) => v.major > major || (v.major === major && v.minor >= minor);

/** The names a model is known by, lower case, base ids first. */
function names(model: ModelIdentity): string {
  return [model.version, baseModelId(model.id), model.family]
    .filter((s): s is string => !!s)
    .join(' ')
    .toLowerCase();
}

function claudeProfile(v: ClaudeVersion): ReasoningProfile | undefined {
  if (v.line === 'mythos' || v.line === 'fable') {
    // Always think; "disabled" is rejected. Mythos Preview has no xhigh.
    const preview = v.major === 0 && v.line === 'mythos';
    return { style: 'claude-adaptive', levels: preview ? ['low', 'medium', 'high', 'max'] : ['low', 'medium', 'high', 'xhigh', 'max'], natural: 'high', summarizedDisplay: true };
  }
  if (v.line === 'haiku') {
    if (atLeast(v, 5, 0)) return { style: 'claude-adaptive', levels: ['off', 'low', 'medium', 'high'], summarizedDisplay: true };
    if (atLeast(v, 4, 5)) return { style: 'claude-budget', levels: ['off', 'low', 'medium', 'high'], interleavedBeta: true };
    return undefined; // Claude 3.5 Haiku and older do not think
  }
  if (atLeast(v, 4, 7)) return { style: 'claude-adaptive', levels: ['off', 'low', 'medium', 'high', 'xhigh', 'max'], summarizedDisplay: true };
  if (atLeast(v, 4, 6)) return { style: 'claude-adaptive', levels: ['off', 'low', 'medium', 'high', 'max'] };
  if (atLeast(v, 4, 0)) return { style: 'claude-budget', levels: ['off', 'low', 'medium', 'high'], interleavedBeta: true };
  if (v.line === 'sonnet' && v.major === 3 && v.minor === 7) return { style: 'claude-budget', levels: ['off', 'low', 'medium', 'high'] };
  return undefined;
}

/** How this model reasons and which levels it takes; undefined for models without reasoning controls. */
export function reasoningProfile(model: ModelIdentity): ReasoningProfile | undefined {
  const s = names(model);
  if (s.includes('anthropic') || s.includes('claude')) {
    const v = claudeVersion(s);
    return v && claudeProfile(v);
  }
  if (s.includes('gpt-oss')) return { style: 'reasoning-effort', levels: ['low', 'medium', 'high'], natural: 'medium' };
  if (/nova-2\b|nova-2-/.test(s)) return { style: 'nova', levels: ['off', 'low', 'medium', 'high'] };
  return undefined;
}

/** A 1M-token context the model can switch to with a beta flag, when its standard window is smaller. */
export function longContext(model: ModelIdentity & { contextWindow: number }): LongContext | undefined {
  if (model.contextWindow >= 1_000_000) return undefined;
  const s = names(model);
  if (!(s.includes('anthropic') || s.includes('claude'))) return undefined;
  const v = claudeVersion(s);
  if (!v) return undefined;
  const offered = (v.line === 'sonnet' && v.major === 4 && v.minor <= 6) || (v.line === 'opus' && v.major === 4 && v.minor === 6);
  return offered ? { contextWindow: 1_000_000, beta: CONTEXT_1M_BETA } : undefined;
}

/** Whether this model is Claude: its signed (and redacted) reasoning must be replayed as it came. */
export function isClaude(model: ModelIdentity): boolean {
  const s = names(model);
  return s.includes('anthropic') || s.includes('claude');
}

/**
 * The level to send: `wanted` where the model takes it; 'off' on a model that
 * always reasons means its own default; a level above what it offers becomes
 * its highest below that (xhigh on a model without it → high), and one below
 * becomes its lowest.
 */
export function resolveEffort(profile: ReasoningProfile, wanted: Effort | undefined): Effort {
  const want = wanted ?? 'off';
  if (profile.levels.includes(want)) return want;
  if (want === 'off') return profile.natural ?? profile.levels[0];
  const rank = EFFORTS.indexOf(want);
  const below = [...profile.levels].reverse().find((l) => l !== 'off' && EFFORTS.indexOf(l) <= rank);
  return below ?? profile.levels.find((l) => l !== 'off')!;
}

export const isEffort = (v: unknown): v is Effort => typeof v === 'string' && (EFFORTS as readonly string[]).includes(v);
