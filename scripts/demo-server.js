'use strict';
// Demo mode for `npm start`: the local Bedrock-compatible server from the test
// suite (compiled to out/test/support), answering every chat with a streamed
// explanation of what happened, so a newcomer sees the whole flow offline.
// In agent mode, the first answer of a conversation also calls VS Code's
// list_dir tool on the demo workspace and reports what the tool returned, so
// the tool round trip (model asks, VS Code runs the tool, the result goes back
// to Bedrock) shows too.
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DEMO_TOOL_ID = 'demo-list-dir';

const HOW_TO_GO_REAL =
  'To use real Amazon Bedrock: put AWS credentials in your environment or `~/.aws` and restart `npm start`, ' +
  'or run "Bedrock: Set Bedrock API Key" here and restart with `npm start -- --real`.';

/** Text of the latest user message, without the context blocks Copilot Chat wraps around it. */
function askedText(req) {
  const last = [...(req.body?.messages ?? [])].reverse().find((m) => m.role === 'user' && (m.content ?? []).some((c) => c.text));
  return (last?.content ?? [])
    .map((c) => c.text)
    .filter(Boolean)
    .join(' ')
    .replace(/<(\w+)>[\s\S]*?<\/\1>/g, (m, tag) => (tag === 'userRequest' ? m.replace(/<\/?userRequest>/g, '') : ''))
    .trim()
    .slice(0, 300);
}

/** The demo tool's result in the latest message, if that is what this request carries. */
function demoToolResult(req) {
  const messages = req.body?.messages ?? [];
  const last = messages[messages.length - 1];
  const result = (last?.content ?? []).map((c) => c.toolResult).find((r) => r && r.toolUseId === DEMO_TOOL_ID);
  if (!result) return undefined;
  return (result.content ?? [])
    .map((c) => (c.text !== undefined ? c.text : c.json !== undefined ? JSON.stringify(c.json) : ''))
    .join('\n')
    .trim();
}

/**
 * The demo answer. Plain requests: says what it is and echoes the request,
 * word by word. With `opts.workspace`, in agent mode (list_dir offered), the
 * first turn of a conversation calls list_dir on the workspace first and the
 * answer then quotes what VS Code's tool returned.
 */
function demoReply(support, req, opts = {}) {
  const tools = req.body?.toolConfig?.tools ?? [];
  const intro =
    `**Bedrock Chat demo mode.** No AWS credentials were found, so this answer comes from the local Bedrock-compatible server ` +
    `instead of Amazon Bedrock. Your message went through the real extension and AWS SDK: model \`${req.modelId}\`, ` +
    `${req.body?.messages?.length ?? 0} messages, ${tools.length} tools.`;
  const listed = demoToolResult(req);
  if (listed !== undefined) {
    const lines = listed.split('\n').filter(Boolean);
    const shown = lines.slice(0, 12).join(', ') + (lines.length > 12 ? ', …' : '');
    const text =
      `${intro}\n\nVS Code ran the \`list_dir\` tool the demo model asked for, and sent its result back: ${shown || '(empty)'}.\n\n` +
      `With a real model, agent mode reads and edits these files with the same tools.\n\n${HOW_TO_GO_REAL}`;
    return { events: support.textEvents(text.split(/(?<= )/)), delayMs: 15 };
  }
  const listDir = tools.map((t) => t.toolSpec).find((t) => t && t.name === 'list_dir');
  const messages = req.body?.messages ?? [];
  const earlierToolUse = messages.some((m) => (m.content ?? []).some((c) => c.toolUse || c.toolResult));
  if (opts.workspace && listDir && !earlierToolUse) {
    const lead = 'Demo mode: let me look at your workspace with the `list_dir` tool.';
    return {
      events: [
        { messageStart: { role: 'assistant' } },
        ...lead.split(/(?<= )/).map((t) => ({ contentBlockDelta: { contentBlockIndex: 0, delta: { text: t } } })),
        { contentBlockStop: { contentBlockIndex: 0 } },
        ...support.toolUseEvents(1, { toolUseId: DEMO_TOOL_ID, name: listDir.name, inputChunks: [JSON.stringify({ path: opts.workspace })] }),
        { messageStop: { stopReason: 'tool_use' } },
        support.metadataEvent(),
      ],
      delayMs: 15,
    };
  }
  const text = `${intro}\n\nYou asked: "${askedText(req) || '…'}"\n\n${HOW_TO_GO_REAL}`;
  return { events: support.textEvents(text.split(/(?<= )/)), delayMs: 15 };
}

/**
 * Starts the demo server; returns it (its `endpoint` goes into bedrockChat.endpoint).
 * opts.workspace: the folder VS Code opens, listed with the list_dir tool in agent mode.
 */
async function startDemoServer(opts = {}) {
  const support = require(path.join(ROOT, 'out', 'test', 'support'));
  const server = await support.startBedrockServer();
  server.onConverseStream = (req) => {
    // The demo runs for hours: keep only the latest requests in memory.
    if (server.requests.length > 50) server.requests.splice(0, server.requests.length - 50);
    return demoReply(support, req, opts);
  };
  return server;
}

module.exports = { startDemoServer, demoReply, DEMO_TOOL_ID };
