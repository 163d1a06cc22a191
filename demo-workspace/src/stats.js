'use strict';
// Small statistics helpers for a list of numbers.

/** The arithmetic mean; NaN for an empty list. */
function mean(values) {
  if (values.length === 0) return NaN;
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** The middle value. Bug on purpose: it forgets to sort first. */
function median(values) {
  if (values.length === 0) return NaN;
  const mid = Math.floor(values.length / 2);
  return values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/** The smallest and the largest value. */
function range(values) {
  return { min: Math.min(...values), max: Math.max(...values) };
}

module.exports = { mean, median, range };
