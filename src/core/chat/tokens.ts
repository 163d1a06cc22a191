import { ChatMessage, ChatPart, ChatTool, DocumentPart, ToolResultItem } from './types';

/**
 * A fast local token estimate (no network, no tokenizer data) calibrated per
 * model family against real counts.
 *
 * How it works: one pass over the text approximates a BPE pre-tokenizer (the
 * cl100k/Llama 3 kind: words with their leading space, camelCase pieces, up to
 * three digits, punctuation runs, whitespace runs) and costs each piece from a
 * table measured with the cl100k tokenizer on prose, TypeScript, minified JS,
 * JSON, Python and terminal output (within ±5% of cl100k per kind).
 * Non-Latin scripts are tallied separately, because tokenizers differ most
 * there. A family profile then turns that tally into the family's tokens and
 * adds what the model sees but the editor never sends: the chat template, the
 * tool-use system prompt Bedrock/Anthropic insert when a request carries tools,
 * the tool definitions themselves, and the thinking preamble.
 *
 * How close it is: test/unit/tokens.test.ts prints the estimate next to the
 * real `inputTokens` of every recorded Bedrock interaction and requires each
 * within ±10% (all 14 that this extension could send are 0–9% high). Against
 * public tokenizers (Anthropic's, Llama 3, Mistral, o200k) over a calibration
 * corpus (~24 KB per kind) it is within −9%…+11% on English prose,
 * TypeScript, minified JS, JSON, Python and terminal output, −9%…+22% on
 * Japanese, Chinese, Korean, Russian, German, French, Spanish, Italian,
 * Polish, Portuguese, Czech and Turkish (high mostly); random base64 runs
 * 10–18% low. Where a family's tokenizer is unknown it leans high. It is an
 * estimate: the `maxInputTokens` given to the editor keeps a margin for its
 * error (src/core/models/chatModel.ts).
 */

// ---------------------------------------------------------------------------
// Tally: what a text, message or tool list contains, independent of the model.

/** Family-independent counts; `countTally` turns them into one family's tokens. */
export interface TokenTally {
  /** cl100k-equivalent tokens of everything that is ASCII (fractional). */
  text: number;
  /** CJK ideographs, kana and full-width forms (characters). */
  cjk: number;
  /** Hangul (characters): tokenizers split these more than ideographs. */
  hangul: number;
  /** Letters of other alphabets: Cyrillic, Greek, Armenian, Hebrew, Arabic, Indic, Thai… (characters). */
  alpha: number;
  /** Accented Latin letters inside words (characters). */
  accent: number;
  /** Other BMP characters: typographic punctuation, symbols, box drawing (characters). */
  symbol: number;
  /** Characters outside the BMP, mostly emoji (characters). */
  astral: number;
  /** Messages by role: system messages cost no framing in some templates. */
  system: number;
  turns: number;
  toolCalls: number;
  toolResults: number;
  thinking: number;
  /** Image sizes in pixels (0×0 when unknown); the token cost depends on the family. */
  images: [number, number][];
  /** PDF pages (Bedrock extracts their text). */
  pages: number;
}

export function emptyTally(): TokenTally {
  return { text: 0, cjk: 0, hangul: 0, alpha: 0, accent: 0, symbol: 0, astral: 0, system: 0, turns: 0, toolCalls: 0, toolResults: 0, thinking: 0, images: [], pages: 0 };
}

/** Adds `b` into `a` (and returns `a`). */
export function addTally(a: TokenTally, b: TokenTally): TokenTally {
  a.text += b.text;
  a.cjk += b.cjk;
  a.hangul += b.hangul;
  a.alpha += b.alpha;
  a.accent += b.accent;
  a.symbol += b.symbol;
  a.astral += b.astral;
  a.system += b.system;
  a.turns += b.turns;
  a.toolCalls += b.toolCalls;
  a.toolResults += b.toolResults;
  a.thinking += b.thinking;
  for (const i of b.images) a.images.push(i);
  a.pages += b.pages;
  return a;
}

// Character classes for ASCII.
const OTHER = 0; // punctuation and control characters
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;
const SPACE = 4; // space and tab
const NEWLINE = 5;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  CLASS[c] =
    c >= 97 && c <= 122 ? LOWER : c >= 65 && c <= 90 ? UPPER : c >= 48 && c <= 57 ? DIGIT : c === 32 || c === 9 ? SPACE : c === 10 || c === 13 ? NEWLINE : OTHER;
}

