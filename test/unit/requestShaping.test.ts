/**
 * Request shaping: the guardrail setting on the wire and its interventions
 * shown as such, and images checked against Bedrock's limits before sending
 * (placeholders that say why, never a ValidationException for the whole
 * request). The real SDK client against the local Bedrock server.
 */
import * as assert from 'node:assert/strict';
import { ChatEvent, ChatMessage, ChatOptions } from '../../src/core/chat/types';
import { createRuntimeClient } from '../../src/core/bedrock/client';
import { converse } from '../../src/core/bedrock/converse';
import { guardrailSummary } from '../../src/core/bedrock/guardrail';
import { MAX_IMAGES } from '../../src/core/bedrock/images';
import { buildConverseRequest } from '../../src/core/bedrock/request';
import { stopOutcome } from '../../src/core/bedrock/stopReasons';
import { mergeSettings } from '../../src/core/config/settings';
import { ChatModel, listModels } from '../../src/core/models/chatModel';
import { startBedrockServer, textEvents, type BedrockServer, type StreamEvent } from '../support';

const sonnet = listModels('us-east-1').find((m) => m.family === 'claude-sonnet-4.5')!;
const GUARDRAIL = { identifier: 'gr-abc123', version: '2', trace: 'enabled' as const };

/** A PNG header for a w×h image, padded to `size` bytes. */
function png(w: number, h: number, size = 64): Uint8Array {
  const b = Buffer.alloc(size);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'ascii');
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  return new Uint8Array(b);
}
/** A baseline JPEG: SOI then a SOF0 frame header giving h×w. */
function jpeg(w: number, h: number): Uint8Array {
  return new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, h >> 8, h & 0xff, w >> 8, w & 0xff, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
}
const image = (data: Uint8Array, mimeType: 'image/png' | 'image/jpeg' = 'image/png') => ({ type: 'image' as const, mimeType, data });
const ask = (...parts: ChatMessage['parts']): ChatMessage => ({ role: 'user', parts: [{ type: 'text', text: 'What is this?' }, ...parts] });

