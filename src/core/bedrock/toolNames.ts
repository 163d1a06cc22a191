/**
 * Bedrock tool names must match ^[a-zA-Z0-9_-]{1,64}$; editor tools (MCP in
 * particular) may use other characters or be longer. Names are rewritten on
 * the way out and mapped back when the model calls them.
 */
const VALID = /^[a-zA-Z0-9_-]{1,64}$/;

export class ToolNameMap {
  private readonly toBedrock = new Map<string, string>();
  private readonly fromBedrock = new Map<string, string>();

  bedrockName(name: string): string {
    const known = this.toBedrock.get(name);
    if (known) return known;
    let candidate = VALID.test(name) ? name : name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'tool';
    for (let i = 2; this.fromBedrock.has(candidate) && this.fromBedrock.get(candidate) !== name; i++) {
      const suffix = `_${i}`;
      candidate = candidate.slice(0, 64 - suffix.length) + suffix;
    }
    this.toBedrock.set(name, candidate);
    this.fromBedrock.set(candidate, name);
    return candidate;
  }

  editorName(bedrockName: string): string {
    return this.fromBedrock.get(bedrockName) ?? bedrockName;
  }
}
