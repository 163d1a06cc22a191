/**
 * `provideTokenCount` made cheap. Copilot calls it thousands of times before
 * one request, mostly with texts and messages it has counted before. So:
 * - a message object is converted and tallied once (WeakMap on the object:
 *   callers that keep their message objects, VS Code's own, pay once);
 * - a long text is tallied once (a bounded LRU on the string: Copilot builds
 *   fresh message objects for each count but reuses the same file contents and
 *   tool results, so the texts inside fresh messages hit this cache too);
 * - what is cached is the family-independent tally, so one cache serves every
 *   model, and turning it into a number is a few multiplications.
 *
 * Deliberately free of `vscode` at run time (only types): the converter comes
 * in as a parameter, so the memo logic is tested in plain Node.
 */
import type { ChatMessage } from '../core/chat/types';
import { addTally, countTally, emptyTally, tallyMessage, tallyText, TextTallier, TokenFamily, tokenFamily, TokenTally } from '../core/chat/tokens';

/** Texts shorter than this are tallied directly: hashing them into a cache costs about as much. */
export const MEMO_MIN_CHARS = 256;
/** The text cache holds at most this many texts and this many characters in total (~16 MB). */
export const MEMO_MAX_TEXTS = 2_000;
export const MEMO_MAX_CHARS = 8_000_000;

/** Least recently used first (a Map keeps insertion order; a hit re-inserts). */
class TextMemo {
  private readonly map = new Map<string, TokenTally>();
  private chars = 0;

  constructor(
    private readonly maxTexts: number,
    private readonly maxChars: number,
  ) {}

  get(text: string): TokenTally | undefined {
    const hit = this.map.get(text);
    if (hit) {
      this.map.delete(text);
      this.map.set(text, hit);
    }
    return hit;
  }

  set(text: string, tally: TokenTally): void {
    if (text.length > this.maxChars) return;
    this.map.set(text, tally);
    this.chars += text.length;
    for (const key of this.map.keys()) {
      if (this.map.size <= this.maxTexts && this.chars <= this.maxChars) break;
      this.map.delete(key);
      this.chars -= key.length;
    }
  }

  get size(): number {
    return this.map.size;
  }
}

export interface TokenCounterStats {
  messageHits: number;
  messageMisses: number;
  textHits: number;
  textMisses: number;
  /** How often the converter ran. */
  conversions: number;
}

export interface TokenCounter<M extends object> {
  /** Tokens of a text or one message for the model family (a message includes its template tokens). */
  count(family: TokenFamily, input: string | M): number;
  /** Tallies a text through the same memo (long texts counted before are not scanned again). */
  readonly text: TextTallier;
  readonly stats: TokenCounterStats;
}

export interface TokenCounterOptions {
  minChars?: number;
  maxTexts?: number;
  maxChars?: number;
}

export function createTokenCounter<M extends object>(
  convert: (messages: readonly M[]) => ChatMessage[],
  options: TokenCounterOptions = {},
): TokenCounter<M> {
  const minChars = options.minChars ?? MEMO_MIN_CHARS;
  const texts = new TextMemo(options.maxTexts ?? MEMO_MAX_TEXTS, options.maxChars ?? MEMO_MAX_CHARS);
  const messages = new WeakMap<M, TokenTally>();
  const stats: TokenCounterStats = { messageHits: 0, messageMisses: 0, textHits: 0, textMisses: 0, conversions: 0 };

  const textTally = (text: string): TokenTally => {
    if (text.length < minChars) return tallyText(text);
    let t = texts.get(text);
    if (t) stats.textHits++;
    else {
      stats.textMisses++;
      t = tallyText(text);
      texts.set(text, t);
    }
    return t;
  };
  const memoText: TextTallier = (text, into) => {
    if (text.length < minChars) tallyText(text, into);
    else addTally(into, textTally(text));
  };

  return {
    stats,
    text: memoText,
    count(family, input) {
      if (typeof input === 'string') return input ? Math.ceil(countTally(textTally(input), family)) : 0;
      let t = messages.get(input);
      if (t) stats.messageHits++;
      else {
        stats.messageMisses++;
        stats.conversions++;
        const converted = convert([input])[0];
        t = converted ? tallyMessage(converted, memoText) : emptyTally();
        messages.set(input, t);
      }
      return Math.ceil(countTally(t, family));
    },
  };
}

const counters = new WeakMap<object, TokenCounter<object>>();
const families = new Map<string, TokenFamily>();

function sharedCounter<M extends object>(convert: (messages: readonly M[]) => ChatMessage[]): TokenCounter<M> {
  let counter = counters.get(convert) as TokenCounter<M> | undefined;
  if (!counter) {
    counter = createTokenCounter(convert);
    counters.set(convert, counter as TokenCounter<object>);
  }
  return counter;
}

/**
 * The text tallier behind `countTokens` for `convert`: a request's estimate
 * goes through it, so the texts Copilot had counted (file contents, tool
 * results, the system prompt) are looked up rather than scanned again.
 */
export function sharedTextTallier<M extends object>(convert: (messages: readonly M[]) => ChatMessage[]): TextTallier {
  return sharedCounter(convert).text;
}

/**
 * What `provideTokenCount` answers: one shared counter per converter (pass a
 * stable function such as `toChatMessages`), the family from the model's id
 * and family name.
 */
export function countTokens<M extends object>(
  model: { id: string; family?: string },
  input: string | M,
  convert: (messages: readonly M[]) => ChatMessage[],
): number {
  const counter = sharedCounter(convert);
  const key = `${model.id}\n${model.family ?? ''}`;
  let family = families.get(key);
  if (!family) {
    family = tokenFamily(model.id, model.family);
    if (families.size > 1_000) families.clear();
    families.set(key, family);
  }
  return counter.count(family, input);
}
