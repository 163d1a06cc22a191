import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { listModels } from '../../src/core/models/chatModel';
import { pickerOptions } from '../../src/core/models/pickerOptions';
import { hang, metadataEvent, reasoningEvents, textEvents, toolUseEvents } from '../support';
import { bedrockModel, bedrockServer, chat, CLAUDE, extensionApi, NOVA_MICRO, resetUser, VENDOR } from './harness';

describe('Amazon Bedrock models in the real VS Code', () => {
  before(async () => {
    await extensionApi();
    await resetUser();
  });
  beforeEach(async () => ((await bedrockServer()).onConverseStream = undefined));

  it('selectChatModels returns the catalogue with limits and capabilities', async () => {
    const models = await vscode.lm.selectChatModels({ vendor: VENDOR });
    const expected = listModels('us-east-1');
    assert.deepEqual(models.map((m) => m.id).sort(), expected.map((m) => m.id).sort());
    const claude = models.find((m) => m.id === CLAUDE)!;
    const want = expected.find((m) => m.id === CLAUDE)!;
    assert.equal(claude.name, 'Claude Sonnet 4.5');
    assert.equal(claude.vendor, VENDOR);
    // Claude Sonnet 4.5 offers a 1M context in the picker: its budget is reported, and Copilot lowers it to the chosen size.
    assert.equal(claude.maxInputTokens, pickerOptions(want).maxInputTokens);
    assert.ok(claude.maxInputTokens > want.maxInputTokens);
    assert.equal(claude.family, 'claude-sonnet-4.5');
  });

  it('sendRequest streams text from Bedrock', async () => {
    const server = await bedrockServer();
    server.onConverseStream = () => textEvents(['Streaming ', 'works ', 'in VS Code.']);
    const { text, request } = await chat('Say something');
    assert.equal(text, 'Streaming works in VS Code.');
    assert.equal(request.modelId, NOVA_MICRO);
    assert.deepEqual(request.body.messages, [{ role: 'user', content: [{ text: 'Say something' }] }]);
  });

  it('a request with tools yields LanguageModelToolCallParts', async () => {
    const server = await bedrockServer();
    server.onConverseStream = () => [
      { messageStart: { role: 'assistant' } },
      ...toolUseEvents(0, { toolUseId: 'call-1', name: 'get_weather', inputChunks: ['{"city":', '"Paris"}'] }),
      ...toolUseEvents(1, { toolUseId: 'call-2', name: 'get_time', inputChunks: ['{"tz":"CET"}'] }),
      { messageStop: { stopReason: 'tool_use' } },
      metadataEvent(),
    ];
    const tools: vscode.LanguageModelChatTool[] = [
      { name: 'get_weather', description: 'Weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'get_time', description: 'Time', inputSchema: { type: 'object', properties: { tz: { type: 'string' } } } },
    ];
    const { parts, request } = await chat('Weather and time in Paris?', { tools, toolMode: vscode.LanguageModelChatToolMode.Required }, CLAUDE);
    const calls = parts.filter((p): p is vscode.LanguageModelToolCallPart => p instanceof vscode.LanguageModelToolCallPart);
    assert.deepEqual(calls.map((c) => [c.callId, c.name, c.input]), [
      ['call-1', 'get_weather', { city: 'Paris' }],
      ['call-2', 'get_time', { tz: 'CET' }],
    ]);
    assert.deepEqual(request.body.toolConfig.toolChoice, { any: {} });
  });

  it('tool results round-trip to Bedrock as toolResult blocks', async () => {
    const server = await bedrockServer();
    server.onConverseStream = () => textEvents('It is sunny in Paris.');
    const tools: vscode.LanguageModelChatTool[] = [{ name: 'get_weather', description: 'Weather', inputSchema: { type: 'object' } }];
    const history = [
      vscode.LanguageModelChatMessage.User('Weather in Paris?'),
      vscode.LanguageModelChatMessage.Assistant([new vscode.LanguageModelToolCallPart('call-1', 'get_weather', { city: 'Paris' })]),
      vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart('call-1', [new vscode.LanguageModelTextPart('Sunny, 24°C')])]),
    ];
    const { text, request } = await chat(history, { tools }, CLAUDE);
    assert.equal(text, 'It is sunny in Paris.');
    assert.deepEqual(request.body.messages[1].content, [{ toolUse: { toolUseId: 'call-1', name: 'get_weather', input: { city: 'Paris' } } }]);
    assert.deepEqual(request.body.messages[2].content, [{ toolResult: { toolUseId: 'call-1', content: [{ text: 'Sunny, 24°C' }] } }]);
  });

  it('images go to Bedrock as image blocks', async () => {
    // A real 1×1 PNG: VS Code decodes images before they reach the provider.
    const png = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
    const { request } = await chat([vscode.LanguageModelChatMessage.User([new vscode.LanguageModelTextPart('What is this?'), vscode.LanguageModelDataPart.image(png, 'image/png')])], {}, CLAUDE);
    const block = request.body.messages[0].content[1];
    assert.equal(block.image?.format, 'png', JSON.stringify(request.body.messages[0].content));
    assert.ok(Buffer.from(block.image.source.bytes, 'base64').subarray(0, 4).equals(Buffer.from([137, 80, 78, 71])), 'PNG bytes');
  });

  it('cache_control parts become cache points (inside tool results too); documents are sent; bookkeeping parts are skipped; other files get a placeholder', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.4 tiny');
    const history = [
      vscode.LanguageModelChatMessage.User([new vscode.LanguageModelTextPart('Read it')]),
      vscode.LanguageModelChatMessage.Assistant([new vscode.LanguageModelToolCallPart('call-1', 'read_file', { path: 'a.ts' })]),
      vscode.LanguageModelChatMessage.User([
        new vscode.LanguageModelToolResultPart('call-1', [
          new vscode.LanguageModelTextPart('file body'),
          new vscode.LanguageModelDataPart(new TextEncoder().encode('ephemeral'), 'cache_control'),
        ]),
        new vscode.LanguageModelTextPart('Long shared context'),
        new vscode.LanguageModelDataPart(new TextEncoder().encode('ephemeral'), 'cache_control'),
        new vscode.LanguageModelDataPart(new TextEncoder().encode('x'), 'stateful_marker'),
        new vscode.LanguageModelDataPart(pdf, 'application/pdf'),
        new vscode.LanguageModelDataPart(new Uint8Array([1, 2, 3]), 'application/octet-stream'),
        new vscode.LanguageModelTextPart('The question'),
      ]),
    ];
    const tools = [{ name: 'read_file', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }];
    const { request, text } = await chat(history, { tools }, CLAUDE);
    assert.equal(text, 'Hello from the local Bedrock server.');
    const content = request.body.messages[2].content as Record<string, unknown>[];
    assert.deepEqual(Object.keys(content[0]), ['toolResult']);
    assert.deepEqual(content[1], { cachePoint: { type: 'default' } }, 'the breakpoint stays right after its tool result');
    assert.deepEqual(content[2], { text: 'Long shared context' });
    assert.deepEqual(content[3], { cachePoint: { type: 'default' } });
    const doc = content.find((b) => b.document) as { document: { format: string; name: string; source: { bytes: string } } };
    assert.equal(doc.document.format, 'pdf');
    assert.equal(Buffer.from(doc.document.source.bytes, 'base64').toString(), '%PDF-1.4 tiny');
    assert.ok(content.some((b) => typeof b.text === 'string' && /application\/octet-stream was left out/.test(b.text as string)), JSON.stringify(content));
    assert.ok(!JSON.stringify(content).includes('stateful_marker'));
    assert.deepEqual(content.at(-1), { text: 'The question' });
  });

  it('countTokens answers locally for text and messages', async () => {
    const model = await bedrockModel(CLAUDE);
    const server = await bedrockServer();
    const before = server.requests.length;
    const short = await model.countTokens('Hello, world!');
    const long = await model.countTokens(vscode.LanguageModelChatMessage.User('word '.repeat(1000)));
    assert.ok(short > 0 && short < 10, String(short));
    assert.ok(long > 1000, String(long));
    assert.equal(server.requests.length, before, 'no network call');
  });

  it('cancelling a request closes the stream at the server', async () => {
    const server = await bedrockServer();
    server.onConverseStream = () => [...textEvents(['first '], { omitMessageStop: true, omitMetadata: true }), hang()];
    const model = await bedrockModel();
    const cts = new vscode.CancellationTokenSource();
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('long answer please')], {}, cts.token);
    const closed = server.streamClosedByClient(undefined, 10_000);
    for await (const part of response.stream) {
      if (part instanceof vscode.LanguageModelTextPart) {
        cts.cancel();
        break;
      }
    }
    const req = await closed;
    assert.equal(req.outcome, 'client-closed');
  });

  it('a dropped connection is an error in the chat, not a short answer', async () => {
    const server = await bedrockServer();
    server.onConverseStream = () => ({ events: textEvents(['one ', 'two ', 'three']), dropAfter: 2 });
    await assert.rejects(async () => {
      await chat('hello');
    });
    server.onConverseStream = () => textEvents('Partial', { omitMessageStop: true, omitMetadata: true });
    await assert.rejects(async () => await chat('hello'), /incomplete/);
  });
});

