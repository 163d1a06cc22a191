/**
 * VS Code's LanguageModel* parts to editor-neutral chat parts, run in plain
 * Node with a stand-in `vscode` module (test/support/vscodeShim).
 */
import * as assert from 'node:assert/strict';
import { LanguageModelThinkingPart } from '../support/vscodeShim'; // first: it makes require('vscode') work
import * as vscode from 'vscode';
import { toChatMessages } from '../../src/vscode/convert';
import { buildConverseRequest } from '../../src/core/bedrock/request';
import { listModels } from '../../src/core/models/chatModel';

const claude = listModels('us-east-1').find((m) => m.family === 'claude-sonnet-4.5')!;
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const data = (mime: string, content: string | Uint8Array = '') => new vscode.LanguageModelDataPart(typeof content === 'string' ? bytes(content) : content, mime);
const cacheControl = () => data('cache_control', 'ephemeral');
const msg = (role: number, ...content: unknown[]) => ({ role, content, name: undefined }) as unknown as vscode.LanguageModelChatRequestMessage;
const USER = 1;
const ASSISTANT = 2;
const SYSTEM = 3;
const convertOne = (...content: unknown[]) => toChatMessages([msg(USER, ...content)])[0].parts;
const toolResultOf = (...content: unknown[]) => {
  const [result] = convertOne(new vscode.LanguageModelToolResultPart('call-1', content));
  assert.equal(result.type, 'toolResult');
  return (result as { content: unknown[] }).content;
};

