/**
 * What keeps an agent-sized request cheap to prepare (issue 11, the benchmark's
 * conversion row): the request's token estimate reads provideTokenCount's memo
 * instead of scanning texts Copilot has just counted, and cache-point placement
 * stops counting once the prefix is long enough. Each gives the same numbers
 * and the same request as counting everything.
 */
import * as assert from 'node:assert/strict';
import { buildConverseRequest } from '../../src/core/bedrock/request';
import { estimateRequestTokens, estimateToolTokens } from '../../src/core/chat/tokens';
import { ChatMessage, ChatTool } from '../../src/core/chat/types';
import { listModels } from '../../src/core/models/chatModel';
import { createTokenCounter } from '../../src/vscode/tokenCount';

const text = (n: number, seed: string) => `${seed} `.repeat(Math.ceil(n / (seed.length + 1))).slice(0, n);
const tools: ChatTool[] = Array.from({ length: 30 }, (_, i) => ({
  name: `tool_${i}`,
  description: text(300, `describes tool ${i}`),
  inputSchema: { type: 'object', properties: { path: { type: 'string', description: text(80, 'a path') } }, required: ['path'] },
}));
const conversation = (): ChatMessage[] => [
  { role: 'system', parts: [{ type: 'text', text: text(8_000, 'system prompt') }] },
  { role: 'user', parts: [{ type: 'text', text: 'Fix the tests.' }] },
  ...Array.from({ length: 40 }, (_, i): ChatMessage[] => [
    { role: 'assistant', parts: [{ type: 'text', text: `Reading file ${i}.` }, { type: 'toolCall', callId: `c${i}`, name: 'tool_1', input: { path: `src/f${i}.ts` } }] },
    { role: 'user', parts: [{ type: 'toolResult', callId: `c${i}`, content: [{ type: 'text', text: text(2_000, `export const value${i} = ${i};`) }] }] },
  ]).flat(),
];

describe('the cost of preparing an agent request', () => {
  it('a tool estimate asked only "at least this many?" stops early, and is exact below that', () => {
    const all = estimateToolTokens(tools, 'claude');
    assert.ok(all > 2_000);
    const enough = estimateToolTokens(tools, 'claude', 'auto', 1_024);
    assert.ok(enough >= 1_024 && enough < all, `${enough} of ${all}`);
    assert.equal(estimateToolTokens(tools.slice(0, 2), 'claude', 'auto', 1_000_000), estimateToolTokens(tools.slice(0, 2), 'claude'));
  });

  it('the request estimate through the memo equals the plain one, and finds the texts provideTokenCount counted', () => {
    const counter = createTokenCounter((ms: readonly ChatMessage[]) => [...ms]);
    for (const m of conversation()) counter.count('claude', m);
    const scans = counter.stats.textMisses;
    // Fresh message objects with equal texts, as VS Code sends for the request itself.
    const request = conversation();
    const plain = estimateRequestTokens('claude', request, tools, { toolMode: 'auto' });
    assert.equal(estimateRequestTokens('claude', request, tools, { toolMode: 'auto' }, counter.text), plain);
    assert.equal(counter.stats.textMisses, scans, 'no long text scanned again');
    assert.ok(counter.stats.textHits >= 41, `${counter.stats.textHits} hits`);
  });

  it('cache points land where counting everything puts them', () => {
    const model = listModels('us-east-1').find((m) => m.family.includes('claude') && m.cachePoints)!;
    const built = buildConverseRequest(model, conversation(), { tools, toolMode: 'auto' }).input;
    // Tools, system prompt, the previous request's end and the conversation's end.
    assert.ok(built.toolConfig?.tools?.at(-1)?.cachePoint);
    assert.ok(built.system?.at(-1)?.cachePoint);
    const marked = built.messages!.map((m, i) => (m.content?.some((b) => b.cachePoint) ? i : -1)).filter((i) => i >= 0);
    assert.equal(marked.length, 2);
    assert.equal(marked[1], built.messages!.length - 1);
    // A prompt that stays short gets none in the conversation: the short prefix is still counted.
    const short = buildConverseRequest(model, [{ role: 'user', parts: [{ type: 'text', text: 'hello' }] }], {}).input;
    assert.ok(!short.messages!.some((m) => m.content?.some((b) => b.cachePoint)));
  });
});
