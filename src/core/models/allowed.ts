import picomatch from 'picomatch';
import { Policy, POLICY_IDS } from '../config/policy';
import { baseModelId } from './geography';

/**
 * `bedrockChat.allowedModels` (administrator policy, managed file only): glob
 * patterns over model ids, matched case-insensitively against the id sent and
 * the same id without its geography prefix (`us.anthropic.claude-…` also
 * matches `anthropic.claude-*`). Names are not matched: a custom model's name
 * is the user's to choose. `*` crosses the `/` of ARNs, as in models.hidden.
 */
let compiled: { key: string; match: (s: string) => boolean } | undefined;

function matcher(patterns: readonly string[]): (s: string) => boolean {
  const key = JSON.stringify(patterns);
  if (compiled?.key !== key) compiled = { key, match: patterns.length ? picomatch([...patterns], { nocase: true, bash: true, dot: true }) : () => false };
  return compiled.match;
}

export function modelAllowed(policy: Policy | undefined, modelId: string): boolean {
  if (!policy?.allowedModels) return true;
  const match = matcher(policy.allowedModels);
  return match(modelId) || match(baseModelId(modelId));
}

/** The models the policy allows (all of them without one). */
export function allowedModels<T extends { id: string }>(models: T[], policy: Policy | undefined): T[] {
  return policy?.allowedModels ? models.filter((m) => modelAllowed(policy, m.id)) : models;
}

/** Why a request to `modelId` is refused, or undefined when the policy allows it. */
export function modelRefusal(policy: Policy | undefined, modelId: string): string | undefined {
  if (!policy || modelAllowed(policy, modelId)) return undefined;
  const allowed = policy.allowedModels!.length ? policy.allowedModels!.join(', ') : 'none';
  return `Your organisation's policy (${POLICY_IDS.allowedModels} in ${policy.path}) does not allow the model ${modelId}. Allowed models: ${allowed}. Pick another Amazon Bedrock model.`;
}
