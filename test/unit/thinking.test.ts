/**
 * Thinking effort and context size: what each model offers in the model
 * picker, and the request fields each choice puts on the wire (the real SDK
 * client against the local Bedrock server).
 */
import * as assert from 'node:assert/strict';
import { ChatEvent, ChatMessage, ChatOptions } from '../../src/core/chat/types';
import { createRuntimeClient } from '../../src/core/bedrock/client';
import { converse } from '../../src/core/bedrock/converse';
import { buildConverseRequest } from '../../src/core/bedrock/request';
import { ChatModel, listModels } from '../../src/core/models/chatModel';
import { PICKER_KEYS, pickerOptions } from '../../src/core/models/pickerOptions';
import { CONTEXT_1M_BETA, INTERLEAVED_THINKING_BETA, reasoningProfile, resolveEffort } from '../../src/core/models/reasoning';
import { startBedrockServer, textEvents, type BedrockServer } from '../support';

const east = listModels('us-east-1');
const family = (f: string) => east.find((m) => m.family === f)!;
const custom = (id: string) => listModels('us-east-1', [{ id }])[0];
const sonnet45 = family('claude-sonnet-4.5');
const sonnet4 = family('claude-sonnet-4');
const sonnet37 = family('claude-3.7-sonnet');
const haiku35 = family('claude-3.5-haiku');
const opus41 = family('claude-opus-4.1');
const nova2 = family('nova-2-lite');
const novaPro = family('nova-pro');
const gptOss = family('gpt-oss-120b');
const llama = family('llama-3.3');
const r1 = family('deepseek-r1');
const opus46 = custom('global.anthropic.claude-opus-4-6-v1');
const opus47 = custom('us.anthropic.claude-opus-4-7');
const mythos = custom('anthropic.claude-mythos-preview');

const user = (t: string): ChatMessage => ({ role: 'user', parts: [{ type: 'text', text: t }] });
const tools = [{ name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }];
const effort = (e: string) => ({ modelConfiguration: { [PICKER_KEYS.effort]: e } });

