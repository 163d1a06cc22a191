/**
 * Live model discovery through the real AWS SDK Bedrock client against the
 * local Bedrock-compatible server: what is offered, which id is sent and why,
 * failures and fallbacks, caching and de-duplication.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { BedrockAuth } from '../../src/core/auth/types';
import { ClientCache } from '../../src/core/bedrock/client';
import { DiscoveryOutcome, DiscoveryTarget, ModelDiscovery } from '../../src/core/bedrock/discovery';
import { sendChat } from '../../src/core/bedrock/send';
import { listModels } from '../../src/core/models/chatModel';
import { Offer, offeredModels, OfferInput, UNKNOWN_MODEL_LIMITS } from '../../src/core/models/discovered';
import {
  applicationProfile,
  foundationModelSummary as fm,
  startBedrockServer,
  systemProfile,
  textEvents,
  type BedrockServer,
  type RecordedRequest,
} from '../support';

const API_KEY = 'ABSKZGlzY292ZXJ5LXRlc3Qta2V5LTAwMDAwMDAw';
const AUTH: BedrockAuth = { kind: 'apiKey', apiKey: API_KEY };
const US = ['us-east-1', 'us-east-2', 'us-west-2'];
const WORLD = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1', 'sa-east-1'];
const SONNET = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const OPUS = 'anthropic.claude-opus-4-5-20251101-v1:0';
const MICRO = 'amazon.nova-micro-v1:0';
const GPT_OSS = 'openai.gpt-oss-120b-1:0';
const UNKNOWN = 'acme.lumen-2-v1:0';
const TEAM_ARN = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/team-sonnet';

/** What Bedrock answers in us-east-1, as far as these tests need it. */
function usEast1() {
  return {
    foundationModels: [
      fm(SONNET, { name: 'Claude Sonnet 4.5', provider: 'Anthropic', inferenceTypes: ['INFERENCE_PROFILE'], input: ['TEXT', 'IMAGE'] }),
      fm(OPUS, { name: 'Claude Opus 4.5', provider: 'Anthropic', inferenceTypes: ['INFERENCE_PROFILE'] }),
      fm(MICRO, { name: 'Nova Micro', provider: 'Amazon', inferenceTypes: ['ON_DEMAND', 'INFERENCE_PROFILE'] }),
      fm(GPT_OSS, { name: 'gpt-oss-120b', provider: 'OpenAI' }),
      // New this month: listed with INFERENCE_PROFILE only, and no catalogue entry knows it.
      fm(UNKNOWN, { name: 'Lumen 2', provider: 'Acme', inferenceTypes: ['INFERENCE_PROFILE'], input: ['TEXT', 'IMAGE'] }),
      fm('amazon.titan-embed-text-v2:0', { output: ['EMBEDDING'] }),
      fm('stability.sd3-5-large-v1:0', { output: ['IMAGE'] }),
      fm('anthropic.claude-v2:1', { status: 'LEGACY' }),
      fm('acme.batch-only-v1:0', { streaming: false }),
      fm('acme.provisioned-only-v1:0', { inferenceTypes: ['PROVISIONED'] }),
    ],
    inferenceProfiles: [
      systemProfile(`us.${SONNET}`, US),
      systemProfile(`global.${SONNET}`, WORLD),
      // Opus is reachable from here only through global.
      systemProfile(`global.${OPUS}`, WORLD),
      systemProfile(`us.${MICRO}`, US),
      systemProfile(`us.${UNKNOWN}`, US),
      applicationProfile('team-sonnet', 'Team Sonnet', SONNET, US),
    ],
  };
}

