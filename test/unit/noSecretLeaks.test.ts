/**
 * A canary secret goes through the whole request path (resolution, client,
 * wire, error mapping, log lines) and must never come out anywhere visible.
 */
import * as assert from 'node:assert/strict';
import { StoredSecrets } from '../../src/core/auth/types';
import { createRuntimeClient } from '../../src/core/bedrock/client';
import { converse } from '../../src/core/bedrock/converse';
import { describeError } from '../../src/core/bedrock/errors';
import { knownSecrets, Redactor } from '../../src/core/auth/redact';
import { requestLog } from '../../src/core/bedrock/requestLog';
import { resolveState } from '../../src/core/state';
import { httpError, startBedrockServer, type BedrockServer } from '../support';

const CANARY_KEY = 'ABSKY2FuYXJ5LWFwaS1rZXktZG8tbm90LWxlYWs9PQ==';
const CANARY_SECRET = 'canary/secret/access/key/do+not+leak00000';
const CANARY_SESSION = 'canary-session-token-do-not-leak-0123456789';
const none = { path: '/nonexistent', present: false, values: {}, unknownKeys: [] };

describe('no secret leaks', function () {
  let server: BedrockServer;
  before(async () => (server = await startBedrockServer()));
  after(() => server.close());
  beforeEach(() => server.reset());

  async function failingRequestLines(secrets: StoredSecrets, env: Record<string, string> = {}): Promise<string[]> {
    const envBefore = JSON.stringify(process.env);
    const state = await resolveState({ layers: {}, managed: none, secrets, env, profileRegion: async () => undefined });
    assert.ok(state.auth.ok);
    const redactor = new Redactor();
    redactor.setSecrets(knownSecrets(secrets, env));
    // The server echoes the credentials it received back in its error message.
    server.onConverseStream = (req) =>
      httpError(400, 'ValidationException', `Bad request: authorization=${req.headers.authorization} token=${req.headers['x-amz-security-token'] ?? ''}`);
    const model = state.models[0];
    const client = createRuntimeClient({ auth: state.auth.ok ? state.auth.auth : ({} as never), region: state.region.region, endpoint: server.endpoint });
    const lines: string[] = [requestLog.start(model, state.region.region, state.auth.auth, 1, 10, 0)];
    let thrown: unknown;
    try {
      await converse(client, model, [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], {}, new AbortController().signal, () => {});
    } catch (err) {
      thrown = err;
    } finally {
      client.destroy();
    }
    assert.ok(thrown, 'the request must fail');
    const described = describeError(thrown, { modelId: model.id, region: state.region.region, auth: state.auth.auth, redact: (s) => redactor.redact(s) });
    lines.push(described.message, requestLog.failed(model, described, thrown, (s) => redactor.redact(s)));
    assert.equal(JSON.stringify(process.env), envBefore, 'process.env is never modified');
    // Exactly what the product produced: the user's error and the log lines, not re-redacted here.
    return lines;
  }

  function assertClean(lines: string[]) {
    const all = lines.join('\n');
    for (const canary of [CANARY_KEY, CANARY_SECRET, CANARY_SESSION]) assert.ok(!all.includes(canary), `leaked ${canary.slice(0, 12)}… in:\n${all}`);
    assert.match(all, /REDACTED/, 'the echoed secret was there and got redacted');
    assert.match(all.split('\n')[1], /REDACTED/, 'the message shown to the user was redacted by the product');
  }

  it('a stored API key never reaches the log or the error message', async () => {
    assertClean(await failingRequestLines({ apiKey: CANARY_KEY }));
  });

  it('stored IAM credentials never reach the log or the error message', async () => {
    server.addCredentials('AKIACANARY0000000001', CANARY_SECRET, CANARY_SESSION);
    assertClean(await failingRequestLines({ iamCredentials: { accessKeyId: 'AKIACANARY0000000001', secretAccessKey: CANARY_SECRET, sessionToken: CANARY_SESSION } }));
  });

  it('secrets from the environment never reach the log or the error message', async () => {
    assertClean(await failingRequestLines({}, { AWS_BEARER_TOKEN_BEDROCK: CANARY_KEY }));
  });
});
