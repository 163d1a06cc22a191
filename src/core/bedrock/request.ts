import type {
  ContentBlock,
  ConverseStreamCommandInput,
  DocumentBlock,
  DocumentFormat,
  Message,
  SystemContentBlock,
  Tool,
  ToolChoice,
  ToolResultContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { tokenFamily } from '../chat/tokens';
import { ChatMessage, ChatOptions, ChatPart, DocumentPart, ToolResultItem } from '../chat/types';
import { cacheProfile, MAX_CACHE_POINTS } from '../models/caching';
import { ChatModel } from '../models/chatModel';
import { contextChoice, wantsLongContext } from '../models/pickerOptions';
import { isClaude } from '../models/reasoning';
import { CACHE_POINT, hasCachePoints, placeCachePoints, removeCachePoints } from './cachePoints';
import { checkImage, limitImages } from './images';
import { planThinking, ThinkingPlan } from './thinking';
import { ToolNameMap } from './toolNames';
const CANCELLED_TOOL_RESULT = 'No result: this tool call was cancelled or did not complete.';

/**
 * Bedrock's Message limits: at most five documents of at most 4.5 MB each.
 * AWS states the count per message; counting per request stays safe either
 * way. Bytes are counted in decimal megabytes, the smaller reading.
 */
const MAX_DOCUMENTS = 5;
const MAX_DOCUMENT_BYTES = 4_500_000;
/** DocumentBlock.name is at most 200 characters; leave room for a " (2)" suffix. */
const MAX_DOCUMENT_NAME = 190;

/** The document formats Converse accepts (DocumentBlock.format), by MIME type. */
const DOCUMENT_FORMATS: Readonly<Record<string, DocumentFormat>> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
};
const ACCEPTED_DOCUMENTS = 'PDF, CSV, DOC, DOCX, XLS, XLSX, HTML, TXT and MD';

export interface BuiltRequest {
  input: ConverseStreamCommandInput;
  toolNames: ToolNameMap;
  /**
   * What was changed or left out so that Bedrock accepts the request (a tool
   * choice the model rejects, a document it cannot take), for the log. The
   * model sees a placeholder where something was left out; the user does not.
   */
  notes: string[];
  /** What the request asks of the model beyond the messages, for the log: thinking, context, cache points, guardrail. */
  shape: string;
}

/** What converting one message part needs to know about the whole request. */
interface BuildContext {
  model: ChatModel;
  useToolBlocks: boolean;
  names: ToolNameMap;
  notes: string[];
  /** Claude: signed and redacted reasoning goes back as it came. */
  replayReasoning: boolean;
}

/**
 * Builds ConverseStream input from editor-neutral messages.
 * Bedrock is strict where editors are loose, so this also repairs history:
 * roles must alternate and start with the user, every toolUse needs a
 * toolResult in the next turn (and no result without its use), blank text is
 * rejected, tool blocks are only allowed when tools are configured, there must
 * be at least one message, tool schemas must be object schemas, and documents,
 * images and cache points have per-request limits. It also applies what the
 * user chose for the model (thinking effort, context size) and the settings
 * for prompt caching and guardrails.
 */
