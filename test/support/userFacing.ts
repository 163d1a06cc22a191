/**
 * What every error shown to a user must be: it says what to do next (a verb
 * that tells what to do, or a fix command behind a button), and it never
 * shows the SDK's internals (placeholder names such as "Unknown:", a
 * deserialisation dump, Node's error codes for programmers, a bare exception
 * class name with nothing around it). Used by the fault suite and the soak.
 */

export interface ShownError {
  kind?: string;
  message: string;
  fix?: string;
  terminalCommand?: string;
}

/** An imperative that tells the user what to do, at the start of a sentence or a clause. */
const NEXT_STEP =
  /(?:^|[.;:!?)]\s+|\b(?:then|or|and|please)\s+|\(\s*)(retry|run|pick|set|ask|check|wait|start|attach|sign in|use|fix|clear|create|put|send|raise|lower|choose|select|open|enter|refresh|remove|type|configure|submit|add|make|see)\b/i;

const RAW: [RegExp, string][] = [
  [/\bUnknown(Error)?\b/, 'the SDK\'s placeholder name "Unknown"'],
  [/Deserialization error|\$response|\{error\}/, "the SDK's deserialisation dump"],
  [/\[object Object\]|\bundefined\b/, 'an unprinted value'],
  [/\bERR_[A-Z_]+\b/, "a Node.js error code meant for programmers"],
  [/\b(SyntaxError|TypeError|RangeError|ReferenceError)\b/, 'a JavaScript error class'],
  [/(^|\s)Error:/, 'an "Error:" prefix from a stack trace'],
  [/@smithy|@aws-sdk|node_modules|\bat \S+ \([^)]*:\d+:\d+\)/, 'SDK internals or a stack frame'],
  [/[^.]\.\.(?!\.)/, 'a doubled full stop'],
];

/** Each way `e` falls short of what a user may be shown (empty: it is fine). */
export function userFacingProblems(e: ShownError): string[] {
  const out: string[] = [];
  const m = e.message ?? '';
  if (!m.trim()) return ['the message is empty'];
  for (const [re, what] of RAW) if (re.test(m)) out.push(`shows ${what}: ${m}`);
  // An exception class name may appear as a detail in parentheses, next to words that explain it.
  const outside = m.replace(/\([^()]*\)/g, '');
  const bare = /\b[A-Z][a-zA-Z]+(Exception|Error)\b/.exec(outside);
  if (bare) out.push(`shows the exception class ${bare[0]} outside an explanation: ${m}`);
  if (e.kind !== 'cancelled' && !e.fix && !e.terminalCommand && !NEXT_STEP.test(m)) out.push(`says nothing about what to do next: ${m}`);
  return out;
}

/** Throws with every problem at once, for tests. */
export function assertUserFacing(e: ShownError): void {
  const problems = userFacingProblems(e);
  if (problems.length) throw new Error(`Not fit to show a user (kind ${e.kind ?? '?'}, fix ${e.fix ?? 'none'}):\n- ${problems.join('\n- ')}`);
}