describe('toChatMessages (VS Code parts to chat parts)', () => {
  it('maps roles, including the system role Copilot uses', () => {
    const out = toChatMessages([msg(SYSTEM, new vscode.LanguageModelTextPart('rules')), msg(USER, new vscode.LanguageModelTextPart('q')), msg(ASSISTANT, new vscode.LanguageModelTextPart('a'))]);
    assert.deepEqual(out.map((m) => m.role), ['system', 'user', 'assistant']);
  });

  describe('cache_control breakpoints', () => {
    it('become a cache point where they stand in a message', () => {
      assert.deepEqual(convertOne(new vscode.LanguageModelTextPart('long context'), cacheControl()), [{ type: 'text', text: 'long context' }, { type: 'cachePoint' }]);
    });

    it('inside a tool result become a cache point right after that result', () => {
      const parts = convertOne(new vscode.LanguageModelToolResultPart('call-1', [new vscode.LanguageModelTextPart('output'), cacheControl()]), new vscode.LanguageModelTextPart('next'));
      assert.deepEqual(parts, [
        { type: 'toolResult', callId: 'call-1', content: [{ type: 'text', text: 'output' }] },
        { type: 'cachePoint' },
        { type: 'text', text: 'next' },
      ]);
    });

    it('in two tool results reach Bedrock as two cache points, each right after its result', () => {
      const messages = toChatMessages([
        msg(USER, new vscode.LanguageModelTextPart('check both')),
        msg(ASSISTANT, new vscode.LanguageModelToolCallPart('a', 'get_weather', { city: 'Paris' }), new vscode.LanguageModelToolCallPart('b', 'get_weather', { city: 'Rome' })),
        msg(
          USER,
          new vscode.LanguageModelToolResultPart('a', [new vscode.LanguageModelTextPart('Sunny'), cacheControl()]),
          new vscode.LanguageModelToolResultPart('b', [new vscode.LanguageModelTextPart('Rain'), cacheControl()]),
        ),
      ]);
      const { input } = buildConverseRequest(claude, messages, { tools: [{ name: 'get_weather', description: 'Weather' }] });
      const last = input.messages!.at(-1)!.content!;
      assert.deepEqual(
        last.map((b) => (b.toolResult ? `result ${b.toolResult.toolUseId}` : b.cachePoint ? 'cache' : 'other')),
        ['result a', 'cache', 'result b', 'cache'],
      );
    });
  });

  it('merges streamed thinking deltas up to the signature, keeps redacted thinking apart', () => {
    const parts = toChatMessages([
      msg(
        ASSISTANT,
        new LanguageModelThinkingPart('Let me '),
        new LanguageModelThinkingPart(['think', '.']),
        new LanguageModelThinkingPart('', undefined, { signature: 'sig-1' }),
        new LanguageModelThinkingPart('', undefined, { redactedData: Buffer.from([1, 2, 3]).toString('base64') }),
        new vscode.LanguageModelTextPart('Answer'),
      ),
    ])[0].parts;
    assert.deepEqual(parts, [
      { type: 'thinking', text: 'Let me think.', signature: 'sig-1' },
      { type: 'thinking', text: '', redacted: Buffer.from([1, 2, 3]) },
      { type: 'text', text: 'Answer' },
    ]);
  });

  describe('tool results', () => {
    it('keep text, JSON, prompt-tsx, image and document content; skip what they cannot read', () => {
      const png = new Uint8Array([137, 80, 78, 71]);
      const pdf = bytes('%PDF-1.7');
      const content = toolResultOf(
        new vscode.LanguageModelTextPart('plain'),
        data('application/json', '{"c":21}'),
        data('application/json', 'not json'),
        new vscode.LanguageModelPromptTsxPart({ node: 'tree' }),
        data('image/png', png),
        data('application/pdf; name="Q3 report.pdf"', pdf),
        { something: 'unknown' },
        { value: 'shaped like a text part' },
      );
      assert.deepEqual(content, [
        { type: 'text', text: 'plain' },
        { type: 'json', value: { c: 21 } },
        { type: 'text', text: 'not json' },
        { type: 'json', value: { node: 'tree' } },
        { type: 'image', mimeType: 'image/png', data: png },
        { type: 'document', mimeType: 'application/pdf', data: pdf, name: 'Q3 report.pdf' },
        { type: 'text', text: 'shaped like a text part' },
      ]);
    });

    it('recognises newer tool result classes by shape, with their error flag', () => {
      const parts = convertOne({ callId: 'c9', content: [new vscode.LanguageModelTextPart('boom')], isError: true });
      assert.deepEqual(parts, [{ type: 'toolResult', callId: 'c9', content: [{ type: 'text', text: 'boom' }], isError: true }]);
    });
  });

  describe('MIME types', () => {
    it('route data parts the same way in a message and in a tool result', () => {
      const cases = [data('text/markdown; charset=utf-8', '# hi'), data('IMAGE/JPEG', 'jpg'), data('application/pdf', 'pdf'), data('application/vnd.api+json', '{"a":1}')];
      const inMessage = convertOne(...cases);
      const inResult = toolResultOf(...cases);
      assert.deepEqual(inMessage.map((p) => p.type), ['text', 'image', 'document', 'text']);
      assert.deepEqual(inResult.map((p) => (p as { type: string }).type), ['text', 'image', 'document', 'json']);
      assert.deepEqual(inMessage[1], { type: 'image', mimeType: 'image/jpeg', data: bytes('jpg') });
    });

    it('send JSON in a message as the text it came as', () => {
      assert.deepEqual(convertOne(data('application/json', '{ "a": 1 }')), [{ type: 'text', text: '{ "a": 1 }' }]);
    });

    it('turn other files into documents, named when the MIME type says so, so none vanish', () => {
      const zip = bytes('PK');
      assert.deepEqual(convertOne(data('application/zip', zip)), [{ type: 'document', mimeType: 'application/zip', data: zip }]);
      assert.deepEqual(convertOne(data('application/vnd.ms-excel; filename=budget.xls', zip)), [{ type: 'document', mimeType: 'application/vnd.ms-excel', data: zip, name: 'budget.xls' }]);
    });

    it('skip Copilot bookkeeping parts (a bare word, not a MIME type) and unknown parts', () => {
      assert.deepEqual(convertOne(data('stateful_marker', 'abc'), data('thinking', 'x'), { unknown: true }, new vscode.LanguageModelTextPart('kept')), [{ type: 'text', text: 'kept' }]);
    });
  });
});
