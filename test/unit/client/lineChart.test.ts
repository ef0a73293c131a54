import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTick, niceTicks } from '../../../media/src/lineChart.js';

test('chart ticks are round numbers that cover the data', () => {
  assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(3.7, 9.2, 4), [2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(0.00012, 0.00049, 3), [0, 0.0002, 0.0004, 0.0006]);
  const t = niceTicks(1.234, 1.236, 4);
  assert.ok(t[0]! <= 1.234 && t[t.length - 1]! >= 1.236, JSON.stringify(t));
});

test('tick labels stay short', () => {
  assert.deepEqual([0, 5.123, 12.34, 167.3, 123456, 0.00002].map(formatTick), ['0', '5.12', '12.3', '167', '1.2e+5', '2.0e-5']);
});
