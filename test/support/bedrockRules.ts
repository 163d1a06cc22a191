/**
 * What Bedrock's Converse API refuses in a request body, checked the way
 * Bedrock checks it, so a test can tell whether the product's request repair
 * (src/core/bedrock/request.ts) produced something Bedrock would accept. The
 * messages follow Bedrock's ValidationException texts where they are known;
 * the local server's handlers answer with them through `strictBedrock`.
 */
import { httpError, type StreamScript } from './scripts';
import type { RecordedRequest } from './bedrockServer';

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** Converse's per-image limit, in bytes of the decoded image. */
const MAX_IMAGE_BYTES = 3_750_000;

type Block = Record<string, any>;

function blockProblems(block: Block, at: string, role: string, hasToolConfig: boolean): string[] {
  const out: string[] = [];
  const keys = Object.keys(block);
  if (keys.length !== 1) out.push(`The ContentBlock at ${at} must have exactly one member, got ${keys.join(', ') || 'none'}.`);
  if ('text' in block && (typeof block.text !== 'string' || !block.text.trim())) {
    out.push(`The text field in the ContentBlock object at ${at} is blank. Add text to the text field, and try again.`);
  }
  if (('toolUse' in block || 'toolResult' in block) && !hasToolConfig) {
    out.push('The toolConfig field must be defined when using toolUse and toolResult content blocks.');
  }
  if ('toolUse' in block && role !== 'assistant') out.push(`A toolUse block at ${at} is only allowed in an assistant message.`);
  if ('toolResult' in block && role !== 'user') out.push(`A toolResult block at ${at} is only allowed in a user message.`);
  if ('toolUse' in block && !TOOL_NAME.test(block.toolUse?.name ?? '')) out.push(`The tool name at ${at}.toolUse.name must match [a-zA-Z0-9_-]{1,64}.`);
  if ('image' in block) {
    if (role !== 'user') out.push(`An image at ${at} is only allowed in a user message.`);
    const bytes = Buffer.from(String(block.image?.source?.bytes ?? ''), 'base64').length;
    if (bytes > MAX_IMAGE_BYTES) out.push(`${at}.image.source.bytes: image exceeds 3.75 MB maximum: ${bytes} bytes > ${MAX_IMAGE_BYTES} bytes`);
  }
  return out;
}

/** Every problem Bedrock would report for this ConverseStream body (empty: it would accept it). */
export function bedrockProblems(body: any): string[] {
  const out: string[] = [];
  if (!body || typeof body !== 'object') return ['The request body is not JSON.'];
  const messages: Block[] = Array.isArray(body.messages) ? body.messages : [];
  const tools: Block[] = body.toolConfig?.tools ?? [];
  const hasToolConfig = !!body.toolConfig;
  if (!messages.length) out.push('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  if (messages[0] && messages[0].role !== 'user') out.push('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  for (const [i, s] of (body.system ?? []).entries()) {
    if ('text' in s && !String(s.text).trim()) out.push(`The text field in the SystemContentBlock at system.${i} is blank.`);
  }
  messages.forEach((m, i) => {
    if (m.role !== 'user' && m.role !== 'assistant') out.push(`messages.${i}.role must be user or assistant.`);
    if (i > 0 && messages[i - 1].role === m.role) {
      out.push('A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.');
    }
    const content: Block[] = Array.isArray(m.content) ? m.content : [];
    if (!content.filter((b) => !('cachePoint' in b)).length) {
      out.push(`The content field in the Message object at messages.${i} is empty. Add a ContentBlock object to the content field and try again.`);
    }
    if (content[0] && 'cachePoint' in content[0]) out.push(`messages.${i}.content.0: a cache point cannot open a message.`);
    content.forEach((b, j) => out.push(...blockProblems(b, `messages.${i}.content.${j}`, m.role, hasToolConfig)));
    // Every toolUse is answered by a toolResult in the next message, and no result lacks its use.
    const uses = content.flatMap((b) => (b.toolUse ? [b.toolUse.toolUseId as string] : []));
    if (uses.length) {
      const next: Block[] = messages[i + 1]?.content ?? [];
      const answered = new Set(next.flatMap((b) => (b.toolResult ? [b.toolResult.toolUseId as string] : [])));
      const missing = uses.filter((id) => !answered.has(id));
      if (missing.length) out.push(`Expected toolResult blocks at messages.${i + 1}.content for the following Ids: ${missing.join(', ')}`);
    }
    const results = content.flatMap((b) => (b.toolResult ? [b.toolResult.toolUseId as string] : []));
    if (results.length) {
      const prev: Block[] = messages[i - 1]?.content ?? [];
      const used = new Set(prev.flatMap((b) => (b.toolUse ? [b.toolUse.toolUseId as string] : [])));
      if (results.some((id) => !used.has(id))) {
        out.push(`The number of toolResult blocks at messages.${i}.content exceeds the number of toolUse blocks of previous turn.`);
      }
    }
  });
  const images = messages.flatMap((m) => (m.content ?? []).filter((b: Block) => b.image)).length;
  if (images > 20) out.push(`Too many images: ${images} > 20.`);
  const names = new Set<string>();
  tools.forEach((t, i) => {
    const spec = t.toolSpec;
    if (!spec) return;
    if (!TOOL_NAME.test(spec.name ?? '')) {
      out.push(`Value at 'toolConfig.tools.${i + 1}.member.toolSpec.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+`);
    }
    if (names.has(spec.name)) out.push(`The toolConfig field has more than one tool named ${spec.name}.`);
    names.add(spec.name);
    const schema = spec.inputSchema?.json;
    if (!schema || typeof schema !== 'object' || schema.type !== 'object') {
      out.push(`The model returned the following errors: tools.${i}.custom.input_schema.type: Input should be 'object'`);
    }
    if (!spec.description || !String(spec.description).trim()) out.push(`The tool description at toolConfig.tools.${i} is blank.`);
  });
  const points = [...tools, ...(body.system ?? []), ...messages.flatMap((m) => m.content ?? [])].filter((b: Block) => b.cachePoint).length;
  if (points > 4) out.push(`A maximum of 4 cache points is allowed, got ${points}.`);
  return out;
}

/**
 * A ConverseStream handler that answers like Bedrock: a 400 ValidationException
 * naming the first problem, else whatever `reply` gives.
 */
export function strictBedrock(reply: (req: RecordedRequest) => StreamScript | Promise<StreamScript>): (req: RecordedRequest) => StreamScript | Promise<StreamScript> {
  return (req) => {
    const problems = bedrockProblems(req.body);
    return problems.length ? httpError(400, 'ValidationException', problems[0]) : reply(req);
  };
}
