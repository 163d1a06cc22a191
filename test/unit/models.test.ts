import * as assert from 'node:assert/strict';
import { CATALOGUE, invocationId } from '../../src/core/models/catalogue';
import { listModels } from '../../src/core/models/chatModel';
import { baseModelId, geographiesFor } from '../../src/core/models/geography';

describe('model catalogue', () => {
  it('covers the main providers with sane limits', () => {
    const providers = new Set(CATALOGUE.map((e) => e.provider));
    for (const p of ['Anthropic', 'Amazon', 'Meta', 'Mistral AI', 'DeepSeek', 'OpenAI', 'Qwen']) assert.ok(providers.has(p), p);
    for (const e of CATALOGUE) {
      assert.ok(e.maxOutputTokens < e.contextWindow, e.modelId);
      assert.ok(e.profiles?.length || e.onDemand, `${e.modelId} must be reachable somehow`);
    }
    assert.equal(new Set(CATALOGUE.map((e) => e.modelId)).size, CATALOGUE.length, 'no duplicates');
  });

  it('maps regions to inference profile geographies', () => {
    assert.deepEqual(geographiesFor('us-west-2'), ['us', 'global']);
    assert.deepEqual(geographiesFor('eu-central-1'), ['eu', 'global']);
    assert.deepEqual(geographiesFor('ap-northeast-1'), ['jp', 'apac', 'global']);
    assert.deepEqual(geographiesFor('us-gov-west-1'), ['us-gov']);
    assert.equal(baseModelId('us.anthropic.claude-sonnet-4-20250514-v1:0'), 'anthropic.claude-sonnet-4-20250514-v1:0');
    assert.equal(baseModelId('global.anthropic.x'), 'anthropic.x');
  });

  it('addresses each model by the id Bedrock needs in the region', () => {
    const sonnet = CATALOGUE.find((e) => e.name === 'Claude Sonnet 4.5')!;
    assert.equal(invocationId(sonnet, 'us-east-1'), 'us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    assert.equal(invocationId(sonnet, 'eu-west-3'), 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    assert.equal(invocationId(sonnet, 'ap-northeast-1'), 'jp.anthropic.claude-sonnet-4-5-20250929-v1:0');
    assert.equal(invocationId(sonnet, 'sa-east-1'), undefined, 'reachable there only through global., which the default "geographic" never sends');
    assert.equal(invocationId(sonnet, 'sa-east-1', 'global'), 'global.anthropic.claude-sonnet-4-5-20250929-v1:0');
    assert.equal(invocationId(sonnet, 'us-east-1', 'global'), 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'the setting prefers global. wherever the model has one');
    assert.equal(invocationId(sonnet, 'us-gov-west-1', 'global'), undefined, 'no global. in GovCloud');
    const opus41 = CATALOGUE.find((e) => e.name === 'Claude Opus 4.1')!;
    assert.equal(invocationId(opus41, 'eu-west-1'), undefined, 'US-only profile is not offered in Europe');
    const gptOss = CATALOGUE.find((e) => e.modelId === 'openai.gpt-oss-120b-1:0')!;
    assert.equal(invocationId(gptOss, 'us-east-1'), 'openai.gpt-oss-120b-1:0');
    assert.equal(invocationId(gptOss, 'ca-central-1'), undefined);
  });

  it('lists models whose id is exactly the id sent, with input budget = context - output - tool headroom - estimate margin', () => {
    const models = listModels('us-east-1');
    const nova = models.find((m) => m.family === 'nova-micro')!;
    assert.equal(nova.id, 'us.amazon.nova-micro-v1:0');
    assert.equal(nova.maxInputTokens, 128_000 - 10_000 - 10_000 - 5_900, 'context - output - 10K tool headroom - 5% of 118K');
    assert.equal(nova.imageInput, false);
    const sonnet = models.find((m) => m.family === 'claude-sonnet-4.5')!;
    assert.equal(sonnet.toolCalling, true);
    assert.equal(sonnet.imageInput, true);
    assert.equal(sonnet.maxOutputTokens, 64_000);
    assert.equal(sonnet.maxInputTokens, 200_000 - 32_000 - 10_000 - 8_400, 'input budget leaves room for the default output budget, tool definitions and the estimate margin');
    assert.equal(models.find((m) => m.family === 'deepseek-r1')!.maxInputTokens, 128_000 - 32_000 - 4_800, 'no tool headroom for a model without tools');
    assert.equal(new Set(models.map((m) => m.id)).size, models.length);
  });

  it('says which models accept toolChoice any and documents, as AWS documents them', () => {
    const all = [...listModels('us-east-1'), ...listModels('us-west-2')];
    const by = (family: string) => all.find((m) => m.family === family)!;
    for (const f of ['claude-sonnet-4.5', 'claude-3.5-haiku', 'nova-pro', 'nova-micro', 'mistral-large']) assert.equal(by(f).toolChoiceAny, true, f);
    for (const f of ['llama-3.3', 'llama-4-maverick', 'llama-4-scout', 'pixtral-large', 'deepseek-v3.1', 'gpt-oss-120b', 'qwen3-235b']) assert.equal(by(f).toolChoiceAny, false, f);
    for (const f of ['claude-opus-4.5', 'nova-lite', 'llama-3.3', 'llama-4-scout', 'mistral-large', 'pixtral-large']) assert.equal(by(f).documentInput, true, f);
    for (const f of ['nova-micro', 'deepseek-r1', 'gpt-oss-20b', 'qwen3-coder-480b']) assert.equal(by(f).documentInput, false, f);
    const [unknown, known] = listModels('us-east-1', [{ id: 'arn:aws:bedrock:us-east-1:111122223333:provisioned-model/xyz' }, { id: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0' }]);
    assert.deepEqual([unknown.toolChoiceAny, unknown.documentInput], [false, false], 'unknown models get only what every model accepts');
    assert.deepEqual([known.toolChoiceAny, known.documentInput], [true, true], 'a known model behind another id keeps its capabilities');
  });

  it('a custom model can declare document input and forced tool choice', () => {
    const [declared] = listModels('us-east-1', [{ id: 'arn:aws:bedrock:us-east-1:111122223333:provisioned-model/xyz', documentInput: true, toolChoiceAny: true }]);
    assert.deepEqual([declared.toolChoiceAny, declared.documentInput], [true, true]);
    const [overridden] = listModels('us-east-1', [{ id: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0', toolChoiceAny: false }]);
    assert.equal(overridden.toolChoiceAny, false, 'the user\'s declaration wins over the catalogue');
  });

  it('adds custom models first, filling limits from the catalogue when known', () => {
    const models = listModels('us-east-1', [
      { id: 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc', name: 'Team Claude', contextWindow: 200_000, maxOutputTokens: 8_000, imageInput: true },
      { id: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' },
    ]);
    assert.equal(models[0].name, 'Team Claude');
    assert.equal(models[0].maxInputTokens, 200_000 - 8_000 - 10_000 - 9_600);
    assert.equal(models[0].outputBudget, 8_000);
    assert.equal(models[1].name, 'Claude Sonnet 4.5');
    assert.equal(models[1].maxOutputTokens, 64_000);
    assert.equal(models.filter((m) => m.id === 'us.anthropic.claude-sonnet-4-5-20250929-v1:0').length, 1, 'no duplicate of the catalogue entry');
  });
});
