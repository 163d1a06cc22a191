/**
 * Runs a built extension bundle in a fresh Node process, as VS Code would load
 * it, on the fake host (./vscodeHost), and prints one JSON line about it.
 *
 *   node out/test/support/bundleProbe.js <dist dir> activate
 *     require + activate(), timed; when the status bar shows the method; which
 *     files were loaded by then. Node's common built-in modules (which VS Code's
 *     extension host has loaded long before any extension) are loaded first.
 *   node out/test/support/bundleProbe.js <dist dir> lifecycle
 *     the same against the local Bedrock server, then the model list's first
 *     answer, the change discovery fires, the second answer and one chat
 *     request, noting when <dist dir>/sdk.js was loaded.
 *
 * Used by test/unit/lazyStart.test.ts and scripts/bench.js.
 */
import * as path from 'node:path';

export const PROBE_API_KEY = 'ABSKYnVuZGxlLXByb2JlLWtleS0wMDAwMDAwMDAwMDA=';
/** A model the catalogue does not know: in the list only once discovery has run. */
export const PROBE_MODEL = 'acme.probe-1-v1:0';

export interface ActivationProbe {
  requireMs: number;
  activateMs: number;
  /** From before require until the status bar showed the method. */
  statusMs: number;
  statusText: string;
  /** Files the extension loaded (require.cache, less what was there before) by the time the status bar showed; inside the bundle's folder relative to it. */
  loaded: string[];
  sdkLoaded: boolean;
}

export interface LifecycleProbe extends ActivationProbe {
  firstAnswer: { ms: number; ids: string[]; sdkLoaded: boolean };
  changed: { sdkLoaded: boolean };
  secondAnswer: { ids: string[] };
  chat: { text: string; modelId?: string; auth?: string };
}

const BUILTINS = ['fs', 'fs/promises', 'os', 'path', 'crypto', 'http', 'https', 'net', 'tls', 'url', 'util', 'events', 'stream', 'zlib', 'child_process'];
const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };

async function probe(dir: string, mode: string): Promise<ActivationProbe | LifecycleProbe> {
  for (const m of BUILTINS) require(`node:${m}`);
  // The test support (and with it the local server) loads before the clock starts, as VS Code does.
  const { installVscodeHost } = require('./vscodeHost') as typeof import('./vscodeHost');
  const shim = require('./vscodeShim') as typeof import('./vscodeShim');
  const support = mode === 'lifecycle' ? (require('./index') as typeof import('./index')) : undefined;
  const server = support ? await support.startBedrockServer() : undefined;
  if (server) server.foundationModels = [...server.foundationModels, support!.foundationModelSummary(PROBE_MODEL, { name: 'Probe 1', provider: 'Acme' })];
  const host = installVscodeHost({
    settings: { 'bedrockChat.region': 'us-east-1', ...(server ? { 'bedrockChat.endpoint': server.endpoint, 'bedrockChat.controlPlaneEndpoint': server.endpoint } : {}) },
    secrets: { 'bedrockChat.apiKey': PROBE_API_KEY },
  });
  const sdkFile = path.join(dir, 'sdk.js');
  const sdkLoaded = () => sdkFile in require.cache;

  const before = new Set(Object.keys(require.cache));
  const t0 = process.hrtime.bigint();
  const extension = require(path.join(dir, 'extension.js')) as { activate(context: unknown): unknown };
  const requireMs = ms(t0);
  const t1 = process.hrtime.bigint();
  extension.activate(host.context);
  const activateMs = ms(t1);
  const status = host.statusItems[0];
  while (!status?.text) await new Promise((resolve) => setImmediate(resolve));
  const activation: ActivationProbe = {
    requireMs,
    activateMs,
    statusMs: ms(t0),
    statusText: status.text,
    loaded: Object.keys(require.cache)
      .filter((f) => !before.has(f))
      .map((f) => (f.startsWith(dir + path.sep) ? path.relative(dir, f) : f)),
    sdkLoaded: sdkLoaded(),
  };
  if (!server) {
    host.dispose();
    return activation;
  }

  type Info = { id: string };
  const provider = host.providers.get('amazon-bedrock') as {
    onDidChangeLanguageModelChatInformation(listener: () => void): { dispose(): void };
    provideLanguageModelChatInformation(options: unknown, token: unknown): Promise<Info[]>;
    provideLanguageModelChatResponse(info: Info, messages: unknown[], options: unknown, progress: { report(part: unknown): void }, token: unknown): Promise<void>;
  };
  let fired!: () => void;
  const change = new Promise<void>((resolve) => (fired = resolve));
  provider.onDidChangeLanguageModelChatInformation(() => fired());
  const t2 = process.hrtime.bigint();
  const first = await provider.provideLanguageModelChatInformation({ silent: true }, token);
  const firstAnswer = { ms: ms(t2), ids: first.map((m) => m.id), sdkLoaded: sdkLoaded() };
  await Promise.race([change, new Promise((_, reject) => setTimeout(() => reject(new Error('no change event within 10 s')), 10_000).unref())]);
  const changed = { sdkLoaded: sdkLoaded() };
  const second = await provider.provideLanguageModelChatInformation({ silent: true }, token);
  const nova = second.find((m) => m.id.includes('nova-micro'))!;
  server.onConverseStream = () => support!.textEvents('Hello from the probe.');
  let text = '';
  const message = { role: shim.LanguageModelChatMessageRole.User, content: [new shim.LanguageModelTextPart('hello')], name: undefined };
  await provider.provideLanguageModelChatResponse(nova, [message], { tools: [], toolMode: shim.LanguageModelChatToolMode.Auto, modelOptions: {} }, { report: (p) => p instanceof shim.LanguageModelTextPart && (text += p.value) }, token);
  const sent = server.requests.find((r) => r.operation === 'converse-stream');
  host.dispose();
  await server.close();
  return { ...activation, firstAnswer, changed, secondAnswer: { ids: second.map((m) => m.id) }, chat: { text, modelId: sent?.modelId, auth: sent?.auth.kind } };
}

if (require.main === module) {
  const [dir, mode = 'activate'] = process.argv.slice(2);
  probe(path.resolve(dir), mode).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (err) => {
      process.stderr.write(`${(err as Error)?.stack ?? err}\n`);
      process.exit(1);
    },
  );
}
