import * as vscode from 'vscode';
import { stopOutcome } from '../core/bedrock/stopReasons';
import { ChatEvent, ChatOptions } from '../core/chat/types';
import { BedrockSettings } from '../core/config/settings';
import { REPLAY_KEY, ReplayBlock, ThinkingPart } from './convert';

/**
 * What passes between VS Code and the core for one request: the request's
 * options in (including the model picker's choices and the settings that
 * shape requests), the streamed events out as VS Code response parts.
 */

export function chatOptions(options: vscode.ProvideLanguageModelChatResponseOptions, settings: BedrockSettings): ChatOptions {
  const mo = (options.modelOptions ?? {}) as Record<string, unknown>;
  const num = (...keys: string[]) => keys.map((k) => mo[k]).find((v): v is number => typeof v === 'number');
  // Present at run time (VS Code 1.10x+) though not in the stable d.ts: the user's picks in the model picker.
  const modelConfiguration = (options as { modelConfiguration?: unknown }).modelConfiguration;
  return {
    tools: options.tools?.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
    toolMode: options.toolMode === vscode.LanguageModelChatToolMode.Required ? 'required' : 'auto',
    maxTokens: num('maxTokens', 'max_tokens', 'maxOutputTokens'),
    temperature: num('temperature'),
    topP: num('topP', 'top_p'),
    ...(modelConfiguration && typeof modelConfiguration === 'object' ? { modelConfiguration: modelConfiguration as Record<string, unknown> } : {}),
    defaultEffort: settings.reasoningEffort.value,
    promptCaching: settings.promptCaching.value ?? true,
    ...(settings.guardrail.value ? { guardrail: settings.guardrail.value } : {}),
  };
}

/**
 * Bedrock's token usage as Copilot Chat reads it from a provider (a data part
 * of MIME type `usage` in the OpenAI shape): it feeds VS Code's context-window
 * indicator. Input counts what was read from and written to the cache too.
 */
const USAGE_MIME = 'usage';
export function usagePart(event: Extract<ChatEvent, { type: 'usage' }>): vscode.LanguageModelDataPart | undefined {
  if (event.inputTokens === undefined || event.outputTokens === undefined) return undefined;
  const cacheRead = event.cacheReadTokens ?? 0;
  const cacheWrite = event.cacheWriteTokens ?? 0;
  const prompt = event.inputTokens + cacheRead + cacheWrite;
  const usage = {
    prompt_tokens: prompt,
    completion_tokens: event.outputTokens,
    total_tokens: prompt + event.outputTokens,
    prompt_tokens_details: { cached_tokens: cacheRead, cache_creation_input_tokens: cacheWrite },
  };
  return new vscode.LanguageModelDataPart(new TextEncoder().encode(JSON.stringify(usage)), USAGE_MIME);
}

/**
 * Reports a response's events to VS Code as they stream. Reasoning goes out as
 * thinking parts: text deltas, then each block's signature (or redacted data)
 * as metadata. Copilot keeps one thinking record per response, appending text
 * and keeping only the last metadata, which loses blocks when a response has
 * several; so each signature and redacted part also carries every block of the
 * response so far (REPLAY_KEY), and src/vscode/convert.ts rebuilds the blocks
 * exactly from the last one it finds.
 */
export function createReporter(progress: vscode.Progress<vscode.LanguageModelResponsePart>): (event: ChatEvent) => void {
  const blocks: ReplayBlock[] = [];
  let pendingText = '';
  return (event) => {
    if (event.type !== 'thinking') return reportEvent(progress, event);
    if (!ThinkingPart) return;
    let metadata: Record<string, unknown> | undefined;
    if (event.redacted) {
      const redactedData = Buffer.from(event.redacted).toString('base64');
      blocks.push({ redactedData });
      metadata = { redactedData, [REPLAY_KEY]: [...blocks] };
    } else if (event.signature) {
      blocks.push({ text: pendingText + event.text, signature: event.signature });
      pendingText = '';
      metadata = { signature: event.signature, [REPLAY_KEY]: [...blocks] };
    } else pendingText += event.text;
    progress.report(new ThinkingPart(event.text, undefined, metadata) as unknown as vscode.LanguageModelResponsePart);
  };
}

/** Reports one event with no memory of the others (reasoning metadata without the replay list). */
export function reportEvent(progress: vscode.Progress<vscode.LanguageModelResponsePart>, event: ChatEvent): void {
  switch (event.type) {
    case 'text':
      progress.report(new vscode.LanguageModelTextPart(event.text));
      break;
    case 'toolCall':
      progress.report(new vscode.LanguageModelToolCallPart(event.callId, event.name, event.input));
      break;
    case 'thinking': {
      if (!ThinkingPart) break;
      const metadata = event.signature
        ? { signature: event.signature }
        : event.redacted
          ? { redactedData: Buffer.from(event.redacted).toString('base64') }
          : undefined;
      progress.report(new ThinkingPart(event.text, undefined, metadata) as unknown as vscode.LanguageModelResponsePart);
      break;
    }
    case 'stop': {
      // Stop reasons that fail the request are thrown by converse; only notes go under the answer.
      const outcome = stopOutcome(event.reason, event.guardrail);
      if (outcome.kind === 'note') progress.report(new vscode.LanguageModelTextPart(outcome.note));
      break;
    }
    case 'usage': {
      const part = usagePart(event);
      if (part) progress.report(part);
      break;
    }
  }
}
