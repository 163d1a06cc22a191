import * as vscode from 'vscode';
import { ChatMessage, ChatPart, ChatRole, IMAGE_MIME_TYPES, ImageMimeType, ToolResultItem } from '../core/chat/types';

/** Copilot sends system prompts with this role, which is not in the stable enum. */
const SYSTEM_ROLE = 3;
const CACHE_CONTROL_MIME = 'cache_control';

/** Present at run time in current VS Code, though not in the stable d.ts. */
type ThinkingPartLike = { value: string | string[]; id?: string; metadata?: { signature?: string; redactedData?: string } };
const ThinkingPart = (vscode as unknown as { LanguageModelThinkingPart?: new (...a: unknown[]) => ThinkingPartLike }).LanguageModelThinkingPart;

function role(r: vscode.LanguageModelChatMessageRole | number): ChatRole {
  if (r === vscode.LanguageModelChatMessageRole.Assistant) return 'assistant';
  if (r === SYSTEM_ROLE) return 'system';
  return 'user';
}

const isImageMime = (mime: string): mime is ImageMimeType => (IMAGE_MIME_TYPES as readonly string[]).includes(mime.toLowerCase());
const decode = (data: Uint8Array) => new TextDecoder().decode(data);

function dataPart(part: vscode.LanguageModelDataPart): ChatPart | undefined {
  const mime = part.mimeType.toLowerCase();
  if (mime === CACHE_CONTROL_MIME) return { type: 'cachePoint' };
  if (isImageMime(mime)) return { type: 'image', mimeType: mime, data: part.data };
  if (mime.startsWith('text/') || mime === 'application/json') return { type: 'text', text: decode(part.data) };
  return undefined;
}

function toolResultItems(content: readonly unknown[]): ToolResultItem[] {
  const items: ToolResultItem[] = [];
  for (const c of content) {
    if (c instanceof vscode.LanguageModelTextPart) items.push({ type: 'text', text: c.value });
    else if (c instanceof vscode.LanguageModelPromptTsxPart) items.push({ type: 'json', value: c.value });
    else if (c instanceof vscode.LanguageModelDataPart) {
      const mime = c.mimeType.toLowerCase();
      if (isImageMime(mime)) items.push({ type: 'image', mimeType: mime, data: c.data });
      else if (mime === 'application/json') {
        try {
          items.push({ type: 'json', value: JSON.parse(decode(c.data)) });
        } catch {
          items.push({ type: 'text', text: decode(c.data) });
        }
      } else if (mime.startsWith('text/')) items.push({ type: 'text', text: decode(c.data) });
    } else if (typeof (c as { value?: unknown })?.value === 'string') items.push({ type: 'text', text: (c as { value: string }).value });
  }
  return items;
}

function part(p: unknown): ChatPart | undefined {
  if (ThinkingPart && p instanceof ThinkingPart) {
    const text = Array.isArray(p.value) ? p.value.join('') : p.value;
    const redacted = p.metadata?.redactedData ? Buffer.from(p.metadata.redactedData, 'base64') : undefined;
    return { type: 'thinking', text, ...(p.metadata?.signature ? { signature: p.metadata.signature } : {}), ...(redacted ? { redacted } : {}) };
  }
  if (p instanceof vscode.LanguageModelTextPart) return { type: 'text', text: p.value };
  if (p instanceof vscode.LanguageModelToolCallPart) return { type: 'toolCall', callId: p.callId, name: p.name, input: p.input };
  if (p instanceof vscode.LanguageModelToolResultPart) return { type: 'toolResult', callId: p.callId, content: toolResultItems(p.content) };
  if (p instanceof vscode.LanguageModelDataPart) return dataPart(p);
  // Newer part classes (e.g. LanguageModelToolResultPart2) are recognised by shape.
  const o = p as { callId?: unknown; content?: unknown; name?: unknown; input?: unknown; isError?: unknown };
  if (o && typeof o.callId === 'string' && Array.isArray(o.content)) {
    return { type: 'toolResult', callId: o.callId, content: toolResultItems(o.content), ...(o.isError === true ? { isError: true } : {}) };
  }
  if (o && typeof o.callId === 'string' && typeof o.name === 'string') return { type: 'toolCall', callId: o.callId, name: o.name, input: o.input };
  return undefined; // unknown part types are skipped, never fatal
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

export function toChatMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): ChatMessage[] {
  return messages.map((m) => {
    const parts = m.content.map(part).filter((p): p is ChatPart => p !== undefined);
    return { role: role(m.role), parts: mergeThinking(parts) };
  });
}

export { ThinkingPart };
