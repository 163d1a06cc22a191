import { ChatMessage, ChatPart, ToolResultItem } from './types';

/**
 * A fast local token estimate (no network). Latin text runs about four
 * characters a token in Claude/Nova/Llama tokenizers; other scripts (CJK,
 * emoji) closer to one a character. It errs slightly high, which is the safe
 * side for context budgeting.
 */
const IMAGE_TOKENS = 1_600; // a typical screenshot after Bedrock's resizing
const MESSAGE_OVERHEAD = 4;
const TOOL_CALL_OVERHEAD = 10;

export function estimateTextTokens(text: string): number {
  if (!text) return 0;
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) ascii++;
    else if (c >= 0xd800 && c <= 0xdbff) {
      other++; // a surrogate pair is one character
      i++;
    } else other++;
  }
  return Math.ceil(ascii / 3.6 + other * 1.1);
}

function itemTokens(item: ToolResultItem): number {
  switch (item.type) {
    case 'text':
      return estimateTextTokens(item.text);
    case 'json':
      return estimateTextTokens(JSON.stringify(item.value) ?? '');
    case 'image':
      return IMAGE_TOKENS;
  }
}

export function estimatePartTokens(part: ChatPart): number {
  switch (part.type) {
    case 'text':
      return estimateTextTokens(part.text);
    case 'image':
      return IMAGE_TOKENS;
    case 'toolCall':
      return TOOL_CALL_OVERHEAD + estimateTextTokens(part.name) + estimateTextTokens(JSON.stringify(part.input ?? {}));
    case 'toolResult':
      return TOOL_CALL_OVERHEAD + part.content.reduce((n, i) => n + itemTokens(i), 0);
    case 'thinking':
      return estimateTextTokens(part.text);
    case 'cachePoint':
      return 0;
  }
}

export function estimateMessageTokens(message: ChatMessage): number {
  return MESSAGE_OVERHEAD + message.parts.reduce((n, p) => n + estimatePartTokens(p), 0);
}
