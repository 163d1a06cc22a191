/**
 * Streaming through the real SDK client against the local Bedrock server:
 * scripted streams, real recordings, cancellation, failures and error mapping.
 */
import * as assert from 'node:assert/strict';
import { ChatEvent, ChatMessage, ChatOptions } from '../../src/core/chat/types';
import { createRuntimeClient } from '../../src/core/bedrock/client';
import { converse, ConverseSummary } from '../../src/core/bedrock/converse';
import { describeError } from '../../src/core/bedrock/errors';
import { ChatModel, listModels } from '../../src/core/models/chatModel';
import { IncompleteStreamError } from '../../src/core/bedrock/failures';
import {
  drop,
  exceptionEvent,
  hang,
  httpError,
  loadCassette,
  metadataEvent,
  reasoningEvents,
  startBedrockServer,
  textEvents,
  toolUseEvents,
  type BedrockServer,
} from '../support';

const models = listModels('us-east-1');
const byId = (id: string): ChatModel => models.find((m) => m.id === id) ?? listModels('us-east-1', [{ id }])[0];
const nova = byId('us.amazon.nova-micro-v1:0');
const claude = byId('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
const hello: ChatMessage[] = [{ role: 'user', parts: [{ type: 'text', text: 'hello' }] }];
const weatherTool = { name: 'get_weather', description: 'Weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } };

describe('streaming through the SDK', function () {
  let server: BedrockServer;
  const client = () => createRuntimeClient({ auth: { kind: 'apiKey', apiKey: 'ABSKstreamtests000000000000' }, region: 'us-east-1', endpoint: server.endpoint, idleTimeoutSeconds: 2 });

  before(async () => (server = await startBedrockServer()));
  after(() => server.close());
  beforeEach(() => server.reset());

  async function run(model: ChatModel, messages = hello, options: ChatOptions = {}, signal = new AbortController().signal) {
    const events: ChatEvent[] = [];
    const c = client();
    try {
      const summary: ConverseSummary = await converse(c, model, messages, options, signal, (e) => events.push(e));
      return { events, summary, text: events.map((e) => (e.type === 'text' ? e.text : '')).join('') };
    } finally {
      c.destroy();
    }
  }

  it('streams text deltas in order and reports usage', async () => {
    server.onConverseStream = () => textEvents(['Hel', 'lo ', 'there'], { usage: { inputTokens: 7, outputTokens: 3 } });
    const { events, text, summary } = await run(nova);
    assert.equal(text, 'Hello there');
    assert.deepEqual(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text), ['Hel', 'lo ', 'there']);
    assert.equal(summary.stopReason, 'end_turn');
    assert.equal(summary.inputTokens, 7);
    assert.equal(summary.outputTokens, 3);
  });

  it('emits several tool calls in one turn once each input is complete, even when their deltas interleave', async () => {
    const a = toolUseEvents(1, { toolUseId: 'call-a', name: 'get_weather', inputChunks: ['{"ci', 'ty":"Paris"}'] });
    const b = toolUseEvents(2, { toolUseId: 'call-b', name: 'get_weather', inputChunks: ['{"city"', ':"Rome"}'] });
    // start a, start b, delta a, delta b, delta a, delta b, stop a, stop b
    const interleaved = [a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3]];
    server.onConverseStream = () => [
      { messageStart: { role: 'assistant' } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Checking both.' } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      ...interleaved,
      { messageStop: { stopReason: 'tool_use' } },
      metadataEvent(),
    ];
    const { events } = await run(claude, hello, { tools: [weatherTool] });
    const calls = events.filter((e) => e.type === 'toolCall');
    assert.deepEqual(calls, [
      { type: 'toolCall', callId: 'call-a', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'toolCall', callId: 'call-b', name: 'get_weather', input: { city: 'Rome' } },
    ]);
    const body = server.requests[0].body;
    assert.deepEqual(body.toolConfig.toolChoice, { auto: {} });
    assert.equal(body.toolConfig.tools[0].toolSpec.name, 'get_weather');
  });

  it('maps renamed tool names back to the editor name', async () => {
    server.onConverseStream = (req) => {
      const sent = req.body.toolConfig.tools[0].toolSpec.name as string;
      return [...toolUseEvents(0, { toolUseId: 't', name: sent, inputChunks: ['{}'] }), { messageStop: { stopReason: 'tool_use' } }, metadataEvent()];
    };
    const { events } = await run(claude, hello, { tools: [{ name: 'mcp.server/tool', description: 'd' }] });
    assert.deepEqual(events.find((e) => e.type === 'toolCall'), { type: 'toolCall', callId: 't', name: 'mcp.server/tool', input: {} });
  });

  it('sends system prompts, images and tool results on the wire as Bedrock expects', async () => {
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
    const messages: ChatMessage[] = [
      { role: 'system', parts: [{ type: 'text', text: 'You are terse.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'What is in this picture, and the weather?' }, { type: 'image', mimeType: 'image/png', data: png }] },
      { role: 'assistant', parts: [{ type: 'toolCall', callId: 'w1', name: 'get_weather', input: { city: 'Oslo' } }] },
      { role: 'user', parts: [{ type: 'toolResult', callId: 'w1', content: [{ type: 'text', text: 'Snow' }, { type: 'json', value: { celsius: -3 } }] }] },
    ];
    await run(claude, messages, { tools: [weatherTool], toolMode: 'required' });
    const body = server.requests[0].body;
    assert.equal(server.requests[0].modelId, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    assert.deepEqual(body.system, [{ text: 'You are terse.' }]);
    assert.deepEqual(body.messages[0].content[1], { image: { format: 'png', source: { bytes: Buffer.from(png).toString('base64') } } });
    assert.deepEqual(body.messages[1].content[0], { toolUse: { toolUseId: 'w1', name: 'get_weather', input: { city: 'Oslo' } } });
    assert.deepEqual(body.messages[2].content[0], { toolResult: { toolUseId: 'w1', content: [{ text: 'Snow' }, { json: { celsius: -3 } }] } });
    assert.deepEqual(body.toolConfig.toolChoice, { any: {} });
  });

  it('streams reasoning with its signature', async () => {
    server.onConverseStream = () => [{ messageStart: { role: 'assistant' } }, ...reasoningEvents(0, ['Let me ', 'think.'], 'sig-123'), ...textEvents('Answer', { contentBlockIndex: 1, omitMessageStart: true })];
    const { events, text } = await run(claude);
    const thinking = events.filter((e) => e.type === 'thinking');
    assert.deepEqual(thinking.map((e) => (e as { text: string }).text).join(''), 'Let me think.');
    assert.ok(thinking.some((e) => e.type === 'thinking' && e.signature === 'sig-123'));
    assert.equal(text, 'Answer');
  });

  describe('failures', () => {
    it('a stream that ends without messageStop is an error, not a short answer', async () => {
      server.onConverseStream = () => textEvents('Partial', { omitMessageStop: true, omitMetadata: true });
      await assert.rejects(run(nova), IncompleteStreamError);
    });

    it('a stream that ends without metadata is an error', async () => {
      server.onConverseStream = () => textEvents('Partial', { omitMetadata: true });
      await assert.rejects(run(nova), IncompleteStreamError);
    });

    it('a dropped connection surfaces as an error', async () => {
      server.onConverseStream = () => ({ events: textEvents(['one ', 'two ', 'three']), dropAfter: 3 });
      await assert.rejects(run(nova), (err: Error) => {
        assert.ok(!(err instanceof IncompleteStreamError) || true);
        assert.notEqual(describeError(err, { modelId: nova.id, region: 'us-east-1' }).kind, 'cancelled');
        return true;
      });
    });

    it('a stalled stream fails after the idle timeout', async () => {
      server.onConverseStream = () => ({ events: textEvents(['one ', 'two']), hangAfter: 2 });
      await assert.rejects(run(nova), (err: Error) => {
        const d = describeError(err, { modelId: nova.id, region: 'us-east-1' });
        assert.equal(d.kind, 'network', `${err.name}: ${err.message}`);
        return true;
      });
    });

    it('an exception inside the stream is raised and mapped', async () => {
      server.onConverseStream = () => [{ messageStart: { role: 'assistant' } }, exceptionEvent('modelStreamErrorException', 'The model failed mid-stream')];
      await assert.rejects(run(nova), (err: Error) => {
        assert.equal(err.name, 'ModelStreamErrorException');
        assert.equal(describeError(err, { modelId: nova.id, region: 'us-east-1' }).kind, 'service');
        return true;
      });
    });

    it('cancellation aborts the HTTP request and the server sees the stream closed', async () => {
      server.onConverseStream = () => ({ events: textEvents(['first ', 'second']), hangAfter: 2 });
      const abort = new AbortController();
      const events: ChatEvent[] = [];
      const c = client();
      const pending = converse(c, nova, hello, {}, abort.signal, (e) => {
        events.push(e);
        if (e.type === 'text') abort.abort();
      });
      await assert.rejects(pending, (err: Error) => err.name === 'AbortError');
      const closed = await server.streamClosedByClient();
      assert.equal(closed.outcome, 'client-closed');
      c.destroy();
    });

    const errorCases: [number, string, string, string][] = [
      [403, 'AccessDeniedException', "You don't have access to the model with the specified model ID.", 'accessDenied'],
      [400, 'ValidationException', 'Input is too long for requested model.', 'contextTooLong'],
      [404, 'ResourceNotFoundException', 'Model not found.', 'modelNotFound'],
      [403, 'UnrecognizedClientException', 'The security token included in the request is invalid.', 'credentials'],
      [403, 'ExpiredTokenException', 'The security token included in the request is expired', 'credentials'],
    ];
    for (const [status, type, message, kind] of errorCases) {
      it(`maps HTTP ${status} ${type} to ${kind}`, async () => {
        server.onConverseStream = () => httpError(status, type, message);
        await assert.rejects(run(nova), (err: Error) => {
          const d = describeError(err, { modelId: nova.id, region: 'us-east-1', auth: { kind: 'apiKey', apiKey: 'x' } });
          assert.equal(d.kind, kind, d.message);
          assert.ok(!d.message.includes('[object Object]'));
          return true;
        });
      });
    }

    it('throttling is retried by the SDK before it is reported', async () => {
      server.onConverseStream = () => httpError(429, 'ThrottlingException', 'Too many requests');
      await assert.rejects(run(nova), (err: Error) => describeError(err, { modelId: nova.id, region: 'us-east-1' }).kind === 'throttled');
      assert.equal(server.requests.length, 3, 'three attempts');
    });

    it('an unreachable endpoint says where it tried', async () => {
      const c = createRuntimeClient({ auth: { kind: 'apiKey', apiKey: 'ABSKx0000000000000000000' }, region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
      await assert.rejects(converse(c, nova, hello, {}, new AbortController().signal, () => {}), (err: Error) => {
        const d = describeError(err, { modelId: nova.id, region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
        assert.equal(d.kind, 'network');
        assert.match(d.message, /127\.0\.0\.1:9 \(ECONNREFUSED\)/);
        return true;
      });
      c.destroy();
    });
  });

  describe('real Bedrock recordings', () => {
    async function replay(cassette: string, index = 0, options: ChatOptions = {}, errorType?: string) {
      const interaction = loadCassette(cassette)[index];
      server.replay(interaction, errorType ? { errorType } : {});
      return run(byId(interaction.modelId!), hello, options);
    }

    it('Nova Micro text stream', async () => {
      const { text, summary } = await replay('test_bedrock_model_stream.yaml');
      assert.match(text, /^The capital of France is Paris\./);
      assert.equal(summary.stopReason, 'end_turn');
      assert.ok(summary.outputTokens! > 0);
    });

    it('gpt-oss stream with an empty text delta and blocks without deltas', async () => {
      const { text, events } = await replay('test_bedrock_model_stream_empty_text_delta.yaml');
      assert.equal(text, 'Hello! How can I help you today?');
      assert.ok(!events.some((e) => e.type === 'text' && e.text === ''));
    });

    it('Nova tool call, then the answer after the tool result', async () => {
      const first = await replay('test_bedrock_model_iter_stream.yaml', 0, { tools: [{ name: 'get_temperature', description: 't' }] });
      const call = first.events.find((e) => e.type === 'toolCall');
      assert.ok(call && call.type === 'toolCall');
      assert.equal(call.name, 'get_temperature');
      assert.equal(typeof call.input, 'object');
      assert.equal(first.summary.stopReason, 'tool_use');
      const second = await replay('test_bedrock_model_iter_stream.yaml', 1);
      assert.equal(second.text, 'The current temperature in Paris, the capital of France, is 30°C.');
    });

    it('Claude reasoning with a signature', async () => {
      const { events, text } = await replay('test_bedrock_model_thinking_part_stream.yaml');
      const thinking = events.filter((e) => e.type === 'thinking');
      assert.ok(thinking.some((e) => e.type === 'thinking' && e.text.length > 0));
      assert.ok(thinking.some((e) => e.type === 'thinking' && !!e.signature));
      assert.match(text, /Hello! It's nice to meet you/);
    });

    it('Claude 3.7 redacted reasoning arrives as redacted bytes', async () => {
      const { events } = await replay('test_bedrock_model_thinking_part_redacted_stream.yaml');
      assert.ok(events.some((e) => e.type === 'thinking' && e.redacted && e.redacted.length > 0));
    });

    it('Nova server-side code interpreter blocks are not handed to the editor as tool calls', async () => {
      const { events } = await replay('test_bedrock_model_code_execution_tool_stream.yaml', 0, { tools: [{ name: 'final_result', description: 'd' }] });
      const calls = events.filter((e) => e.type === 'toolCall').map((e) => (e as { name: string }).name);
      assert.ok(!calls.includes('nova_code_interpreter'), calls.join());
    });

    it('an unknown model id on a stream becomes a clear message', async () => {
      await assert.rejects(replay('test_bedrock_streaming_error.yaml', 0, {}, 'ValidationException'), (err: Error) => {
        const d = describeError(err, { modelId: 'us.does-not-exist-model-v1:0', region: 'us-east-1' });
        assert.equal(d.kind, 'modelNotFound');
        assert.match(d.message, /us\.does-not-exist-model-v1:0/);
        return true;
      });
    });
  });
});