/** What precedes a letter run: nothing (start, newline, indentation), one space, or one punctuation character. */
const LEAD_NONE = 0;
const LEAD_SPACE = 1;
const LEAD_PUNCT = 2;

/**
 * cl100k tokens of one letter segment (a word, or one camelCase piece), by
 * what precedes it. Measured per piece with cl100k over the calibration
 * corpus: " the"… " function" are one token, long or unusual words split,
 * words glued to punctuation (`.value`, `"name`, `_id`) cost a little more,
 * capital-letter runs split every three letters or so.
 */
function wordCost(length: number, lead: number, allCaps: boolean): number {
  if (length === 1) return 1;
  if (allCaps) {
    if (lead === LEAD_SPACE) return length <= 4 ? 1.05 : 1.05 + (length - 4) * 0.25;
    return length <= 3 ? 1.1 : 1.1 + (length - 3) * 0.38;
  }
  if (lead === LEAD_SPACE) return length <= 7 ? 1 : length <= 14 ? 1.15 : 1.15 + (length - 14) * 0.2;
  if (lead === LEAD_PUNCT) return length <= 3 ? 1.2 : length <= 6 ? 1.3 : 1.3 + (length - 6) * 0.15;
  return length <= 5 ? 1 : 1 + (length - 5) * 0.1;
}

/**
 * A later camelCase piece. One or two letters between case changes are
 * random-looking text (base64, ids: `iVBORw0KGgo`), which merges poorly.
 */
const pieceCost = (length: number, allCaps: boolean) => (length <= 2 ? SHORT_PIECE : wordCost(length, LEAD_NONE, allCaps));
const SHORT_PIECE = 1.3;

/** cl100k tokens of a run of ASCII punctuation (`;`, `");`, `=>`, `-----`). */
const PUNCT_COST = [0, 1, 1, 1.15, 1.5, 2, 2.6, 3, 3.6];
const punctCost = (n: number) => (n < PUNCT_COST.length ? PUNCT_COST[n] : n * 0.47);

function isCjk(c: number): boolean {
  return (
    (c >= 0x2e80 && c <= 0x9fff) || // CJK radicals, kana, bopomofo, CJK unified ideographs
    (c >= 0xf900 && c <= 0xfaff) || // CJK compatibility ideographs
    (c >= 0xff00 && c <= 0xffef) // half- and full-width forms
  );
}
const isHangul = (c: number) => (c >= 0xac00 && c <= 0xd7af) || (c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f);
const isAccentedLatin = (c: number) => c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7;
/** Greek, Cyrillic, Armenian, Hebrew, Arabic, Syriac… Indic scripts, Thai, Lao, Georgian. */
const isOtherAlphabet = (c: number) => (c >= 0x370 && c <= 0x10ff) || (c >= 0x1e00 && c <= 0x1fff);

/**
 * Tallies `text` into `into` in one pass: no allocation, no regular
 * expression, a table lookup per ASCII character (~100 MB/s; 100 KB in about
 * 1 ms). Repeated counts are memoised by the caller (src/vscode/tokenCount.ts).
 */
export function tallyText(text: string, into: TokenTally = emptyTally()): TokenTally {
  let tokens = scan(text, into);
  // Other languages written in Latin letters split words far more than
  // English (cl100k: 3.4–3.6 letters a token in German, French, Spanish,
  // Italian, Portuguese; 2.2–2.6 in Polish, Czech, Turkish; ~4.5 in English);
  // their accents give them away.
  const { letters, accents, words } = scanned;
  if (accents * 200 >= letters && letters > 0) tokens += Math.max(0, letters / (accents * 20 >= letters ? 2.6 : 3.5) - words);
  into.text += tokens;
  return into;
}

/** Side results of `scan` (module-level so that the hot loop stays one small, stable function). */
const scanned = { letters: 0, words: 0, accents: 0 };