export function buildConverseRequest(model: ChatModel, messages: readonly ChatMessage[], options: ChatOptions = {}): BuiltRequest {
  const tools = model.toolCalling ? (options.tools ?? []) : [];
  const ctx: BuildContext = { model, useToolBlocks: tools.length > 0, names: new ToolNameMap(), notes: [], replayReasoning: isClaude(model) };

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
    const content = message.parts.flatMap((p) => toBlocks(p, message.role as 'user' | 'assistant', ctx));
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
  // Claude reads a turn's reasoning before its text and tool calls; editors may keep them in another order.
  for (const turn of turns) if (turn.role === 'assistant') reasoningFirst(turn);
  if (turns[0]?.role === 'assistant') turns.unshift({ role: 'user', content: [{ text: '(continuing an earlier conversation)' }] });
  if (!turns.length && system.length) {
    // Bedrock needs at least one message. A request that is all system prompt
    // carries the user's content there, so the model gets it as the user turn.
    turns.push({ role: 'user', content: system.splice(0) as ContentBlock[] });
    ctx.notes.push('The request had only a system prompt; it was sent as the user message (Bedrock needs at least one message).');
  }
  limitDocuments(turns, ctx.notes);
  limitImages(turns, (reason) => leftOut(reason, ctx.notes));

  const thinking = planThinking(model, options, turns, ctx.useToolBlocks);
  ctx.notes.push(...thinking.notes);
  const toolSpecs = ctx.useToolBlocks
    ? tools.map(
        (t): Tool => ({
          toolSpec: {
            name: ctx.names.bedrockName(t.name),
            description: t.description || t.name,
            inputSchema: { json: objectSchema(t.inputSchema, t.name, ctx.notes) as never },
          },
        }),
      )
    : undefined;
  applyCaching(model, options, system, turns, toolSpecs);

  const additional: Record<string, unknown> = { ...thinking.fields };
  const betas = [...thinking.betas];
  const context = contextChoice(model);
  if (context && wantsLongContext(context, options.modelConfiguration)) betas.push(context.beta);
  if (betas.length) additional.anthropic_beta = betas;

  const inferenceConfig = {
    ...(thinking.maxTokens !== undefined ? { maxTokens: thinking.maxTokens } : {}),
    ...sampling(options, thinking, ctx.notes),
    ...(options.stopSequences?.length ? { stopSequences: options.stopSequences } : {}),
  };
  const input: ConverseStreamCommandInput = {
    modelId: model.id,
    messages: turns,
    ...(system.length ? { system } : {}),
    ...(Object.keys(inferenceConfig).length ? { inferenceConfig } : {}),
    ...(Object.keys(additional).length ? { additionalModelRequestFields: additional as never } : {}),
    ...(options.guardrail
      ? {
          guardrailConfig: {
            guardrailIdentifier: options.guardrail.identifier,
            guardrailVersion: options.guardrail.version,
            ...(options.guardrail.trace ? { trace: options.guardrail.trace } : {}),
            ...(options.guardrail.streamProcessingMode ? { streamProcessingMode: options.guardrail.streamProcessingMode } : {}),
          },
        }
      : {}),
  };
  if (toolSpecs) input.toolConfig = { tools: toolSpecs, toolChoice: toolChoice(model, options, thinking, ctx.notes) };
  return { input, toolNames: ctx.names, notes: ctx.notes, shape: describeShape(input, thinking) };
}

function describeShape(input: ConverseStreamCommandInput, thinking: ThinkingPlan): string {
  const fields = (input.additionalModelRequestFields ?? {}) as { thinking?: { budget_tokens?: number }; anthropic_beta?: string[] };
  let points = 0;
  for (const list of [input.toolConfig?.tools, input.system, ...(input.messages ?? []).map((m) => m.content)]) for (const b of list ?? []) if (b.cachePoint) points++;
  return [
    `thinking=${thinking.effort}${fields.thinking?.budget_tokens ? ` (budget ${fields.thinking.budget_tokens})` : ''}`,
    `maxTokens=${input.inferenceConfig?.maxTokens ?? 'model default'}`,
    `cachePoints=${points}`,
    ...(fields.anthropic_beta?.length ? [`beta=${fields.anthropic_beta.join(',')}`] : []),
    ...(input.guardrailConfig ? [`guardrail=${input.guardrailConfig.guardrailIdentifier}@${input.guardrailConfig.guardrailVersion}`] : []),
  ].join(' ');
}

/** Temperature and topP as the caller gave them, unless thinking is on (Claude and Nova 2 then reject or ignore them). */
function sampling(options: ChatOptions, thinking: ThinkingPlan, notes: string[]): { temperature?: number; topP?: number } {
  const given = { ...(options.temperature !== undefined ? { temperature: options.temperature } : {}), ...(options.topP !== undefined ? { topP: options.topP } : {}) };
  if (!thinking.noSampling || !Object.keys(given).length) return given;
  notes.push(`${Object.keys(given).join(' and ')} left unset: the model does not take them with thinking on.`);
  return {};
}

/**
 * Cache points: none at all when prompt caching is off; the caller's where it
 * set some (Copilot marks its own), at most four; else placed here for models
 * that cache.
 */
function applyCaching(model: ChatModel, options: ChatOptions, system: SystemContentBlock[], turns: Message[], toolSpecs: Tool[] | undefined): void {
  if (options.promptCaching === false) {
    removeCachePoints(system, turns);
    return;
  }
  if (hasCachePoints(system, turns)) {
    limitCachePoints(system, turns);
    return;
  }
  const profile = cacheProfile(model);
  if (!profile) return;
  placeCachePoints(profile, tokenFamily(model.id, model.family), { tools: toolSpecs, chatTools: options.tools, toolMode: options.toolMode, system, turns });
}