describe('model discovery', function () {
  let server: BedrockServer;

  before(async () => {
    server = await startBedrockServer({ strictAuth: true });
    server.addBearerToken(API_KEY);
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    Object.assign(server, usEast1(), { inferenceProfilePageSize: 1000 });
  });

  const target = (over: Partial<DiscoveryTarget> = {}): DiscoveryTarget => ({ auth: AUTH, region: 'us-east-1', endpoint: server.endpoint, ...over });
  const controlRequests = (): RecordedRequest[] => server.requests.filter((r) => r.operation.startsWith('list-') || r.operation.startsWith('get-'));
  const count = (op: string, type?: string) => server.requests.filter((r) => r.operation === op && (type === undefined || r.query.type === type)).length;

  async function discoverOnce(over: Partial<DiscoveryTarget> = {}): Promise<DiscoveryOutcome> {
    return new ModelDiscovery().get(target(over));
  }

  async function offer(over: Partial<OfferInput> = {}, targetOver: Partial<DiscoveryTarget> = {}): Promise<Offer> {
    const outcome = await discoverOnce(targetOver);
    return offeredModels({ region: targetOver.region ?? 'us-east-1', discovery: outcome.discovery, lookedUp: outcome.lookedUp, ...over });
  }

  const byId = (o: Offer, id: string) => o.models.find((m) => m.id === id);

  describe('what is offered', () => {
    it('reads every page of system-defined and application profiles, with the same credentials as chat requests', async () => {
      server.inferenceProfilePageSize = 2;
      const outcome = await discoverOnce();
      assert.equal(outcome.failure, undefined);
      assert.deepEqual(outcome.discovery!.profiles!.map((p) => p.id).sort(), server.inferenceProfiles.map((p) => p.inferenceProfileId).sort());
      assert.equal(count('list-inference-profiles', 'SYSTEM_DEFINED'), 3, 'five system profiles in pages of two');
      assert.equal(count('list-inference-profiles', 'APPLICATION'), 1);
      assert.ok(controlRequests().every((r) => r.auth.kind === 'bearer' && r.status === 200));
    });

    it('signs with SigV4 for IAM credentials (the server checks the signature)', async () => {
      server.addCredentials('AKIADISCOVERY0000001', 'discovery-secret');
      const outcome = await discoverOnce({ auth: { kind: 'iamCredentials', accessKeyId: 'AKIADISCOVERY0000001', secretAccessKey: 'discovery-secret' } });
      assert.equal(outcome.failure, undefined);
      assert.ok(controlRequests().every((r) => r.auth.kind === 'sigv4' && r.auth.valid));
    });

    it('offers active, streaming, text models callable on demand or through a profile, and nothing else', async () => {
      const o = await offer();
      assert.equal(o.source, 'discovery');
      assert.deepEqual(o.models.map((m) => m.id).sort(), [TEAM_ARN, `us.${SONNET}`, `us.${MICRO}`, GPT_OSS, `us.${UNKNOWN}`].sort());
    });

    it('an INFERENCE_PROFILE-only model is offered through its geographic profile, and the tooltip says why', async () => {
      const sonnet = byId(await offer(), `us.${SONNET}`)!;
      assert.equal(sonnet.name, 'Claude Sonnet 4.5');
      assert.match(sonnet.idNote!, /^Sends us\.anthropic\.claude-sonnet-4-5-20250929-v1:0, the us\. geographic inference profile \(routes to us-east-1, us-east-2, us-west-2\): Claude Sonnet 4\.5 needs an inference profile in us-east-1\.$/);
      assert.equal(sonnet.detail, 'Bedrock · Anthropic');
    });

    it('limits, tools, images and documents of known models come from the catalogue', async () => {
      const o = await offer();
      const catalogue = listModels('us-east-1');
      for (const id of [`us.${SONNET}`, `us.${MICRO}`, GPT_OSS]) {
        const { idNote: _a, ...got } = byId(o, id)!;
        const { idNote: _b, ...want } = catalogue.find((m) => m.id === id)!;
        assert.deepEqual(got, want, id);
      }
      assert.match(byId(o, GPT_OSS)!.idNote!, /^Sends openai\.gpt-oss-120b-1:0 on demand/);
      assert.match(byId(o, `us.${MICRO}`)!.idNote!, /chosen over on-demand for more capacity at the same price/);
    });

    it('a model the catalogue does not know appears with conservative limits, and its tooltip says so', async () => {
      const lumen = byId(await offer(), `us.${UNKNOWN}`)!;
      assert.equal(lumen.name, 'Lumen 2');
      assert.equal(lumen.provider, 'Acme');
      assert.equal(lumen.detail, 'Bedrock · Acme');
      assert.deepEqual([lumen.contextWindow, lumen.maxOutputTokens], [UNKNOWN_MODEL_LIMITS.contextWindow, UNKNOWN_MODEL_LIMITS.maxOutputTokens]);
      assert.deepEqual([lumen.toolCalling, lumen.documentInput, lumen.toolChoiceAny, lumen.cachePoints, lumen.reasoning], [false, false, false, false, false]);
      assert.equal(lumen.imageInput, true, 'the control plane says it takes images');
      assert.ok(lumen.maxInputTokens > 0 && lumen.maxInputTokens < UNKNOWN_MODEL_LIMITS.contextWindow);
      assert.match(lumen.idNote!, /Not in Bedrock Chat's catalogue, so it gets conservative limits \(32,000-token context, 4,096 output, no tools or documents\); declare it in bedrockChat\.models\.custom/);
    });

    it('a custom declaration of a discovered model wins over the conservative limits', async () => {
      const o = await offer({ custom: [{ id: `us.${UNKNOWN}`, name: 'Lumen 2 (tools)', contextWindow: 256_000, toolCalling: true }] });
      const lumen = o.models.filter((m) => m.id === `us.${UNKNOWN}`);
      assert.equal(lumen.length, 1);
      assert.deepEqual([lumen[0].name, lumen[0].contextWindow, lumen[0].toolCalling], ['Lumen 2 (tools)', 256_000, true]);
    });

    it('a request to a discovered model goes to the id the control plane gave', async () => {
      const lumen = byId(await offer(), `us.${UNKNOWN}`)!;
      server.onConverseStream = () => textEvents('from Lumen');
      const clients = new ClientCache();
      let text = '';
      try {
        await sendChat(clients, { auth: AUTH, region: 'us-east-1', endpoint: server.endpoint }, { model: lumen, messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], options: {} }, new AbortController().signal, {
          onEvent: (e) => e.type === 'text' && (text += e.text),
        });
      } finally {
        clients.dispose();
      }
      assert.equal(text, 'from Lumen');
      const req = server.requests.find((r) => r.operation === 'converse-stream')!;
      assert.equal(req.modelId, `us.${UNKNOWN}`);
      assert.equal(req.body.toolConfig, undefined);
      assert.equal(req.body.inferenceConfig.maxTokens, UNKNOWN_MODEL_LIMITS.maxOutputTokens);
    });

    it('nothing usable in the answer: the catalogue, with the reason', async () => {
      server.foundationModels = [fm('amazon.titan-embed-text-v2:0', { output: ['EMBEDDING'] })];
      server.inferenceProfiles = [];
      const o = await offer();
      assert.equal(o.source, 'catalogue');
      assert.match(o.fallbackReason!, /listed no model/);
      assert.deepEqual(o.models.map((m) => m.id), listModels('us-east-1').map((m) => m.id));
    });
  });

  describe('inference profiles', () => {
    it('global. only with the "global" setting; a model reachable only through global. is left out and named', async () => {
      const geographic = await offer();
      assert.ok(!geographic.models.some((m) => m.id.startsWith('global.')));
      assert.deepEqual(geographic.globalOnly, ['Claude Opus 4.5']);
      const global = await offer({ inferenceProfile: 'global' });
      assert.ok(byId(global, `global.${SONNET}`), 'global wins where the model has one');
      assert.ok(byId(global, `global.${OPUS}`));
      assert.match(byId(global, `global.${OPUS}`)!.idNote!, /the global inference profile, because bedrockChat\.models\.inferenceProfile is "global"/);
      assert.ok(byId(global, `us.${MICRO}`), 'no global profile: still geographic');
      assert.deepEqual(global.globalOnly, []);
    });

    it('takes the prefixes from ListInferenceProfiles, the most local first, not from a table', async () => {
      Object.assign(server, {
        foundationModels: [fm(SONNET, { inferenceTypes: ['INFERENCE_PROFILE'], region: 'ap-southeast-2' }), fm(MICRO, { inferenceTypes: ['INFERENCE_PROFILE'], region: 'ap-southeast-2' })],
        inferenceProfiles: [
          systemProfile(`apac.${SONNET}`, ['ap-southeast-2', 'ap-northeast-1', 'ap-south-1', 'ap-southeast-1']),
          systemProfile(`au.${SONNET}`, ['ap-southeast-2', 'ap-southeast-4']),
          // A prefix no table here knows.
          systemProfile(`oc.${MICRO}`, ['ap-southeast-2', 'ap-southeast-4']),
        ],
      });
      const o = await offer({}, { region: 'ap-southeast-2' });
      assert.deepEqual(o.models.map((m) => m.id).sort(), [`au.${SONNET}`, `oc.${MICRO}`]);
    });

    it('per region: the geographic profile Bedrock lists there', async () => {
      Object.assign(server, {
        foundationModels: [fm(SONNET, { inferenceTypes: ['INFERENCE_PROFILE'], region: 'eu-central-1' })],
        inferenceProfiles: [systemProfile(`eu.${SONNET}`, ['eu-central-1', 'eu-west-1', 'eu-west-3']), systemProfile(`global.${SONNET}`, WORLD)],
      });
      assert.deepEqual((await offer({}, { region: 'eu-central-1' })).models.map((m) => m.id), [`eu.${SONNET}`]);
      Object.assign(server, {
        foundationModels: [fm(SONNET, { inferenceTypes: ['INFERENCE_PROFILE'], region: 'us-gov-west-1' })],
        inferenceProfiles: [systemProfile(`us-gov.${SONNET}`, ['us-gov-west-1', 'us-gov-east-1'])],
      });
      assert.deepEqual((await offer({ inferenceProfile: 'global' }, { region: 'us-gov-west-1' })).models.map((m) => m.id), [`us-gov.${SONNET}`]);
    });

    it('profiles that cannot be listed: the prefix comes from the region, and the list still stands', async () => {
      server.override = (r) =>
        r.operation === 'list-inference-profiles' ? { httpError: { status: 403, type: 'AccessDeniedException', message: 'not authorized to perform: bedrock:ListInferenceProfiles' } } : undefined;
      const outcome = await discoverOnce();
      assert.equal(outcome.failure, undefined);
      assert.match(outcome.notes.join('\n'), /inference profiles could not be listed/);
      const o = offeredModels({ region: 'us-east-1', discovery: outcome.discovery });
      assert.ok(byId(o, `us.${SONNET}`));
      assert.match(byId(o, `us.${SONNET}`)!.idNote!, /the prefix comes from the region/);
      assert.ok(byId(o, GPT_OSS));
    });

    it('application profiles keep the capabilities of the model they wrap', async () => {
      const team = byId(await offer(), TEAM_ARN)!;
      const sonnet = listModels('us-east-1').find((m) => m.id === `us.${SONNET}`)!;
      assert.equal(team.name, 'Team Sonnet');
      assert.deepEqual([team.contextWindow, team.maxOutputTokens, team.toolCalling, team.imageInput, team.family], [sonnet.contextWindow, sonnet.maxOutputTokens, true, true, sonnet.family]);
      assert.match(team.idNote!, /your application inference profile "Team Sonnet", for Claude Sonnet 4\.5/);
      assert.equal(team.detail, 'Bedrock · application profile');
    });

    it('a declared application profile ARN the list lacks is looked up (GetInferenceProfile) and keeps its model\'s capabilities', async () => {
      server.inferenceProfiles = server.inferenceProfiles.filter((p) => p.type !== 'APPLICATION');
      const hidden = applicationProfile('other-team', 'Other', SONNET, US);
      const o = await offer({ custom: [{ id: hidden.inferenceProfileArn }] }, { profileArns: [hidden.inferenceProfileArn] });
      // Not found on the server: the look-up fails and the custom model keeps the defaults.
      assert.equal(o.models[0].toolCalling, true);
      assert.equal(o.models[0].contextWindow, 128_000);
      // Listing application profiles denied, looking one up allowed.
      server.reset();
      server.inferenceProfiles.push(hidden);
      server.override = (r) =>
        r.operation === 'list-inference-profiles' && r.query.type === 'APPLICATION' ? { httpError: { status: 403, type: 'AccessDeniedException', message: 'not authorized to perform: bedrock:ListInferenceProfiles' } } : undefined;
      const outcome = await new ModelDiscovery().get(target({ profileArns: [hidden.inferenceProfileArn] }));
      assert.deepEqual(outcome.lookedUp.map((p) => p.arn), [hidden.inferenceProfileArn]);
      assert.equal(server.requests.filter((r) => r.operation === 'get-inference-profile').length, 1);
      const [custom] = offeredModels({ region: 'us-east-1', custom: [{ id: hidden.inferenceProfileArn }], discovery: outcome.discovery, lookedUp: outcome.lookedUp }).models;
      assert.deepEqual([custom.contextWindow, custom.maxOutputTokens, custom.family], [200_000, 64_000, 'claude-sonnet-4.5']);
      assert.match(custom.idNote!, /an application inference profile for Claude Sonnet 4\.5/);
    });

    it('GetInferenceProfile denied does not stall or fail the list', async () => {
      const arn = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/secret-team';
      server.override = (r) => (r.operation === 'get-inference-profile' ? { httpError: { status: 403, type: 'AccessDeniedException', message: 'not authorized to perform: bedrock:GetInferenceProfile' } } : undefined);
      const outcome = await discoverOnce({ profileArns: [arn] });
      assert.equal(outcome.failure, undefined);
      assert.match(outcome.notes.join('\n'), /secret-team could not be looked up \(your identity may not list models/);
      const o = offeredModels({ region: 'us-east-1', custom: [{ id: arn, name: 'Secret' }], discovery: outcome.discovery, lookedUp: outcome.lookedUp });
      assert.equal(o.source, 'discovery');
      assert.equal(o.models[0].name, 'Secret');
      assert.ok(byId(o, `us.${SONNET}`));
    });
  });

  describe('hidden models', () => {
    it('glob patterns hide by id, name and ARN, case-insensitively; custom models stay', async () => {
      const o = async (hidden: string[], custom?: OfferInput['custom']) => (await offer({ hidden, custom })).models.map((m) => m.id).sort();
      assert.deepEqual(await o(['*gpt-oss*']), [TEAM_ARN, `us.${SONNET}`, `us.${MICRO}`, `us.${UNKNOWN}`].sort(), 'by id');
      assert.deepEqual(await o(['claude sonnet*', 'LUMEN*']), [TEAM_ARN, `us.${MICRO}`, GPT_OSS].sort(), 'by name, any case');
      assert.deepEqual(await o(['arn:*']), [`us.${SONNET}`, `us.${MICRO}`, GPT_OSS, `us.${UNKNOWN}`].sort(), '* crosses the / of an ARN');
      assert.deepEqual(await o(['amazon.*']), [TEAM_ARN, `us.${SONNET}`, GPT_OSS, `us.${UNKNOWN}`].sort(), 'by base model id behind a profile id');
      assert.deepEqual(await o(['*'], [{ id: 'my.custom-model' }]), ['my.custom-model'], 'custom models are never hidden');
      assert.deepEqual(listModels('us-east-1', [], { hidden: ['*claude*'] }).filter((m) => /claude/i.test(m.name)), [], 'the catalogue fallback hides too');
    });
  });

  describe('failures and fallbacks', () => {
    async function failure(over: Partial<DiscoveryTarget> = {}) {
      const outcome = await discoverOnce(over);
      assert.equal(outcome.discovery, undefined);
      const o = offeredModels({ region: 'us-east-1', custom: [{ id: 'my.own-model' }], discovery: outcome.discovery, lookedUp: outcome.lookedUp });
      assert.equal(o.source, 'catalogue');
      assert.deepEqual(o.models.map((m) => m.id), listModels('us-east-1', [{ id: 'my.own-model' }]).map((m) => m.id), 'the catalogue plus the user\'s own models');
      return outcome.failure!;
    }

    it('no control-plane permission (403 AccessDeniedException on ListFoundationModels)', async () => {
      server.override = (r) =>
        r.operation === 'list-foundation-models'
          ? { httpError: { status: 403, type: 'AccessDeniedException', message: 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: bedrock:ListFoundationModels' } }
          : undefined;
      const f = await failure();
      assert.equal(f.kind, 'denied');
      assert.match(f.message, /allow bedrock:ListFoundationModels and bedrock:ListInferenceProfiles/);
    });

    it('refused credentials', async () => {
      const f = await failure({ auth: { kind: 'apiKey', apiKey: 'ABSKbm90LWEta25vd24ta2V5LTAwMDAwMDAwMDA=' } });
      assert.equal(f.kind, 'denied', 'Bedrock answers an unknown API key with AccessDeniedException');
      server.reset();
      const g = await failure({ auth: { kind: 'iamCredentials', accessKeyId: 'AKIAUNKNOWN000000001', secretAccessKey: 'x' } });
      assert.equal(g.kind, 'credentials');
    });

    it('a gateway that proxies only the runtime (404 with an HTML page)', async () => {
      server.override = (r) =>
        r.operation.startsWith('list-') || r.operation.startsWith('get-') ? { raw: { status: 404, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>404 Not Found</h1></body></html>' } } : undefined;
      const f = await failure();
      assert.equal(f.kind, 'notControlPlane');
      assert.match(f.message, /does not answer as Bedrock's control plane \(HTTP 404, text\/html\)/);
    });

    it('offline (connection refused)', async () => {
      const port = await new Promise<number>((resolve) => {
        const s = net.createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as net.AddressInfo).port;
          s.close(() => resolve(p));
        });
      });
      const f = await failure({ endpoint: `http://127.0.0.1:${port}` });
      assert.equal(f.kind, 'unreachable');
      assert.match(f.message, new RegExp(`cannot reach http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
    });
  });

  describe('cache', () => {
    it('two concurrent calls share one run: one request of each list', async () => {
      const discovery = new ModelDiscovery();
      const [a, b] = await Promise.all([discovery.get(target()), discovery.get(target())]);
      assert.equal(a, b);
      assert.equal(count('list-foundation-models'), 1);
      assert.equal(count('list-inference-profiles', 'SYSTEM_DEFINED'), 1);
      assert.equal(count('list-inference-profiles', 'APPLICATION'), 1);
      await discovery.get(target());
      assert.equal(count('list-foundation-models'), 1, 'answered from the cache');
    });

    it('a result counts until its TTL, a failure until the shorter failure TTL; peek keeps the last result', async () => {
      let now = 1_000;
      const discovery = new ModelDiscovery({ ttlMs: 60_000, failureTtlMs: 10_000, now: () => now });
      await discovery.get(target());
      now += 59_999;
      assert.ok(discovery.isFresh(target()));
      await discovery.get(target());
      assert.equal(count('list-foundation-models'), 1);
      now += 1;
      assert.ok(!discovery.isFresh(target()));
      assert.ok(discovery.peek(target())?.discovery, 'an expired result is still there to answer from');
      server.override = (r) => (r.operation === 'list-foundation-models' ? { httpError: { status: 403, type: 'AccessDeniedException', message: 'not authorized' } } : undefined);
      const failed = await discovery.get(target());
      assert.equal(count('list-foundation-models'), 2);
      assert.equal(failed.failure?.kind, 'denied');
      now += 9_999;
      await discovery.get(target());
      assert.equal(count('list-foundation-models'), 2);
      now += 1;
      server.override = undefined;
      assert.ok((await discovery.get(target())).discovery);
      assert.equal(count('list-foundation-models'), 3);
    });

    it('is kept per credential identity, region and endpoint; invalidate asks again', async () => {
      const discovery = new ModelDiscovery();
      await discovery.get(target());
      await discovery.get(target({ region: 'us-west-2' }));
      server.addBearerToken('ABSKc2Vjb25kLWtleS0wMDAwMDAwMDAwMDAwMDAw');
      await discovery.get(target({ auth: { kind: 'apiKey', apiKey: 'ABSKc2Vjb25kLWtleS0wMDAwMDAwMDAwMDAwMDAw' } }));
      await discovery.get(target({ runtimeEndpoint: 'https://gateway.example.com' }));
      assert.equal(count('list-foundation-models'), 4);
      await discovery.get(target({ region: 'us-west-2' }));
      assert.equal(count('list-foundation-models'), 4);
      discovery.invalidate();
      assert.ok(discovery.peek(target()), 'kept to answer from meanwhile');
      await discovery.get(target());
      assert.equal(count('list-foundation-models'), 5);
    });
  });
});
