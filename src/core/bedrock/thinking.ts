import type { Message } from '@aws-sdk/client-bedrock-runtime';
import { ChatOptions } from '../chat/types';
import { ChatModel } from '../models/chatModel';
import { chosenEffort } from '../models/pickerOptions';
import { Effort, EFFORT_LABELS, INTERLEAVED_THINKING_BETA, reasoningProfile } from '../models/reasoning';

/**
 * The request fields for the thinking effort chosen for a model: Claude's
 * `thinking` (a budget, or adaptive with an effort), gpt-oss's
 * `reasoning_effort`, Nova 2's `reasoningConfig`; and what thinking demands
 * of the rest of the request (no temperature or topP, no forced tool choice,
 * room for the thinking in maxTokens).
 */
export interface ThinkingPlan {
  effort: Effort;
  /** Merged into additionalModelRequestFields. */
  fields: Record<string, unknown>;
  betas: string[];
  /** Undefined: send no maxTokens (Nova 2 at high effort takes none). */
  maxTokens: number | undefined;
  /** Temperature and topP must not be sent. */
  noSampling: boolean;
  /** toolChoice any/tool must not be sent. */
  noForcedToolChoice: boolean;
  notes: string[];
}

/**
 * Tokens set aside for thinking per level: Claude's budget_tokens (manual
 * mode), and what is added to maxTokens so thinking does not eat the answer.
 * Anthropic's minimum budget is 1,024.
 */
export const THINKING_TOKENS: Readonly<Record<Exclude<Effort, 'off'>, number>> = {
  low: 2_048,
  medium: 8_192,
  high: 24_576,
  xhigh: 32_768,
  max: 49_152,
};
const MIN_BUDGET = 1_024;
/** A budget leaves at least this much of maxTokens for the answer itself. */
const MIN_ANSWER_TOKENS = 4_096;

/**
 * The last assistant turn when the request continues its tool calls (the
 * final user turn answers them): one assistant turn for Anthropic, whose
 * thinking configuration cannot change inside it.
 */
function openToolTurn(turns: readonly Message[]): Message | undefined {
  const last = turns[turns.length - 1];
  const prev = turns[turns.length - 2];
  if (last?.role !== 'user' || prev?.role !== 'assistant') return undefined;
  return last.content?.some((b) => b.toolResult) && prev.content?.some((b) => b.toolUse) ? prev : undefined;
}

export function planThinking(model: ChatModel, options: ChatOptions, turns: readonly Message[], hasTools: boolean): ThinkingPlan {
  const baseMax = Math.min(options.maxTokens ?? model.outputBudget, model.maxOutputTokens);
  const off: ThinkingPlan = { effort: 'off', fields: {}, betas: [], maxTokens: baseMax, noSampling: false, noForcedToolChoice: false, notes: [] };
  const profile = reasoningProfile(model);
  if (!profile) return off;
  const { effort, explicit } = chosenEffort(profile, options.modelConfiguration, options.defaultEffort);
  // A model that always reasons and was not asked for a level: leave it at its own default.
  if (effort === 'off' || !explicit) return off;
  const label = EFFORT_LABELS[effort];

  switch (profile.style) {
    case 'reasoning-effort':
      return { ...off, effort, fields: { reasoning_effort: effort } };
    case 'nova':
      // High effort takes no maxTokens, temperature or topP; forced tool use is not offered with reasoning.
      return {
        ...off,
        effort,
        fields: { reasoningConfig: { type: 'enabled', maxReasoningEffort: effort } },
        maxTokens: effort === 'high' ? undefined : baseMax,
        noSampling: true,
        noForcedToolChoice: true,
      };
    case 'claude-adaptive': {
      const maxTokens = Math.min(model.maxOutputTokens, baseMax + THINKING_TOKENS[effort]);
      return {
        ...off,
        effort,
        fields: {
          thinking: { type: 'adaptive', ...(profile.summarizedDisplay ? { display: 'summarized' } : {}) },
          output_config: { effort },
        },
        maxTokens,
        noSampling: true,
        noForcedToolChoice: true,
      };
    }
    case 'claude-budget': {
      // One thinking configuration per assistant turn: a tool loop that began without thinking ends without it.
      const open = openToolTurn(turns);
      if (open && !open.content?.[0]?.reasoningContent) {
        return {
          ...off,
          notes: [`Thinking effort ${label} starts with the next message: ${model.name} is in the middle of a tool call that began without thinking, and Anthropic requires one thinking setting per turn.`],
        };
      }
      const maxTokens = Math.min(model.maxOutputTokens, baseMax + THINKING_TOKENS[effort]);
      const budget = Math.min(THINKING_TOKENS[effort], maxTokens - MIN_ANSWER_TOKENS);
      if (budget < MIN_BUDGET) {
        return { ...off, notes: [`Thinking was not turned on: ${model.name} allows ${model.maxOutputTokens} output tokens, too few for a thinking budget of at least ${MIN_BUDGET} plus an answer.`] };
      }
      return {
        ...off,
        effort,
        fields: { thinking: { type: 'enabled', budget_tokens: budget } },
        betas: hasTools && profile.interleavedBeta ? [INTERLEAVED_THINKING_BETA] : [],
        maxTokens,
        noSampling: true,
        noForcedToolChoice: true,
      };
    }
  }
}
