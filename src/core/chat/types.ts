/**
 * The editor-neutral shape of a chat request. The VS Code layer converts its
 * LanguageModel* parts into these; the core turns them into Bedrock Converse
 * input and turns the stream back into `ChatEvent`s.
 */
export type ImageMimeType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
export const IMAGE_MIME_TYPES: readonly ImageMimeType[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/**
 * A file that is neither text nor an image (a PDF, a spreadsheet...). The core
 * decides whether Bedrock can take it; `mimeType` is as the editor gave it,
 * without parameters, and `name` is the file name when the editor knows it.
 */
export type DocumentPart = { type: 'document'; mimeType: string; data: Uint8Array; name?: string };

export type ToolResultItem =
  | { type: 'text'; text: string }
  | { type: 'json'; value: unknown }
  | { type: 'image'; mimeType: ImageMimeType; data: Uint8Array }
  | DocumentPart;

export type ChatPart =
  | { type: 'text'; text: string }
  | { type: 'image'; mimeType: ImageMimeType; data: Uint8Array }
  | { type: 'toolCall'; callId: string; name: string; input: unknown }
  | { type: 'toolResult'; callId: string; content: ToolResultItem[]; isError?: boolean }
  | { type: 'thinking'; text: string; signature?: string; redacted?: Uint8Array }
  | DocumentPart
  /** A prompt-cache breakpoint after the preceding content. */
  | { type: 'cachePoint' };

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  parts: ChatPart[];
}

export interface ChatTool {
  name: string;
  description: string;
  inputSchema?: object;
}

export interface ChatOptions {
  tools?: ChatTool[];
  toolMode?: 'auto' | 'required';
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stopSequences?: string[];
  /**
   * The model's options as the user chose them in the model picker (VS Code's
   * `options.modelConfiguration`), unchecked: the thinking effort under
   * `reasoningEffort`, the context size under `contextSize`.
   */
  modelConfiguration?: Readonly<Record<string, unknown>>;
  /** The thinking effort where the picker gives none (bedrockChat.reasoning.effort). */
  defaultEffort?: string;
  /** Place cache points where the caller gave none, and keep the caller's (bedrockChat.promptCaching, default true). */
  promptCaching?: boolean;
  /** A Bedrock guardrail applied to the request (bedrockChat.guardrail). */
  guardrail?: GuardrailOptions;
}

export interface GuardrailOptions {
  identifier: string;
  version: string;
  trace?: 'enabled' | 'disabled' | 'enabled_full';
  /** `async` streams the answer while the guardrail checks it; `sync` (Bedrock's default) holds each chunk until checked. */
  streamProcessingMode?: 'sync' | 'async';
}

/** What a streamed response yields, in order. */
export type ChatEvent =
  | { type: 'text'; text: string }
  | { type: 'thinking'; text: string; signature?: string; redacted?: Uint8Array }
  | { type: 'toolCall'; callId: string; name: string; input: object }
  /** How the answer ended; after the usage, so that a guardrail's trace can say what it blocked. */
  | { type: 'stop'; reason: string; guardrail?: string }
  | { type: 'usage'; inputTokens?: number; outputTokens?: number; cacheReadTokens?: number; cacheWriteTokens?: number; latencyMs?: number };
