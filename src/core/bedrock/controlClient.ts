import {
  BedrockClient,
  GetInferenceProfileCommand,
  type InferenceProfileSummary,
  ListFoundationModelsCommand,
  paginateListInferenceProfiles,
  type InferenceProfileType,
} from '@aws-sdk/client-bedrock';
import { clientAuthConfig } from '../auth/clientAuth';
import { DiscoveredFoundationModel, DiscoveredProfile, Discovery, parseModelArn } from '../models/discovered';
import { createHttpHandler } from './client';
import { describeDiscoveryFailure, DiscoveryOutcome, DiscoveryTarget } from './discovery';

/**
 * The network half of model discovery (the cache is discovery.ts): the Bedrock
 * control-plane client, and one run of ListFoundationModels, every page of
 * ListInferenceProfiles and the declared application profiles' look-ups. It
 * loads the AWS SDK, so it lives in the lazily loaded bundle (sdk.ts).
 */

/** Seconds without data before a control-plane call is abandoned: a list never takes long. */
const SOCKET_TIMEOUT_SECONDS = 30;

export function createControlClient(target: DiscoveryTarget): BedrockClient {
  const requestHandler = createHttpHandler(SOCKET_TIMEOUT_SECONDS, target.network);
  return new BedrockClient({
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    requestHandler,
    // One retry: a list that fails twice will not be needed before the next look.
    maxAttempts: 2,
    ...clientAuthConfig(target.auth, { requestHandler, ...target.credentialClientConfig }),
  });
}

function toProfile(p: InferenceProfileSummary): DiscoveredProfile {
  const targets = (p.models ?? []).map((m) => parseModelArn(m.modelArn ?? ''));
  return {
    id: p.inferenceProfileId ?? '',
    arn: p.inferenceProfileArn ?? '',
    name: p.inferenceProfileName ?? p.inferenceProfileId ?? '',
    type: p.type ?? 'SYSTEM_DEFINED',
    status: p.status,
    modelIds: [...new Set(targets.map((t) => t.modelId).filter(Boolean))],
    regions: [...new Set(targets.map((t) => t.region).filter((r): r is string => !!r))],
  };
}

async function listProfiles(client: BedrockClient, type: InferenceProfileType, signal?: AbortSignal): Promise<DiscoveredProfile[]> {
  const out: DiscoveredProfile[] = [];
  for await (const page of paginateListInferenceProfiles({ client, pageSize: 1000 }, { typeEquals: type }, ...(signal ? [{ abortSignal: signal }] : []))) {
    out.push(...(page.inferenceProfileSummaries ?? []).map(toProfile));
  }
  return out;
}

/** One discovery run with `client` (the caller owns the client). */
export async function discover(client: BedrockClient, target: DiscoveryTarget, signal?: AbortSignal): Promise<Omit<DiscoveryOutcome, 'at'>> {
  const options = signal ? { abortSignal: signal } : undefined;
  const [models, system, applications] = await Promise.allSettled([
    client.send(new ListFoundationModelsCommand({}), options),
    listProfiles(client, 'SYSTEM_DEFINED', signal),
    listProfiles(client, 'APPLICATION', signal),
  ]);
  const notes: string[] = [];
  let discovery: Discovery | undefined;
  let failure: DiscoveryOutcome['failure'];
  if (models.status === 'rejected') {
    failure = describeDiscoveryFailure(models.reason, target);
  } else {
    const foundationModels: DiscoveredFoundationModel[] = (models.value.modelSummaries ?? []).map((m) => ({
      modelId: m.modelId ?? '',
      name: m.modelName,
      provider: m.providerName,
      inputModalities: m.inputModalities ?? [],
      outputModalities: m.outputModalities ?? [],
      streaming: m.responseStreamingSupported === true,
      inferenceTypes: m.inferenceTypesSupported ?? [],
      status: m.modelLifecycle?.status,
    }));
    let profiles: DiscoveredProfile[] | undefined;
    if (system.status === 'fulfilled') profiles = system.value;
    else notes.push(`inference profiles could not be listed (${describeDiscoveryFailure(system.reason, target).message}); profile ids come from the region`);
    if (applications.status === 'fulfilled') profiles = [...(profiles ?? []), ...applications.value];
    else notes.push(`application inference profiles could not be listed (${describeDiscoveryFailure(applications.reason, target).message})`);
    discovery = { foundationModels, ...(profiles ? { profiles } : {}) };
  }

  // Declared application profiles the list did not return (or could not): one look-up each, never fatal.
  const listed = new Set([...(applications.status === 'fulfilled' ? applications.value : []).flatMap((p) => [p.arn, p.id])]);
  const missing = failure?.kind === 'unreachable' || failure?.kind === 'notControlPlane' ? [] : (target.profileArns ?? []).filter((arn) => !listed.has(arn));
  const lookups = await Promise.allSettled(missing.map((arn) => client.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: arn }), options)));
  const lookedUp: DiscoveredProfile[] = [];
  lookups.forEach((r, i) => {
    if (r.status === 'fulfilled') lookedUp.push(toProfile(r.value as InferenceProfileSummary));
    else notes.push(`${missing[i]} could not be looked up (${describeDiscoveryFailure(r.reason, target).message}); it keeps the capabilities declared in bedrockChat.models.custom`);
  });
  return { ...(discovery ? { discovery } : {}), ...(failure ? { failure } : {}), lookedUp, notes };
}

/** One discovery run with a client of its own, destroyed when the run ends. */
export async function runDiscovery(target: DiscoveryTarget, createClient: (target: DiscoveryTarget) => BedrockClient = createControlClient): Promise<Omit<DiscoveryOutcome, 'at'>> {
  const client = createClient(target);
  try {
    return await discover(client, target);
  } finally {
    client.destroy();
  }
}
