/**
 * Prompt caching by default: where the caller marks no cache breakpoints,
 * cache points go after the tool list, after the system prompt and at the end
 * of the conversation, so each request reuses what the previous one cached.
 * Measured on the wire bodies the local Bedrock server receives from the real
 * SDK client over a growing six-turn agent conversation.
 */
import * as assert from 'node:assert/strict';
import { ChatEvent, ChatMessage, ChatOptions, ChatTool } from '../../src/core/chat/types';
import { createRuntimeClient } from '../../src/core/bedrock/client';
import { converse } from '../../src/core/bedrock/converse';
import { buildConverseRequest } from '../../src/core/bedrock/request';
import { requestLog } from '../../src/core/bedrock/requestLog';
import { ChatModel, listModels } from '../../src/core/models/chatModel';
import { startBedrockServer, textEvents, type BedrockServer, type StreamEvent } from '../support';
import { promptBlocks, promptStats, reusedShare } from '../support/promptPrefix';

const east = listModels('us-east-1');
const sonnet = east.find((m) => m.family === 'claude-sonnet-4.5')!;
const novaPro = east.find((m) => m.family === 'nova-pro')!;
const llama = east.find((m) => m.family === 'llama-3.3')!;

// A deterministic, word-like text generator: estimates and byte counts behave as they do on real prose and code.
const WORDS = 'the file function returns value when user request model editor workspace test build error line change type string number object array import export class method call result config setting path folder read write list search terminal command output input token cache prompt system tool message answer'.split(' ');
function prose(seed: number, words: number): string {
  let x = seed * 2654435761;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(WORDS[x % WORDS.length] + (i % 13 === 12 ? '.' : ''));
  }
  return out.join(' ');
}

/** About what Copilot's agent mode sends: a long system prompt and some 30 tools with schemas. */
const SYSTEM = prose(1, 2_400);
const TOOLS: ChatTool[] = Array.from({ length: 30 }, (_, i) => ({
  name: `tool_${i}`,
  description: prose(100 + i, 60),
  inputSchema: { type: 'object', properties: { path: { type: 'string', description: prose(200 + i, 12) }, query: { type: 'string', description: prose(300 + i, 10) }, limit: { type: 'number' } }, required: ['path'] },
}));

const text = (t: string) => ({ type: 'text' as const, text: t });

/**
 * The conversation as the caller sends it in its n-th request: questions and
 * answers, and in the third exchange a tool call, whose result comes back in
 * a request of its own (as in agent mode: one request per tool round).
 */
function conversation(n: number): ChatMessage[] {
  const messages: ChatMessage[] = [{ role: 'system', parts: [text(SYSTEM)] }];
  const steps: ChatMessage[] = [];
  for (let turn = 1; steps.length < 2 * n; turn++) {
    steps.push({ role: 'user', parts: [text(`Question ${turn}: ${prose(1000 + turn, 70)}`)] });
    if (turn === 3) {
      steps.push({ role: 'assistant', parts: [text('Let me read the file.'), { type: 'toolCall', callId: `call-${turn}`, name: 'tool_1', input: { path: 'src/app.ts' } }] });
      steps.push({ role: 'user', parts: [{ type: 'toolResult', callId: `call-${turn}`, content: [text(prose(3000 + turn, 500))] }] });
    }
    steps.push({ role: 'assistant', parts: [text(`Answer ${turn}: ${prose(2000 + turn, 260)}`)] });
  }
  // Request n ends with the n-th message the caller sends (a question or a tool result).
  let sent = 0;
  for (const step of steps) {
    messages.push(step);
    if (step.role === 'user' && ++sent === n) break;
  }
  return messages;
}