/**
 * `any` where the model accepts it; elsewhere Bedrock rejects the whole
 * request, so Required degrades to `auto`. With thinking on, a forced tool
 * choice is rejected too ("Thinking may not be enabled when tool_choice
 * forces tool use").
 */
function toolChoice(model: ChatModel, options: ChatOptions, thinking: ThinkingPlan, notes: string[]): ToolChoice {
  if (options.toolMode !== 'required') return { auto: {} };
  if (!model.toolChoiceAny) {
    notes.push(`${model.name} does not accept toolChoice "any", so tool mode Required was sent as "auto": the model may answer without calling a tool.`);
    return { auto: {} };
  }
  if (thinking.noForcedToolChoice) {
    notes.push(`Tool mode Required was sent as "auto" because thinking is on, and Bedrock rejects a forced tool choice with thinking: the model may answer without calling a tool.`);
    return { auto: {} };
  }
  return { any: {} };
}

/**
 * Bedrock (Claude in particular) requires every tool's input schema to be a
 * JSON object schema with `type: "object"`. Whatever the caller gave is kept;
 * only what makes it an object schema is added.
 */
function objectSchema(schema: unknown, toolName: string, notes: string[]): Record<string, unknown> {
  const empty = { type: 'object', properties: {} };
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return empty;
  const s = schema as Record<string, unknown>;
  const type = s.type;
  if (type !== undefined && type !== 'object' && !(Array.isArray(type) && type.includes('object'))) {
    // A tool's input is always an object; a schema for anything else cannot describe it.
    notes.push(`Tool "${toolName}" has an input schema of type ${JSON.stringify(type)}; it was sent as an empty object schema.`);
    return empty;
  }
  return { ...s, type: 'object', properties: s.properties ?? {} };
}

