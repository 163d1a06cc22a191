'use strict';
// Formats a summary of a list of numbers for the terminal.
const { mean, median, range } = require('./stats');

function summary(values) {
  const { min, max } = range(values);
  return [
    `count:  ${values.length}`,
    `mean:   ${mean(values).toFixed(2)}`,
    `median: ${median(values)}`,
    `range:  ${min} .. ${max}`,
  ].join('\n');
}

module.exports = { summary };
