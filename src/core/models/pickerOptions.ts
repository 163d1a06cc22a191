import { ChatModel, inputTokenBudget } from './chatModel';
import { Effort, EFFORT_LABELS, isEffort, longContext, ReasoningProfile, reasoningProfile, resolveEffort } from './reasoning';

/**
 * A model's own options in the editor's model picker, editor-neutral: VS Code
 * shows them from `LanguageModelChatInformation.configurationSchema` (a
 * property in group `navigation` sits in the picker itself as the thinking
 * effort, group `tokens` as the context size) and hands the choices back as
 * `options.modelConfiguration`. Only what the model really accepts is offered.
 */

/** The keys under which the choices come back. `contextSize` is the name VS Code's context widget and Copilot read. */
export const PICKER_KEYS = { effort: 'reasoningEffort', contextSize: 'contextSize' } as const;

export interface PickerProperty {
  type: 'string' | 'number';
  title: string;
  description: string;
  enum: (string | number)[];
  enumItemLabels: string[];
  enumDescriptions: string[];
  default: string | number;
  group: 'navigation' | 'tokens';
}

export interface PickerOptions {
  /** `{ properties }` for configurationSchema; undefined when the model has no options. */
  schema?: { properties: Record<string, PickerProperty> };
  /**
   * The input budget to report: with a 1M choice, the 1M budget, because
   * Copilot only ever lowers a model's budget to the chosen `contextSize`
   * (which VS Code also uses for its context-window indicator).
   */
  maxInputTokens: number;
}

export interface ContextChoice {
  /** Input budgets (maxInputTokens) for the standard window and the long one. */
  standard: number;
  extended: number;
  extendedWindow: number;
  beta: string;
}

const EFFORT_DESCRIPTIONS: Readonly<Record<Effort, string>> = {
  off: 'No extended thinking.',
  low: 'Thinks briefly: fastest and cheapest.',
  medium: 'Balanced thinking.',
  high: 'Thinks thoroughly before answering.',
  xhigh: 'Extended thinking for long, hard agentic work.',
  max: 'The deepest thinking the model offers.',
};

const short = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${Math.round(n / 1000)}K`);

/** The 1M-context choice for this model, with the input budgets each choice gives. */
export function contextChoice(model: ChatModel): ContextChoice | undefined {
  const long = longContext(model);
  if (!long) return undefined;
  return {
    standard: inputTokenBudget(model.contextWindow, model.outputBudget, model.toolCalling),
    extended: inputTokenBudget(long.contextWindow, model.outputBudget, model.toolCalling),
    extendedWindow: long.contextWindow,
    beta: long.beta,
  };
}

/** The effort to use: the picker's choice, else the setting, each resolved to what the model takes. */
export function chosenEffort(profile: ReasoningProfile, modelConfiguration: Readonly<Record<string, unknown>> | undefined, defaultEffort: unknown): { effort: Effort; explicit: boolean } {
  const picked = modelConfiguration?.[PICKER_KEYS.effort];
  if (isEffort(picked)) return { effort: resolveEffort(profile, picked), explicit: picked !== 'off' };
  const fallback = isEffort(defaultEffort) ? defaultEffort : 'off';
  return { effort: resolveEffort(profile, fallback), explicit: fallback !== 'off' };
}

/** Whether the request asks for the long context (a contextSize above the standard budget). */
export function wantsLongContext(choice: ContextChoice, modelConfiguration: Readonly<Record<string, unknown>> | undefined): boolean {
  const size = modelConfiguration?.[PICKER_KEYS.contextSize];
  return typeof size === 'number' && size > choice.standard;
}

export function pickerOptions(model: ChatModel, defaults: { effort?: unknown } = {}): PickerOptions {
  const properties: Record<string, PickerProperty> = {};
  const profile = reasoningProfile(model);
  if (profile && profile.levels.length > 1) {
    const fallback = chosenEffort(profile, undefined, defaults.effort).effort;
    properties[PICKER_KEYS.effort] = {
      type: 'string',
      title: 'Thinking Effort',
      description: `How much ${model.name} thinks before it answers. The default comes from the setting bedrockChat.reasoning.effort.`,
      enum: [...profile.levels],
      enumItemLabels: profile.levels.map((l) => EFFORT_LABELS[l]),
      enumDescriptions: profile.levels.map((l) => EFFORT_DESCRIPTIONS[l]),
      default: fallback,
      group: 'navigation',
    };
  }
  const context = contextChoice(model);
  if (context) {
    properties[PICKER_KEYS.contextSize] = {
      type: 'number',
      title: 'Context Size',
      description: `${short(context.extendedWindow)} tokens uses Bedrock's long-context beta; input beyond 200K tokens is billed at the long-context rate.`,
      enum: [context.standard, context.extended],
      enumItemLabels: [short(model.contextWindow), short(context.extendedWindow)],
      enumDescriptions: [`The standard ${short(model.contextWindow)}-token context window.`, `A ${short(context.extendedWindow)}-token context window (beta).`],
      default: context.standard,
      group: 'tokens',
    };
  }
  return {
    ...(Object.keys(properties).length ? { schema: { properties } } : {}),
    maxInputTokens: context ? context.extended : model.maxInputTokens,
  };
}
