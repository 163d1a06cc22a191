#!/usr/bin/env node
'use strict';
// `npm run bench`: speed and memory of Bedrock Chat's path next to the raw AWS
// SDK doing the same work, against the local Bedrock-compatible server on
// 127.0.0.1. Prints numbers only; nothing here asserts a time.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const out = (...p) => path.join(ROOT, 'out', ...p);
const { BedrockRuntimeClient, ConverseStreamCommand } = require('@aws-sdk/client-bedrock-runtime');
const { NodeHttpHandler } = require('@smithy/node-http-handler');
const support = require(out('test', 'support'));
const { createRuntimeClient } = require(out('src', 'core', 'bedrock', 'client.js'));
const { converse } = require(out('src', 'core', 'bedrock', 'converse.js'));
const { listModels } = require(out('src', 'core', 'models', 'chatModel.js'));

const REQUESTS = Number(process.env.BENCH_REQUESTS || 200);
const DELTAS = Number(process.env.BENCH_DELTAS || 200);

function stats(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { mean: s.reduce((a, b) => a + b, 0) / s.length, p50: q(0.5), p95: q(0.95) };
}
const fmt = (n) => n.toFixed(2).padStart(8);

/** Milliseconds to require a module in a fresh Node process (median of 5). */
function requireTime(modulePath, stubVscode) {
  const code = `${stubVscode ? "const M=require('module');const r=M._resolveFilename;M._resolveFilename=function(q,...a){return q==='vscode'?'vscode':r.call(this,q,...a)};require.cache.vscode={id:'vscode',filename:'vscode',loaded:true,exports:{}};" : ''}const t=process.hrtime.bigint();require(${JSON.stringify(modulePath)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const runs = Array.from({ length: 5 }, () => Number(execFileSync(process.execPath, ['-e', code], { cwd: ROOT, env: { ...process.env, NODE_NO_WARNINGS: '1' } }).toString()));
  return stats(runs).p50;
}

async function streamBench(label, once) {
  const times = [];
  const firsts = [];
  if (global.gc) global.gc();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    let first;
    await once(() => (first ??= performance.now() - t0));
    times.push(performance.now() - t0);
    firsts.push(first);
  }
  if (global.gc) global.gc();
  const heapAfter = process.memoryUsage().heapUsed;
  return { label, total: stats(times), first: stats(firsts), heapMb: (heapAfter - heapBefore) / 1048576 };
}

async function main() {
  execFileSync(process.execPath, [path.join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'ignore' });
  const bundle = path.join(ROOT, 'dist', 'extension.js');
  console.log('\nStartup (fresh Node process, median of 5)');
  console.log(`  Bedrock Chat bundle  dist/extension.js   ${(fs.statSync(bundle).size / 1024).toFixed(0).padStart(5)} KB  require ${fmt(requireTime(bundle, true))} ms`);
  console.log(`  raw SDK              client-bedrock-runtime          require ${fmt(requireTime('@aws-sdk/client-bedrock-runtime', false))} ms`);

  const server = await support.startBedrockServer();
  const chunks = Array.from({ length: DELTAS }, (_, i) => `token${i} `);
  server.onConverseStream = () => support.textEvents(chunks);
  const model = listModels('us-east-1').find((m) => m.family === 'nova-micro');
  const messages = [{ role: 'user', parts: [{ type: 'text', text: 'benchmark' }] }];
  const ours = createRuntimeClient({ auth: { kind: 'apiKey', apiKey: 'ABSKYmVuY2htYXJrLWtleS0wMDAwMDAwMDAwMDA=' }, region: 'us-east-1', endpoint: server.endpoint });
  const raw = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: server.endpoint,
    token: { token: 'ABSKYmVuY2htYXJrLWtleS0wMDAwMDAwMDAwMDA=' },
    authSchemePreference: ['httpBearerAuth'],
    requestHandler: new NodeHttpHandler({ httpAgent: { keepAlive: true } }),
  });
  const rawOnce = async (onFirst) => {
    const res = await raw.send(new ConverseStreamCommand({ modelId: model.id, messages: [{ role: 'user', content: [{ text: 'benchmark' }] }] }));
    let text = '';
    for await (const e of res.stream) {
      onFirst();
      if (e.contentBlockDelta?.delta?.text) text += e.contentBlockDelta.delta.text;
    }
    return text;
  };
  const oursOnce = async (onFirst) => {
    let text = '';
    await converse(ours, model, messages, {}, new AbortController().signal, (e) => {
      onFirst();
      if (e.type === 'text') text += e.text;
    });
    return text;
  };
  // Warm both paths (JIT, connection pool) before measuring.
  for (let i = 0; i < 20; i++) {
    await rawOnce(() => {});
    await oursOnce(() => {});
  }
  const results = [await streamBench('raw SDK', rawOnce), await streamBench('Bedrock Chat', oursOnce)];
  console.log(`\nConverseStream, ${REQUESTS} sequential requests × ${DELTAS} text deltas, local server (ms)`);
  console.log('                 first event: mean     p50     p95 | whole answer: mean     p50     p95 | heap Δ MB');
  for (const r of results) {
    console.log(
      `  ${r.label.padEnd(14)}${fmt(r.first.mean)}${fmt(r.first.p50)}${fmt(r.first.p95)} |${fmt(r.total.mean)}${fmt(r.total.p50)}${fmt(r.total.p95)} | ${r.heapMb.toFixed(1)}`,
    );
  }
  ours.destroy();
  raw.destroy();
  await server.close();
  tokenCountBench();
  console.log('');
}

/** provideTokenCount's work: a first count scans; a repeated one hits the memo (src/vscode/tokenCount.ts). */
function tokenCountBench() {
  const { estimateTextTokens, estimateMessageTokens } = require(out('src', 'core', 'chat', 'tokens.js'));
  const { createTokenCounter } = require(out('src', 'vscode', 'tokenCount.js'));
  const src = path.join(ROOT, 'src');
  const files = fs.readdirSync(src, { recursive: true }).filter((f) => f.endsWith('.ts'));
  const text = files.map((f) => fs.readFileSync(path.join(src, f), 'utf8')).join('\n').repeat(3).slice(0, 100_000);
  const json = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  const jsonChars = JSON.stringify(json).length;
  const toolResult = { role: 'user', parts: [{ type: 'toolResult', callId: 'c', content: [{ type: 'json', value: json }] }] };
  const rate = (label, chars, f) => {
    for (let i = 0; i < 20; i++) f(i);
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 500) f(n++);
    const s = (performance.now() - t0) / 1000;
    const mbs = chars ? `${((chars * n) / s / 1e6).toFixed(0).padStart(7)} MB/s` : '';
    console.log(`  ${label.padEnd(48)}${Math.round(n / s).toLocaleString('en-US').padStart(12)} calls/s ${mbs}`);
  };
  console.log('\nToken count (estimate; provideTokenCount), 0.5 s each');
  rate(`text ${(text.length / 1000).toFixed(0)} KB TypeScript, scanned`, text.length, () => estimateTextTokens(text, 'claude'));
  rate(`tool result ${(jsonChars / 1000).toFixed(0)} KB JSON, walked in place`, jsonChars, () => estimateMessageTokens(toolResult, 'claude'));
  const counter = createTokenCounter((ms) => ms.map((m) => m));
  rate('same text, memoised (LRU on the string)', 0, () => counter.count('claude', text));
  rate('same tool-result message object, memoised (WeakMap)', 0, () => counter.count('claude', toolResult));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