function scan(text: string, into: TokenTally): number {
  const n = text.length;
  let tokens = 0;
  scanned.letters = 0;
  scanned.words = 0; // tokens of letter runs, by the English-calibrated table
  scanned.accents = 0;
  let lead = LEAD_NONE;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c >= 128) {
      if (c >= 0xd800 && c <= 0xdbff) {
        into.astral++;
        i += 2;
      } else {
        if (isHangul(c)) into.hangul++;
        else if (isCjk(c)) into.cjk++;
        else if (isAccentedLatin(c)) {
          into.accent++;
          scanned.accents++;
        } else if (isOtherAlphabet(c)) into.alpha++;
        else into.symbol++;
        i++;
      }
      lead = LEAD_NONE;
      continue;
    }
    const k = CLASS[c];
    if (k === LOWER || k === UPPER) {
      // A letter run, split into camelCase segments ("getUserName" → get|User|Name,
      // "HTTPServer" → HTTP|Server). Accented letters stay part of the word.
      let segment = 0; // letters in the current segment
      let caps = 0; // capitals at the end of the current segment
      let first = true;
      const start = i;
      const before = tokens;
      while (i < n) {
        c = text.charCodeAt(i);
        if (c >= 97 && c <= 122 && caps === 0) {
          segment++; // the common case: one more lowercase letter
          i++;
          continue;
        }
        let kk: number;
        if (c < 128) kk = CLASS[c];
        else if (isAccentedLatin(c)) {
          into.accent++;
          scanned.accents++;
          kk = LOWER;
        } else break;
        if (kk === LOWER) {
          if (caps > 1 && segment === caps) {
            // "HTTPServer": the capitals before the last start their own segment.
            tokens += first ? wordCost(caps - 1, lead, true) : pieceCost(caps - 1, true);
            first = false;
            segment = 1;
          }
          caps = 0;
          segment++;
        } else if (kk === UPPER) {
          if (segment > caps) {
            // lower → Upper: a new camelCase segment starts here.
            tokens += first ? wordCost(segment, lead, false) : pieceCost(segment, false);
            first = false;
            segment = 0;
          }
          caps++;
          segment++;
        } else break;
        i++;
      }
      tokens += first ? wordCost(segment, lead, segment === caps && segment > 1) : pieceCost(segment, segment === caps && segment > 1);
      scanned.letters += i - start;
      scanned.words += tokens - before;
      lead = LEAD_NONE;
      continue;
    }
    if (k === DIGIT) {
      const start = i;
      for (i++; i < n; i++) {
        c = text.charCodeAt(i);
        if (c < 48 || c > 57) break;
      }
      tokens += Math.ceil((i - start) / 3);
      lead = LEAD_NONE;
      continue;
    }
    if (k === SPACE) {
      const start = i;
      let next = 10;
      for (i++; i < n; i++) {
        next = text.charCodeAt(i);
        if (next !== 32 && next !== 9) break;
      }
      if (i >= n) next = 10;
      const w = i - start;
      const nk = next < 128 ? CLASS[next] : LOWER;
      if (nk === NEWLINE) continue; // trailing spaces go with the newline
      // One space joins the next word or punctuation; longer runs (indentation)
      // are one token and their last space joins the next word. Digits never
      // take a space, so before a number the last space is a token of its own.
      if (w > 1) tokens += 1;
      if (nk === DIGIT) tokens += 1;
      lead = nk === LOWER || nk === UPPER ? LEAD_SPACE : LEAD_NONE;
      continue;
    }
    if (k === NEWLINE) {
      for (i++; i < n; i++) {
        c = text.charCodeAt(i);
        if (c !== 10 && c !== 13) break;
      }
      tokens += 1;
      lead = LEAD_NONE;
      continue;
    }
    // A punctuation run. Its last character joins a following word (`.value`,
    // `"name`); newlines right after it are part of the same token.
    const start = i;
    let next = 32;
    for (i++; i < n; i++) {
      next = text.charCodeAt(i);
      if (next >= 128 || CLASS[next] !== OTHER) break;
    }
    if (i >= n) next = 32;
    let r = i - start;
    const nk = next < 128 ? CLASS[next] : OTHER;
    if (nk === LOWER || nk === UPPER) {
      r--;
      lead = LEAD_PUNCT;
    } else lead = LEAD_NONE;
    if (r > 0) tokens += punctCost(r);
    if (nk === NEWLINE) {
      for (i++; i < n; i++) {
        c = text.charCodeAt(i);
        if (c !== 10 && c !== 13) break;
      }
    }
  }
  return tokens;
}

/**
 * Tallies a JSON value as its compact JSON text would be, without building
 * that text: keys and strings are scanned in place, structure is counted.
 */