describe('thinking effort and context size in the model picker', () => {
  it('offers each model only the levels it accepts, and nothing to models that cannot reason', () => {
    const levels = (m: ChatModel) => pickerOptions(m).schema?.properties[PICKER_KEYS.effort]?.enum;
    for (const m of [sonnet45, sonnet4, sonnet37, opus41, family('claude-haiku-4.5'), family('claude-opus-4.5')]) assert.deepEqual(levels(m), ['off', 'low', 'medium', 'high'], m.name);
    assert.deepEqual(levels(opus46), ['off', 'low', 'medium', 'high', 'max']);
    assert.deepEqual(levels(opus47), ['off', 'low', 'medium', 'high', 'xhigh', 'max']);
    assert.deepEqual(levels(mythos), ['low', 'medium', 'high', 'max'], 'Mythos always thinks: no off');
    assert.deepEqual(levels(gptOss), ['low', 'medium', 'high'], 'gpt-oss always reasons');
    assert.deepEqual(levels(nova2), ['off', 'low', 'medium', 'high']);
    for (const m of [haiku35, novaPro, llama, r1, family('qwen3-coder-480b') ?? llama, custom('arn:aws:bedrock:us-east-1:111122223333:custom-model/abc')]) {
      assert.equal(pickerOptions(m).schema, undefined, `${m.name}: no options`);
    }
  });

  it('puts the thinking effort in the picker itself (group navigation) with labels, defaulting to the setting', () => {
    const p = pickerOptions(sonnet45, { effort: 'medium' }).schema!.properties[PICKER_KEYS.effort];
    assert.equal(p.group, 'navigation');
    assert.equal(p.title, 'Thinking Effort');
    assert.deepEqual(p.enumItemLabels, ['Off', 'Low', 'Medium', 'High']);
    assert.equal(p.default, 'medium');
    assert.equal(pickerOptions(sonnet45).schema!.properties[PICKER_KEYS.effort].default, 'off', 'setting unset: off');
    assert.equal(pickerOptions(sonnet45, { effort: 'max' }).schema!.properties[PICKER_KEYS.effort].default, 'high', 'max on a model without it: its highest');
    assert.equal(pickerOptions(gptOss, { effort: 'off' }).schema!.properties[PICKER_KEYS.effort].default, 'medium', 'off on gpt-oss: its own default');
  });

  it('offers a 1M context on Claude Sonnet 4 and 4.5 (and the 4.6 models), and reports the 1M input budget', () => {
    for (const m of [sonnet45, sonnet4, opus46]) {
      const o = pickerOptions(m);
      const p = o.schema!.properties[PICKER_KEYS.contextSize];
      assert.equal(p.group, 'tokens', m.name);
      assert.deepEqual(p.enumItemLabels, [m.contextWindow === 200_000 ? '200K' : `${m.contextWindow / 1000}K`, '1M']);
      assert.equal(p.default, m.maxInputTokens, 'the standard window by default');
      assert.ok((p.enum[1] as number) > 800_000 && (p.enum[1] as number) < 1_000_000, `${p.enum[1]}`);
      assert.equal(o.maxInputTokens, p.enum[1], 'maxInputTokens is the 1M budget: Copilot lowers it to the chosen contextSize');
    }
    for (const m of [sonnet37, opus41, opus47, family('claude-haiku-4.5'), nova2]) {
      assert.equal(pickerOptions(m).schema?.properties[PICKER_KEYS.contextSize], undefined, m.name);
      assert.equal(pickerOptions(m).maxInputTokens, m.maxInputTokens, m.name);
    }
  });

  it('resolves a level the model lacks to the nearest it has', () => {
    const p = reasoningProfile(opus46)!;
    assert.equal(resolveEffort(p, 'xhigh'), 'high');
    assert.equal(resolveEffort(reasoningProfile(sonnet45)!, 'max'), 'high');
    assert.equal(resolveEffort(reasoningProfile(mythos)!, 'off'), 'high');
  });
});

