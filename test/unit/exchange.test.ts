/**
 * What passes between VS Code and the core for one request
 * (src/vscode/exchange.ts), in plain Node with the `vscode` stand-in: the
 * model picker's choices and the request settings in; thinking, usage and
 * stop notes out as VS Code response parts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import '../support/vscodeShim'; // first: it makes require('vscode') work
import type { LanguageModelThinkingPart } from '../support/vscodeShim';
import * as vscode from 'vscode';
import { mergeSettings } from '../../src/core/config/settings';
import { ChatEvent } from '../../src/core/chat/types';
import { chatOptions, createReporter } from '../../src/vscode/exchange';
import { copilotFileOrSkip } from '../support/installedTools';


function reported(...events: ChatEvent[]): unknown[] {
  const parts: unknown[] = [];
  const report = createReporter({ report: (p) => parts.push(p) });
  for (const e of events) report(e);
  return parts;
}

describe('VS Code exchange', () => {
  it('passes the model picker choices and the request settings to the core', () => {
    const { settings } = mergeSettings({ reasoningEffort: { user: 'medium' }, promptCaching: { user: false }, guardrail: { user: { identifier: 'gr-1', version: '1' } } });
    const options = { modelOptions: {}, toolMode: vscode.LanguageModelChatToolMode.Auto, modelConfiguration: { reasoningEffort: 'high', contextSize: 900_000 } } as unknown as vscode.ProvideLanguageModelChatResponseOptions;
    const o = chatOptions(options, settings);
    assert.deepEqual(o.modelConfiguration, { reasoningEffort: 'high', contextSize: 900_000 });
    assert.equal(o.defaultEffort, 'medium');
    assert.equal(o.promptCaching, false);
    assert.deepEqual(o.guardrail, { identifier: 'gr-1', version: '1' });
    const plain = chatOptions({ modelOptions: {}, toolMode: vscode.LanguageModelChatToolMode.Auto } as unknown as vscode.ProvideLanguageModelChatResponseOptions, mergeSettings({}).settings);
    assert.equal(plain.modelConfiguration, undefined);
    assert.equal(plain.promptCaching, true, 'prompt caching is on by default');
    assert.equal(plain.guardrail, undefined);
  });

  it('reports reasoning as thinking parts, with the signature or the redacted data as metadata', () => {
    const [text, signed, redacted] = reported(
      { type: 'thinking', text: 'Let me think.' },
      { type: 'thinking', text: '', signature: 'sig' },
      { type: 'thinking', text: '', redacted: new Uint8Array([7, 8]) },
    ) as LanguageModelThinkingPart[];
    assert.equal(text.value, 'Let me think.');
    assert.equal(text.metadata, undefined);
    const r = Buffer.from([7, 8]).toString('base64');
    assert.deepEqual(signed.metadata, { signature: 'sig', bedrockReasoning: [{ text: 'Let me think.', signature: 'sig' }] });
    assert.deepEqual(redacted.metadata, { redactedData: r, bedrockReasoning: [{ text: 'Let me think.', signature: 'sig' }, { redactedData: r }] }, 'every block so far');
  });

  it("reports Bedrock's usage, cache reads and writes included, as the usage data part Copilot feeds to VS Code's context indicator", () => {
    const [part] = reported({ type: 'usage', inputTokens: 120, outputTokens: 30, cacheReadTokens: 9_000, cacheWriteTokens: 800 }) as vscode.LanguageModelDataPart[];
    assert.ok(part instanceof vscode.LanguageModelDataPart);
    assert.equal(part.mimeType, 'usage');
    const usage = JSON.parse(new TextDecoder().decode(part.data));
    assert.deepEqual(usage, {
      prompt_tokens: 120 + 9_000 + 800,
      completion_tokens: 30,
      total_tokens: 120 + 9_000 + 800 + 30,
      prompt_tokens_details: { cached_tokens: 9_000, cache_creation_input_tokens: 800 },
    });
    assert.deepEqual(reported({ type: 'usage', latencyMs: 5 }), [], 'nothing when Bedrock gave no counts');
  });

  it("matches what the installed Copilot Chat reads (a 'usage' data part with prompt, completion and total tokens)", function () {
    const code = fs.readFileSync(copilotFileOrSkip(this, 'dist/extension.js'), 'utf8');
    assert.match(code, /\.Usage="usage"/, 'Copilot names the MIME type "usage"');
    assert.match(code, /typeof \w+\.prompt_tokens=="number"&&typeof \w+\.completion_tokens=="number"&&typeof \w+\.total_tokens=="number"/, 'and checks these three numbers');
    assert.match(code, /prompt_tokens_details:\{\.\.\.\w+\.prompt_tokens_details,cached_tokens:/, 'and reads cached_tokens');
  });

  it('says under the answer that a guardrail blocked it, and which policy', () => {
    const parts = reported({ type: 'stop', reason: 'guardrail_intervened', guardrail: 'denied topic "Investment advice" (input)' }) as vscode.LanguageModelTextPart[];
    assert.equal(parts.length, 1);
    assert.match(parts[0].value, /\[Amazon Bedrock Guardrails blocked this response: denied topic "Investment advice" \(input\)\.\]/);
    assert.deepEqual(reported({ type: 'stop', reason: 'end_turn' }), []);
  });
});
