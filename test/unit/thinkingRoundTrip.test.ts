/**
 * Signed and redacted thinking across a tool round trip, end to end below the
 * editor: a real Bedrock answer (recorded from Claude 3.7 Sonnet with
 * thinking on) streams through the real SDK client into VS Code response
 * parts (src/vscode/exchange.ts), comes back as VS Code history (the parts as
 * streamed, and the way Copilot replays them: merged, after the text), goes
 * through src/vscode/convert.ts and the request builder, and the second
 * request on the wire must carry the assistant turn exactly as the recorded
 * second request that real Bedrock accepted.
 */
import * as assert from 'node:assert/strict';
import { LanguageModelThinkingPart } from '../support/vscodeShim'; // first: it makes require('vscode') work
import * as vscode from 'vscode';
import { ChatEvent, ChatOptions } from '../../src/core/chat/types';
import { createRuntimeClient } from '../../src/core/bedrock/client';
import { converse } from '../../src/core/bedrock/converse';
import { listModels } from '../../src/core/models/chatModel';
import { toChatMessages } from '../../src/vscode/convert';
import { createReporter } from '../../src/vscode/exchange';
import { loadCassette, metadataEvent, startBedrockServer, type BedrockServer, type StreamEvent } from '../support';

const USER = 1;
const ASSISTANT = 2;
const msg = (role: number, ...content: unknown[]) => ({ role, content, name: undefined }) as unknown as vscode.LanguageModelChatRequestMessage;

interface RecordedBlock {
  reasoningContent?: { reasoningText: { text: string; signature: string } };
  text?: string;
  toolUse?: { toolUseId: string; name: string; input: unknown };
}

/** A recorded Converse answer as the ConverseStream events Bedrock sends for it (reasoning in three deltas, then its signature). */
function asStream(content: RecordedBlock[], stopReason: string, usage: { inputTokens: number; outputTokens: number }): StreamEvent[] {
  const events: StreamEvent[] = [{ messageStart: { role: 'assistant' } }];
  content.forEach((b, i) => {
    if (b.reasoningContent) {
      const t = b.reasoningContent.reasoningText.text;
      const cut = [0, Math.floor(t.length / 3), Math.floor((2 * t.length) / 3), t.length];
      for (let k = 0; k < 3; k++) events.push({ contentBlockDelta: { contentBlockIndex: i, delta: { reasoningContent: { text: t.slice(cut[k], cut[k + 1]) } } } });
      events.push({ contentBlockDelta: { contentBlockIndex: i, delta: { reasoningContent: { signature: b.reasoningContent.reasoningText.signature } } } });
    } else if (b.text !== undefined) {
      events.push({ contentBlockDelta: { contentBlockIndex: i, delta: { text: b.text } } });
    } else if (b.toolUse) {
      events.push({ contentBlockStart: { contentBlockIndex: i, start: { toolUse: { toolUseId: b.toolUse.toolUseId, name: b.toolUse.name } } } });
      events.push({ contentBlockDelta: { contentBlockIndex: i, delta: { toolUse: { input: JSON.stringify(b.toolUse.input) } } } });
    }
    events.push({ contentBlockStop: { contentBlockIndex: i } });
  });
  events.push({ messageStop: { stopReason } }, metadataEvent(usage));
  return events;
}

/**
 * One thinking record the way Copilot Chat keeps it per response (its
 * thinking container's update()): the text of every part appended, the
 * metadata of the last part that had any.
 */
function copilotThinking(parts: LanguageModelThinkingPart[]): LanguageModelThinkingPart {
  const text = parts.map((p) => (Array.isArray(p.value) ? p.value.join('') : p.value)).join('');
  return new LanguageModelThinkingPart(text, 'thinking_0', parts.filter((p) => p.metadata).at(-1)?.metadata);
}

/** Collects what the provider reports to VS Code. */
function collector() {
  const parts: unknown[] = [];
  return { parts, progress: { report: (p: unknown) => parts.push(p) } as vscode.Progress<vscode.LanguageModelResponsePart> };
}

