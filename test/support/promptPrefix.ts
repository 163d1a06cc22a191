/**
 * How much of a Bedrock request the prompt cache can serve, measured on wire
 * bodies: the prompt as the model reads it (tools, system prompt, messages),
 * block by block, and the share of its bytes that lie before its last cache
 * point and repeat the previous request's blocks in the same places.
 */

export interface PromptBlock {
  key: string;
  bytes: number;
  cachePoint: boolean;
}

interface WireBody {
  toolConfig?: { tools?: unknown[] };
  system?: unknown[];
  messages: { role: string; content: unknown[] }[];
}

/** The prompt in reading order, one entry per block, from a ConverseStream request body. */
export function promptBlocks(body: WireBody): PromptBlock[] {
  const block = (prefix: string, b: unknown): PromptBlock => {
    const json = JSON.stringify(b);
    return { key: `${prefix}:${json}`, bytes: Buffer.byteLength(json), cachePoint: json.startsWith('{"cachePoint"') };
  };
  return [
    ...(body.toolConfig?.tools ?? []).map((b) => block('tool', b)),
    ...(body.system ?? []).map((b) => block('system', b)),
    ...body.messages.flatMap((m, i) => m.content.map((b) => block(`${i}.${m.role}`, b))),
  ];
}

/**
 * The share of `current`'s prompt bytes that lie before its last cache point
 * and are identical to `previous` (the same blocks in the same places): what
 * the cache can serve. Cache point markers themselves count as no bytes.
 */
export function reusedShare(previous: WireBody, current: WireBody): number {
  const cur = promptBlocks(current);
  const content = cur.filter((b) => !b.cachePoint);
  const before = cur.slice(0, Math.max(0, cur.map((b) => b.cachePoint).lastIndexOf(true))).filter((b) => !b.cachePoint);
  const prev = promptBlocks(previous).filter((b) => !b.cachePoint);
  let same = 0;
  while (same < before.length && same < prev.length && before[same].key === prev[same].key) same++;
  const reused = before.slice(0, same).reduce((n, b) => n + b.bytes, 0);
  return reused / content.reduce((n, b) => n + b.bytes, 0);
}

/** Prompt bytes (cache point markers excluded) and cache points of a request body. */
export function promptStats(body: WireBody): { bytes: number; cachePoints: number } {
  const blocks = promptBlocks(body);
  return { bytes: blocks.reduce((n, b) => n + (b.cachePoint ? 0 : b.bytes), 0), cachePoints: blocks.filter((b) => b.cachePoint).length };
}