describe('reasoning and credential errors in the real VS Code', () => {
  before(resetUser);

  it('streams reasoning as thinking parts and replays the signed reasoning to Bedrock', async () => {
    const ThinkingPart = (vscode as unknown as { LanguageModelThinkingPart?: new (...a: unknown[]) => { value: string | string[]; metadata?: Record<string, unknown> } }).LanguageModelThinkingPart;
    assert.ok(ThinkingPart, 'LanguageModelThinkingPart exists at run time');
    const server = await bedrockServer();
    server.onConverseStream = () => [
      { messageStart: { role: 'assistant' } },
      ...reasoningEvents(0, ['Thinking ', 'it over.'], 'signature-abc'),
      ...textEvents('Done.', { contentBlockIndex: 1, omitMessageStart: true }),
    ];
    const { parts, text } = await chat('Think first', {}, CLAUDE);
    assert.equal(text, 'Done.');
    const thinking = parts.filter((p) => p instanceof ThinkingPart) as InstanceType<typeof ThinkingPart>[];
    assert.equal(thinking.map((p) => (Array.isArray(p.value) ? p.value.join('') : p.value)).join(''), 'Thinking it over.');
    assert.ok(thinking.some((p) => p.metadata?.signature === 'signature-abc'));

    server.onConverseStream = () => textEvents('Next answer.');
    const history = [
      vscode.LanguageModelChatMessage.User('Think first'),
      new vscode.LanguageModelChatMessage(vscode.LanguageModelChatMessageRole.Assistant, [...thinking, new vscode.LanguageModelTextPart('Done.')] as never),
      vscode.LanguageModelChatMessage.User('And now?'),
    ];
    const { request } = await chat(history, {}, CLAUDE);
    assert.deepEqual(request.body.messages[1].content, [{ reasoningContent: { reasoningText: { text: 'Thinking it over.', signature: 'signature-abc' } } }, { text: 'Done.' }]);
  });

  it('expired credentials show in the status bar as an error until the next success', async () => {
    const server = await bedrockServer();
    const api = await extensionApi();
    server.onConverseStream = () => ({ httpError: { status: 403, type: 'ExpiredTokenException', message: 'The security token included in the request is expired' } });
    await assert.rejects(async () => await chat('hi'), /expired/);
    await api.statusBar.update();
    assert.match(api.statusBar.text, /^\$\(error\) Bedrock: API key/);
    assert.match(api.statusBar.tooltip, /expired/);
    server.onConverseStream = undefined;
    await chat('hi');
    await api.statusBar.update();
    assert.equal(api.statusBar.text, 'Bedrock: API key');
  });
});