describe('signed thinking across a tool round trip (real recording, real SDK, VS Code parts)', function () {
  let server: BedrockServer;
  const client = () => createRuntimeClient({ auth: { kind: 'apiKey', apiKey: 'ABSKroundtrip000000000000000' }, region: 'us-east-1', endpoint: server.endpoint, idleTimeoutSeconds: 5 });
  before(async () => (server = await startBedrockServer()));
  after(() => server.close());
  beforeEach(() => server.reset());

  const [first, second] = loadCassette('test_bedrock_anthropic_tool_with_thinking.yaml');
  const firstReply = JSON.parse(first.body.toString('utf8'));
  const secondReply = JSON.parse(second.body.toString('utf8'));
  /** What real Bedrock accepted as the second request. */
  const accepted = second.requestJson as { messages: { role: string; content: Record<string, unknown>[] }[] };
  const model = listModels('us-east-1').find((m) => m.id === first.modelId)!;
  const tool = (first.requestJson as { toolConfig: { tools: { toolSpec: { name: string; inputSchema: { json: object } } }[] } }).toolConfig.tools[0].toolSpec;
  const options: ChatOptions = { tools: [{ name: tool.name, description: '', inputSchema: tool.inputSchema.json }], modelConfiguration: { reasoningEffort: 'low' } };
  const question = accepted.messages[0].content[0].text as string;

  async function send(messages: readonly vscode.LanguageModelChatRequestMessage[], progress: vscode.Progress<vscode.LanguageModelResponsePart>) {
    const c = client();
    try {
      return await converse(c, model, toChatMessages(messages), options, new AbortController().signal, createReporter(progress) as (e: ChatEvent) => void);
    } finally {
      c.destroy();
    }
  }

  function serveRecordedAnswers() {
    server.onConverseStream = () =>
      server.requests.filter((r) => r.operation === 'converse-stream').length === 1
        ? asStream(firstReply.output.message.content, firstReply.stopReason, firstReply.usage)
        : asStream(secondReply.output.message.content, secondReply.stopReason, secondReply.usage);
  }

  /** The wire's second request, with the recorded one's `status: "success"` (Bedrock's default) dropped for comparison. */
  const withoutSuccessStatus = (m: { content: Record<string, unknown>[] }) =>
    m.content.map((b) => (b.toolResult ? { toolResult: { ...(b.toolResult as object), status: undefined } } : b));

  for (const replay of ['as streamed', 'as Copilot replays it (merged, after the text)'] as const) {
    it(`sends the signed reasoning back first and unchanged, ${replay}`, async () => {
      serveRecordedAnswers();
      const out = collector();
      await send([msg(USER, new vscode.LanguageModelTextPart(question))], out.progress);
      const thinking = out.parts.filter((p): p is LanguageModelThinkingPart => p instanceof LanguageModelThinkingPart);
      assert.ok(thinking.length >= 4, 'reasoning streamed as thinking parts: three deltas and the signature');
      const call = out.parts.find((p): p is vscode.LanguageModelToolCallPart => p instanceof vscode.LanguageModelToolCallPart)!;
      const text = out.parts.filter((p): p is vscode.LanguageModelTextPart => p instanceof vscode.LanguageModelTextPart).map((p) => p.value).join('');
      const usage = out.parts.filter((p) => p instanceof vscode.LanguageModelDataPart);
      assert.equal(usage.length, 1, 'usage reported once');

      const assistantParts =
        replay === 'as streamed'
          ? out.parts.filter((p) => !(p instanceof vscode.LanguageModelDataPart))
          : [
              new vscode.LanguageModelTextPart(text),
              copilotThinking(thinking),
              call,
            ];
      const history = [
        msg(USER, new vscode.LanguageModelTextPart(question)),
        msg(ASSISTANT, ...assistantParts),
        msg(USER, new vscode.LanguageModelToolResultPart(call.callId, [new vscode.LanguageModelTextPart('Mexico')])),
      ];
      const answer = collector();
      await send(history, answer.progress);

      const wire = server.requests.filter((r) => r.operation === 'converse-stream')[1].body;
      assert.deepEqual(wire.messages[1], accepted.messages[1], 'the assistant turn exactly as Bedrock accepted it: reasoning with its signature first, then text and tool use');
      assert.deepEqual(withoutSuccessStatus(wire.messages[2]), withoutSuccessStatus(accepted.messages[2]));
      assert.equal(wire.additionalModelRequestFields.thinking.type, 'enabled', 'thinking stays on across the tool round trip');
      assert.deepEqual(wire.toolConfig.toolChoice, { auto: {} });
      const final = answer.parts.filter((p): p is vscode.LanguageModelTextPart => p instanceof vscode.LanguageModelTextPart).map((p) => p.value).join('');
      assert.match(final, /Mexico City/);
    });
  }

  it('sends back every block of a response with several (signed, then redacted) although Copilot merges them into one record', async () => {
    const redacted = Buffer.from('opaque-redacted-bytes');
    server.onConverseStream = () =>
      server.requests.filter((r) => r.operation === 'converse-stream').length === 1
        ? [
            { messageStart: { role: 'assistant' } },
            { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: 'First, ' } } } },
            { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { text: 'the country.' } } } },
            { contentBlockDelta: { contentBlockIndex: 0, delta: { reasoningContent: { signature: 'sig-A' } } } },
            { contentBlockStop: { contentBlockIndex: 0 } },
            { contentBlockDelta: { contentBlockIndex: 1, delta: { reasoningContent: { redactedContent: redacted } } } },
            { contentBlockStop: { contentBlockIndex: 1 } },
            { contentBlockDelta: { contentBlockIndex: 2, delta: { text: 'Checking.' } } },
            { contentBlockStop: { contentBlockIndex: 2 } },
            { contentBlockStart: { contentBlockIndex: 3, start: { toolUse: { toolUseId: 'tool-2', name: tool.name } } } },
            { contentBlockDelta: { contentBlockIndex: 3, delta: { toolUse: { input: '{}' } } } },
            { contentBlockStop: { contentBlockIndex: 3 } },
            { messageStop: { stopReason: 'tool_use' } },
            metadataEvent(),
          ]
        : asStream([{ text: 'Mexico City.' }], 'end_turn', { inputTokens: 9, outputTokens: 3 });
    const out = collector();
    await send([msg(USER, new vscode.LanguageModelTextPart(question))], out.progress);
    const thinking = out.parts.filter((p): p is LanguageModelThinkingPart => p instanceof LanguageModelThinkingPart);
    const call = out.parts.find((p): p is vscode.LanguageModelToolCallPart => p instanceof vscode.LanguageModelToolCallPart)!;
    const merged = copilotThinking(thinking);
    assert.equal(merged.value, 'First, the country.', 'Copilot keeps one text for both blocks');
    assert.ok(!merged.metadata?.signature, 'and only the last metadata: the signature of the first block is gone from it');
    await send(
      [
        msg(USER, new vscode.LanguageModelTextPart(question)),
        msg(ASSISTANT, new vscode.LanguageModelTextPart('Checking.'), merged, call),
        msg(USER, new vscode.LanguageModelToolResultPart(call.callId, [new vscode.LanguageModelTextPart('Mexico')])),
      ],
      collector().progress,
    );
    const wire = server.requests.filter((r) => r.operation === 'converse-stream')[1].body;
    assert.deepEqual(wire.messages[1].content, [
      { reasoningContent: { reasoningText: { text: 'First, the country.', signature: 'sig-A' } } },
      { reasoningContent: { redactedContent: redacted.toString('base64') } },
      { text: 'Checking.' },
      { toolUse: { toolUseId: 'tool-2', name: tool.name, input: {} } },
    ]);
  });

  it('sends redacted reasoning back as the same bytes (Claude 3.7 redacted thinking recording)', async () => {
    const redactedRecording = loadCassette('test_bedrock_model_thinking_part_redacted_stream.yaml')[0];
    server.replay(redactedRecording);
    const out = collector();
    await send([msg(USER, new vscode.LanguageModelTextPart('Hello'))], out.progress);
    const redacted = out.parts.filter((p): p is LanguageModelThinkingPart => p instanceof LanguageModelThinkingPart && !!p.metadata?.redactedData);
    assert.ok(redacted.length >= 1, 'redacted reasoning reported with its data');
    server.onConverseStream = () => asStream([{ text: 'Fine.' }], 'end_turn', { inputTokens: 5, outputTokens: 2 });
    const assistant = out.parts.filter((p) => !(p instanceof vscode.LanguageModelDataPart));
    await send([msg(USER, new vscode.LanguageModelTextPart('Hello')), msg(ASSISTANT, ...assistant), msg(USER, new vscode.LanguageModelTextPart('And now?'))], collector().progress);
    const wire = server.requests.at(-1)!.body;
    const sentBack = wire.messages[1].content.filter((b: { reasoningContent?: unknown }) => b.reasoningContent);
    assert.deepEqual(
      sentBack.map((b: { reasoningContent: { redactedContent: string } }) => b.reasoningContent.redactedContent),
      redacted.map((p) => p.metadata!.redactedData),
      'each redacted block goes back byte for byte (base64 on the wire)',
    );
    assert.ok(wire.messages[1].content.findIndex((b: { text?: string }) => b.text !== undefined) > sentBack.length - 1, 'after the reasoning, the text');
  });
});
