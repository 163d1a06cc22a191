/**
 * The model's own options in a real VS Code's model picker (code-server in
 * headless Chromium, the extension as users install it): the thinking effort
 * and context size the provider offers through `configurationSchema`, chosen
 * in the picker, arrive as request fields at the local Bedrock server; the
 * thinking shows in the chat, survives a tool call (Copilot replays it signed),
 * and Bedrock's usage drives VS Code's context-window indicator.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { listModels } from '../../src/core/models/chatModel';
import { PICKER_KEYS, pickerOptions } from '../../src/core/models/pickerOptions';
import { CONTEXT_1M_BETA, INTERLEAVED_THINKING_BETA } from '../../src/core/models/reasoning';
import { THINKING_TOKENS } from '../../src/core/bedrock/thinking';
import { metadataEvent, reasoningEvents, startBedrockServer, textEvents, toolUseEvents, type BedrockServer, type RecordedRequest, type StreamEvent } from '../support';
import { promptStats, reusedShare } from '../support/promptPrefix';
import { harness, makeSandbox, ROOT, type Sandbox } from './sandbox';

const API_KEY = 'ABSKbW9kZWwtb3B0aW9ucy1lMmUta2V5LTAwMDAwMDA=';
const MODEL = 'Claude Sonnet 4.5';
const sonnet = listModels('us-east-1').find((m) => m.name === MODEL)!;
const contextSizes = pickerOptions(sonnet).schema!.properties[PICKER_KEYS.contextSize].enum as number[];

interface ChatSession {
  openChat(): Promise<void>;
  selectMode(mode: string): Promise<void>;
  pickModel(name: string, o: { vendor: string }): Promise<void>;
  listModelConfig(): Promise<{ section: string; option: string; checked: boolean }[]>;
  configureModel(section: string, option: string): Promise<void>;
  waitForContextUsage(label: string): Promise<string>;
  lastThinkingText(): Promise<string>;
  sendMessage(text: string): Promise<void>;
  waitForResponse(expected: string | RegExp, o?: { timeout?: number }): Promise<string>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

const streams = (server: BedrockServer): RecordedRequest[] => server.requests.filter((r) => r.operation === 'converse-stream');
/** Usage Bedrock reports for every answer here: mostly read from the cache. */
const USAGE = { inputTokens: 1_200, outputTokens: 50, cacheRead: 30_000, cacheWrite: 0 };
const usageEvent = (): StreamEvent => ({
  metadata: {
    usage: { inputTokens: USAGE.inputTokens, outputTokens: USAGE.outputTokens, totalTokens: 31_250, cacheReadInputTokens: USAGE.cacheRead, cacheWriteInputTokens: USAGE.cacheWrite },
    metrics: { latencyMs: 4 },
  },
});
/** What VS Code's indicator shows: (prompt + completion) / (chosen context size + max output), rounded. */
const expectedUsage = (contextSize: number) => {
  const used = USAGE.inputTokens + USAGE.cacheRead + USAGE.cacheWrite + USAGE.outputTokens;
  return `Context window usage: ${Math.min(100, Math.round((used / (contextSize + sonnet.maxOutputTokens)) * 100))}%`;
};

function thinkingAnswer(thoughts: string[], signature: string, answer: string): StreamEvent[] {
  return [
    { messageStart: { role: 'assistant' } },
    ...reasoningEvents(0, thoughts, signature),
    { contentBlockDelta: { contentBlockIndex: 1, delta: { text: answer } } },
    { contentBlockStop: { contentBlockIndex: 1 } },
    { messageStop: { stopReason: 'end_turn' } },
    usageEvent(),
  ];
}

