/**
 * Short-term Bedrock API keys carry their region and expiry; the status bar
 * and the error text warn when the key is for another region, has expired or
 * expires within the hour. Keys are built as aws-bedrock-token-generator does
 * (a SigV4 presign, base64); requests go through the real SDK to the local server.
 */
import * as assert from 'node:assert/strict';
import { apiKeyInfo, apiKeyLabel, apiKeyWarnings, apiKeyWarningsChangeAt } from '../../src/core/auth/apiKeyInfo';
import { createRuntimeClient } from '../../src/core/bedrock/client';
import { converse } from '../../src/core/bedrock/converse';
import { describeError } from '../../src/core/bedrock/errors';
import { listModels } from '../../src/core/models/chatModel';
import { resolveState } from '../../src/core/state';
import { statusView } from '../../src/vscode/statusView';
import { startBedrockServer, type BedrockServer } from '../support';
import { shortTermApiKey } from '../support/apiKeys';

const HOUR = 3600_000;
const LONG_TERM = 'ABSKQmVkcm9ja0FQSUtleS1sb25nLXRlcm0tdGVzdC1rZXk=';
const KEY_ID = 'ASIAKEYLEAKCANARY001';
const model = listModels('us-east-1').find((m) => m.family === 'nova-micro')!;
const none = { path: '/none', present: false, values: {}, unknownKeys: [] };

const stateWith = (apiKey: string, region = 'us-east-1') =>
  resolveState({ layers: { region: { user: region } }, managed: none, secrets: { apiKey }, env: {}, profileRegion: async () => undefined });

