import * as vscode from 'vscode';
import { ChatMessage, ChatPart, ChatRole, IMAGE_MIME_TYPES, ImageMimeType, ToolResultItem } from '../core/chat/types';

/** Copilot sends system prompts with this role, which is not in the stable enum. */
const SYSTEM_ROLE = 3;
const CACHE_CONTROL_MIME = 'cache_control';
/** Application types that are text under another name; sent as text, which every model reads. */
const TEXT_APPLICATION_MIMES = new Set(['application/xml', 'application/javascript', 'application/typescript', 'application/x-sh', 'application/sql', 'application/yaml', 'application/x-yaml', 'application/toml']);

/**
 * Every reasoning block of a response so far, as the reporter puts it in the
 * metadata of signature and redacted parts (src/vscode/exchange.ts): the
 * exact blocks to send back, whatever the caller did to the parts.
 */
export const REPLAY_KEY = 'bedrockReasoning';
export type ReplayBlock = { text: string; signature: string } | { redactedData: string };

/** Present at run time in current VS Code, though not in the stable d.ts. */
type ThinkingPartLike = { value: string | string[]; id?: string; metadata?: { signature?: string; redactedData?: string; [REPLAY_KEY]?: unknown } };
const ThinkingPart = (vscode as unknown as { LanguageModelThinkingPart?: new (...a: unknown[]) => ThinkingPartLike }).LanguageModelThinkingPart;

function role(r: vscode.LanguageModelChatMessageRole | number): ChatRole {
  if (r === vscode.LanguageModelChatMessageRole.Assistant) return 'assistant';
  if (r === SYSTEM_ROLE) return 'system';
  return 'user';
}

const isImageMime = (mime: string): mime is ImageMimeType => (IMAGE_MIME_TYPES as readonly string[]).includes(mime);
const isJsonMime = (mime: string) => mime === 'application/json' || mime.endsWith('+json');
const isTextMime = (mime: string) => mime.startsWith('text/') || mime.endsWith('+xml') || TEXT_APPLICATION_MIMES.has(mime);
const decode = (data: Uint8Array) => new TextDecoder().decode(data);

/** "Application/PDF; name=\"a.pdf\"" → the bare lower-case type and the file name parameter, if any. */
function parseMime(raw: string): { mime: string; fileName?: string } {
  const [type, ...params] = raw.split(';');
  const named = params.map((p) => p.trim().match(/^(?:file)?name="?([^"]*)"?$/i)?.[1]).find((n) => n);
  return { mime: type.trim().toLowerCase(), ...(named ? { fileName: named } : {}) };
}

/** What a data part carries, wherever it sits: a message or a tool result. */
type DataContent = ToolResultItem | { type: 'cachePoint' };

/**
 * The one place data parts are routed by MIME type. Copilot also sends
 * bookkeeping as data parts whose "MIME type" is a bare word
 * (`stateful_marker`, `thinking`): not content, so skipped. Any real MIME type
 * is content: JSON and text are decoded, images kept, and every other file is
 * a document; the core decides whether Bedrock takes it and says so if not.
 */
function routeData(part: vscode.LanguageModelDataPart): DataContent | undefined {
  const { mime, fileName } = parseMime(part.mimeType);
  if (mime === CACHE_CONTROL_MIME) return { type: 'cachePoint' };
  if (!mime.includes('/')) return undefined;
  if (isImageMime(mime)) return { type: 'image', mimeType: mime, data: part.data };
  if (isJsonMime(mime)) {
    try {
      return { type: 'json', value: JSON.parse(decode(part.data)) };
    } catch {
      return { type: 'text', text: decode(part.data) };
    }
  }
  if (isTextMime(mime)) return { type: 'text', text: decode(part.data) };
  // Data parts have no name in the stable API; take one if a newer VS Code adds it.
  const partName = (part as unknown as { name?: unknown }).name;
  const name = fileName ?? (typeof partName === 'string' ? partName : undefined);
  return { type: 'document', mimeType: mime, data: part.data, ...(name ? { name } : {}) };
}

function dataPart(part: vscode.LanguageModelDataPart): ChatPart | undefined {
  const content = routeData(part);
  // A message has no JSON part; the model reads the JSON as the text it came as.
  return content?.type === 'json' ? { type: 'text', text: decode(part.data) } : content;
}

/**
 * A tool result, followed by a cache point when its content holds a
 * cache_control breakpoint (Copilot marks them there in agent mode): Bedrock
 * has no cache point inside a tool result, so it goes right after it.
 */
