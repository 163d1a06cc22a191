import * as assert from 'node:assert/strict';
import type { ContentBlock } from '@aws-sdk/client-bedrock-runtime';
import { ChatEvent, ChatMessage, ChatOptions } from '../../src/core/chat/types';
import { ChatModel, listModels } from '../../src/core/models/chatModel';
import { buildConverseRequest } from '../../src/core/bedrock/request';
import { createRuntimeClient } from '../../src/core/bedrock/client';
import { converse } from '../../src/core/bedrock/converse';
import { describeError } from '../../src/core/bedrock/errors';
import { ModelStopError } from '../../src/core/bedrock/failures';
import { stopOutcome } from '../../src/core/bedrock/stopReasons';
import { startBedrockServer, textEvents, toolUseEvents, metadataEvent, type BedrockServer } from '../support';

const models = listModels('us-east-1');
const claude = models.find((m) => m.family === 'claude-sonnet-4.5')!;
const micro = models.find((m) => m.family === 'nova-micro')!;
const novaPro = models.find((m) => m.family === 'nova-pro')!;
const r1 = models.find((m) => m.family === 'deepseek-r1')!;
const llama33 = models.find((m) => m.family === 'llama-3.3')!;
const llama4 = models.find((m) => m.family === 'llama-4-maverick')!;
const mistralLarge = listModels('us-west-2').find((m) => m.family === 'mistral-large')!;
const qwen = models.find((m) => m.family === 'qwen3-coder-30b') ?? listModels('us-west-2').find((m) => m.family === 'qwen3-coder-30b')!;

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

  it('maps tools to toolConfig; Required becomes any on models that accept it', () => {
    const auto = buildConverseRequest(claude, [user(text('weather?'))], { tools, toolMode: 'auto' }).input;
    assert.deepEqual(auto.toolConfig, {
      tools: [{ toolSpec: { name: 'get_weather', description: 'Weather for a city', inputSchema: { json: tools[0].inputSchema } } }],
      toolChoice: { auto: {} },
    });
    const required = buildConverseRequest(claude, [user(text('weather?'))], { tools, toolMode: 'required' });
    assert.deepEqual(required.input.toolConfig?.toolChoice, { any: {} });
    assert.deepEqual(required.notes, []);
    for (const m of [novaPro, mistralLarge]) assert.deepEqual(buildConverseRequest(m, [user(text('q'))], { tools, toolMode: 'required' }).input.toolConfig?.toolChoice, { any: {} }, m.name);
  });

  it('sends Required as auto, with a note for the log, to models that reject toolChoice any (Llama, unknown models)', () => {
    const custom = listModels('us-east-1', [{ id: 'arn:aws:bedrock:us-east-1:111122223333:custom-model/abc' }])[0];
    for (const m of [llama33, llama4, qwen, custom]) {
      const built = buildConverseRequest(m, [user(text('weather?'))], { tools, toolMode: 'required' });
      assert.deepEqual(built.input.toolConfig?.toolChoice, { auto: {} }, m.name);
      assert.equal(built.notes.length, 1, m.name);
      assert.match(built.notes[0], /does not accept toolChoice "any".*auto/);
    }
  });

  it('makes every tool schema an object schema, keeping what the caller gave', () => {
    const schemaOf = (inputSchema: object | undefined) =>
      buildConverseRequest(claude, [user(text('q'))], { tools: [{ name: 't', description: 'd', inputSchema }] }).input.toolConfig!.tools![0].toolSpec!.inputSchema!.json;
    assert.deepEqual(schemaOf({}), { type: 'object', properties: {} });
    assert.deepEqual(schemaOf(undefined), { type: 'object', properties: {} });
    assert.deepEqual(schemaOf([] as object), { type: 'object', properties: {} });
    assert.deepEqual(schemaOf({ properties: { a: { type: 'string' } }, required: ['a'] }), { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] });
    assert.deepEqual(schemaOf({ type: 'object', additionalProperties: false }), { type: 'object', properties: {}, additionalProperties: false });
    const stringSchema = buildConverseRequest(claude, [user(text('q'))], { tools: [{ name: 't', description: 'd', inputSchema: { type: 'string' } }] });
    assert.deepEqual(stringSchema.input.toolConfig!.tools![0].toolSpec!.inputSchema!.json, { type: 'object', properties: {} });
    assert.match(stringSchema.notes[0], /Tool "t" has an input schema of type "string"/);
  });

  it('sends a request that holds only a system prompt with that prompt as the user message', () => {
    const built = buildConverseRequest(claude, [{ role: 'system', parts: [text('Write a commit message for: fix typo'), { type: 'cachePoint' }] }]);
    assert.deepEqual(built.input.messages, [{ role: 'user', content: [{ text: 'Write a commit message for: fix typo' }, { cachePoint: { type: 'default' } }] }]);
    assert.equal(built.input.system, undefined);
    assert.match(built.notes[0], /only a system prompt/);
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
      // The image alone counts as enough tokens for an automatic cache point; not what this test is about.
      { tools, promptCaching: false },
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

  it('keeps a cache point that followed a tool result right after it when results move to the front', () => {
    const cp = { type: 'cachePoint' as const };
    const result = (callId: string, t: string) => ({ type: 'toolResult' as const, callId, content: [{ type: 'text' as const, text: t }] });
    const { input } = buildConverseRequest(
      claude,
      [
        user(text('q')),
        assistant({ type: 'toolCall', callId: 'a', name: 'get_weather', input: {} }, { type: 'toolCall', callId: 'b', name: 'get_weather', input: {} }),
        user(text('context'), result('a', 'one'), cp, text('between'), result('b', 'two'), cp, cp),
      ],
      { tools },
    );
    const shape = (b: ContentBlock) => (b.toolResult ? `result ${b.toolResult.toolUseId}` : b.cachePoint ? 'cache' : `text ${b.text}`);
    assert.deepEqual(input.messages![2].content!.map(shape), ['result a', 'cache', 'result b', 'cache', 'text context', 'text between']);
  });

  it('keeps the latest four cache points when tool results add more', () => {
    const cp = { type: 'cachePoint' as const };
    const turns: ChatMessage[] = [{ role: 'system', parts: [text('sys'), cp] }, user(text('q'))];
    for (const id of ['a', 'b', 'c', 'd']) {
      turns.push(assistant({ type: 'toolCall', callId: id, name: 'get_weather', input: {} }));
      turns.push(user({ type: 'toolResult', callId: id, content: [{ type: 'text', text: id }] }, cp));
    }
    const { input } = buildConverseRequest(claude, turns, { tools });
    assert.equal(input.system!.length, 1, 'the oldest (system) breakpoint gave way');
    for (const m of input.messages!.filter((m) => m.content!.some((b) => b.toolResult))) assert.ok(m.content!.at(-1)!.cachePoint, 'each tool result turn keeps its breakpoint');
  });

  describe('documents', () => {
    const pdf = new Uint8Array(Buffer.from('%PDF-1.7 test'));
    const doc = (name?: string, mimeType = 'application/pdf', data = pdf) => ({ type: 'document' as const, mimeType, data, ...(name ? { name } : {}) });
    const blocks = (model: ChatModel, ...parts: ChatMessage['parts']) => buildConverseRequest(model, [user(...parts)]);

    it('go to Bedrock as document blocks with the format and a name Bedrock accepts', () => {
      const built = blocks(claude, text('Summarise'), doc('Q3  report_final (v2).pdf'));
      assert.deepEqual(built.input.messages![0].content, [{ text: 'Summarise' }, { document: { format: 'pdf', name: 'Q3 report-final (v2)', source: { bytes: pdf } } }]);
      assert.deepEqual(built.notes, []);
    });

    it('are named document-1, document-2... when unnamed, uniquely within the request, and get the text block Bedrock requires', () => {
      const { input } = buildConverseRequest(claude, [
        user(doc(), doc('notes.md', 'text/markdown'), doc('notes.md', 'text/markdown')),
        assistant(text('Read them.')),
        user(text('And this one?'), doc('Übersicht.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')),
      ]);
      const names = input.messages!.flatMap((m) => m.content!.flatMap((b) => (b.document ? [`${b.document.name}.${b.document.format}`] : [])));
      assert.deepEqual(names, ['document-1.pdf', 'notes.md', 'notes (2).md', 'Ubersicht.docx']);
      assert.deepEqual(input.messages![0].content!.at(-1), { text: '(Attached: document-1, notes, notes (2))' });
      assert.equal(input.messages![2].content!.filter((b) => b.text).length, 1, 'a turn that has text gets no extra text');
    });

    it('are left out with a placeholder and a note when too large, unsupported, or the model takes none', () => {
      const big = blocks(claude, text('q'), doc('huge.pdf', 'application/pdf', new Uint8Array(4_600_000)));
      assert.match(big.input.messages![0].content![1].text!, /^\[The file "huge\.pdf" \(application\/pdf\) was left out: it is 4\.6 MB and Bedrock accepts at most 4\.5 MB/);
      const zip = blocks(claude, text('q'), doc('a.zip', 'application/zip'));
      assert.match(zip.input.messages![0].content![1].text!, /"a\.zip" \(application\/zip\) was left out: Bedrock accepts only PDF, CSV/);
      for (const m of [micro, r1]) {
        const built = blocks(m, text('q'), doc('r.pdf'));
        assert.match(built.input.messages![0].content![1].text!, /was left out: .* does not accept documents/, m.name);
        assert.equal(built.notes.length, 1);
      }
      assert.equal(JSON.stringify(big.input).includes('"document"'), false);
    });

    it('are at most five per request, the latest ones kept', () => {
      const { input, notes } = buildConverseRequest(claude, [
        user(text('first'), doc('one.pdf'), doc('two.pdf')),
        assistant(text('ok')),
        user(text('more'), doc('three.pdf'), doc('four.pdf'), doc('five.pdf'), doc('six.pdf')),
      ]);
      const sent = input.messages!.flatMap((m) => m.content!.flatMap((b) => (b.document ? [b.document.name] : [])));
      assert.deepEqual(sent, ['two', 'three', 'four', 'five', 'six']);
      assert.match(input.messages![0].content![1].text!, /at most 5 documents per request/);
      assert.equal(notes.length, 1);
    });

    it('in tool results become document blocks inside the result, and count toward the limit', () => {
      const { input } = buildConverseRequest(
        claude,
        [user(text('q')), assistant({ type: 'toolCall', callId: 't1', name: 'get_weather', input: {} }), user({ type: 'toolResult', callId: 't1', content: [text('see file'), doc()] })],
        { tools },
      );
      assert.deepEqual(input.messages![2].content, [
        { toolResult: { toolUseId: 't1', content: [{ text: 'see file' }, { document: { format: 'pdf', name: 'document-1', source: { bytes: pdf } } }] } },
      ]);
    });
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

describe('stop reasons', () => {
  it('are complete, a note under the answer, or a failure that says what to do', () => {
    for (const r of ['end_turn', 'tool_use', 'stop_sequence', undefined]) assert.deepEqual(stopOutcome(r), { kind: 'complete' });
    for (const r of ['max_tokens', 'guardrail_intervened', 'content_filtered', 'something_new']) assert.equal(stopOutcome(r).kind, 'note', r);
    for (const r of ['malformed_tool_use', 'malformed_model_output', 'model_context_window_exceeded']) {
      const o = stopOutcome(r);
      assert.equal(o.kind, 'failed', r);
      assert.match((o as { message: string }).message, new RegExp(`${r}.*(retry|Start a new chat)`, 'i'));
    }
    assert.equal((stopOutcome('model_context_window_exceeded') as { errorKind: string }).errorKind, 'contextTooLong');
  });
});

describe('converse: what reaches the wire and how a request ends', function () {
  let server: BedrockServer;
  const client = () => createRuntimeClient({ auth: { kind: 'apiKey', apiKey: 'ABSKrequesttests00000000000' }, region: 'us-east-1', endpoint: server.endpoint, idleTimeoutSeconds: 5 });
  before(async () => (server = await startBedrockServer()));
  after(() => server.close());
  beforeEach(() => server.reset());

  async function run(model: ChatModel, messages: ChatMessage[], options: ChatOptions = {}) {
    const events: ChatEvent[] = [];
    const c = client();
    try {
      return { summary: await converse(c, model, messages, options, new AbortController().signal, (e) => events.push(e)), events };
    } finally {
      c.destroy();
    }
  }

  for (const reason of ['malformed_tool_use', 'malformed_model_output', 'model_context_window_exceeded']) {
    it(`fails with a clear error when the model stops with ${reason}`, async () => {
      server.onConverseStream = () => textEvents('Partial answer', { stopReason: reason });
      await assert.rejects(run(claude, [user(text('q'))]), (err: unknown) => {
        assert.ok(err instanceof ModelStopError);
        assert.equal(err.stopReason, reason);
        const described = describeError(err, { modelId: claude.id, region: 'us-east-1' });
        assert.equal(described.message, err.message, 'describeError passes the message through');
        assert.equal(described.kind, reason === 'model_context_window_exceeded' ? 'contextTooLong' : 'service');
        return true;
      });
    });
  }

  it('finishes normally on max_tokens (the provider appends the note) and on tool_use', async () => {
    server.onConverseStream = () => textEvents('Cut', { stopReason: 'max_tokens' });
    assert.equal((await run(claude, [user(text('q'))])).summary.stopReason, 'max_tokens');
    server.onConverseStream = () => [{ messageStart: { role: 'assistant' } }, ...toolUseEvents(0, { toolUseId: 'x', name: 'get_weather', inputChunks: ['{}'] }), { messageStop: { stopReason: 'tool_use' } }, metadataEvent()];
    assert.equal((await run(claude, [user(text('q'))], { tools })).summary.stopReason, 'tool_use');
  });

  it('sends auto to Llama in Required mode and reports why in the summary notes', async () => {
    server.onConverseStream = () => textEvents('Hi');
    const { summary } = await run(llama4, [user(text('q'))], { tools, toolMode: 'required' });
    assert.deepEqual((server.requests[0].body as { toolConfig: { toolChoice: unknown } }).toolConfig.toolChoice, { auto: {} });
    assert.equal(summary.notes?.length, 1);
    assert.match(summary.notes![0], /Llama 4 Maverick 17B does not accept toolChoice "any"/);
    server.reset();
    server.onConverseStream = () => textEvents('Hi');
    assert.equal((await run(claude, [user(text('q'))])).summary.notes, undefined, 'no notes when nothing changed');
  });

  it('puts a PDF on the wire as a document block', async () => {
    server.onConverseStream = () => textEvents('It is a report.');
    const pdf = new Uint8Array(Buffer.from('%PDF-1.7 wire'));
    await run(claude, [user(text('What is this?'), { type: 'document', mimeType: 'application/pdf', data: pdf, name: 'report.pdf' })]);
    const sent = (server.requests[0].body as { messages: { content: Record<string, unknown>[] }[] }).messages[0].content[1];
    assert.deepEqual(sent, { document: { format: 'pdf', name: 'report', source: { bytes: Buffer.from(pdf).toString('base64') } } });
  });
});