function toBlocks(part: ChatPart, role: 'user' | 'assistant', ctx: BuildContext): ContentBlock[] {
  const { model } = ctx;
  switch (part.type) {
    case 'text':
      return part.text.trim() ? [{ text: part.text }] : [];
    case 'image': {
      if (!model.imageInput) return [{ text: '[An image was attached, but this model does not accept images.]' }];
      if (role !== 'user') return [{ text: leftOut('An image was left out: Bedrock accepts images only in user messages.', ctx.notes) }];
      const checked = checkImage(part.data, part.mimeType);
      if ('problem' in checked) return [{ text: leftOut(`An image was left out: ${checked.problem}.`, ctx.notes) }];
      return [{ image: { format: checked.format, source: { bytes: part.data } } }];
    }
    case 'document': {
      const doc = documentBlock(part, role, model);
      if (typeof doc === 'string') return [{ text: leftOut(doc, ctx.notes) }];
      return [{ document: doc }];
    }
    case 'toolCall':
      if (role !== 'assistant') return [];
      if (!ctx.useToolBlocks) return [{ text: `[Called tool ${part.name} with ${JSON.stringify(part.input ?? {})}]` }];
      return [{ toolUse: { toolUseId: part.callId, name: ctx.names.bedrockName(part.name), input: (part.input ?? {}) as never } }];
    case 'toolResult': {
      if (!ctx.useToolBlocks) return [{ text: `[Tool result]\n${toolResultText(part.content, ctx.notes)}` }];
      const content = toolResultContent(part.content, ctx);
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
      // Claude's reasoning goes back exactly as it came: signed text with its
      // signature (the text may be empty where the model omitted it), redacted
      // reasoning as its bytes. Unsigned reasoning, and other models'
      // reasoning, is not accepted back.
      if (role !== 'assistant' || !ctx.replayReasoning) return [];
      if (part.redacted) return [{ reasoningContent: { redactedContent: part.redacted } }];
      if (part.signature) return [{ reasoningContent: { reasoningText: { text: part.text, signature: part.signature } } }];
      return [];
    case 'cachePoint':
      return model.cachePoints ? [CACHE_POINT] : [];
  }
}

function toolResultContent(items: ToolResultItem[], ctx: BuildContext): ToolResultContentBlock[] {
  return items.flatMap((item): ToolResultContentBlock[] => {
    switch (item.type) {
      case 'text':
        return item.text ? [{ text: item.text }] : [];
      case 'json':
        return item.value !== null && typeof item.value === 'object' && !Array.isArray(item.value)
          ? [{ json: item.value as never }]
          : [{ text: JSON.stringify(item.value) }];
      case 'image': {
        if (!ctx.model.imageInput) return [{ text: '[The tool returned an image, but this model does not accept images.]' }];
        const checked = checkImage(item.data, item.mimeType);
        if ('problem' in checked) return [{ text: leftOut(`An image from the tool was left out: ${checked.problem}.`, ctx.notes) }];
        return [{ image: { format: checked.format, source: { bytes: item.data } } }];
      }
      case 'document': {
        // Tool results are only ever in user turns.
        const doc = documentBlock(item, 'user', ctx.model);
        return typeof doc === 'string' ? [{ text: leftOut(doc, ctx.notes) }] : [{ document: doc }];
      }
    }
  });
}

function toolResultText(items: ToolResultItem[], notes: string[]): string {
  return items
    .map((i) => {
      switch (i.type) {
        case 'text':
          return i.text;
        case 'json':
          return JSON.stringify(i.value);
        case 'image':
          return '[image]';
        case 'document':
          return leftOut(`${fileLabel(i)} was left out: tool results are sent as text when the request has no tools.`, notes);
      }
    })
    .join('\n');
}

/** The placeholder the model sees instead of something left out; the reason also goes to the log. */
function leftOut(reason: string, notes: string[]): string {
  notes.push(reason);
  return `[${reason}]`;
}

const fileLabel = (doc: DocumentPart): string => (doc.name ? `The file "${doc.name}" (${doc.mimeType})` : `A file of type ${doc.mimeType}`);

/**
 * The document block for a file, or why it cannot be sent. Its name is only a
 * sanitised stem here: numbering, uniqueness and the per-request count need
 * every document, so limitDocuments settles them.
 */
function documentBlock(doc: DocumentPart, role: 'user' | 'assistant', model: ChatModel): DocumentBlock | string {
  const format = DOCUMENT_FORMATS[doc.mimeType.toLowerCase()];
  if (!format && doc.mimeType.toLowerCase().startsWith('image/')) return `${fileLabel(doc)} was left out: Bedrock accepts only PNG, JPEG, GIF and WebP images.`;
  if (!format) return `${fileLabel(doc)} was left out: Bedrock accepts only ${ACCEPTED_DOCUMENTS} documents.`;
  if (!model.documentInput) return `${fileLabel(doc)} was left out: ${model.name} does not accept documents.`;
  if (role !== 'user') return `${fileLabel(doc)} was left out: Bedrock accepts documents only in user messages.`;
  if (doc.data.byteLength > MAX_DOCUMENT_BYTES) {
    const mb = (doc.data.byteLength / 1_000_000).toFixed(1);
    return `${fileLabel(doc)} was left out: it is ${mb} MB and Bedrock accepts at most 4.5 MB per document.`;
  }
  return { format, name: documentNameStem(doc.name), source: { bytes: doc.data } };
}

/**
 * Bedrock allows only letters and digits, single whitespace characters,
 * hyphens, parentheses and square brackets in a document name. Accents are
 * folded first so "Übersicht.pdf" stays readable; the extension is dropped
 * because the format says it.
 */
function documentNameStem(fileName: string | undefined): string {
  if (!fileName) return '';
  const base = fileName.split(/[\\/]/).pop()!.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  return base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9\s\-()[\]]+/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/-{2,}/g, '-')
    .trim()
    .slice(0, MAX_DOCUMENT_NAME)
    .trim();
}

type DocumentHolder = { list: (ContentBlock | ToolResultContentBlock)[]; index: number };

/**
 * Keeps the last MAX_DOCUMENTS documents (the newest are what the user is
 * asking about), names every document uniquely, and gives each user turn with
 * a document the text block Bedrock requires beside it.
 */
function limitDocuments(turns: Message[], notes: string[]): void {
  const holders: DocumentHolder[] = [];
  for (const turn of turns) {
    turn.content!.forEach((b, index) => {
      if (b.document) holders.push({ list: turn.content!, index });
      b.toolResult?.content?.forEach((c, i) => c.document && holders.push({ list: b.toolResult!.content!, index: i }));
    });
  }
  const excess = holders.length - MAX_DOCUMENTS;
  holders.slice(0, Math.max(0, excess)).forEach((h) => {
    const reason = `A document was left out: Bedrock accepts at most ${MAX_DOCUMENTS} documents per request, and the latest ${MAX_DOCUMENTS} were sent.`;
    h.list[h.index] = { text: leftOut(reason, notes) };
  });
  const used = new Set<string>();
  holders.slice(Math.max(0, excess)).forEach((h, n) => {
    const doc = h.list[h.index].document!;
    const stem = doc.name || `document-${n + 1}`;
    let name = stem;
    for (let i = 2; used.has(name.toLowerCase()); i++) name = `${stem} (${i})`;
    used.add(name.toLowerCase());
    doc.name = name;
  });
  // "If you include a ContentBlock with a document field, you must also include a ContentBlock with a text field."
  for (const turn of turns) {
    const content = turn.content!;
    const lastDocument = content.map((b) => !!b.document).lastIndexOf(true);
    if (lastDocument < 0 || content.some((b) => b.text !== undefined)) continue;
    const names = content.flatMap((b) => (b.document ? [b.document.name] : []));
    content.splice(lastDocument + 1, 0, { text: `(Attached: ${names.join(', ')})` });
  }
}