describe('thinking effort on the wire', function () {
  let server: BedrockServer;
  const client = () => createRuntimeClient({ auth: { kind: 'apiKey', apiKey: 'ABSKthinkingtests0000000000' }, region: 'us-east-1', endpoint: server.endpoint, idleTimeoutSeconds: 5 });
  before(async () => (server = await startBedrockServer()));
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    server.onConverseStream = () => textEvents('ok');
  });

  /** The JSON body Bedrock receives for one request. */
  async function sent(model: ChatModel, options: ChatOptions, messages: ChatMessage[] = [user('Think about it.')]) {
    const c = client();
    const events: ChatEvent[] = [];
    try {
      const summary = await converse(c, model, messages, options, new AbortController().signal, (e) => events.push(e));
      const body = server.requests.at(-1)!.body;
      return { body, notes: summary.notes ?? [] };
    } finally {
      c.destroy();
    }
  }

  it('Claude with a budget: thinking enabled, maxTokens above the budget, no temperature, interleaved thinking with tools', async () => {
    const { body, notes } = await sent(sonnet45, { ...effort('high'), temperature: 0.2, tools });
    assert.deepEqual(body.additionalModelRequestFields, { thinking: { type: 'enabled', budget_tokens: 24_576 }, anthropic_beta: [INTERLEAVED_THINKING_BETA] });
    assert.equal(body.inferenceConfig.maxTokens, 32_000 + 24_576);
    assert.ok(body.inferenceConfig.maxTokens > body.additionalModelRequestFields.thinking.budget_tokens);
    assert.equal(body.inferenceConfig.temperature, undefined);
    assert.match(notes.join('\n'), /temperature left unset/);
    const low = await sent(sonnet45, effort('low'));
    assert.deepEqual(low.body.additionalModelRequestFields, { thinking: { type: 'enabled', budget_tokens: 2_048 } }, 'no interleaving beta without tools');
  });

  it('Claude 3.7 Sonnet thinks with a budget but has no interleaved thinking', async () => {
    const { body } = await sent(sonnet37, { ...effort('medium'), tools });
    assert.deepEqual(body.additionalModelRequestFields, { thinking: { type: 'enabled', budget_tokens: 8_192 } });
  });

  it('keeps the budget below maxTokens on models with a small output limit, or leaves thinking off with a note', async () => {
    const opus = await sent(opus41, effort('high'));
    assert.equal(opus.body.inferenceConfig.maxTokens, 32_000, 'Opus 4.1 allows 32K output');
    assert.equal(opus.body.additionalModelRequestFields.thinking.budget_tokens, 24_576);
    const small = listModels('us-east-1', [{ id: sonnet45.id, name: 'Small Sonnet', maxOutputTokens: 16_000 }])[0];
    const clamped = await sent(small, effort('high'));
    assert.equal(clamped.body.inferenceConfig.maxTokens, 16_000);
    assert.equal(clamped.body.additionalModelRequestFields.thinking.budget_tokens, 16_000 - 4_096, 'room left for the answer');
    const tiny = listModels('us-east-1', [{ id: sonnet45.id, name: 'Tiny Sonnet', maxOutputTokens: 4_096 }])[0];
    const none = await sent(tiny, effort('high'));
    assert.equal(none.body.additionalModelRequestFields, undefined);
    assert.match(none.notes.join('\n'), /Thinking was not turned on: Tiny Sonnet allows 4096 output tokens/);
  });

  it('Claude 4.6 and later: adaptive thinking with an effort; 4.7 asks for the summarized thinking text', async () => {
    const a = await sent(opus46, { ...effort('max'), tools });
    assert.deepEqual(a.body.additionalModelRequestFields, { thinking: { type: 'adaptive' }, output_config: { effort: 'max' } }, 'interleaving is automatic: no beta');
    const b = await sent(opus47, effort('xhigh'));
    assert.deepEqual(b.body.additionalModelRequestFields, { thinking: { type: 'adaptive', display: 'summarized' }, output_config: { effort: 'xhigh' } });
  });

  it('gpt-oss: reasoning_effort, and nothing at all when no level was asked for', async () => {
    assert.deepEqual((await sent(gptOss, effort('high'))).body.additionalModelRequestFields, { reasoning_effort: 'high' });
    const plain = await sent(gptOss, {});
    assert.equal(plain.body.additionalModelRequestFields, undefined);
  });

  it('Nova 2: reasoningConfig with maxReasoningEffort; at high no maxTokens and no temperature', async () => {
    const medium = await sent(nova2, { ...effort('medium'), temperature: 0.5 });
    assert.deepEqual(medium.body.additionalModelRequestFields, { reasoningConfig: { type: 'enabled', maxReasoningEffort: 'medium' } });
    assert.equal(medium.body.inferenceConfig.maxTokens, 32_000);
    assert.equal(medium.body.inferenceConfig.temperature, undefined);
    const high = await sent(nova2, { ...effort('high'), temperature: 0.5 });
    assert.deepEqual(high.body.additionalModelRequestFields, { reasoningConfig: { type: 'enabled', maxReasoningEffort: 'high' } });
    assert.equal(high.body.inferenceConfig, undefined, 'no maxTokens, temperature or topP at high effort');
  });

  it('sends nothing for models that cannot reason, whatever is asked', async () => {
    for (const m of [llama, novaPro, haiku35, r1]) {
      const { body } = await sent(m, { ...effort('high'), defaultEffort: 'high', temperature: 0.3 });
      assert.equal(body.additionalModelRequestFields, undefined, m.name);
      assert.equal(body.inferenceConfig.temperature, 0.3, `${m.name} keeps its temperature`);
    }
  });

  it('takes the default from bedrockChat.reasoning.effort where the picker has no value; the picker wins', async () => {
    assert.deepEqual((await sent(sonnet45, { defaultEffort: 'low' })).body.additionalModelRequestFields, { thinking: { type: 'enabled', budget_tokens: 2_048 } });
    assert.equal((await sent(sonnet45, { defaultEffort: 'high', ...effort('off') })).body.additionalModelRequestFields, undefined);
    assert.equal((await sent(sonnet45, {})).body.additionalModelRequestFields, undefined, 'off by default');
    assert.equal((await sent(sonnet45, { defaultEffort: 'nonsense' })).body.additionalModelRequestFields, undefined);
  });

  it('never forces a tool with thinking on: Required becomes auto, with a note', async () => {
    const { body, notes } = await sent(sonnet45, { ...effort('medium'), tools, toolMode: 'required' });
    assert.deepEqual(body.toolConfig.toolChoice, { auto: {} });
    assert.match(notes.join('\n'), /Required was sent as "auto" because thinking is on/);
    assert.deepEqual((await sent(sonnet45, { tools, toolMode: 'required' })).body.toolConfig.toolChoice, { any: {} }, 'thinking off: any');
  });

  it('sends the 1M beta when the 1M context size is chosen, beside the interleaving beta', async () => {
    const size = pickerOptions(sonnet45).schema!.properties[PICKER_KEYS.contextSize].enum[1];
    const { body } = await sent(sonnet45, { modelConfiguration: { [PICKER_KEYS.effort]: 'low', [PICKER_KEYS.contextSize]: size }, tools });
    assert.deepEqual(body.additionalModelRequestFields.anthropic_beta, [INTERLEAVED_THINKING_BETA, CONTEXT_1M_BETA]);
    const standard = pickerOptions(sonnet45).schema!.properties[PICKER_KEYS.contextSize].enum[0];
    assert.equal((await sent(sonnet45, { modelConfiguration: { [PICKER_KEYS.contextSize]: standard } })).body.additionalModelRequestFields, undefined);
  });

  it('leaves thinking off inside a tool call that began without it (budget models), and says when it starts', () => {
    const history: ChatMessage[] = [
      user('weather?'),
      { role: 'assistant', parts: [{ type: 'text', text: 'Checking.' }, { type: 'toolCall', callId: 't1', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', parts: [{ type: 'toolResult', callId: 't1', content: [{ type: 'text', text: 'Sunny' }] }] },
    ];
    const built = buildConverseRequest(sonnet45, history, { ...effort('high'), tools });
    assert.equal(built.input.additionalModelRequestFields, undefined);
    assert.match(built.notes.join('\n'), /starts with the next message/);
    const signed: ChatMessage[] = [history[0], { role: 'assistant', parts: [{ type: 'thinking', text: 'Need the tool.', signature: 'sig' }, ...history[1].parts] }, history[2]];
    assert.ok(buildConverseRequest(sonnet45, signed, { ...effort('high'), tools }).input.additionalModelRequestFields, 'thinking on when the turn began with thinking');
    assert.ok(buildConverseRequest(opus46, history, { ...effort('high'), tools }).input.additionalModelRequestFields, 'adaptive thinking may skip thinking in a turn');
  });

  it('puts reasoning first in each assistant turn of the history, exactly as it came', () => {
    const redacted = new Uint8Array([1, 2, 3]);
    const { input } = buildConverseRequest(sonnet45, [
      user('q'),
      { role: 'assistant', parts: [{ type: 'text', text: 'Answer.' }, { type: 'thinking', text: 'Hmm.', signature: 'sig-1' }, { type: 'thinking', text: '', redacted }] },
      user('next'),
    ]);
    assert.deepEqual(input.messages![1].content, [
      { reasoningContent: { reasoningText: { text: 'Hmm.', signature: 'sig-1' } } },
      { reasoningContent: { redactedContent: redacted } },
      { text: 'Answer.' },
    ]);
    const other = buildConverseRequest(gptOss, [user('q'), { role: 'assistant', parts: [{ type: 'thinking', text: 'x', signature: 'sig' }, { type: 'text', text: 'A' }] }, user('n')]).input;
    assert.deepEqual(other.messages![1].content, [{ text: 'A' }], 'reasoning goes back to Claude only');
  });
});
