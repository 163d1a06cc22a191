import type { GuardrailAssessment, GuardrailTraceAssessment } from '@aws-sdk/client-bedrock-runtime';

/**
 * What a guardrail trace says blocked or masked something, in words a user
 * can act on: `denied topic "Investment advice" (input)`,
 * `content filter VIOLENCE (output)`. Matched sensitive values are never
 * repeated, only their type. Undefined when the trace names nothing.
 */
export function guardrailSummary(trace: GuardrailTraceAssessment | undefined): string | undefined {
  if (!trace) return undefined;
  const found = new Set<string>();
  const scan = (a: GuardrailAssessment | undefined, where: string) => {
    if (!a) return;
    const add = (what: string, action: string | undefined, detected: boolean | undefined) => {
      if (detected === false || !action || action === 'NONE') return;
      found.add(`${what}${action === 'ANONYMIZED' ? ' masked' : ''} (${where})`);
    };
    for (const t of a.topicPolicy?.topics ?? []) add(`denied topic "${t.name}"`, t.action, t.detected);
    for (const f of a.contentPolicy?.filters ?? []) add(`content filter ${f.type}`, f.action, f.detected);
    for (const w of a.wordPolicy?.customWords ?? []) add(`blocked word "${w.match}"`, w.action, w.detected);
    for (const w of a.wordPolicy?.managedWordLists ?? []) add(`managed word list ${w.type}`, w.action, w.detected);
    for (const p of a.sensitiveInformationPolicy?.piiEntities ?? []) add(`sensitive information ${p.type}`, p.action, p.detected);
    for (const r of a.sensitiveInformationPolicy?.regexes ?? []) add(`sensitive information pattern ${r.name ?? ''}`.trim(), r.action, r.detected);
    for (const g of a.contextualGroundingPolicy?.filters ?? []) add(`contextual grounding ${g.type}`, g.action, g.detected);
    if (a.automatedReasoningPolicy?.findings?.length) found.add(`automated reasoning check (${where})`);
  };
  for (const a of Object.values(trace.inputAssessment ?? {})) scan(a, 'input');
  for (const list of Object.values(trace.outputAssessments ?? {})) for (const a of list ?? []) scan(a, 'output');
  return found.size ? [...found].join(', ') : undefined;
}
