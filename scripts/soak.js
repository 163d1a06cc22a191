#!/usr/bin/env node
'use strict';
// `npm run soak`: many requests, a seeded mix of faults and normal answers,
// several at once, through the provider's path with the real AWS SDK against
// the local Bedrock server (test/soak/soak.ts). Prints the figures; exits 1 on
// any violation (a request that did not end cleanly, a leak, cross-talk, a secret
// in a log line or error). Options (or SOAK_REQUESTS, SOAK_CONCURRENCY, SOAK_SEED):
//   --requests N (500)  --concurrency N (8)  --seed N (1)  --idle-timeout SECONDS (1)
// npm test runs it with --requests 60. Needs `npm run compile` first (npm run soak does it).
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');
const vm = require('node:vm');

const ROOT = path.resolve(__dirname, '..');
const compiled = path.join(ROOT, 'out', 'test', 'soak', 'soak.js');
if (!fs.existsSync(compiled)) {
  console.error(`soak: ${path.relative(ROOT, compiled)} is missing; run \`npm run compile\` first (or \`npm run soak\`).`);
  process.exit(2);
}

function option(name, envName, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : process.env[envName];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`soak: --${name} must be a positive number, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

// A full collection before and after, for the heap figure, without a node flag.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const { runSoak, formatFigures, DEFAULT_SOAK } = require(compiled);
const options = {
  requests: Math.floor(option('requests', 'SOAK_REQUESTS', DEFAULT_SOAK.requests)),
  concurrency: Math.floor(option('concurrency', 'SOAK_CONCURRENCY', DEFAULT_SOAK.concurrency)),
  seed: Math.floor(option('seed', 'SOAK_SEED', DEFAULT_SOAK.seed)),
  idleTimeoutSeconds: option('idle-timeout', 'SOAK_IDLE_TIMEOUT', DEFAULT_SOAK.idleTimeoutSeconds),
};

runSoak(options, gc).then(
  (figures) => {
    console.log(formatFigures(figures));
    process.exitCode = figures.violations.length ? 1 : 0;
  },
  (err) => {
    console.error('soak: failed to run:', err && err.stack ? err.stack : err);
    process.exitCode = 1;
  },
);