describe('API keys with a lifetime', () => {
  it('a short-term key gives its region and expiry; a long-term or unrecognised key gives neither', async () => {
    const issuedAt = new Date(Date.UTC(2025, 5, 1, 8, 30, 0));
    const key = await shortTermApiKey({ region: 'eu-west-1', issuedAt, expiresIn: 3600 });
    assert.match(key, /^bedrock-api-key-[A-Za-z0-9+/]+=*$/);
    assert.match(Buffer.from(key.slice(16), 'base64').toString(), /^bedrock\.amazonaws\.com\/\?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=.*%2Feu-west-1%2Fbedrock%2Faws4_request.*&Version=1$/);
    assert.deepEqual(apiKeyInfo(key), { kind: 'shortTerm', region: 'eu-west-1', issuedAt: issuedAt.getTime(), expiresAt: issuedAt.getTime() + HOUR });
    assert.equal((apiKeyInfo(await shortTermApiKey({ region: 'us-east-1', issuedAt, expiresIn: 43_200 })) as { expiresAt: number }).expiresAt, issuedAt.getTime() + 12 * HOUR);
    assert.deepEqual(apiKeyInfo(LONG_TERM), { kind: 'longTerm' });
    assert.deepEqual(apiKeyInfo('bedrock-api-key-bm90IGEgcHJlc2lnbmVkIFVSTA=='), { kind: 'unknown' });
    assert.equal(apiKeyLabel(key), 'bedrock-api-key-…');
    assert.equal(apiKeyLabel(LONG_TERM), 'ABSK…');
  });

  it('warns when expired, when expiring within the hour, and when made for another region', async () => {
    const now = Date.now();
    const fresh = apiKeyInfo(await shortTermApiKey({ region: 'us-east-1', issuedAt: new Date(now - HOUR), expiresIn: 43_200 }));
    assert.deepEqual(apiKeyWarnings(fresh, 'us-east-1', now), []);
    assert.equal(apiKeyWarningsChangeAt(fresh, now), now - HOUR + 11 * HOUR - ((now - HOUR) % 1000), 'the status bar looks again when the last hour starts');
    const expiring = apiKeyInfo(await shortTermApiKey({ region: 'us-east-1', issuedAt: new Date(now - 11.5 * HOUR), expiresIn: 43_200 }));
    assert.deepEqual(apiKeyWarnings(expiring, 'us-east-1', now).map((w) => w.kind), ['expiring']);
    assert.match(apiKeyWarnings(expiring, 'us-east-1', now)[0].message, /expires in (29|30) minutes/);
    const expired = apiKeyInfo(await shortTermApiKey({ region: 'eu-west-1', issuedAt: new Date(now - 14 * HOUR), expiresIn: 43_200 }));
    assert.deepEqual(apiKeyWarnings(expired, 'us-east-1', now).map((w) => w.kind), ['expired', 'region']);
    assert.match(apiKeyWarnings(expired, 'us-east-1', now)[0].message, /expired 2 h ago/);
    assert.match(apiKeyWarnings(expired, 'us-east-1', now)[1].message, /made for eu-west-1, but requests go to us-east-1/);
    assert.deepEqual(apiKeyWarnings(apiKeyInfo(LONG_TERM), 'us-east-1', now), []);
  });

  it('the status bar: expired and wrong-region keys turn it red, an expiring one warns, a long-term key shows neither', async () => {
    const now = Date.now();
    const expired = statusView(await stateWith(await shortTermApiKey({ region: 'us-east-1', issuedAt: new Date(now - 13 * HOUR), accessKeyId: KEY_ID })), { now });
    assert.equal(expired.text, '$(warning) Bedrock: API key expired');
    assert.equal(expired.error, true);
    assert.match(expired.tooltip, /API key: short-term, for us-east-1, valid until .*\nThis short-term Bedrock API key expired 1 h ago/);
    assert.ok(!expired.tooltip.includes(KEY_ID), 'no part of the key, its access key id included');

    const wrongRegion = statusView(await stateWith(await shortTermApiKey({ region: 'eu-west-1', issuedAt: new Date(now) }), 'us-east-1'), { now });
    assert.equal(wrongRegion.text, '$(warning) Bedrock: API key for eu-west-1');
    assert.equal(wrongRegion.error, true);
    assert.match(wrongRegion.tooltip, /made for eu-west-1, but requests go to us-east-1/);

    const issued = now - 11.5 * HOUR;
    const expiring = statusView(await stateWith(await shortTermApiKey({ region: 'us-east-1', issuedAt: new Date(issued) })), { now });
    assert.match(expiring.text, /^\$\(warning\) Bedrock: API key expires in (29|30) min$/);
    assert.equal(expiring.error, false);
    assert.equal(expiring.refreshAt, Math.floor(issued / 1000) * 1000 + 12 * HOUR, 'updated again when it expires');

    const longTerm = statusView(await stateWith(LONG_TERM), { now });
    assert.equal(longTerm.text, 'Bedrock: API key');
    assert.match(longTerm.tooltip, /API key: long-term/);
    assert.ok(!/expire|made for/.test(longTerm.tooltip));
    assert.equal(longTerm.refreshAt, undefined);
  });

  describe('when Bedrock refuses the key', () => {
    let server: BedrockServer;
    before(async () => (server = await startBedrockServer({ strictAuth: true })));
    after(() => server.close());

    async function refusal(apiKey: string, region: string): Promise<string> {
      const client = createRuntimeClient({ auth: { kind: 'apiKey', apiKey }, region, endpoint: server.endpoint });
      try {
        await converse(client, model, [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], {}, new AbortController().signal, () => {});
      } catch (err) {
        const d = describeError(err, { modelId: model.id, region, auth: { kind: 'apiKey', apiKey } });
        assert.equal(d.kind, 'credentials');
        assert.equal(d.fix, 'setApiKey');
        assert.ok(!d.message.includes(apiKey) && !d.message.includes(KEY_ID));
        return d.message;
      } finally {
        client.destroy();
      }
      assert.fail('the server accepted an unknown key');
    }

    it('the error says the short-term key expired, or is for another region; a long-term key gets the general advice', async () => {
      const now = Date.now();
      assert.match(await refusal(await shortTermApiKey({ region: 'us-east-1', issuedAt: new Date(now - 13 * HOUR), accessKeyId: KEY_ID }), 'us-east-1'), /^Bedrock rejected your API key\. This short-term Bedrock API key expired 1 h ago/);
      assert.match(await refusal(await shortTermApiKey({ region: 'eu-central-1', issuedAt: new Date(now), accessKeyId: KEY_ID }), 'us-east-1'), /made for eu-central-1, but requests go to us-east-1/);
      assert.match(await refusal(LONG_TERM, 'us-east-1'), /invalid or expired \(or, for a short-term key, made for a region other than us-east-1\)/);
    });
  });
});