export function tallyJson(value: unknown, into: TokenTally = emptyTally(), depth = 0): TokenTally {
  if (value === null || value === undefined || typeof value === 'boolean') {
    into.text += 1;
  } else if (typeof value === 'string') {
    tallyText(value, into);
    into.text += 0.5; // the quotes mostly merge with the neighbouring `":"`, `","`
  } else if (typeof value === 'number' || typeof value === 'bigint') {
    const s = String(value);
    into.text += Math.ceil(s.length / 3) + (s.includes('.') ? 1 : 0);
  } else if (depth > 64) {
    into.text += 1;
  } else if (Array.isArray(value)) {
    into.text += 1;
    for (const v of value) {
      tallyJson(v, into, depth + 1);
      into.text += 0.5;
    }
  } else if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    into.text += 1;
    for (const key in o) {
      const v = o[key];
      if (v === undefined || typeof v === 'function') continue;
      tallyText(key, into);
      into.text += 1.2; // `":` / `","` / `"}`
      tallyJson(v, into, depth + 1);
    }
  } else {
    into.text += 1;
  }
  return into;
}

/** Width and height from a PNG, GIF, JPEG or WebP header; [0, 0] when unknown. */
export function imageSize(data: Uint8Array): [number, number] {
  const b = data;
  const u16be = (o: number) => (b[o] << 8) | b[o + 1];
  const u16le = (o: number) => b[o] | (b[o + 1] << 8);
  const u32be = (o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return [u32be(16), u32be(20)];
  if (b.length >= 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return [u16le(6), u16le(8)];
  if (b.length >= 30 && b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) {
    const chunk = String.fromCharCode(b[12], b[13], b[14], b[15]);
    if (chunk === 'VP8 ') return [u16le(26) & 0x3fff, u16le(28) & 0x3fff];
    if (chunk === 'VP8L') return [1 + (((b[22] & 0x3f) << 8) | b[21]), 1 + (((b[24] & 0xf) << 10) | (b[23] << 2) | ((b[22] & 0xc0) >> 6))];
    if (chunk === 'VP8X') return [1 + (b[24] | (b[25] << 8) | (b[26] << 16)), 1 + (b[27] | (b[28] << 8) | (b[29] << 16))];
    return [0, 0];
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let o = 2;
    while (o + 9 < b.length) {
      if (b[o] !== 0xff) return [0, 0];
      const marker = b[o + 1];
      if (marker === 0xff) {
        o++;
        continue;
      }
      // SOF0…SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return [u16be(o + 7), u16be(o + 5)];
      o += 2 + u16be(o + 2);
    }
  }
  return [0, 0];
}

/** "/Type /Page" (not "/Pages") objects: a PDF's pages when its object streams are not compressed. */
function pdfPages(b: Uint8Array): number {
  let pages = 0;
  for (let i = 0; i + 10 < b.length; i++) {
    // "/Type"
    if (b[i] !== 0x2f || b[i + 1] !== 0x54 || b[i + 2] !== 0x79 || b[i + 3] !== 0x70 || b[i + 4] !== 0x65) continue;
    let j = i + 5;
    while (j < b.length && (b[j] === 0x20 || b[j] === 0x0a || b[j] === 0x0d)) j++;
    // "/Page" and not "/Pages"
    if (b[j] === 0x2f && b[j + 1] === 0x50 && b[j + 2] === 0x61 && b[j + 3] === 0x67 && b[j + 4] === 0x65 && b[j + 5] !== 0x73) pages++;
    i = j;
  }
  return pages;
}

const TEXT_DOCUMENT = /^text\/|^application\/(json|xml|x-yaml|yaml)$/;

/**
 * A document block. Text formats (TXT, MD, CSV, HTML) are counted as their
 * text; a PDF by its pages (Bedrock sends Claude and Nova its extracted text:
 * ~1,000 tokens a page, the high side of a dense page), or one page per 50 KB
 * when the page objects are compressed; office formats are zipped or binary,
 * so a rough one token per four bytes. Formats Bedrock does not take are
 * replaced by a one-line note.
 */
function tallyDocument(doc: DocumentPart, into: TokenTally, text: TextTallier): void {
  if (doc.name) tallyText(doc.name, into);
  const mime = doc.mimeType.toLowerCase();
  if (TEXT_DOCUMENT.test(mime)) text(new TextDecoder().decode(doc.data), into);
  else if (mime === 'application/pdf') into.pages += pdfPages(doc.data) || Math.max(1, Math.round(doc.data.length / 50_000));
  else if (/msword|ms-excel|officedocument/.test(mime)) into.text += doc.data.length / 4;
  else into.text += 30;
}

function tallyToolResultItem(item: ToolResultItem, into: TokenTally, text: TextTallier): void {
  switch (item.type) {
    case 'document':
      tallyDocument(item, into, text);
      return;
    case 'text':
      text(item.text, into);
      return;
    case 'json':
      tallyJson(item.value, into);
      return;
    case 'image':
      into.images.push(imageSize(item.data));
      return;
  }
}

/** Tallies a text into a tally; the VS Code layer passes a memoising one. */
export type TextTallier = (text: string, into: TokenTally) => void;
const plainText: TextTallier = (text, into) => void tallyText(text, into);

export function tallyPart(part: ChatPart, into: TokenTally = emptyTally(), text: TextTallier = plainText): TokenTally {
  switch (part.type) {
    case 'text':
      text(part.text, into);
      break;
    case 'image':
      into.images.push(imageSize(part.data));
      break;
    case 'toolCall':
      into.toolCalls++;
      tallyText(part.name, into);
      tallyJson(part.input ?? {}, into);
      break;
    case 'toolResult':
      into.toolResults++;
      for (const item of part.content) tallyToolResultItem(item, into, text);
      break;
    case 'thinking':
      // Counted even where the model would drop earlier turns' reasoning: the
      // estimate should not fall short.
      into.thinking++;
      text(part.text, into);
      if (part.redacted) into.text += part.redacted.length / 4;
      break;
    case 'document':
      tallyDocument(part, into, text);
      break;
    case 'cachePoint':
      break;
  }
  return into;
}

export function tallyMessage(message: ChatMessage, text: TextTallier = plainText): TokenTally {
  const t = emptyTally();
  if (message.role === 'system') t.system++;
  else t.turns++;
  for (const p of message.parts) tallyPart(p, t, text);
  return t;
}

// ---------------------------------------------------------------------------
// Families: what differs between models.

export type TokenFamily = 'claude' | 'claude-haiku-3.5' | 'claude-new-tokenizer' | 'nova' | 'llama' | 'mistral' | 'mistral-tekken' | 'gpt-oss' | 'other';

export interface FamilyProfile {
  /** Multiplier on the cl100k-equivalent count of ASCII text. */
  text: number;
  /** Tokens per CJK character, hangul syllable, letter of another alphabet, accented Latin letter, other BMP symbol, emoji. */
  cjk: number;
  hangul: number;
  alpha: number;
  accent: number;
  symbol: number;
  astral: number;
  /** Fixed tokens per request: chat template, default system prompt. */
  request: number;
  /** Template tokens per user/assistant message and per system message. */
  turn: number;
  system: number;
  /** The hidden tool-use system prompt when the request carries tools (tool choice auto / any). */
  toolsAuto: number;
  toolsAny: number;
  /** Per tool definition: wrapper tokens, and a factor on its JSON (templates that indent JSON cost more). */
  perTool: number;
  toolJson: number;
  /** Wrapper tokens per tool call, per tool result and per thinking block in the history. */
  toolCall: number;
  toolResult: number;
  thinkingBlock: number;
  /** The extra system prompt when extended thinking is enabled. */
  thinkingPreamble: number;
  /** Tokens of one image of the given size (0×0 = unknown size). */
  image: (width: number, height: number) => number;
}

/**
 * Claude: width × height / 750 after scaling to at most 1568 px on the long
 * edge and 1.15 megapixels (Anthropic's vision docs), about 1,600 at most.
 */
function claudeImage(w: number, h: number): number {
  if (!w || !h) return 1_600;
  const scale = Math.min(1, 1568 / Math.max(w, h), Math.sqrt(1_150_000 / (w * h)));
  return Math.ceil((w * scale * (h * scale)) / 750);
}

/**
 * Nova: rescaled to its nearest supported aspect ratio with the long side
 * about 900–1,800 px; AWS's table gives ~800 tokens for 900×450, ~1,300 for
 * 900×900, ~1,800 for 1400×900, ~2,400 for 1800×900, ~2,600 for 1300×1300.
 * area / 650 + 100 after that scaling stays within −10%…+15% of the table.
 */
function novaImage(w: number, h: number): number {
  if (!w || !h) return 2_600;
  const long = Math.max(w, h);
  let scale = long < 896 ? 896 / long : Math.min(1, 1800 / long);
  scale = Math.min(scale, Math.sqrt(1_690_000 / (w * h * scale * scale)) * scale);
  return Math.ceil((w * scale * (h * scale)) / 650 + 100);
}

/** Llama 4: 336 px tiles of 144 tokens, at most 16, plus a 144-token overview when tiled. */
function llamaImage(w: number, h: number): number {
  if (!w || !h) return 16 * 144 + 144;
  const tiles = Math.min(16, Math.ceil(w / 336) * Math.ceil(h / 336));
  return tiles * 144 + (tiles > 1 ? 144 : 0);
}

/** Pixtral: one token per 16×16 patch plus one per row, the long side at most 1024 px. */
function pixtralImage(w: number, h: number): number {
  if (!w || !h) return 64 * 64 + 64;
  const scale = Math.min(1, 1024 / Math.max(w, h));
  const cols = Math.ceil((w * scale) / 16);
  const rows = Math.ceil((h * scale) / 16);
  return cols * rows + rows;
}

/**
 * Per character of each script, measured over TypeScript's own translated
 * messages (ja, zh-cn, zh-tw, ko, ru, de, fr, es, it, pl, pt-br): cl100k needs
 * 0.9 tokens per kana, 1.15 per ideograph, 1.09 per hangul syllable, 0.40 per
 * Cyrillic letter. Used where the tokenizer is unknown: modern multilingual
 * vocabularies need less, so this is the high side.
 */
const PDF_PAGE_TOKENS = 1_000;

const UNICODE_CL100K = { cjk: 1.05, hangul: 1.09, alpha: 0.4, accent: 0.3, symbol: 1, astral: 2 };
/** Anthropic's public Claude tokenizer on the same texts: 0.83 per kana, 1.18 per ideograph, 1.29 per hangul, 0.52 per Cyrillic letter. */
const UNICODE_CLAUDE = { cjk: 1.05, hangul: 1.29, alpha: 0.52, accent: 0.3, symbol: 1, astral: 2 };

/**
 * The numbers and where they come from. "Measured" means: fitted on the
 * recorded Bedrock interactions (test/fixtures/recordings) or on public
 * tokenizers over the calibration corpus described in test/unit/tokens.test.ts.
 */
export const FAMILIES: Record<TokenFamily, FamilyProfile> = {
  /**
   * Claude 3.7 – 4.6. Text: Claude's tokenizer gives 2–25% more tokens than
   * cl100k (Anthropic's public Claude tokenizer over the corpus: prose 1.10,
   * TypeScript 1.12, JSON 1.06, minified JS 1.25); ×1.12. CJK about 1.3
   * characters a token, Cyrillic 2.25. Template: "Hello, world!" (4 tokens)
   * counts 11, a system prompt adds no framing (Sonnet 4 count-tokens and
   * Sonnet 4.5 converse recordings). Tools: Anthropic documents a tool-use
   * system prompt of 346 tokens (tool choice auto/none) and 313 (any/tool) for
   * Claude 3.7 and the Claude 4 family; both recordings with a tool count 19
   * fewer than that plus the tool's compact JSON, so the documented figure
   * already includes part of a tool definition: 327 / 294 here. Extended
   * thinking adds 28 tokens (Sonnet 4 and 3.7 recordings). Tool call and
   * result wrappers from the 3.7 multi-turn recording.
   */
  claude: {
    text: 1.12, ...UNICODE_CLAUDE,
    request: 4, turn: 3, system: 0,
    toolsAuto: 346 - 19, toolsAny: 313 - 19, perTool: 0, toolJson: 1,
    toolCall: 20, toolResult: 20, thinkingBlock: 5, thinkingPreamble: 28,
    image: claudeImage,
  },
  /** Claude 3.5 Haiku: Anthropic documents 264 (auto) and 340 (any) tool-use system prompt tokens. */
  'claude-haiku-3.5': {
    text: 1.12, ...UNICODE_CLAUDE,
    request: 4, turn: 3, system: 0,
    toolsAuto: 264, toolsAny: 340, perTool: 0, toolJson: 1,
    toolCall: 20, toolResult: 20, thinkingBlock: 5, thinkingPreamble: 28,
    image: claudeImage,
  },
  /**
   * Claude Opus 4.7 and later: Anthropic says its new tokenizer uses 1.0–1.35×
   * the tokens of earlier models (independent measurements: up to 1.46× on
   * English prose, 1.15–1.3× on code, unchanged for CJK and Cyrillic). ×1.45
   * on ASCII text, the documented overheads scaled the same way.
   */
  'claude-new-tokenizer': {
    text: 1.12 * 1.45, ...UNICODE_CLAUDE,
    request: 6, turn: 4, system: 0,
    toolsAuto: Math.round(327 * 1.45), toolsAny: Math.round(294 * 1.45), perTool: 0, toolJson: 1,
    toolCall: 29, toolResult: 29, thinkingBlock: 7, thinkingPreamble: 41,
    image: claudeImage,
  },
  /**
   * Amazon Nova. Its tokenizer is not public; short English counts match
   * cl100k/o200k (recordings: "Hello!" = 2, a system prompt plus a question =
   * 13 with no template tokens at all). Tools: two small tools plus the
   * tool-use prompt count 455 on Nova Micro, so about 354 for the prompt.
   * Tool call/result wrappers from the multi-turn Nova Micro recording.
   * Unknown for non-Latin scripts: cl100k rates (the high side).
   */
  nova: {
    text: 1.0, ...UNICODE_CL100K,
    request: 0, turn: 0, system: 0,
    toolsAuto: 354, toolsAny: 354, perTool: 0, toolJson: 1,
    toolCall: 17, toolResult: 20, thinkingBlock: 5, thinkingPreamble: 0,
    image: novaImage,
  },
  /**
   * Llama 3.x and 4: the Llama 3 tokenizer is cl100k plus 28K tokens (identical
   * counts on ASCII, ~1.7 CJK characters a token). Template: begin/header
   * tokens and, in 3.1+, a dated system header (~25); 5 per message. Tools:
   * Meta's template adds ~100 tokens of instructions and dumps each tool as
   * JSON indented by 4 (about 1.8× compact JSON in tokens; 1.5 assumed as
   * Llama 4 indents less). Not checked against a recording.
   */
  llama: {
    text: 1.0, cjk: 0.75, hangul: 0.77, alpha: 0.3, accent: 0.3, symbol: 1, astral: 2,
    request: 25, turn: 5, system: 5,
    toolsAuto: 100, toolsAny: 100, perTool: 10, toolJson: 1.5,
    toolCall: 10, toolResult: 10, thinkingBlock: 5, thinkingPreamble: 0,
    image: llamaImage,
  },
  /**
   * Mistral Large 2 (24.07) and older: SentencePiece with 32K pieces, about
   * 1.27× cl100k on English, code and JSON (public Mistral tokenizer over the
   * corpus), ~1.1 CJK characters a token. [INST] framing; tools as one
   * [AVAILABLE_TOOLS] JSON list. Not checked against a recording.
   */
  mistral: {
    text: 1.27, cjk: 1.05, hangul: 1.41, alpha: 0.43, accent: 0.4, symbol: 1, astral: 2,
    request: 1, turn: 4, system: 4,
    toolsAuto: 10, toolsAny: 10, perTool: 8, toolJson: 1,
    toolCall: 10, toolResult: 10, thinkingBlock: 5, thinkingPreamble: 0,
    image: pixtralImage,
  },
  /** Newer Mistral models (Pixtral, Ministral, Magistral, Devstral, Large 3): the 131K "tekken" vocabulary, close to cl100k. */
  'mistral-tekken': {
    text: 1.05, ...UNICODE_CL100K,
    request: 1, turn: 4, system: 4,
    toolsAuto: 10, toolsAny: 10, perTool: 8, toolJson: 1,
    toolCall: 10, toolResult: 10, thinkingBlock: 5, thinkingPreamble: 0,
    image: pixtralImage,
  },
  /**
   * gpt-oss: o200k_harmony, the same as cl100k on ASCII and cheaper elsewhere
   * (CJK ~1.7, Cyrillic ~3.9 characters a token). The harmony format's default
   * system message ("You are ChatGPT…", knowledge cutoff, date, reasoning
   * level, channels) costs ~65: "Hi" counts 70 (recording). Tools are
   * rendered as a TypeScript namespace, more compact than JSON; JSON assumed.
   */
  'gpt-oss': {
    text: 1.0, cjk: 0.78, hangul: 0.73, alpha: 0.28, accent: 0.3, symbol: 1, astral: 2,
    request: 65, turn: 4, system: 4,
    toolsAuto: 40, toolsAny: 40, perTool: 10, toolJson: 1,
    toolCall: 10, toolResult: 10, thinkingBlock: 5, thinkingPreamble: 0,
    image: claudeImage,
  },
  /**
   * Everything else (DeepSeek, Qwen, Cohere, custom models): 100K–150K
   * vocabularies, about cl100k on English and code; a ChatML-like template and
   * a ~150-token tool prompt (Qwen3's is ~100). A little high on purpose.
   */
  other: {
    text: 1.05, ...UNICODE_CL100K,
    request: 10, turn: 5, system: 5,
    toolsAuto: 150, toolsAny: 150, perTool: 10, toolJson: 1,
    toolCall: 10, toolResult: 10, thinkingBlock: 5, thinkingPreamble: 0,
    image: claudeImage,
  },
};

/** The token family of a Bedrock model id, inference profile, ARN or catalogue family name. */
export function tokenFamily(...names: (string | undefined)[]): TokenFamily {
  const s = names.filter(Boolean).join(' ').toLowerCase();
  if (s.includes('claude') || s.includes('anthropic')) {
    if (/claude-3-5-haiku|claude-3\.5-haiku/.test(s)) return 'claude-haiku-3.5';
    // Opus 4.7 and anything numbered after it use the new tokenizer.
    const m = /claude-(?:opus|sonnet|haiku)-(\d+)[-.](\d{1,2})(?!\d)/.exec(s);
    if (m && (Number(m[1]) > 4 || (Number(m[1]) === 4 && Number(m[2]) >= 7))) return 'claude-new-tokenizer';
    return 'claude';
  }
  if (s.includes('nova')) return 'nova';
  if (s.includes('llama')) return 'llama';
  if (/pixtral|ministral|magistral|devstral|mistral-large-3|mistral-medium|voxtral/.test(s)) return 'mistral-tekken';
  if (s.includes('mistral') || s.includes('mixtral')) return 'mistral';
  if (s.includes('gpt-oss')) return 'gpt-oss';
  return 'other';
}

/** The tally in the family's tokens (fractional; round once, at the end). */
export function countTally(t: TokenTally, family: TokenFamily): number {
  const f = FAMILIES[family];
  let n =
    t.text * f.text +
    t.cjk * f.cjk +
    t.hangul * f.hangul +
    t.alpha * f.alpha +
    t.accent * f.accent +
    t.symbol * f.symbol +
    t.astral * f.astral +
    t.turns * f.turn +
    t.system * f.system +
    t.toolCalls * f.toolCall +
    t.toolResults * f.toolResult +
    t.thinking * f.thinkingBlock;
  for (const [w, h] of t.images) n += f.image(w, h);
  return n + t.pages * PDF_PAGE_TOKENS * f.text;
}

// ---------------------------------------------------------------------------
// Estimates.

export function estimateTextTokens(text: string, family: TokenFamily = 'other'): number {
  return text ? Math.ceil(countTally(tallyText(text), family)) : 0;
}

/** One message with its template tokens; what `provideTokenCount` answers for a message. */
export function estimateMessageTokens(message: ChatMessage, family: TokenFamily = 'other'): number {
  return Math.ceil(countTally(tallyMessage(message), family));
}

export interface RequestShape {
  toolMode?: 'auto' | 'required';
  /** Extended thinking is enabled for the request. */
  thinking?: boolean;
}

/**
 * The tool definitions as the model sees them, plus the hidden tool-use prompt
 * (0 without tools). With `enough`, counting stops once the total reaches it
 * (callers that only ask "at least this many?").
 */
export function estimateToolTokens(tools: readonly ChatTool[] | undefined, family: TokenFamily, toolMode: 'auto' | 'required' = 'auto', enough = Infinity): number {
  if (!tools?.length) return 0;
  const f = FAMILIES[family];
  let n = toolMode === 'required' ? f.toolsAny : f.toolsAuto;
  for (const tool of tools) {
    if (n >= enough) break;
    const t = emptyTally();
    // {"name":…,"description":…,"input_schema":…}
    tallyJson({ name: tool.name, description: tool.description || tool.name, input_schema: tool.inputSchema ?? { type: 'object', properties: {} } }, t);
    n += f.perTool + countTally(t, family) * f.toolJson;
  }
  return Math.ceil(n);
}

/**
 * The whole request as Bedrock will count it: template, messages, tool
 * definitions and the tool-use prompt, thinking preamble. `text` tallies the
 * texts (the VS Code layer passes provideTokenCount's memo, which has usually
 * seen them all already).
 */
export function estimateRequestTokens(
  family: TokenFamily,
  messages: readonly ChatMessage[],
  tools?: readonly ChatTool[],
  shape: RequestShape = {},
  text: TextTallier = plainText,
): number {
  const f = FAMILIES[family];
  const tally = emptyTally();
  for (const m of messages) addTally(tally, tallyMessage(m, text));
  return Math.ceil(
    f.request + countTally(tally, family) + estimateToolTokens(tools, family, shape.toolMode) + (shape.thinking ? f.thinkingPreamble : 0),
  );
}
