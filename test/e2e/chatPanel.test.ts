/**
 * The chat panel end to end: a real VS Code (code-server) in headless
 * Chromium, the built extension, and the local Bedrock server. A user picks an
 * Amazon Bedrock model in agent mode, sends a message and sees the answer.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { harness, makeSandbox, ROOT, VSIX, type Sandbox } from './sandbox';
import { metadataEvent, startBedrockServer, textEvents, toolUseEvents, type BedrockServer, type RecordedRequest } from '../support';

const API_KEY = 'ABSKZTJlLWNoYXQtcGFuZWwta2V5LTAwMDAwMDAwMDA=';

interface ChatSession {
  openChat(): Promise<void>;
  selectMode(mode: string): Promise<void>;
  pickModel(name: string, o: { vendor: string }): Promise<void>;
  sendMessage(text: string): Promise<void>;
  waitForResponse(expected: string | RegExp, o?: { timeout?: number }): Promise<string>;
  screenshot(name: string): Promise<string>;
  tidyForScreenshot(): Promise<void>;
  close(): Promise<void>;
  extensionsDir: string;
}

const userText = (r: RecordedRequest): string =>
  (r.body?.messages ?? [])
    .filter((m: { role: string }) => m.role === 'user')
    .flatMap((m: { content: { text?: string }[] }) => m.content.map((c) => c.text ?? ''))
    .join('\n');

describe('chat panel end to end', function () {
  this.timeout(300_000);
  let server: BedrockServer;
  let session: ChatSession;
  let box: Sandbox;
  let workspace: string;

  before(async () => {
    box = makeSandbox('e2e', { 'hello.txt': 'Hello from the workspace file.\n' });
    workspace = box.workspace;
    server = await startBedrockServer();
    server.addBearerToken(API_KEY);
    session = await harness.startChatSession({
      ...box.extension,
      folder: workspace,
      env: box.env({ AWS_BEARER_TOKEN_BEDROCK: API_KEY }),
      userSettings: { 'bedrockChat.endpoint': server.endpoint, 'bedrockChat.region': 'us-east-1' },
      screenshotDir: path.join(ROOT, 'test-results', 'chat-e2e'),
    });
    await session.openChat();
    await session.selectMode('Agent');
    await session.pickModel('Claude Sonnet 4.5', { vendor: 'Amazon Bedrock' });
  });

  after(async () => {
    await session?.close();
    await server?.close();
    box?.remove();
  });

  it('runs the extension installed from the packaged VSIX, not the development folder', function () {
    if (!VSIX) this.skip();
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const installed = path.join(session.extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
    assert.ok(fs.existsSync(path.join(installed, pkg.main)), `code-server --install-extension put the bundle in ${installed}`);
    assert.ok(!fs.existsSync(path.join(installed, 'src')), 'sources are not shipped');
  });

  it('picks an Amazon Bedrock model in agent mode and renders the streamed answer', async () => {
    server.onConverseStream = () => textEvents(['Hello from ', 'Amazon Bedrock, ', 'streamed into the chat panel.']);
    await session.sendMessage('Hello Bedrock, are you there?');
    const text = await session.waitForResponse('Hello from Amazon Bedrock, streamed into the chat panel.');
    await session.screenshot('bedrock-answer');
    assert.match(text, /streamed into the chat panel/);
    const req = server.requests.find((r) => r.operation === 'converse-stream')!;
    assert.equal(req.modelId, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    assert.deepEqual(req.auth, { kind: 'bearer', token: API_KEY });
    assert.match(userText(req), /Hello Bedrock, are you there\?/);
    assert.ok(req.body.system?.length > 0, 'Copilot system prompt arrives as Bedrock system blocks');
    // Besides the tool specs, the list ends with the cache point Bedrock Chat places after it.
    const tools = (req.body.toolConfig?.tools ?? []).flatMap((t: { toolSpec?: { name: string } }) => (t.toolSpec ? [t.toolSpec.name] : []));
    assert.ok(tools.length > 0, 'agent mode sends tools');
    console.log(`      agent mode tools: ${tools.join(', ')}`);
  });

  it('shows the npm start demo answer, echoing what the user asked', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { demoReply } = require(path.join(ROOT, 'scripts', 'demo-server.js'));
    server.onConverseStream = (req) => demoReply(require('../support'), req);
    await session.sendMessage('What is demo mode?');
    const text = await session.waitForResponse(/restart npm start/);
    await session.screenshot('demo-mode');
    assert.match(text, /Bedrock Chat demo mode/);
    assert.match(text, /You asked: "What is demo mode\?"/);
  });

  it('in npm start demo mode, agent mode lists the workspace with VS Code\'s list_dir tool', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { demoReply, DEMO_TOOL_ID } = require(path.join(ROOT, 'scripts', 'demo-server.js'));
    server.reset();
    server.addBearerToken(API_KEY);
    server.onConverseStream = (req) => demoReply(require('../support'), req, { workspace });
    await session.sendMessage('What is in my project?');
    const text = await session.waitForResponse(/VS Code ran the list_dir tool[\s\S]*hello\.txt[\s\S]*npm start -- --real/, { timeout: 120_000 });
    await session.screenshot('demo-mode-tool');
    assert.match(text, /sent its result back: hello\.txt/);
    const streams = server.requests.filter((r) => r.operation === 'converse-stream');
    const result = JSON.stringify(streams.at(-1)!.body.messages.at(-1));
    assert.match(result, new RegExp(`"toolUseId":"${DEMO_TOOL_ID}"`), 'the tool result went back to the demo server');
    assert.match(result, /hello\.txt/);
  });

  it('runs a tool the model calls and sends its result back to Bedrock', async () => {
    server.reset();
    server.addBearerToken(API_KEY);
    let toolName = '';
    server.onConverseStream = (req) => {
      const results = (req.body.messages as { content: { toolResult?: { toolUseId: string; content: { text?: string }[] } }[] }[])
        .flatMap((m) => m.content)
        .filter((c) => c.toolResult?.toolUseId === 'e2e-call-1');
      if (results.length) return textEvents('The tool said the workspace has hello.txt.');
      const specs = req.body.toolConfig.tools.flatMap((t: { toolSpec?: { name: string; inputSchema: { json: unknown } } }) => (t.toolSpec ? [t.toolSpec] : []));
      const tool = specs.find((t: { name: string }) => /list_dir|listDirectory/i.test(t.name));
      assert.ok(tool, `a directory-listing tool among ${specs.map((t: { name: string }) => t.name).join(', ')}`);
      toolName = tool.name;
      return [
        { messageStart: { role: 'assistant' } },
        { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Let me look at the workspace.' } } },
        { contentBlockStop: { contentBlockIndex: 0 } },
        ...toolUseEvents(1, { toolUseId: 'e2e-call-1', name: tool.name, inputChunks: [JSON.stringify({ path: workspace })] }),
        { messageStop: { stopReason: 'tool_use' } },
        metadataEvent(),
      ];
    };
    await session.sendMessage('Which files are in my workspace?');
    const text = await session.waitForResponse('The tool said the workspace has hello.txt.', { timeout: 120_000 });
    await session.tidyForScreenshot(); // the README's picture (npm run screenshots)
    await session.screenshot('bedrock-tool-call');
    assert.match(text, /hello\.txt/);
    const streams = server.requests.filter((r) => r.operation === 'converse-stream');
    assert.ok(streams.length >= 2, 'a second request carried the tool result');
    const last = streams.at(-1)!;
    const toolResult = last.body.messages
      .flatMap((m: { content: unknown[] }) => m.content)
      .find((c: { toolResult?: { toolUseId: string } }) => c.toolResult?.toolUseId === 'e2e-call-1');
    assert.ok(toolResult, `tool ${toolName} result was sent back`);
    assert.match(JSON.stringify(toolResult), /hello\.txt/, 'the real tool listed the workspace');
  });
});