describe('model options in the picker (thinking effort, context size), end to end', function () {
  this.timeout(300_000);
  let server: BedrockServer;
  let session: ChatSession;
  let box: Sandbox;
  let workspace: string;
  /** The last request of the previous turn, to measure what the next turn's first request reuses. */
  let previousTurn: RecordedRequest | undefined;

  before(async () => {
    box = makeSandbox('options', { 'notes.md': '# Notes\n' });
    workspace = box.workspace;
    server = await startBedrockServer();
    server.addBearerToken(API_KEY);
    session = await harness.startChatSession({
      ...box.extension,
      folder: workspace,
      env: box.env({ AWS_BEARER_TOKEN_BEDROCK: API_KEY }),
      userSettings: { 'bedrockChat.endpoint': server.endpoint, 'bedrockChat.region': 'us-east-1' },
      screenshotDir: path.join(ROOT, 'test-results', 'model-options-e2e'),
    });
    await session.openChat();
    await session.selectMode('Agent');
    await session.pickModel(MODEL, { vendor: 'Amazon Bedrock' });
  });

  after(async () => {
    await session?.close();
    await server?.close();
    box?.remove();
  });

  it('offers Claude Sonnet 4.5 a thinking effort and a 1M context beside the model picker', async () => {
    const rows = await session.listModelConfig();
    await session.screenshot('options-listed');
    assert.deepEqual(
      rows.map((r) => `${r.section}: ${r.option}${r.checked ? ' (chosen)' : ''}`),
      ['Thinking Effort: Off (chosen)', 'Thinking Effort: Low', 'Thinking Effort: Medium', 'Thinking Effort: High', 'Context Size: 200K (chosen)', 'Context Size: 1M'],
    );
  });

  it('picks High: Bedrock gets thinking with a budget, interleaved with the agent tools, no temperature; the thinking shows; the indicator shows Bedrock usage', async () => {
    await session.configureModel('Thinking Effort', 'High');
    server.onConverseStream = () => thinkingAnswer(['The user wants a plan. ', 'A short one will do.'], 'c2lnbmF0dXJlLW9uZQ==', 'Here is a short plan.');
    await session.sendMessage('Plan my day, thinking first.');
    await session.waitForResponse('Here is a short plan.');
    const req = streams(server).at(-1)!;
    assert.equal(req.modelId, sonnet.id);
    assert.deepEqual(req.body.additionalModelRequestFields, { thinking: { type: 'enabled', budget_tokens: THINKING_TOKENS.high }, anthropic_beta: [INTERLEAVED_THINKING_BETA] });
    assert.equal(req.body.inferenceConfig.maxTokens, sonnet.outputBudget + THINKING_TOKENS.high);
    assert.equal(req.body.inferenceConfig.temperature, undefined);
    assert.ok(req.body.toolConfig.tools.length > 0, 'agent mode sends tools');
    assert.deepEqual(req.body.toolConfig.toolChoice, { auto: {} });
    previousTurn = req;

    // The reasoning streamed as thinking: VS Code shows it in the answer's collapsible steps.
    assert.match(await session.lastThinkingText(), /The user wants a plan\. A short one will do\./);
    // Bedrock's usage, cache reads included, is what VS Code's context-window indicator shows.
    await session.waitForContextUsage(expectedUsage(contextSizes[0]));
    await session.screenshot('thinking-high');
  });

  it('keeps thinking on through a tool call: VS Code runs the tool and the signed thinking goes back first, unchanged', async () => {
    server.reset();
    server.addBearerToken(API_KEY);
    const thought = 'I should look at the workspace before answering.';
    const signature = 'c2lnbmF0dXJlLXRvb2wtdHVybg==';
    let toolName = '';
    server.onConverseStream = (req) => {
      const answered = (req.body.messages as { content: { toolResult?: { toolUseId: string } }[] }[]).some((m) => m.content.some((c) => c.toolResult?.toolUseId === 'think-call-1'));
      if (answered) return thinkingAnswer(['The listing has notes.md.'], 'c2lnbmF0dXJlLXR3bw==', 'The workspace holds notes.md.');
      const tool = (req.body.toolConfig.tools as { toolSpec?: { name: string } }[]).map((t) => t.toolSpec?.name ?? '').find((n) => /list_dir|listDirectory/i.test(n));
      assert.ok(tool, 'a directory-listing tool');
      toolName = tool;
      return [
        { messageStart: { role: 'assistant' } },
        ...reasoningEvents(0, [thought], signature),
        { contentBlockDelta: { contentBlockIndex: 1, delta: { text: 'Let me look.' } } },
        { contentBlockStop: { contentBlockIndex: 1 } },
        ...toolUseEvents(2, { toolUseId: 'think-call-1', name: tool, inputChunks: [JSON.stringify({ path: workspace })] }),
        { messageStop: { stopReason: 'tool_use' } },
        metadataEvent(),
      ];
    };
    await session.sendMessage('What is in my workspace?');
    await session.waitForResponse('The workspace holds notes.md.', { timeout: 120_000 });
    const [first, second] = streams(server);
    assert.ok(second, `a second request carried the ${toolName} result`);
    assert.ok(first.body.additionalModelRequestFields.thinking, 'thinking on in the first request');
    const assistant = (second.body.messages as { role: string; content: Record<string, unknown>[] }[]).filter((m) => m.role === 'assistant' && m.content.some((c) => c.toolUse)).at(-1)!;
    assert.deepEqual(assistant.content[0], { reasoningContent: { reasoningText: { text: thought, signature } } }, 'the signed thinking first, as Bedrock sent it');
    assert.ok(assistant.content.some((c) => (c.toolUse as { toolUseId?: string } | undefined)?.toolUseId === 'think-call-1'));
    assert.deepEqual(second.body.additionalModelRequestFields.thinking, { type: 'enabled', budget_tokens: THINKING_TOKENS.high }, 'thinking stays on through the tool round trip');
    assert.match(JSON.stringify(second.body.messages.at(-1)), /notes\.md/, 'the real tool listed the workspace');
    // Copilot marks no cache breakpoints for this vendor: the cache points are Bedrock Chat's own.
    const share = reusedShare(first.body, second.body);
    const { bytes, cachePoints } = promptStats(second.body);
    console.log(`      Copilot's tool-result request: ${(share * 100).toFixed(1)}% of ${bytes.toLocaleString('en-US')} prompt bytes reused from the request before, ${cachePoints} cache points`);
    assert.ok(cachePoints >= 3 && share >= 0.9, `${(share * 100).toFixed(1)}% reused, ${cachePoints} cache points`);
    const nextTurn = reusedShare(previousTurn!.body, first.body);
    // Copilot's system prompt gains its skills list after the first turn, so only the tools carry over here; see the next turn.
    console.log(`      Copilot's second user turn: ${(nextTurn * 100).toFixed(1)}% of ${promptStats(first.body).bytes.toLocaleString('en-US')} prompt bytes reused from the first turn's request`);
    previousTurn = second;
    await session.screenshot('thinking-tool-call');
  });

  it('picks the 1M context: Bedrock gets the long-context beta and VS Code sizes its indicator to the choice', async () => {
    server.reset();
    server.addBearerToken(API_KEY);
    await session.configureModel('Thinking Effort', 'Off');
    await session.configureModel('Context Size', '1M');
    server.onConverseStream = () => [...textEvents('A long-context answer.', { omitMetadata: true }), usageEvent()];
    await session.sendMessage('Use the long context.');
    await session.waitForResponse('A long-context answer.');
    const req = streams(server).at(-1)!;
    assert.deepEqual(req.body.additionalModelRequestFields, { anthropic_beta: [CONTEXT_1M_BETA] }, 'no thinking, the 1M beta');
    const nextTurn = reusedShare(previousTurn!.body, req.body);
    console.log(`      Copilot's third user turn: ${(nextTurn * 100).toFixed(1)}% of ${promptStats(req.body).bytes.toLocaleString('en-US')} prompt bytes reused from the second turn's last request`);
    await session.waitForContextUsage(expectedUsage(contextSizes[1]));
    assert.notEqual(expectedUsage(contextSizes[1]), expectedUsage(contextSizes[0]), 'the two sizes show differently');
    await session.screenshot('context-1m');
  });
});
