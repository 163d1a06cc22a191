import * as assert from 'node:assert/strict';
import { estimateMessageTokens, estimateTextTokens } from '../../src/core/chat/tokens';

describe('token estimate', () => {
  it('is zero for empty text and grows with length', () => {
    assert.equal(estimateTextTokens(''), 0);
    assert.ok(estimateTextTokens('hello world') < estimateTextTokens('hello world, hello world, hello world'));
  });

  it('counts CJK characters about one each', () => {
    const n = estimateTextTokens('東京都の天気は晴れです');
    assert.ok(n >= 11 && n <= 14, String(n));
  });

  it('counts tool calls, tool results and images in whole messages', () => {
    const plain = estimateMessageTokens({ role: 'user', parts: [{ type: 'text', text: 'hi' }] });
    const withCall = estimateMessageTokens({ role: 'assistant', parts: [{ type: 'toolCall', callId: 'a', name: 'read_file', input: { path: '/a/very/long/path/to/a/file.ts' } }] });
    const withResult = estimateMessageTokens({ role: 'user', parts: [{ type: 'toolResult', callId: 'a', content: [{ type: 'text', text: 'x'.repeat(4000) }] }] });
    const withImage = estimateMessageTokens({ role: 'user', parts: [{ type: 'image', mimeType: 'image/png', data: new Uint8Array(10) }] });
    assert.ok(withCall > plain + 10);
    assert.ok(withResult > 1000);
    assert.ok(withImage > 1000);
  });
});

describe('token estimate against real counts', () => {
  it('is close to what Bedrock counted for a short message (11 tokens, from a recording)', async () => {
    const { loadInteraction } = await import('../support');
    const recorded = loadInteraction('test_bedrock_inference_profile_count_tokens.yaml', 'count-tokens');
    const real = JSON.parse(recorded.body.toString()).inputTokens as number;
    const text = (recorded.requestJson as { input: { converse: { messages: { content: { text: string }[] }[] } } }).input.converse.messages[0].content[0].text;
    const estimate = estimateMessageTokens({ role: 'user', parts: [{ type: 'text', text }] });
    assert.equal(real, 11);
    assert.ok(Math.abs(estimate - real) <= 4, `estimate ${estimate} vs real ${real}`);
  });
});
