import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { ChatEvent } from '../chat/types';
import { IncompleteStreamError, InvalidToolInputError } from './failures';
import { guardrailSummary } from './guardrail';
import { ToolNameMap } from './toolNames';

interface PendingTool {
  id: string;
  name: string;
  json: string;
}

/**
 * Translates Bedrock ConverseStream events into ChatEvents. Tool calls are
 * held per content-block index until their streamed JSON input is complete,
 * so several calls in one turn never mix. A stream that ends without
 * `messageStop` and `metadata` throws: a silent short answer would mislead.
 * The stop event comes last, after the usage, carrying what a guardrail's
 * trace (in the metadata) says it blocked.
 */
export async function* translateStream(
  events: AsyncIterable<ConverseStreamOutput>,
  toolNames: ToolNameMap = new ToolNameMap(),
): AsyncGenerator<ChatEvent> {
  const pending = new Map<number, PendingTool>();
  let stop: { reason: string } | undefined;
  let sawMetadata = false;
  let guardrail: string | undefined;

  function* finishTool(index: number): Generator<ChatEvent> {
    const tool = pending.get(index);
    if (!tool) return;
    pending.delete(index);
    let input: unknown = {};
    if (tool.json.trim()) {
      try {
        input = JSON.parse(tool.json);
      } catch (e) {
        throw new InvalidToolInputError(tool.name, (e as Error).message);
      }
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) input = { value: input };
    yield { type: 'toolCall', callId: tool.id, name: toolNames.editorName(tool.name), input: input as object };
  }

  for await (const event of events) {
    if (event.contentBlockStart) {
      const start = event.contentBlockStart.start?.toolUse;
      const index = event.contentBlockStart.contentBlockIndex ?? 0;
      // Server-side tools (e.g. Nova's code interpreter) run inside Bedrock; the editor must not call them.
      if (start && start.type !== 'server_tool_use') pending.set(index, { id: start.toolUseId ?? `tool-${index}`, name: start.name ?? '', json: '' });
    } else if (event.contentBlockDelta) {
      const index = event.contentBlockDelta.contentBlockIndex ?? 0;
      const delta = event.contentBlockDelta.delta;
      if (!delta) continue;
      if (delta.text !== undefined) {
        if (delta.text) yield { type: 'text', text: delta.text };
      } else if (delta.toolUse) {
        const tool = pending.get(index);
        if (tool) tool.json += delta.toolUse.input ?? '';
      } else if (delta.reasoningContent) {
        const r = delta.reasoningContent;
        if (r.text) yield { type: 'thinking', text: r.text };
        else if (r.signature) yield { type: 'thinking', text: '', signature: r.signature };
        else if (r.redactedContent) yield { type: 'thinking', text: '', redacted: r.redactedContent };
      }
    } else if (event.contentBlockStop) {
      yield* finishTool(event.contentBlockStop.contentBlockIndex ?? 0);
    } else if (event.messageStop) {
      for (const index of [...pending.keys()]) yield* finishTool(index);
      stop = { reason: event.messageStop.stopReason ?? 'end_turn' };
    } else if (event.metadata) {
      sawMetadata = true;
      guardrail = guardrailSummary(event.metadata.trace?.guardrail);
      const u = event.metadata.usage;
      yield {
        type: 'usage',
        inputTokens: u?.inputTokens,
        outputTokens: u?.outputTokens,
        cacheReadTokens: u?.cacheReadInputTokens,
        cacheWriteTokens: u?.cacheWriteInputTokens,
        latencyMs: event.metadata.metrics?.latencyMs,
      };
    } else {
      // Exceptions arrive as union members; the SDK normally throws them, but be sure.
      const exception = Object.entries(event).find(([k, v]) => k.endsWith('Exception') && v);
      if (exception) throw exception[1];
    }
  }
  if (!stop || !sawMetadata) throw new IncompleteStreamError();
  yield { type: 'stop', reason: stop.reason, ...(guardrail ? { guardrail } : {}) };
}