describe('prompt caching by default', function () {
  let server: BedrockServer;
  const client = () => createRuntimeClient({ auth: { kind: 'apiKey', apiKey: 'ABSKcachingtests00000000000' }, region: 'us-east-1', endpoint: server.endpoint, idleTimeoutSeconds: 5 });
  before(async () => (server = await startBedrockServer()));
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    server.onConverseStream = () => textEvents('ok');
  });

  async function send(model: ChatModel, messages: ChatMessage[], options: ChatOptions = {}) {
    const c = client();
    try {
      const summary = await converse(c, model, messages, options, new AbortController().signal, (_e: ChatEvent) => {});
      return { summary, body: server.requests.at(-1)!.body };
    } finally {
      c.destroy();
    }
  }

  it('from turn 2 of a six-turn agent conversation (one request a turn, a tool round its own), at least 90% of each request is cached prefix reused from the previous one', async () => {
    const bodies = [];
    for (let n = 1; n <= 6; n++) bodies.push((await send(sonnet, conversation(n), { tools: TOOLS })).body);
    const figures: number[] = [];
    for (let n = 2; n <= 6; n++) {
      const share = reusedShare(bodies[n - 2], bodies[n - 1]);
      figures.push(share);
      const { bytes, cachePoints } = promptStats(bodies[n - 1]);
      console.log(`      turn ${n}: ${(share * 100).toFixed(1)}% of ${bytes.toLocaleString('en-US')} prompt bytes reused before the last of ${cachePoints} cache points`);
    }
    for (const [i, f] of figures.entries()) assert.ok(f >= 0.9, `turn ${i + 2}: ${(f * 100).toFixed(1)}% < 90%`);
    const last = bodies[5];
    assert.deepEqual(last.toolConfig.tools.at(-1), { cachePoint: { type: 'default' } }, 'after the tool list');
    assert.deepEqual(last.system.at(-1), { cachePoint: { type: 'default' } }, 'after the system prompt');
    assert.deepEqual(last.messages.at(-1).content.at(-1), { cachePoint: { type: 'default' } }, 'at the end of the conversation');
    assert.equal(promptBlocks(last).filter((b) => b.cachePoint).length, 4, 'four at most');
  });

  it("honours the caller's own breakpoints and adds none", () => {
    const messages: ChatMessage[] = [{ role: 'system', parts: [text(SYSTEM), { type: 'cachePoint' }] }, { role: 'user', parts: [text('hello')] }];
    const { input } = buildConverseRequest(sonnet, messages, { tools: TOOLS });
    assert.deepEqual(input.system!.at(-1), { cachePoint: { type: 'default' } });
    assert.ok(!input.toolConfig!.tools!.some((t) => t.cachePoint), 'no tool cache point of ours');
    assert.ok(!input.messages![0].content!.some((b) => b.cachePoint));
  });

  it('respects the minimum cacheable length: a short request gets no cache point', () => {
    const { input } = buildConverseRequest(sonnet, [{ role: 'system', parts: [text('Be brief.')] }, { role: 'user', parts: [text('hi')] }]);
    assert.deepEqual(input.system, [{ text: 'Be brief.' }]);
    assert.deepEqual(input.messages, [{ role: 'user', content: [{ text: 'hi' }] }]);
    // Claude Opus 4.5 and Haiku 4.5 need 4,096 tokens: this system prompt (~2,500) is enough for Sonnet 4.5 only.
    const mid: ChatMessage[] = [{ role: 'system', parts: [text(SYSTEM)] }, { role: 'user', parts: [text('hi')] }];
    assert.ok(buildConverseRequest(sonnet, mid).input.system!.some((b) => b.cachePoint));
    const haiku45 = east.find((m) => m.family === 'claude-haiku-4.5')!;
    assert.ok(!buildConverseRequest(haiku45, mid).input.system!.some((b) => b.cachePoint));
  });

  it('never caches the tool list on Nova, and places nothing on models without caching', () => {
    const nova = buildConverseRequest(novaPro, conversation(4), { tools: TOOLS }).input;
    assert.ok(!nova.toolConfig!.tools!.some((t) => t.cachePoint), 'Nova cannot cache tools');
    assert.ok(nova.system!.some((b) => b.cachePoint), 'but caches the system prompt');
    assert.ok(nova.messages!.at(-1)!.content!.at(-1)!.cachePoint, 'and the conversation');
    const plain = buildConverseRequest(llama, conversation(4), { tools: TOOLS }).input;
    assert.equal(JSON.stringify(plain).includes('cachePoint'), false);
  });

  it('bedrockChat.promptCaching false: no cache points at all, not even the caller\'s', () => {
    const withCallers: ChatMessage[] = [{ role: 'system', parts: [text(SYSTEM), { type: 'cachePoint' }] }, ...conversation(3).slice(1)];
    const { input } = buildConverseRequest(sonnet, withCallers, { tools: TOOLS, promptCaching: false });
    assert.equal(JSON.stringify(input).includes('cachePoint'), false);
  });

  it('logs the cache reads and writes Bedrock reports for each request', async () => {
    const usage: StreamEvent = { metadata: { usage: { inputTokens: 40, outputTokens: 5, totalTokens: 12_045, cacheReadInputTokens: 11_000, cacheWriteInputTokens: 1_000 }, metrics: { latencyMs: 3 } } };
    server.onConverseStream = () => [...textEvents('ok', { omitMetadata: true }), usage];
    const { summary } = await send(sonnet, conversation(2), { tools: TOOLS });
    assert.equal(summary.cacheReadTokens, 11_000);
    assert.equal(summary.cacheWriteTokens, 1_000);
    assert.match(requestLog.done(sonnet, summary), /tokens in=40 out=5 cacheRead=11000 cacheWrite=1000/);
  });
});