describe('request shaping on the wire', function () {
  let server: BedrockServer;
  const client = () => createRuntimeClient({ auth: { kind: 'apiKey', apiKey: 'ABSKshapingtests00000000000' }, region: 'us-east-1', endpoint: server.endpoint, idleTimeoutSeconds: 5 });
  before(async () => (server = await startBedrockServer()));
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    server.onConverseStream = () => textEvents('ok');
  });

  async function send(model: ChatModel, messages: ChatMessage[], options: ChatOptions = {}) {
    const c = client();
    const events: ChatEvent[] = [];
    try {
      const summary = await converse(c, model, messages, options, new AbortController().signal, (e) => events.push(e));
      return { summary, events, body: server.requests.at(-1)!.body };
    } finally {
      c.destroy();
    }
  }

  describe('guardrail', () => {
    it('bedrockChat.guardrail becomes guardrailConfig', async () => {
      const { body } = await send(sonnet, [ask()], { guardrail: { ...GUARDRAIL, streamProcessingMode: 'async' } });
      assert.deepEqual(body.guardrailConfig, { guardrailIdentifier: 'gr-abc123', guardrailVersion: '2', trace: 'enabled', streamProcessingMode: 'async' });
      assert.equal((await send(sonnet, [ask()])).body.guardrailConfig, undefined, 'none without the setting');
    });

    it('an intervention is shown as the guardrail blocking the answer, naming the policy from the trace', async () => {
      const trace = {
        guardrail: {
          inputAssessment: {
            'gr-abc123': {
              topicPolicy: { topics: [{ name: 'Investment advice', type: 'DENY', action: 'BLOCKED', detected: true }] },
              sensitiveInformationPolicy: { piiEntities: [{ match: 'jane@example.com', type: 'EMAIL', action: 'ANONYMIZED', detected: true }] },
              contentPolicy: { filters: [{ type: 'VIOLENCE', confidence: 'NONE', action: 'NONE', detected: false }] },
            },
          },
        },
      };
      server.onConverseStream = () => [
        ...textEvents('Sorry, I cannot help with that.', { stopReason: 'guardrail_intervened', omitMetadata: true }),
        { metadata: { usage: { inputTokens: 12, outputTokens: 0, totalTokens: 12 }, metrics: { latencyMs: 3 }, trace } } as StreamEvent,
      ];
      const { summary, events } = await send(sonnet, [ask()], { guardrail: GUARDRAIL });
      assert.equal(summary.stopReason, 'guardrail_intervened');
      assert.equal(summary.guardrail, 'denied topic "Investment advice" (input), sensitive information EMAIL masked (input)');
      assert.ok(!summary.guardrail!.includes('jane@example.com'), 'a matched sensitive value is never repeated');
      const stop = events.at(-1)!;
      assert.deepEqual(stop, { type: 'stop', reason: 'guardrail_intervened', guardrail: summary.guardrail }, 'the stop comes last, after the usage, with the trace');
      const outcome = stopOutcome(stop.type === 'stop' ? stop.reason : '', summary.guardrail);
      assert.equal(outcome.kind, 'note');
      assert.match((outcome as { note: string }).note, /Amazon Bedrock Guardrails blocked this response: denied topic "Investment advice"/);
      assert.match((stopOutcome('guardrail_intervened') as { note: string }).note, /Guardrails blocked this response\.\]$/, 'without a trace');
      assert.doesNotMatch((stopOutcome('content_filtered') as { note: string }).note, /Guardrails/, 'a content filter is not a guardrail');
    });

    it('summarises output assessments and ignores policies that did not act', () => {
      assert.equal(
        guardrailSummary({ outputAssessments: { g: [{ contentPolicy: { filters: [{ type: 'HATE', confidence: 'HIGH', action: 'BLOCKED' }] }, wordPolicy: { customWords: [{ match: 'frobnicate', action: 'BLOCKED' }], managedWordLists: [] } }] } }),
        'content filter HATE (output), blocked word "frobnicate" (output)',
      );
      assert.equal(guardrailSummary({ inputAssessment: { g: { topicPolicy: { topics: [{ name: 'x', type: 'DENY', action: 'NONE' }] } } } }), undefined);
      assert.equal(guardrailSummary(undefined), undefined);
    });

    it('is validated as a setting: identifier and version required, trace true/false accepted', () => {
      const ok = mergeSettings({ guardrail: { user: { identifier: ' gr-1 ', version: 3, trace: true } } });
      assert.deepEqual(ok.settings.guardrail.value, { identifier: 'gr-1', version: '3', trace: 'enabled' });
      for (const bad of [{ identifier: 'gr-1' }, { version: '1' }, { identifier: 'gr-1', version: '1', trace: 'loud' }, { identifier: 'gr-1', version: '1', streamProcessingMode: 'fast' }, 'gr-1']) {
        const r = mergeSettings({ guardrail: { user: bad } });
        assert.equal(r.settings.guardrail.value, undefined, JSON.stringify(bad));
        assert.equal(r.problems[0].id, 'bedrockChat.guardrail');
      }
      assert.equal(mergeSettings({ guardrail: { user: {} } }).problems.length, 0, '{} is unset, not an error');
      assert.deepEqual(mergeSettings({ guardrail: { managed: { identifier: 'gr-admin', version: '1' }, user: { identifier: 'gr-mine', version: '1' } } }).settings.guardrail.value, { identifier: 'gr-admin', version: '1' }, 'an administrator can pin it');
    });
  });

  describe('images', () => {
    it('go as image blocks in the format their bytes are in', async () => {
      const { body } = await send(sonnet, [ask(image(png(640, 480)), image(jpeg(800, 600), 'image/png'))]);
      const sent = body.messages[0].content.filter((b: { image?: unknown }) => b.image);
      assert.deepEqual(sent.map((b: { image: { format: string } }) => b.image.format), ['png', 'jpeg'], 'a JPEG labelled image/png is sent as JPEG');
    });

    it('too large, too many pixels, or not an image: a placeholder that says why, and the request still goes', async () => {
      const big = png(1000, 1000, 3_800_000);
      const wide = png(9000, 100);
      const tall = jpeg(100, 8001);
      const junk = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
      const { body, summary } = await send(sonnet, [ask(image(big), image(wide), image(tall, 'image/jpeg'), image(junk), image(png(8000, 8000)))]);
      const content = body.messages[0].content as { text?: string; image?: unknown }[];
      assert.match(content[1].text!, /\[An image was left out: it is 3\.80 MB and Bedrock accepts at most 3\.75 MB per image\.\]/);
      assert.match(content[2].text!, /it is 9000×100 pixels and Bedrock accepts at most 8,000 pixels on each side/);
      assert.match(content[3].text!, /it is 100×8001 pixels/);
      assert.match(content[4].text!, /its data is not a PNG, JPEG, GIF or WebP image \(it was labelled image\/png\)/);
      assert.ok(content[5].image, 'exactly 8,000 px is allowed');
      assert.equal(summary.notes?.length, 4, 'each reason in the log');
    });

    it('at most 20 per request: the latest 20 are sent', async () => {
      const images = Array.from({ length: MAX_IMAGES + 2 }, (_, i) => image(png(10 + i, 10)));
      const { body } = await send(sonnet, [ask(...images.slice(0, 5)), { role: 'assistant', parts: [{ type: 'text', text: 'Seen.' }] }, ask(...images.slice(5))]);
      const all = body.messages.flatMap((m: { content: { image?: unknown; text?: string }[] }) => m.content);
      assert.equal(all.filter((b: { image?: unknown }) => b.image).length, MAX_IMAGES);
      const dropped = all.filter((b: { text?: string }) => b.text?.includes('at most 20 images per request'));
      assert.equal(dropped.length, 2);
      assert.ok(body.messages[0].content[1].text?.includes('at most 20'), 'the oldest ones go');
    });

    it('only in user messages, and only the four formats (an image/bmp is not a document either)', () => {
      const { input, notes } = buildConverseRequest(sonnet, [
        ask({ type: 'document', mimeType: 'image/bmp', data: new Uint8Array([0x42, 0x4d, 0, 0]), name: 'shot.bmp' }),
        { role: 'assistant', parts: [image(png(10, 10))] },
        ask(),
      ]);
      assert.match(JSON.stringify(input.messages![0].content), /shot\.bmp.*left out: Bedrock accepts only PNG, JPEG, GIF and WebP images/);
      assert.deepEqual(input.messages![1].content, [{ text: '[An image was left out: Bedrock accepts images only in user messages.]' }]);
      assert.equal(notes.length, 2);
    });

    it('tool results are checked the same way', () => {
      const { input } = buildConverseRequest(
        sonnet,
        [ask(), { role: 'assistant', parts: [{ type: 'toolCall', callId: 't', name: 'shot', input: {} }] }, { role: 'user', parts: [{ type: 'toolResult', callId: 't', content: [{ type: 'image', mimeType: 'image/png', data: png(9001, 9001) }] }] }],
        { tools: [{ name: 'shot', description: 'screenshot' }] },
      );
      assert.match(JSON.stringify(input.messages![2].content), /An image from the tool was left out: it is 9001×9001 pixels/);
    });
  });
});
