import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed } from '../../../server/src/engine/metrics/formatFixed.js';

// Expected strings are Python's f"{x:.Nf}" (the same as C/Perl printf "%.Nf").
test('exact ties go to the even digit, unlike toFixed', () => {
  assert.equal(formatFixed(0.125, 2), '0.12');
  assert.equal((0.125).toFixed(2), '0.13', 'the JavaScript behaviour this replaces');
  assert.equal(formatFixed(0.375, 2), '0.38');
  assert.equal(formatFixed(0.0625, 3), '0.062');
  assert.equal(formatFixed(78.25, 1), '78.2');
  assert.equal(formatFixed(2.5, 0), '2');
  assert.equal(formatFixed(3.5, 0), '4');
  assert.equal(formatFixed(0.5, 0), '0');
});

test('values just off a tie round by their exact binary value', () => {
  assert.equal(formatFixed(2.675, 2), '2.67'); // 2.67499999…
  assert.equal(formatFixed(1.005, 2), '1.00');
  assert.equal(formatFixed(78.35, 1), '78.3');
  assert.equal(formatFixed(9.9995, 3), '9.999');
});

test('carries, signs, extremes', () => {
  assert.equal(formatFixed(99.995, 2), '100.00');
  assert.equal(formatFixed(99.996, 2), '100.00');
  assert.equal(formatFixed(100.00000000000004, 2), '100.00');
  assert.equal(formatFixed(-0, 2), '-0.00');
  assert.equal(formatFixed(-0.0001, 2), '-0.00');
  assert.equal(formatFixed(5e-324, 2), '0.00');
  assert.equal(formatFixed(1e22, 1), '10000000000000000000000.0');
  assert.equal(formatFixed(Number.NaN, 2), 'nan');
  assert.equal(formatFixed(Number.POSITIVE_INFINITY, 2), 'inf');
});