function toolResult(callId: string, content: readonly unknown[], isError: boolean): ChatPart[] {
  const items: ToolResultItem[] = [];
  let cacheAfter = false;
  for (const c of content) {
    if (c instanceof vscode.LanguageModelTextPart) items.push({ type: 'text', text: c.value });
    else if (c instanceof vscode.LanguageModelPromptTsxPart) items.push({ type: 'json', value: c.value });
    else if (c instanceof vscode.LanguageModelDataPart) {
      const routed = routeData(c);
      if (routed?.type === 'cachePoint') cacheAfter = true;
      else if (routed) items.push(routed);
    } else if (typeof (c as { value?: unknown })?.value === 'string') items.push({ type: 'text', text: (c as { value: string }).value });
  }
  const result: ChatPart = { type: 'toolResult', callId, content: items, ...(isError ? { isError: true } : {}) };
  return cacheAfter ? [result, { type: 'cachePoint' }] : [result];
}

function parts(p: unknown): ChatPart[] {
  if (ThinkingPart && p instanceof ThinkingPart) {
    const text = Array.isArray(p.value) ? p.value.join('') : p.value;
    const redacted = p.metadata?.redactedData ? Buffer.from(p.metadata.redactedData, 'base64') : undefined;
    return [{ type: 'thinking', text, ...(p.metadata?.signature ? { signature: p.metadata.signature } : {}), ...(redacted ? { redacted } : {}) }];
  }
  if (p instanceof vscode.LanguageModelTextPart) return [{ type: 'text', text: p.value }];
  if (p instanceof vscode.LanguageModelToolCallPart) return [{ type: 'toolCall', callId: p.callId, name: p.name, input: p.input }];
  if (p instanceof vscode.LanguageModelToolResultPart) return toolResult(p.callId, p.content, false);
  if (p instanceof vscode.LanguageModelDataPart) {
    const d = dataPart(p);
    return d ? [d] : [];
  }
  // Newer part classes (e.g. LanguageModelToolResultPart2) are recognised by shape.
  const o = p as { callId?: unknown; content?: unknown; name?: unknown; input?: unknown; isError?: unknown };
  if (o && typeof o.callId === 'string' && Array.isArray(o.content)) return toolResult(o.callId, o.content, o.isError === true);
  if (o && typeof o.callId === 'string' && typeof o.name === 'string') return [{ type: 'toolCall', callId: o.callId, name: o.name, input: o.input }];
  return []; // unknown part types are skipped, never fatal
}

/** Merges consecutive thinking parts (streamed as deltas, the signature last) into one. */
function mergeThinking(parts: ChatPart[]): ChatPart[] {
  const out: ChatPart[] = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if (p.type === 'thinking' && prev?.type === 'thinking' && !prev.redacted && !p.redacted && !prev.signature) {
      out[out.length - 1] = { type: 'thinking', text: prev.text + p.text, ...(p.signature ? { signature: p.signature } : {}) };
    } else out.push(p);
  }
  return out;
}

/** The reasoning blocks of the last replay list among a message's thinking parts, if any. */
function replayedReasoning(content: readonly unknown[]): ChatPart[] | undefined {
  let list: unknown;
  for (const p of content) if (ThinkingPart && p instanceof ThinkingPart && Array.isArray(p.metadata?.[REPLAY_KEY])) list = p.metadata![REPLAY_KEY];
  if (!Array.isArray(list)) return undefined;
  return list.flatMap((b: Partial<{ text: unknown; signature: unknown; redactedData: unknown }>): ChatPart[] => {
    if (typeof b?.redactedData === 'string') return [{ type: 'thinking', text: '', redacted: Buffer.from(b.redactedData, 'base64') }];
    if (typeof b?.signature === 'string') return [{ type: 'thinking', text: typeof b.text === 'string' ? b.text : '', signature: b.signature }];
    return [];
  });
}

/**
 * A message's parts. Where its thinking parts carry the reporter's replay
 * list, the reasoning is rebuilt from the last list (exactly the blocks
 * Bedrock sent) in place of the parts themselves, which a caller may have
 * merged; otherwise streamed deltas are merged up to each signature.
 */
function messageParts(content: readonly unknown[]): ChatPart[] {
  const replay = replayedReasoning(content);
  if (!replay) return mergeThinking(content.flatMap(parts));
  const rest = content.filter((p) => !(ThinkingPart && p instanceof ThinkingPart)).flatMap(parts);
  return [...replay, ...rest];
}

export function toChatMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): ChatMessage[] {
  return messages.map((m) => ({ role: role(m.role), parts: messageParts(m.content) }));
}

export { ThinkingPart };
