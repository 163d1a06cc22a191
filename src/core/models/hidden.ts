import picomatch from 'picomatch';

/**
 * `bedrockChat.models.hidden`: glob patterns over model ids and names
 * (picomatch; case-insensitive; `*` also crosses the `/` of ARNs). A model is
 * hidden when any pattern matches its id, its name or its base model id.
 */
export interface Hideable {
  id: string;
  name: string;
  version: string;
}

let compiled: { key: string; match: (s: string) => boolean } | undefined;

function matcher(patterns: readonly string[]): (s: string) => boolean {
  const key = JSON.stringify(patterns);
  if (compiled?.key !== key) compiled = { key, match: picomatch([...patterns], { nocase: true, bash: true, dot: true }) };
  return compiled.match;
}

/** Whether the patterns hide this model. */
export function isHidden(model: Hideable, patterns: readonly string[] | undefined): boolean {
  if (!patterns?.length) return false;
  const match = matcher(patterns);
  return [model.id, model.name, model.version].some((s) => match(s));
}

/** The models the patterns leave visible. */
export function hideModels<T extends Hideable>(models: T[], patterns: readonly string[] | undefined): T[] {
  return patterns?.length ? models.filter((m) => !isHidden(m, patterns)) : models;
}
