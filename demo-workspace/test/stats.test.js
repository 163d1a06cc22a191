'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { mean, median, range } = require('../src/stats');

test('mean', () => {
  assert.equal(mean([1, 2, 3, 4]), 2.5);
  assert.ok(Number.isNaN(mean([])));
});

test('median of sorted input', () => {
  assert.equal(median([1, 2, 3]), 2);
  assert.equal(median([1, 2, 3, 4]), 2.5);
});

test('range', () => {
  assert.deepEqual(range([3, 1, 4]), { min: 1, max: 4 });
});
