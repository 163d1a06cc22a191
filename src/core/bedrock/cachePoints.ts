import type { ContentBlock, Message, SystemContentBlock, Tool, ToolResultContentBlock } from '@aws-sdk/client-bedrock-runtime';
import { countTally, emptyTally, estimateToolTokens, imageSize, tallyJson, tallyText, TokenFamily, TokenTally } from '../chat/tokens';
import { ChatTool } from '../chat/types';
import { CacheProfile, MAX_CACHE_POINTS } from '../models/caching';

export const CACHE_POINT = { cachePoint: { type: 'default' } } as const;

type Block = ContentBlock | SystemContentBlock | ToolResultContentBlock;

function tallyBlock(b: Block, t: TokenTally): void {
  const c = b as ContentBlock;
  if (c.text !== undefined) tallyText(c.text, t);
  else if (c.image?.source?.bytes) t.images.push(imageSize(c.image.source.bytes));
  else if (c.document?.source?.bytes) t.text += c.document.source.bytes.byteLength / 4;
  else if (c.toolUse) {
    tallyText(c.toolUse.name ?? '', t);
    tallyJson(c.toolUse.input, t);
    t.toolCalls++;
  } else if (c.toolResult) {
    for (const r of c.toolResult.content ?? []) tallyBlock(r, t);
    t.toolResults++;
  } else if (c.reasoningContent?.reasoningText) tallyText(c.reasoningContent.reasoningText.text ?? '', t);
  else if ((b as ToolResultContentBlock).json !== undefined) tallyJson((b as ToolResultContentBlock).json, t);
}

function blockTokens(blocks: readonly Block[], family: TokenFamily): number {
  const t = emptyTally();
  for (const b of blocks) tallyBlock(b, t);
  return countTally(t, family);
}

/**
 * Cache points for a request whose caller set none, in the order the model
 * reads the prompt (tools, then system prompt, then messages): after the tool
 * list, after the system prompt, at the end of the previous request (the
 * second-to-last user turn: what the last request cached) and at the end of
 * the conversation (what the next request will reuse). Four at most. A point
 * goes in only where the prompt before it reaches the model's minimum
 * cacheable length (a shorter prefix is accepted but never cached); the tool
 * list gets none on models that cannot cache it (Nova). Whether a position
 * gets a point depends only on what precedes it, so the next request, which
 * repeats this one as its prefix, puts its points in the same places and
 * reads what this one wrote.
 */
export function placeCachePoints(
  profile: CacheProfile,
  family: TokenFamily,
  parts: { tools?: Tool[]; chatTools?: readonly ChatTool[]; toolMode?: 'auto' | 'required'; system: SystemContentBlock[]; turns: Message[] },
): void {
  let prefix = 0;
  let placed = 0;
  const fits = () => placed < MAX_CACHE_POINTS && prefix >= profile.minTokens;
  // Once the prefix is long enough, every later position is too: nothing more needs counting
  // (on an agent request that saves scanning the tools and the whole conversation a second time).
  const short = () => prefix < profile.minTokens;

  if (parts.tools?.length) {
    prefix += estimateToolTokens(parts.chatTools, family, parts.toolMode, profile.minTokens);
    if (profile.tools && fits()) {
      parts.tools.push(CACHE_POINT);
      placed++;
    }
  }
  if (parts.system.length) {
    if (short()) prefix += blockTokens(parts.system, family);
    if (fits()) {
      parts.system.push(CACHE_POINT);
      placed++;
    }
  }
  const { turns } = parts;
  const last = turns.length - 1;
  let previousEnd = -1;
  for (let i = last - 1; i >= 0; i--) {
    if (turns[i].role === 'user') {
      previousEnd = i;
      break;
    }
  }
  turns.forEach((turn, i) => {
    if (short()) prefix += blockTokens(turn.content ?? [], family);
    if ((i === previousEnd || i === last) && turn.content?.length && fits()) {
      turn.content.push(CACHE_POINT);
      placed++;
    }
  });
}

/** Removes every cache point (prompt caching turned off). */
export function removeCachePoints(system: SystemContentBlock[], turns: Message[]): void {
  for (const list of [system, ...turns.map((t) => t.content ?? [])] as { cachePoint?: unknown }[][]) {
    for (let i = list.length - 1; i >= 0; i--) if (list[i].cachePoint) list.splice(i, 1);
  }
}

export function hasCachePoints(system: readonly SystemContentBlock[], turns: readonly Message[]): boolean {
  return system.some((b) => b.cachePoint) || turns.some((t) => t.content?.some((b) => b.cachePoint));
}
