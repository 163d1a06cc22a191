#!/usr/bin/env node
'use strict';
// `npm run bench`: Bedrock Chat next to the raw AWS SDK doing the same work, in
// one run, as a Markdown table (median and min–max of each, their ratio, the
// goal). Bedrock Chat is the shipped bundle (dist/extension.js, which loads
// dist/sdk.js on first use) activated on a fake VS Code host in plain Node
// (test/support/vscodeHost.ts); conversion and token counting run the same
// modules compiled by tsc (out/). The raw SDK is @aws-sdk/client-bedrock-runtime
// from node_modules with a keep-alive NodeHttpHandler and the same API key.
// Both talk to the local Bedrock-compatible server (test/support), which runs
// in a child process of its own; memory, activation and cold starts are
// measured in fresh child processes. Prints numbers only; nothing here asserts.
//
//   npm run bench            build, then every row (a few minutes)
//   BENCH_SCALE=0.2 npm run bench   fewer samples, for a quick look
const { execFileSync, fork, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const ROOT = path.resolve(__dirname, '..');
// The SDK warns once per process that Node 20 support ends in 2027: noise here (VS Code's host runs Node 22).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const DIST = path.join(ROOT, 'dist');
const out = (...p) => path.join(ROOT, 'out', ...p);
const API_KEY = 'ABSKYmVuY2htYXJrLWtleS0wMDAwMDAwMDAwMDA=';
const MODEL_ID = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const SCALE = Math.max(0.05, Number(process.env.BENCH_SCALE || 1));
const n = (count) => Math.max(3, Math.round(count * SCALE));
const BUILTINS = ['fs', 'fs/promises', 'os', 'path', 'crypto', 'http', 'https', 'net', 'tls', 'url', 'util', 'events', 'stream', 'zlib', 'child_process'];
const now = () => performance.now();
const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };

// ---------------------------------------------------------------------------------------------
// The local server, in its own process, scripted over IPC.

function serverProcess() {
  const support = require(out('test', 'support'));
  let server;
  let deltas = 20;
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (m) => {
    const reply = (value) => process.send({ id: m.id, value });
    switch (m.cmd) {
      case 'start':
        server = await support.startBedrockServer();
        server.foundationModels = [...server.foundationModels, support.foundationModelSummary('acme.bench-1-v1:0', { name: 'Bench 1', provider: 'Acme' })];
        server.onConverseStream = () => support.textEvents(Array.from({ length: deltas }, (_, i) => `tok${i} `));
        return reply(server.endpoint);
      case 'deltas':
        deltas = m.value;
        return reply(deltas);
      case 'connections':
        return reply(server.connectionsAccepted);
      case 'bodies':
        return reply(server.requests.filter((r) => r.operation === 'converse-stream').map((r) => r.rawBody.toString('utf8')));
      case 'reset':
        server.reset();
        server.onConverseStream = () => support.textEvents(Array.from({ length: deltas }, (_, i) => `tok${i} `));
        return reply(true);
      case 'stop':
        await server.close();
        reply(true);
        return process.exit(0);
    }
  });
}

function startServer() {
  const child = fork(__filename, ['--server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map();
  let next = 0;
  child.on('message', (m) => waiting.get(m.id)?.(m.value));
  const ask = (cmd, value) =>
    new Promise((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      child.send({ id, cmd, value });
    });
  return { ask, child };
}

// ---------------------------------------------------------------------------------------------
// Helpers.

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1], n: s.length };
}

/** A number for the table: a few significant digits. */
function num(v) {
  if (v === undefined || Number.isNaN(v)) return '—';
  if (Number.isInteger(v) && Math.abs(v) < 1000) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  if (a === 0) return '0';
  return v.toPrecision(2);
}
const cell = (s, unit) => (s ? (s.min === s.max ? `${num(s.median)}${unit ? ` ${unit}` : ''}` : `${num(s.median)}${unit ? ` ${unit}` : ''} (${num(s.min)}–${num(s.max)})`) : '—');

const rows = [];
/** One table row; `met` is true, false, or undefined (no goal). */
function row(label, ours, raw, unit, goal, met, ratio) {
  const r = ratio ?? (ours && typeof raw === 'object' && raw.median ? ours.median / raw.median : undefined);
  rows.push({ label, ours: cell(ours, unit), raw: typeof raw === 'string' ? raw : cell(raw, unit), ratio: r === undefined || Number.isNaN(r) ? '—' : `${num(r)}×`, goal: goal ?? '', met });
  const mark = met === undefined ? '' : met ? ' ✓' : ' ✗';
  console.log(`  ${label}: ${cell(ours, unit)} | raw ${typeof raw === 'string' ? raw : cell(raw, unit)}${goal ? ` | goal ${goal}${mark}` : ''}`);
}
const single = (v) => ({ median: v, min: v, max: v, n: 1 });

