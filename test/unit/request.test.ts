import * as assert from 'node:assert/strict';
import { ChatMessage } from '../../src/core/chat/types';
import { listModels } from '../../src/core/models/chatModel';
import { buildConverseRequest } from '../../src/core/bedrock/request';

const models = listModels('us-east-1');
const claude = models.find((m) => m.family === 'claude-sonnet-4.5')!;
const micro = models.find((m) => m.family === 'nova-micro')!;
const r1 = models.find((m) => m.family === 'deepseek-r1')!;

const user = (...parts: ChatMessage['parts']): ChatMessage => ({ role: 'user', parts });
const assistant = (...parts: ChatMessage['parts']): ChatMessage => ({ role: 'assistant', parts });
const text = (t: string) => ({ type: 'text' as const, text: t });
const tools = [{ name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }];

describe('buildConverseRequest', () => {
  it('puts system prompts in system blocks and sends the model id unchanged', () => {
    const { input } = buildConverseRequest(claude, [{ role: 'system', parts: [text('Be brief.')] }, user(text('Hi'))]);
    assert.equal(input.modelId, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    assert.deepEqual(input.system, [{ text: 'Be brief.' }]);
    assert.deepEqual(input.messages, [{ role: 'user', content: [{ text: 'Hi' }] }]);
    assert.equal(input.inferenceConfig?.maxTokens, 32_000, 'the default output budget, not the full 64K (quota is reserved up front)');
    assert.equal(input.toolConfig, undefined);
  });

  it('merges consecutive messages of the same role and drops blank text', () => {
    const { input } = buildConverseRequest(claude, [user(text('a')), user(text('  '), text('b')), assistant(text('c')), assistant(text('d'))]);
    assert.deepEqual(input.messages, [
      { role: 'user', content: [{ text: 'a' }, { text: 'b' }] },
      { role: 'assistant', content: [{ text: 'c' }, { text: 'd' }] },
    ]);
  });

  it('starts with a user turn even if history starts with the assistant', () => {
    const { input } = buildConverseRequest(claude, [assistant(text('Earlier answer')), user(text('next'))]);
    assert.equal(input.messages![0].role, 'user');
    assert.equal(input.messages!.length, 3);
  });

  it('maps tools to toolConfig; Required becomes any', () => {
    const auto = buildConverseRequest(claude, [user(text('weather?'))], { tools, toolMode: 'auto' }).input;
    assert.deepEqual(auto.toolConfig, {
      tools: [{ toolSpec: { name: 'get_weather', description: 'Weather for a city', inputSchema: { json: tools[0].inputSchema } } }],
      toolChoice: { auto: {} },
    });
    const required = buildConverseRequest(claude, [user(text('weather?'))], { tools, toolMode: 'required' }).input;
    assert.deepEqual(required.toolConfig?.toolChoice, { any: {} });
  });

  it('drops tools for models without tool support', () => {
    const { input } = buildConverseRequest(r1, [user(text('x'))], { tools });
    assert.equal(input.toolConfig, undefined);
  });

  it('sends tool calls and tool results (text, JSON and image) and puts results first in the user turn', () => {
    const png = new Uint8Array([137, 80, 78, 71]);
    const { input } = buildConverseRequest(
      claude,
      [
        user(text('weather in Paris and Rome?')),
        assistant(text('Checking.'), { type: 'toolCall', callId: 't1', name: 'get_weather', input: { city: 'Paris' } }, { type: 'toolCall', callId: 't2', name: 'get_weather', input: { city: 'Rome' } }),
        user(
          text('here you go'),
          { type: 'toolResult', callId: 't1', content: [{ type: 'text', text: 'Sunny' }, { type: 'json', value: { c: 21 } }] },
          { type: 'toolResult', callId: 't2', content: [{ type: 'image', mimeType: 'image/png', data: png }], isError: false },
        ),
      ],
      { tools },
    );
    assert.deepEqual(input.messages![1].content, [
      { text: 'Checking.' },
      { toolUse: { toolUseId: 't1', name: 'get_weather', input: { city: 'Paris' } } },
      { toolUse: { toolUseId: 't2', name: 'get_weather', input: { city: 'Rome' } } },
    ]);
    assert.deepEqual(input.messages![2].content, [
      { toolResult: { toolUseId: 't1', content: [{ text: 'Sunny' }, { json: { c: 21 } }] } },
      { toolResult: { toolUseId: 't2', content: [{ image: { format: 'png', source: { bytes: png } } }] } },
      { text: 'here you go' },
    ]);
  });

  it('marks error tool results', () => {
    const { input } = buildConverseRequest(
      claude,
      [user(text('q')), assistant({ type: 'toolCall', callId: 't1', name: 'get_weather', input: {} }), user({ type: 'toolResult', callId: 't1', content: [{ type: 'text', text: 'boom' }], isError: true })],
      { tools },
    );
    assert.equal(input.messages![2].content![0].toolResult!.status, 'error');
  });

  it('answers a tool call that has no result, and turns an orphan result into text', () => {
    const { input } = buildConverseRequest(
      claude,
      [
        user(text('q')),
        assistant({ type: 'toolCall', callId: 'lost', name: 'get_weather', input: {} }),
        user(text('never mind'), { type: 'toolResult', callId: 'ghost', content: [{ type: 'text', text: 'stale' }] }),
      ],
      { tools },
    );
    const last = input.messages![2].content!;
    assert.equal(last[0].toolResult?.toolUseId, 'lost');
    assert.equal(last[0].toolResult?.status, 'error');
    assert.ok(last.some((b) => b.text?.includes('stale')));
    assert.ok(!last.some((b) => b.toolResult?.toolUseId === 'ghost'));
  });

  it('turns tool blocks into text when the request has no tools (Bedrock requires toolConfig for them)', () => {
    const { input } = buildConverseRequest(claude, [
      user(text('q')),
      assistant({ type: 'toolCall', callId: 't1', name: 'get_weather', input: { city: 'Oslo' } }),
      user({ type: 'toolResult', callId: 't1', content: [{ type: 'text', text: 'Snow' }] }),
    ]);
    assert.ok(JSON.stringify(input.messages).includes('Oslo'));
    assert.ok(!JSON.stringify(input.messages).includes('toolUse'));
  });

  it('sends images as image blocks, and a note instead for text-only models', () => {
    const jpeg = new Uint8Array([255, 216, 255]);
    const msg = [user(text('what is this?'), { type: 'image' as const, mimeType: 'image/jpeg' as const, data: jpeg })];
    assert.deepEqual(buildConverseRequest(claude, msg).input.messages![0].content![1], { image: { format: 'jpeg', source: { bytes: jpeg } } });
    assert.match(buildConverseRequest(micro, msg).input.messages![0].content![1].text!, /does not accept images/);
  });

  it('renames tools Bedrock would reject and keeps the mapping', () => {
    const built = buildConverseRequest(claude, [user(text('q'))], { tools: [{ name: 'mcp.github/search issues', description: 'd' }] });
    const name = built.input.toolConfig!.tools![0].toolSpec!.name!;
    assert.match(name, /^[a-zA-Z0-9_-]{1,64}$/);
    assert.equal(built.toolNames.editorName(name), 'mcp.github/search issues');
  });

  it('turns cache_control breakpoints into cache points, at most four, never opening a turn', () => {
    const cp = { type: 'cachePoint' as const };
    const { input } = buildConverseRequest(claude, [
      { role: 'system', parts: [text('sys'), cp] },
      user(cp, text('1'), cp),
      assistant(text('2'), cp),
      user(text('3'), cp),
      assistant(text('4'), cp),
      user(text('5'), cp),
    ]);
    const all = [...input.system!, ...input.messages!.flatMap((m) => m.content!)];
    assert.equal(all.filter((b) => 'cachePoint' in b && b.cachePoint).length, 4);
    for (const m of input.messages!) assert.ok(!m.content![0].cachePoint);
    assert.deepEqual(input.messages!.at(-1)!.content, [{ text: '5' }, { cachePoint: { type: 'default' } }]);
    const none = buildConverseRequest({ ...claude, cachePoints: false }, [user(text('1'), cp)]).input;
    assert.deepEqual(none.messages![0].content, [{ text: '1' }]);
  });

  it('replays signed reasoning only', () => {
    const { input } = buildConverseRequest(claude, [
      user(text('q')),
      assistant({ type: 'thinking', text: 'hmm', signature: 'sig' }, { type: 'thinking', text: 'unsigned' }, text('a')),
      user(text('q2')),
    ]);
    assert.deepEqual(input.messages![1].content, [{ reasoningContent: { reasoningText: { text: 'hmm', signature: 'sig' } } }, { text: 'a' }]);
  });

  it('lets a caller ask for the full output limit', () => {
    assert.equal(buildConverseRequest(claude, [user(text('q'))], { maxTokens: 64_000 }).input.inferenceConfig?.maxTokens, 64_000);
  });

  it('caps maxTokens at the model limit and passes sampling options', () => {
    const { input } = buildConverseRequest(micro, [user(text('q'))], { maxTokens: 1_000_000, temperature: 0.2, topP: 0.9, stopSequences: ['END'] });
    assert.deepEqual(input.inferenceConfig, { maxTokens: 10_000, temperature: 0.2, topP: 0.9, stopSequences: ['END'] });
  });
});
