#!/usr/bin/env node
'use strict';
// Usage: node src/index.js 3 1 4 1 5
const { summary } = require('./format');

const values = process.argv.slice(2).map(Number).filter((n) => !Number.isNaN(n));
if (values.length === 0) {
  console.error('usage: node src/index.js <numbers...>');
  process.exit(2);
}
console.log(summary(values));