function table() {
  const lines = [
    '| Row | Bedrock Chat: median (min–max) | Raw AWS SDK: median (min–max) | Ratio | Goal | Met |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.label} | ${r.ours} | ${r.raw} | ${r.ratio} | ${r.goal} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} |`),
  ];
  return lines.join('\n');
}

/** Runs `node [flags] script args` and parses the JSON line it prints. */
function child(args, flags = []) {
  const r = spawnSync(process.execPath, [...flags, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1', AWS_EC2_METADATA_DISABLED: 'true' }, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}
const benchChild = (task, endpoint) => child([__filename, '--child', task, endpoint ?? ''], ['--expose-gc']);

/** A deterministic random source, so every run builds the same request. */
function seeded(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * An agent-sized request as Copilot sends it: a 10 KB system prompt (role 3),
 * 40 tools with JSON schemas, then 200 history messages (100 assistant turns
 * with a text and a tool call, each answered by a user message with a 3.3 KB
 * tool result), about 400 KB in all. `turns` adds that many more call/result
 * pairs at the end (the prompt-caching session). Every call returns fresh
 * objects and fresh, flat strings (parsed from one JSON text), as VS Code's
 * messages arrive in the extension host on each request.
 */
function agentRequest(shim, turns = 0) {
  const data = JSON.parse(agentTemplate(turns));
  const { LanguageModelTextPart: Text, LanguageModelToolCallPart: Call, LanguageModelToolResultPart: Result } = shim;
  const messages = data.messages.map((m) => ({
    role: m.role,
    name: undefined,
    content: m.content.map((p) => (p.text !== undefined ? new Text(p.text) : p.call ? new Call(p.call.id, p.call.name, p.call.input) : new Result(p.result.id, [new Text(p.result.text)]))),
  }));
  return { messages, options: { tools: data.tools, toolMode: shim.LanguageModelChatToolMode.Auto, modelOptions: {} } };
}

const templates = new Map();
function agentTemplate(turns) {
  if (templates.has(turns)) return templates.get(turns);
  const rng = seeded(42);
  const WORDS = 'the a function returns value when file path module import export const let type interface async await error result request response model token stream cache region client handler'.split(' ');
  const prose = (len) => {
    let s = '';
    while (s.length < len) s += WORDS[(rng() * WORDS.length) | 0] + (rng() < 0.08 ? '.\n' : ' ');
    return s.slice(0, len);
  };
  const code = (len) => {
    let s = '';
    for (let i = 0; s.length < len; i++) s += `  ${i % 7 ? 'const' : 'export function'} ${WORDS[(rng() * WORDS.length) | 0]}${i}(${WORDS[(rng() * WORDS.length) | 0]}: string): number { return ${(rng() * 1000) | 0}; }\n`;
    return s.slice(0, len);
  };
  const tools = Array.from({ length: 40 }, (_, i) => ({
    name: `tool_${i}_${WORDS[i % WORDS.length]}`,
    description: prose(300),
    inputSchema: {
      type: 'object',
      properties: {
        path: { type: 'string', description: prose(80) },
        query: { type: 'string', description: prose(40) },
        mode: { type: 'string', enum: ['read', 'write', 'append'] },
        options: { type: 'object', properties: { recursive: { type: 'boolean' }, depth: { type: 'integer', minimum: 0, maximum: 10 }, include: { type: 'array', items: { type: 'string' } } } },
      },
      required: ['path'],
    },
  }));
  const USER = 1;
  const ASSISTANT = 2;
  const messages = [
    { role: 3, content: [{ text: prose(10 * 1024) }] },
    { role: USER, content: [{ text: prose(600) }] },
  ];
  for (let i = 0; i < 100 + turns; i++) {
    messages.push(
      { role: ASSISTANT, content: [{ text: prose(200) }, { call: { id: `call_${i}`, name: tools[i % 40].name, input: { path: `src/module${i}.ts`, query: prose(40) } } }] },
      { role: USER, content: [{ result: { id: `call_${i}`, text: code(3300) } }] },
    );
  }
  const json = JSON.stringify({ tools, messages });
  templates.set(turns, json);
  return json;
}

// ---------------------------------------------------------------------------------------------
// Child tasks: each runs in a fresh process and prints one JSON line.

function loadOurs(endpoint, settings = {}) {
  for (const m of BUILTINS) require(`node:${m}`);
  const { installVscodeHost } = require(out('test', 'support', 'vscodeHost.js'));
  const shim = require(out('test', 'support', 'vscodeShim.js'));
  const host = installVscodeHost({ settings: { 'bedrockChat.region': 'us-east-1', 'bedrockChat.endpoint': endpoint, ...settings }, secrets: { 'bedrockChat.apiKey': API_KEY } });
  const api = require(path.join(DIST, 'extension.js')).activate(host.context);
  const provider = host.providers.get('amazon-bedrock');
  const user = (text) => [{ role: shim.LanguageModelChatMessageRole.User, content: [new shim.LanguageModelTextPart(text)], name: undefined }];
  const chatOptions = { tools: [], toolMode: shim.LanguageModelChatToolMode.Auto, modelOptions: {} };
  /** One chat through the provider, as VS Code sends it; `onText` sees each text part. */
  const chat = (info, messages, onText = () => {}, options = chatOptions) =>
    provider.provideLanguageModelChatResponse(info, messages, options, { report: (p) => p instanceof shim.LanguageModelTextPart && onText(p.value) }, token);
  const model = async (id = MODEL_ID) => (await provider.provideLanguageModelChatInformation({ silent: true }, token)).find((m) => m.id === id);
  return { host, api, provider, shim, chat, user, model };
}

function loadRaw(endpoint) {
  for (const m of BUILTINS) require(`node:${m}`);
  const http = require('node:http');
  const { BedrockRuntimeClient, ConverseStreamCommand } = require('@aws-sdk/client-bedrock-runtime');
  const { NodeHttpHandler } = require('@smithy/node-http-handler');
  const client = () =>
    new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint,
      token: { token: API_KEY },
      authSchemePreference: ['httpBearerAuth'],
      requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true }) }),
    });
  let c = client();
  /** One ConverseStream of a prebuilt input, reading the whole stream; `onText` sees each text delta. */
  const send = async (input, onText = () => {}) => {
    const res = await c.send(new ConverseStreamCommand(input));
    for await (const e of res.stream) {
      const text = e.contentBlockDelta?.delta?.text;
      if (text !== undefined) onText(text);
    }
  };
  return { send, renew: () => (c.destroy(), (c = client())), destroy: () => c.destroy() };
}