/** Every toolUse gets a result in the following user turn; results with no matching use become text. */
function repairToolPairs(turns: Message[]): void {
  for (let i = 0; i < turns.length; i++) {
    const turn = turns[i];
    const content = turn.content!;
    if (turn.role === 'user') {
      // Plain loops: this runs over every turn of a long agent conversation on each request.
      if (!content.some((b) => b.toolResult)) continue;
      const prev = turns[i - 1];
      const used = new Set<string | undefined>();
      if (prev?.role === 'assistant') for (const b of prev.content!) if (b.toolUse) used.add(b.toolUse.toolUseId);
      for (let j = 0; j < content.length; j++) {
        const result = content[j].toolResult;
        if (result && !used.has(result.toolUseId)) content[j] = { text: `[Tool result]\n${(result.content ?? []).map(resultBlockText).join('\n')}` };
      }
      continue;
    }
    const uses: string[] = [];
    for (const b of content) if (b.toolUse) uses.push(b.toolUse.toolUseId!);
    if (!uses.length) continue;
    let next = turns[i + 1];
    if (!next || next.role !== 'user') {
      next = { role: 'user', content: [] };
      turns.splice(i + 1, 0, next);
    }
    const answered = new Set<string | undefined>();
    for (const b of next.content!) if (b.toolResult) answered.add(b.toolResult.toolUseId);
    const missing = uses.filter((id) => !answered.has(id));
    if (!missing.length) continue;
    next.content!.unshift(
      ...missing.map((toolUseId): ContentBlock => ({ toolResult: { toolUseId, content: [{ text: CANCELLED_TOOL_RESULT }], status: 'error' } })),
    );
  }
}

function resultBlockText(c: ToolResultContentBlock): string {
  if (c.text !== undefined) return c.text;
  if (c.json !== undefined) return JSON.stringify(c.json);
  if (c.document) return '[document]';
  return '[image]';
}

/** Reasoning blocks first, each keeping its place among the others. */
function reasoningFirst(turn: Message): void {
  const content = turn.content!;
  if (!content.some((b) => b.reasoningContent)) return;
  turn.content = [...content.filter((b) => b.reasoningContent), ...content.filter((b) => !b.reasoningContent)];
}

/**
 * Tool results must lead a user turn; everything else keeps its order. A
 * cache point right after a tool result (a breakpoint the editor put inside
 * the result) moves with it, so the cached prefix still ends at that result.
 */
function orderUserContent(turn: Message): void {
  if (turn.role !== 'user') return;
  const results: ContentBlock[] = [];
  const rest: ContentBlock[] = [];
  let afterResult = false;
  for (const b of turn.content!) {
    if (b.toolResult || (b.cachePoint && afterResult)) {
      results.push(b);
      afterResult = true;
    } else {
      rest.push(b);
      afterResult = false;
    }
  }
  if (results.length) turn.content = [...results, ...rest];
}

/**
 * Keeps the last MAX_CACHE_POINTS breakpoints, which cover the longest
 * reusable prefixes. Back-to-back breakpoints mark the same prefix, so only
 * one of them counts.
 */
function limitCachePoints(system: SystemContentBlock[], turns: Message[]): void {
  const lists: { cachePoint?: unknown }[][] = [system, ...turns.map((t) => t.content!)];
  for (const list of lists) {
    for (let i = list.length - 1; i > 0; i--) if (list[i].cachePoint && list[i - 1].cachePoint) list.splice(i, 1);
  }
  const holders: { list: { cachePoint?: unknown }[]; index: number }[] = [];
  for (const list of lists) list.forEach((b, index) => b.cachePoint && holders.push({ list, index }));
  const excess = holders.slice(0, Math.max(0, holders.length - MAX_CACHE_POINTS));
  for (const h of excess.reverse()) h.list.splice(h.index, 1);
}
