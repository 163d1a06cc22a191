'use strict';
// Demo mode for `npm start`: the local Bedrock-compatible server from the test
// suite (compiled to out/test/support), answering every chat with a streamed
// explanation of what happened, so a newcomer sees the whole flow offline.
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

/** The demo answer: says what it is and echoes the request, word by word. */
function demoReply(support, req) {
  const last = [...(req.body?.messages ?? [])].reverse().find((m) => m.role === 'user');
  const asked = (last?.content ?? [])
    .map((c) => c.text)
    .filter(Boolean)
    .join(' ')
    .replace(/<(\w+)>[\s\S]*?<\/\1>/g, (m, tag) => (tag === 'userRequest' ? m.replace(/<\/?userRequest>/g, '') : ''))
    .trim()
    .slice(0, 300);
  const tools = req.body?.toolConfig?.tools?.length ?? 0;
  const text =
    `**Bedrock Chat demo mode.** No AWS credentials were found, so this answer comes from the local Bedrock-compatible server ` +
    `instead of Amazon Bedrock. Your message went through the real extension and AWS SDK: model \`${req.modelId}\`, ` +
    `${req.body?.messages?.length ?? 0} messages, ${tools} tools.\n\nYou asked: "${asked || '…'}"\n\n` +
    `To use real Bedrock, run "Bedrock: Set Bedrock API Key" (or put AWS credentials in your environment) and restart \`npm start\`.`;
  return { events: support.textEvents(text.split(/(?<= )/)), delayMs: 15 };
}

/** Starts the demo server; returns it (its `endpoint` goes into bedrockChat.endpoint). */
async function startDemoServer() {
  const support = require(path.join(ROOT, 'out', 'test', 'support'));
  const server = await support.startBedrockServer();
  server.onConverseStream = (req) => demoReply(support, req);
  return server;
}

module.exports = { startDemoServer, demoReply };