const SMALL_INPUT = { modelId: MODEL_ID, messages: [{ role: 'user', content: [{ text: 'benchmark' }] }] };

async function childTask(task, endpoint) {
  const gc = () => {
    global.gc();
    global.gc();
  };
  switch (task) {
    case 'activate-raw': {
      for (const m of BUILTINS) require(`node:${m}`);
      const t0 = now();
      const { BedrockRuntimeClient } = require('@aws-sdk/client-bedrock-runtime');
      const requireMs = now() - t0;
      new BedrockRuntimeClient({ region: 'us-east-1' });
      return { requireMs, totalMs: now() - t0 };
    }
    case 'sdk-load': {
      for (const m of BUILTINS) require(`node:${m}`);
      const t0 = now();
      require(path.join(DIST, 'sdk.js'));
      return { ms: now() - t0 };
    }
    case 'peak-ours':
    case 'peak-raw': {
      // One answer of 10,000 deltas after one warm-up request: the highest heap seen and the process's peak RSS.
      let peak = 0;
      const sample = () => (peak = Math.max(peak, process.memoryUsage().heapUsed));
      let i = 0;
      if (task === 'peak-ours') {
        const ours = loadOurs(endpoint);
        const info = await ours.model();
        await ours.chat(info, ours.user('warm up'));
        gc();
        const base = process.memoryUsage().heapUsed;
        await ours.chat(info, ours.user('benchmark'), () => ++i % 100 === 0 && sample());
        sample();
        ours.host.dispose();
        return { peakHeapMb: (peak - base) / 2 ** 20, maxRssMb: process.resourceUsage().maxRSS / 1024 };
      }
      const raw = loadRaw(endpoint);
      await raw.send(SMALL_INPUT);
      gc();
      const base = process.memoryUsage().heapUsed;
      await raw.send(SMALL_INPUT, () => ++i % 100 === 0 && sample());
      sample();
      raw.destroy();
      return { peakHeapMb: (peak - base) / 2 ** 20, maxRssMb: process.resourceUsage().maxRSS / 1024 };
    }
    case 'heap-ours':
    case 'heap-raw': {
      // Heap after 500 requests (20 warm-up requests first), garbage collected before and after.
      const N = 500;
      let once;
      let cleanup;
      if (task === 'heap-ours') {
        const ours = loadOurs(endpoint);
        const info = await ours.model();
        once = () => ours.chat(info, ours.user('benchmark'));
        cleanup = () => (ours.host.logLines.length = 0);
      } else {
        const raw = loadRaw(endpoint);
        once = () => raw.send(SMALL_INPUT);
        cleanup = () => {};
      }
      for (let k = 0; k < 20; k++) await once();
      cleanup();
      gc();
      const before = process.memoryUsage().heapUsed;
      for (let k = 0; k < N; k++) {
        await once();
        cleanup(); // the fake host's copy of the log, which VS Code keeps in another process
      }
      gc();
      return { growthMb: (process.memoryUsage().heapUsed - before) / 2 ** 20 };
    }
    case 'agent-ours':
    case 'agent-raw': {
      // The agent-sized request, 40 warm-up requests (the JIT settles) then 40 timed, on one keep-alive connection.
      let once;
      if (task === 'agent-ours') {
        const ours = loadOurs(endpoint);
        const info = await ours.model();
        once = async () => {
          const copy = agentRequest(ours.shim);
          const t = now();
          await ours.chat(info, copy.messages, undefined, copy.options);
          return now() - t;
        };
      } else {
        const raw = loadRaw(endpoint);
        const json = fs.readFileSync(process.argv[5], 'utf8');
        once = async () => {
          const input = JSON.parse(json); // fresh objects and strings each time, as an extension builds them
          const t = now();
          await raw.send(input);
          return now() - t;
        };
      }
      const first = [];
      for (let k = 0; k < 40; k++) first.push(await once());
      const ms = [];
      for (let k = 0; k < 40; k++) ms.push(await once());
      return { ms, first: first.slice(0, 10) };
    }
    case 'models-ours': {
      // Cold: the first answer (catalogue), then loading dist/sdk.js and discovery until the list has what Bedrock listed. Warm: answers after that.
      const ours = loadOurs(endpoint, { 'bedrockChat.controlPlaneEndpoint': endpoint });
      await ours.api.controller.state();
      let changed;
      ours.provider.onDidChangeLanguageModelChatInformation(() => changed?.());
      const list = () => ours.provider.provideLanguageModelChatInformation({ silent: true }, token);
      const t0 = now();
      await list();
      const firstMs = now() - t0;
      // VS Code asks again on each change; the list is in once it holds what the control plane listed.
      for (let k = 0; ; k++) {
        if (k === 50) throw new Error('discovery did not run');
        await new Promise((resolve) => (changed = resolve));
        if ((await list()).some((m) => m.id === 'acme.bench-1-v1:0')) break;
      }
      const coldMs = now() - t0;
      const warm = [];
      for (let k = 0; k < 200; k++) {
        const t = now();
        await list();
        warm.push(now() - t);
      }
      ours.host.dispose();
      return { firstMs, coldMs, warmMs: stats(warm).median };
    }
    case 'models-raw': {
      // The same three lists discovery makes (foundation models, system and application profiles), with the SDK loaded cold, then warm.
      for (const m of BUILTINS) require(`node:${m}`);
      const http = require('node:http');
      const t0 = now();
      const { BedrockClient, ListFoundationModelsCommand, paginateListInferenceProfiles } = require('@aws-sdk/client-bedrock');
      const { NodeHttpHandler } = require('@smithy/node-http-handler');
      const client = new BedrockClient({ region: 'us-east-1', endpoint, token: { token: API_KEY }, authSchemePreference: ['httpBearerAuth'], requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true }) }) });
      const profiles = async (typeEquals) => {
        const all = [];
        for await (const page of paginateListInferenceProfiles({ client, pageSize: 1000 }, { typeEquals })) all.push(...(page.inferenceProfileSummaries ?? []));
        return all;
      };
      const lists = () => Promise.all([client.send(new ListFoundationModelsCommand({})), profiles('SYSTEM_DEFINED'), profiles('APPLICATION')]);
      await lists();
      const coldMs = now() - t0;
      const warm = [];
      for (let k = 0; k < 50; k++) {
        const t = now();
        await lists();
        warm.push(now() - t);
      }
      client.destroy();
      return { coldMs, warmMs: stats(warm).median };
    }
  }
  throw new Error(`unknown task ${task}`);
}

