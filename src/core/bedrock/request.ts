import type {
  ContentBlock,
  ConverseStreamCommandInput,
  ImageFormat,
  Message,
  SystemContentBlock,
  Tool,
  ToolResultContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { ChatMessage, ChatOptions, ChatPart, ImageMimeType, ToolResultItem } from '../chat/types';
import { ChatModel } from '../models/chatModel';
import { ToolNameMap } from './toolNames';

/** Claude accepts at most four cache checkpoints per request. */
const MAX_CACHE_POINTS = 4;
const CACHE_POINT = { cachePoint: { type: 'default' } } as const;
const CANCELLED_TOOL_RESULT = 'No result: this tool call was cancelled or did not complete.';

const imageFormat = (mime: ImageMimeType): ImageFormat => mime.slice('image/'.length) as ImageFormat;

export interface BuiltRequest {
  input: ConverseStreamCommandInput;
  toolNames: ToolNameMap;
}

/**
 * Builds ConverseStream input from editor-neutral messages.
 * Bedrock is strict where editors are loose, so this also repairs history:
 * roles must alternate and start with the user, every toolUse needs a
 * toolResult in the next turn (and no result without its use), blank text is
 * rejected, and tool blocks are only allowed when tools are configured.
 */
export function buildConverseRequest(model: ChatModel, messages: readonly ChatMessage[], options: ChatOptions = {}): BuiltRequest {
  const toolNames = new ToolNameMap();
  const tools = model.toolCalling ? (options.tools ?? []) : [];
  const useToolBlocks = tools.length > 0;

  const system: SystemContentBlock[] = [];
  const turns: Message[] = [];
  for (const message of messages) {
    if (message.role === 'system') {
      for (const part of message.parts) {
        if (part.type === 'text' && part.text.trim()) system.push({ text: part.text });
        else if (part.type === 'cachePoint' && model.cachePoints && system.length) system.push(CACHE_POINT);
      }
      continue;
    }
    const content = message.parts.flatMap((p) => toBlocks(p, message.role as 'user' | 'assistant', model, useToolBlocks, toolNames));
    const last = turns[turns.length - 1];
    if (last && last.role === message.role) {
      last.content!.push(...content);
      continue;
    }
    // A cache point marks the end of preceding content, so it cannot open a turn.
    while (content[0]?.cachePoint) content.shift();
    if (content.length) turns.push({ role: message.role, content });
  }

  repairToolPairs(turns);
  for (const turn of turns) orderUserContent(turn);
  if (turns[0]?.role === 'assistant') turns.unshift({ role: 'user', content: [{ text: '(continuing an earlier conversation)' }] });
  limitCachePoints(system, turns);

  const input: ConverseStreamCommandInput = {
    modelId: model.id,
    messages: turns,
    ...(system.length ? { system } : {}),
    inferenceConfig: {
      maxTokens: Math.min(options.maxTokens ?? model.outputBudget, model.maxOutputTokens),
      ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
      ...(options.topP !== undefined ? { topP: options.topP } : {}),
      ...(options.stopSequences?.length ? { stopSequences: options.stopSequences } : {}),
    },
  };
  if (useToolBlocks) {
    input.toolConfig = {
      tools: tools.map(
        (t): Tool => ({
          toolSpec: {
            name: toolNames.bedrockName(t.name),
            description: t.description || t.name,
            inputSchema: { json: (t.inputSchema ?? { type: 'object', properties: {} }) as never },
          },
        }),
      ),
      toolChoice: options.toolMode === 'required' ? { any: {} } : { auto: {} },
    };
  }
  return { input, toolNames };
}

function toBlocks(part: ChatPart, role: 'user' | 'assistant', model: ChatModel, useToolBlocks: boolean, names: ToolNameMap): ContentBlock[] {
  switch (part.type) {
    case 'text':
      return part.text.trim() ? [{ text: part.text }] : [];
    case 'image':
      if (!model.imageInput) return [{ text: '[An image was attached, but this model does not accept images.]' }];
      return [{ image: { format: imageFormat(part.mimeType), source: { bytes: part.data } } }];
    case 'toolCall':
      if (role !== 'assistant') return [];
      if (!useToolBlocks) return [{ text: `[Called tool ${part.name} with ${JSON.stringify(part.input ?? {})}]` }];
      return [{ toolUse: { toolUseId: part.callId, name: names.bedrockName(part.name), input: (part.input ?? {}) as never } }];
    case 'toolResult': {
      if (!useToolBlocks) return [{ text: `[Tool result]\n${toolResultText(part.content)}` }];
      const content = toolResultContent(part.content, model);
      return [
        {
          toolResult: {
            toolUseId: part.callId,
            content: content.length ? content : [{ text: '(empty result)' }],
            ...(part.isError ? { status: 'error' as const } : {}),
          },
        },
      ];
    }
    case 'thinking':
      // Reasoning from earlier turns is only replayed when signed (Claude checks
      // signatures); unsigned reasoning from other models is not accepted back.
      if (role !== 'assistant' || !model.reasoning) return [];
      if (part.redacted) return [{ reasoningContent: { redactedContent: part.redacted } }];
      if (part.signature && part.text) return [{ reasoningContent: { reasoningText: { text: part.text, signature: part.signature } } }];
      return [];
    case 'cachePoint':
      return model.cachePoints ? [CACHE_POINT] : [];
  }
}

function toolResultContent(items: ToolResultItem[], model: ChatModel): ToolResultContentBlock[] {
  return items.flatMap((item): ToolResultContentBlock[] => {
    switch (item.type) {
      case 'text':
        return item.text ? [{ text: item.text }] : [];
      case 'json':
        return item.value !== null && typeof item.value === 'object' && !Array.isArray(item.value)
          ? [{ json: item.value as never }]
          : [{ text: JSON.stringify(item.value) }];
      case 'image':
        return model.imageInput
          ? [{ image: { format: imageFormat(item.mimeType), source: { bytes: item.data } } }]
          : [{ text: '[The tool returned an image, but this model does not accept images.]' }];
    }
  });
}

function toolResultText(items: ToolResultItem[]): string {
  return items
    .map((i) => (i.type === 'text' ? i.text : i.type === 'json' ? JSON.stringify(i.value) : '[image]'))
    .join('\n');
}

/** Every toolUse gets a result in the following user turn; results with no matching use become text. */
function repairToolPairs(turns: Message[]): void {
  for (let i = 0; i < turns.length; i++) {
    const turn = turns[i];
    if (turn.role === 'user') {
      const prev = turns[i - 1];
      const used = new Set(prev?.role === 'assistant' ? prev.content!.flatMap((b) => (b.toolUse ? [b.toolUse.toolUseId] : [])) : []);
      turn.content = turn.content!.map((b) =>
        b.toolResult && !used.has(b.toolResult.toolUseId)
          ? { text: `[Tool result]\n${(b.toolResult.content ?? []).map((c) => c.text ?? (c.json ? JSON.stringify(c.json) : '[image]')).join('\n')}` }
          : b,
      );
      continue;
    }
    const uses = turn.content!.flatMap((b) => (b.toolUse ? [b.toolUse.toolUseId!] : []));
    if (!uses.length) continue;
    let next = turns[i + 1];
    if (!next || next.role !== 'user') {
      next = { role: 'user', content: [] };
      turns.splice(i + 1, 0, next);
    }
    const answered = new Set(next.content!.flatMap((b) => (b.toolResult ? [b.toolResult.toolUseId] : [])));
    const missing = uses.filter((id) => !answered.has(id));
    next.content!.unshift(
      ...missing.map((toolUseId): ContentBlock => ({ toolResult: { toolUseId, content: [{ text: CANCELLED_TOOL_RESULT }], status: 'error' } })),
    );
  }
}

/** Tool results must lead a user turn; keep everything else in its order. */
function orderUserContent(turn: Message): void {
  if (turn.role !== 'user') return;
  const results = turn.content!.filter((b) => b.toolResult);
  if (!results.length) return;
  const rest = turn.content!.filter((b) => !b.toolResult);
  turn.content = [...results, ...rest];
}

/** Keeps the last MAX_CACHE_POINTS breakpoints, which cover the longest reusable prefixes. */
function limitCachePoints(system: SystemContentBlock[], turns: Message[]): void {
  const holders: { list: { cachePoint?: unknown }[]; index: number }[] = [];
  system.forEach((b, index) => b.cachePoint && holders.push({ list: system, index }));
  for (const t of turns) t.content!.forEach((b, index) => b.cachePoint && holders.push({ list: t.content!, index }));
  const excess = holders.slice(0, Math.max(0, holders.length - MAX_CACHE_POINTS));
  for (const h of excess.reverse()) h.list.splice(h.index, 1);
}
