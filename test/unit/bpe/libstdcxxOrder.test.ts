import { test } from 'node:test';
import assert from 'node:assert/strict';
import { libstdcxxHashString, mod64 } from '../../../server/src/engine/text/bpe/libstdcxxHash.js';
import { libstdcxxIterationOrder } from '../../../server/src/engine/text/bpe/libstdcxxOrder.js';

test('std::hash<std::string> values match those printed by a g++ 12 (libstdc++ 6.0.30) program', () => {
  // `std::cout << std::hash<std::string>{}(s)`, covering the empty string, a tail-only string, exactly
  // one 8-byte block, a block plus tail, multi-byte UTF-8 and a longer string.
  const expected: [string, string][] = [
    ['', '6142509188972423790'],
    ['a', '4993892634952068459'],
    ['abc', '3663726644998027833'],
    ['abcdefgh', '8664279048047335611'],
    ['abcdefghi', '13036955925923793583'],
    ['héllo', '18187499133745458422'],
    ['the quick brown fox', '2763035191093133517'],
  ];
  for (const [s, h] of expected) assert.equal(libstdcxxHashString(s), h, `hash of '${s}'`);
});

test('mod64 agrees with BigInt arithmetic for bucket counts up to 2^32', () => {
  let x = 0x9e3779b9;
  const next = () => (x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0);
  for (const m of [13, 29, 1447153, 3504151727]) {
    for (let i = 0; i < 200; i++) {
      const hi = next();
      const lo = next();
      const want = Number(((BigInt(hi) << 32n) | BigInt(lo)) % BigInt(m));
      assert.equal(mod64(hi, lo, m), want);
    }
  }
});

test('iteration order matches std::unordered_map<std::string, int> built by g++ 12', () => {
  // Printed by a g++ program inserting the keys in this order (`for (auto& x : m) cout << x.first`).
  // 30 keys cross two rehashes (13 -> 29 -> 59 buckets).
  const keys = Array.from({ length: 30 }, (_, i) => `w${i}`);
  const cpp = 'w29 w10 w14 w11 w16 w6 w5 w24 w19 w4 w3 w8 w22 w27 w7 w12 w13 w1 w9 w26 w0 w21 w15 w18 w17 w20 w23 w28 w2 w25';
  assert.equal(Array.from(libstdcxxIterationOrder(keys), (i) => keys[i]).join(' '), cpp);
  const utf8 = 'der die das le la les the of à été Übersicht 日本 😀 x'.split(' ');
  assert.equal(Array.from(libstdcxxIterationOrder(utf8), (i) => utf8[i]).join(' '), 'x à die le der les of das the 日本 été la Übersicht 😀');
  assert.deepEqual([...libstdcxxIterationOrder(['only'])], [0]);
  assert.deepEqual([...libstdcxxIterationOrder([])], []);
});