// ---------------------------------------------------------------------------------------------
// The run.

async function main() {
  const t0 = now();
  console.log('Building (esbuild.mjs) …');
  execFileSync(process.execPath, [path.join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'ignore' });
  const { ask, child: serverChild } = startServer();
  const endpoint = await ask('start');
  console.log(`Local server ${endpoint}; ${require('node:os').cpus().length} CPUs, Node ${process.version}\n`);

  // --- Activation and size -------------------------------------------------------------------
  console.log('Activation and size');
  const probe = (mode) => child([out('test', 'support', 'bundleProbe.js'), DIST, mode]);
  const activations = Array.from({ length: n(21) }, () => probe('activate'));
  if (activations.some((a) => a.sdkLoaded)) throw new Error('activation loaded dist/sdk.js');
  const rawActivations = Array.from({ length: n(21) }, () => benchChild('activate-raw'));
  const ourAct = stats(activations.map((a) => a.requireMs + a.activateMs));
  row('Activation: require + activate (fresh process each)', ourAct, stats(rawActivations.map((a) => a.totalMs)), 'ms', '≤ 15 ms', ourAct.median <= 15);
  row('… of which require', stats(activations.map((a) => a.requireMs)), stats(rawActivations.map((a) => a.requireMs)), 'ms');
  row('Status bar shows the method (from require)', stats(activations.map((a) => a.statusMs)), '—', 'ms');
  row('First use: loading dist/sdk.js (lazily, once)', stats(Array.from({ length: n(9) }, () => benchChild('sdk-load').ms)), stats(rawActivations.map((a) => a.requireMs)), 'ms');
  const size = (f) => fs.statSync(path.join(DIST, f)).size / 1024;
  const gz = (f) => zlib.gzipSync(fs.readFileSync(path.join(DIST, f))).length / 1024;
  const rawBundle = await sdkOnlyBundle();
  row('Bundle: activation, dist/extension.js (raw: the ConverseStream client alone, bundled the same way)', single(size('extension.js')), single(rawBundle.kb), 'KB', '≤ 450 KB', size('extension.js') <= 450);
  row('Bundle: dist/sdk.js, loaded on first use', single(size('sdk.js')), single(rawBundle.kb), 'KB');
  row('Bundle: both, as the VSIX ships them', single(size('extension.js') + size('sdk.js')), single(rawBundle.kb), 'KB', '≤ 450 KB for all (README: Performance)', size('extension.js') + size('sdk.js') <= 450);
  row('… gzipped (about their share of the VSIX)', single(gz('extension.js') + gz('sdk.js')), single(rawBundle.gzKb), 'KB');
  const vsixDir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'bedrock-chat-bench-'));
  const vsix = path.join(vsixDir, 'bedrock-chat.vsix');
  const packaged = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', vsix], { cwd: ROOT, encoding: 'utf8' });
  if (packaged.status === 0) row('VSIX as npm run package builds it (bundles, media, README, CHANGELOG)', single(fs.statSync(vsix).size / 1024), '—', 'KB', '< 1 MB (unit test)', fs.statSync(vsix).size < 1024 * 1024);
  fs.rmSync(vsixDir, { recursive: true, force: true });

  // --- In this process: Bedrock Chat on the fake host, and the raw SDK -----------------------
  const ours = loadOurs(endpoint);
  const raw = loadRaw(endpoint);
  const { toChatMessages } = require(out('src', 'vscode', 'convert.js'));
  const { chatOptions } = require(out('src', 'vscode', 'exchange.js'));
  const { buildConverseRequest } = require(out('src', 'core', 'bedrock', 'request.js'));
  const { estimateRequestTokens, tokenFamily } = require(out('src', 'core', 'chat', 'tokens.js'));
  const { listModels } = require(out('src', 'core', 'models', 'chatModel.js'));
  const { countTokens, sharedTextTallier } = require(out('src', 'vscode', 'tokenCount.js'));
  const { promptBlocks, reusedShare } = require(out('test', 'support', 'promptPrefix.js'));
  const state = await ours.api.controller.state();
  const coreModel = listModels('us-east-1').find((m) => m.id === MODEL_ID);
  const info = await ours.model();
  const agent = agentRequest(ours.shim);
  const model = { id: MODEL_ID, family: info.family };
  const family = tokenFamily(coreModel.id, coreModel.family);
  const convert = (req) => {
    const messages = toChatMessages(req.messages);
    return { messages, opts: chatOptions(req.options, state.settings) };
  };
  const estimate = ({ messages, opts }, text) => estimateRequestTokens(family, messages, opts.tools, { toolMode: opts.toolMode }, text);
  const build = ({ messages, opts }) => buildConverseRequest(coreModel, messages, opts);
  const prebuilt = { ...build(convert(agent)).input };
  const wireKb = Buffer.byteLength(JSON.stringify(prebuilt)) / 1024;

  // --- Agent-sized request ---------------------------------------------------------------------
  console.log(`\nAgent request: 10 KB system prompt, 40 tools, ${agent.messages.length - 1} messages, ${num(wireKb)} KB on the wire`);
  // Each sample gets its own copy of the request (fresh objects and strings, as VS Code's are on every request), made untimed.
  const perCopy = (count, f, prepare = () => agentRequest(ours.shim)) => {
    for (let i = 0; i < 10; i++) f(prepare());
    const xs = [];
    for (let i = 0; i < count; i++) {
      const input = prepare();
      const t = now();
      f(input);
      xs.push(now() - t);
    }
    return stats(xs);
  };
  const conversion = perCopy(n(100), (req) => build(convert(req)));
  row('Conversion: LanguageModelChatMessages → SDK input (toChatMessages, chatOptions, buildConverseRequest)', conversion, 'none (input prebuilt)', 'ms', '≤ 2 ms', conversion.median <= 2, NaN);
  row('… toChatMessages', perCopy(n(100), (req) => toChatMessages(req.messages)), '—', 'ms');
  row('… buildConverseRequest', perCopy(n(100), (c) => build(c), () => convert(agentRequest(ours.shim))), '—', 'ms');
  const tallier = sharedTextTallier(toChatMessages);
  const counted = perCopy(n(100), (c) => estimate(c, tallier), () => {
    // What Copilot does first: provideTokenCount on each message (another copy of the same texts).
    for (const m of agentRequest(ours.shim).messages) countTokens(model, m, toChatMessages);
    return convert(agentRequest(ours.shim));
  });
  const scanned = perCopy(n(50), (c) => estimate(c), () => convert(agentRequest(ours.shim)));
  row('Token estimate of the request (worked out only when it fails, for the hints), texts counted by provideTokenCount before', counted, '—', 'ms');
  row('… nothing counted before (every text scanned)', scanned, '—', 'ms');

  await ask('deltas', 20);
  /** Alternates a and b; `prepare` makes a's input before its clock starts. */
  const interleaved = async (count, a, b, prepare = () => undefined) => {
    for (let i = 0; i < 5; i++) {
      await a(prepare());
      await b();
    }
    const xa = [];
    const xb = [];
    for (let i = 0; i < count; i++) {
      const input = prepare();
      let t = now();
      await a(input);
      xa.push(now() - t);
      t = now();
      await b();
      xb.push(now() - t);
    }
    return [stats(xa), stats(xb)];
  };
  // Each side in processes of its own (what one allocates is not collected on the other's time):
  // ours gets a fresh copy of the request each time, made untimed just before, as VS Code sends one;
  // the raw SDK sends the prebuilt input.
  const prebuiltFile = path.join(require('node:os').tmpdir(), `bedrock-chat-bench-${process.pid}.json`);
  fs.writeFileSync(prebuiltFile, JSON.stringify(prebuilt));
  const agentRuns = { ours: [], raw: [], oursFirst: [], rawFirst: [] };
  for (let i = 0; i < n(5); i++) {
    const o = benchChild('agent-ours', endpoint);
    const r = child([__filename, '--child', 'agent-raw', endpoint, prebuiltFile], ['--expose-gc']);
    agentRuns.ours.push(...o.ms);
    agentRuns.oursFirst.push(...o.first);
    agentRuns.raw.push(...r.ms);
    agentRuns.rawFirst.push(...r.first);
  }
  fs.rmSync(prebuiltFile, { force: true });
  const agentOurs = stats(agentRuns.ours);
  const agentRaw = stats(agentRuns.raw);
  await ask('reset');
  row('Total request time, agent request (20-delta answer; after 40 requests, JIT settled)', agentOurs, agentRaw, 'ms', 'ratio ≤ 1.05', agentOurs.median / agentRaw.median <= 1.05);
  row('… the first 10 requests of a process', stats(agentRuns.oursFirst), stats(agentRuns.rawFirst), 'ms');

  // --- Streaming -------------------------------------------------------------------------------
  console.log('\nStreaming');
  const firstToken = async (send) => {
    const t = now();
    let first;
    await send(() => (first ??= now() - t));
    return first;
  };
  const tt = { ours: [], raw: [] };
  for (let i = 0; i < n(200) + 10; i++) {
    const a = await firstToken((f) => ours.chat(info, ours.user('benchmark'), f));
    const b = await firstToken((f) => raw.send(SMALL_INPUT, f));
    if (i >= 10) tt.ours.push(a), tt.raw.push(b);
  }
  const ttOurs = stats(tt.ours);
  const ttRaw = stats(tt.raw);
  row('Time to first token (short request)', ttOurs, ttRaw, 'ms', `overhead ≤ 1 ms (${num(ttOurs.median - ttRaw.median)} ms)`, ttOurs.median - ttRaw.median <= 1);
  await ask('deltas', 10_000);
  const [dOurs, dRaw] = await interleaved(n(10), () => ours.chat(info, ours.user('benchmark')), () => raw.send(SMALL_INPUT));
  const perDelta = ((dOurs.median - dRaw.median) / 10_000) * 1000;
  row('Whole answer, 10,000 text deltas', dOurs, dRaw, 'ms', `per-delta overhead ≤ 5 µs (${num(perDelta)} µs)`, perDelta <= 5);
  await ask('reset');
  const peaks = { ours: [], raw: [] };
  for (let i = 0; i < n(3); i++) {
    peaks.ours.push(benchChild('peak-ours', endpoint));
    peaks.raw.push(benchChild('peak-raw', endpoint));
  }
  await ask('reset');
  row('Peak heap above baseline during the 10,000-delta answer', stats(peaks.ours.map((p) => p.peakHeapMb)), stats(peaks.raw.map((p) => p.peakHeapMb)), 'MB');
  row('Peak RSS of that process (code loaded included)', stats(peaks.ours.map((p) => p.maxRssMb)), stats(peaks.raw.map((p) => p.maxRssMb)), 'MB');
  await ask('deltas', 20);

  // --- provideTokenCount ----------------------------------------------------------------------
  console.log('\nprovideTokenCount');
  const { CountTokensCommand, BedrockRuntimeClient } = require('@aws-sdk/client-bedrock-runtime');
  const { NodeHttpHandler } = require('@smithy/node-http-handler');
  const counter = new BedrockRuntimeClient({ region: 'us-east-1', endpoint, token: { token: API_KEY }, authSchemePreference: ['httpBearerAuth'], requestHandler: new NodeHttpHandler({ httpAgent: new (require('node:http').Agent)({ keepAlive: true }) }) });
  const remoteCount = (text) => counter.send(new CountTokensCommand({ modelId: MODEL_ID, input: { converse: { messages: [{ role: 'user', content: [{ text }] }] } } }));
  const shorts = Array.from({ length: 4096 }, (_, i) => `Line ${i}: const value${i} = compute(${i});`);
  const perCall = (count, f) => {
    const xs = [];
    for (let r = 0; r < 7; r++) {
      const t = now();
      for (let i = 0; i < count; i++) f(i);
      xs.push(((now() - t) * 1000) / count);
    }
    return stats(xs);
  };
  perCall(20_000, (i) => countTokens(model, shorts[i & 4095], toChatMessages));
  const shortOurs = perCall(n(100_000), (i) => countTokens(model, shorts[i & 4095], toChatMessages));
  const rawShort = [];
  for (let i = 0; i < n(50); i++) {
    const t = now();
    await remoteCount(shorts[i]);
    rawShort.push((now() - t) * 1000);
  }
  row('Token count, short strings (~40 chars), per call (raw: the CountTokens API, one round trip each)', shortOurs, stats(rawShort), 'µs', '≤ 2 µs', shortOurs.median <= 2);
  console.log(`    ${Math.round(1e6 / shortOurs.median).toLocaleString('en-US')} calls/s`);
  const src = path.join(ROOT, 'src');
  const longText = fs.readdirSync(src, { recursive: true }).filter((f) => f.endsWith('.ts')).map((f) => fs.readFileSync(path.join(src, f), 'utf8')).join('\n').repeat(3).slice(0, 100_000);
  // Fresh flat strings each time (new copies of the text), so the memo never answers: the scan itself.
  const fresh = Array.from({ length: 8 }, (_, i) => Buffer.from(`${i}${longText}`, 'utf8').toString('utf8', 1));
  const mbps = (count, f, bytes) => {
    const xs = [];
    for (let r = 0; r < 7; r++) {
      const t = now();
      for (let i = 0; i < count; i++) f(i);
      xs.push((bytes * count) / ((now() - t) / 1000) / 1e6);
    }
    return stats(xs);
  };
  const { estimateTextTokens, estimateMessageTokens } = require(out('src', 'core', 'chat', 'tokens.js'));
  const longOurs = mbps(n(40), (i) => estimateTextTokens(fresh[i & 7], 'claude'), longText.length);
  const rawLong = [];
  for (let i = 0; i < n(10); i++) {
    const t = now();
    await remoteCount(longText);
    rawLong.push(longText.length / ((now() - t) / 1000) / 1e6);
  }
  row('Token count, 100 KB of TypeScript, first count (raw: CountTokens API)', longOurs, stats(rawLong), 'MB/s');
  row('… the same text again (memoised)', mbps(n(20_000), () => countTokens(model, longText, toChatMessages), longText.length), '—', 'MB/s');
  const msgBytes = agent.messages.reduce((s, m) => s + Buffer.byteLength(JSON.stringify(m)), 0);
  const msgOurs = mbps(n(10), () => {
    for (const m of agentRequest(ours.shim).messages) countTokens(model, m, toChatMessages);
  }, msgBytes);
  row(`Token count, the agent request's ${agent.messages.length} messages, fresh objects`, msgOurs, '—', 'MB/s');
  row('… the same message objects again (memoised)', mbps(n(2000), () => {
    for (const m of agent.messages) countTokens(model, m, toChatMessages);
  }, msgBytes), '—', 'MB/s');
  counter.destroy();

  // --- Connections -------------------------------------------------------------------------------
  console.log('\nConnections');
  const connections = async (renew, once) => {
    renew();
    const before = await ask('connections');
    for (let i = 0; i < 100; i++) await once();
    return (await ask('connections')) - before;
  };
  const connOurs = await connections(() => ours.api.controller.renewClients(), () => ours.chat(info, ours.user('benchmark')));
  const connRaw = await connections(() => raw.renew(), () => raw.send(SMALL_INPUT));
  await ask('reset');
  row('Connections opened per 100 sequential requests (server side)', single(connOurs), single(connRaw), '', '1', connOurs === 1);

  // --- Model list ----------------------------------------------------------------------------------
  console.log('\nModel list');
  const modelsOurs = Array.from({ length: n(5) }, () => benchChild('models-ours', endpoint));
  const modelsRaw = Array.from({ length: n(5) }, () => benchChild('models-raw', endpoint));
  await ask('reset');
  row('Model list, first answer (catalogue, no SDK)', stats(modelsOurs.map((m) => m.firstMs)), '—', 'ms');
  row('Model list, cold: SDK loaded + discovery against the local control plane', stats(modelsOurs.map((m) => m.coldMs)), stats(modelsRaw.map((m) => m.coldMs)), 'ms');
  row('Model list, warm (ours from its cache; raw asks again)', stats(modelsOurs.map((m) => m.warmMs)), stats(modelsRaw.map((m) => m.warmMs)), 'ms');

  // --- Prompt caching ------------------------------------------------------------------------------
  console.log('\nPrompt caching');
  for (let turn = 0; turn < 10; turn++) {
    const session = agentRequest(ours.shim, turn);
    await ours.chat(info, session.messages, undefined, session.options);
  }
  const bodies = (await ask('bodies')).map((b) => JSON.parse(b));
  await ask('reset');
  const shares = [];
  const ceilings = [];
  for (let i = 1; i < bodies.length; i++) {
    shares.push(reusedShare(bodies[i - 1], bodies[i]) * 100);
    // The most any cache point could give: the current prompt's blocks identical to the previous prompt's, in order.
    const prev = promptBlocks(bodies[i - 1]).filter((b) => !b.cachePoint);
    const cur = promptBlocks(bodies[i]).filter((b) => !b.cachePoint);
    let same = 0;
    while (same < cur.length && same < prev.length && cur[same].key === prev[same].key) same++;
    ceilings.push((cur.slice(0, same).reduce((s, b) => s + b.bytes, 0) / cur.reduce((s, b) => s + b.bytes, 0)) * 100);
  }
  const share = stats(shares);
  row('Cacheable share, turns 2–10 of a 10-turn agent session', share, stats(ceilings), '%', '≥ 90% from turn 2', share.min >= 90);
  console.log(`    raw column: the ceiling (everything the previous request had); the raw SDK alone sends no cache points (0%). Per turn: ${shares.map((s) => s.toFixed(1)).join(', ')}`);

  // --- Memory --------------------------------------------------------------------------------------
  console.log('\nMemory');
  const heaps = { ours: [], raw: [] };
  for (let i = 0; i < n(3); i++) {
    heaps.ours.push(benchChild('heap-ours', endpoint).growthMb);
    heaps.raw.push(benchChild('heap-raw', endpoint).growthMb);
    await ask('reset');
  }
  const heap = stats(heaps.ours);
  row('Heap growth over 500 requests (after GC)', heap, stats(heaps.raw), 'MB', '≤ 5 MB', heap.median <= 5);

  ours.host.dispose();
  raw.destroy();
  await ask('stop');
  serverChild.disconnect?.();
  console.log(`\n${table()}\n`);
  console.log(`${rows.filter((r) => r.met === false).length} of ${rows.filter((r) => r.met !== undefined).length} goals missed; ${((now() - t0) / 1000).toFixed(0)} s.`);
}

/** The floor for size: the raw SDK's ConverseStream client alone, bundled exactly as we bundle (esbuild.mjs's options and trims). */
async function sdkOnlyBundle() {
  const esbuild = require('esbuild');
  const { common } = await import(require('node:url').pathToFileURL(path.join(ROOT, 'esbuild.mjs')).href);
  const r = await esbuild.build({
    ...common,
    stdin: { contents: "export { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';", resolveDir: ROOT },
    sourcemap: false,
    metafile: false,
    logLevel: 'silent',
    write: false,
  });
  const bytes = r.outputFiles[0].contents;
  return { kb: bytes.length / 1024, gzKb: zlib.gzipSync(bytes).length / 1024 };
}

if (require.main !== module) module.exports = { agentRequest };
else if (process.argv[2] === '--server') serverProcess();
else if (process.argv[2] === '--child') {
  childTask(process.argv[3], process.argv[4]).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1); // the server's process ends with the IPC channel
  });
}
