import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { normalizePunctuation, replaceUnicodePunctuation, removeNonPrintingChar } from '../../../server/src/engine/text/moses/index.js';

// Expected values are the perl scripts' outputs (commit 34452895f350, Perl 5.36) on the same input.
describe('normalizePunctuation', () => {
  it('moves ." also at the end of the line (Perl sees the "\\n"), but not directly before <', () => {
    assert.equal(normalizePunctuation('Il a dit "oui."', 'fr'), 'Il a dit "oui".');
    assert.equal(normalizePunctuation('Il a dit "non." <b>', 'fr'), 'Il a dit "non". <b>');
    assert.equal(normalizePunctuation('Il a dit "non."<b>', 'fr'), 'Il a dit "non."<b>');
    assert.equal(normalizePunctuation('"Quoted," she said. "Yes".', 'en'), '"Quoted," she said. "Yes."');
  });

  it('turns digit NBSP digit into d.d or d,d by language', () => {
    assert.equal(normalizePunctuation('1\u00a0000\u00a0000', 'en'), '1.000.000');
    assert.equal(normalizePunctuation('1\u00a0000', 'ro'), '1.000');
    assert.equal(normalizePunctuation('1\u00a0000', 'fr'), '1,000');
    assert.equal(normalizePunctuation('1\u00a0000', 'de'), '1,000');
  });

  it('reads French quotes and NBSP pseudo-spaces', () => {
    assert.equal(normalizePunctuation('Il a dit\u00a0: «\u00a0Bonjour\u00a0!\u00a0»', 'fr'), 'Il a dit: "Bonjour!"');
    assert.equal(normalizePunctuation('nº\u00a05, 20\u00a0%, 30\u00a0ºC and 10\u00a0cm', 'en'), 'nº 5, 20%, 30 ºC and 10 cm');
  });

  it('uses ASCII-only [a-z] for ’ between letters (the script matches bytes)', () => {
    assert.equal(normalizePunctuation('é’a b’c', 'fr'), 'é"a b\'c');
  });

  it('squeezes the spaces around parentheses and before : ;', () => {
    assert.equal(normalizePunctuation('a(b)c ( d ) : e ; f', 'en'), 'a (b) c (d): e; f');
  });
});

describe('replaceUnicodePunctuation', () => {
  it('maps full-width and CJK punctuation; 。 takes the spaces after it', () => {
    assert.equal(replaceUnicodePunctuation('（测试）１２３。 。Next'), '(测试)123. . Next');
    assert.equal(replaceUnicodePunctuation('“a” ‘b’ …'), '"a" ‘b\' ...');
  });
});

describe('removeNonPrintingChar', () => {
  it('replaces \\p{C} of Unicode 14 by spaces, code point by code point', () => {
    assert.equal(removeNonPrintingChar('tab\there\u200bzero\ufeffwidth'), 'tab here zero width');
    // U+1F6DC was assigned in Unicode 15: Perl 5.36 calls it unassigned (Cn)
    assert.equal(removeNonPrintingChar('new \u{1f6dc} char'), 'new   char');
    assert.equal(removeNonPrintingChar('ok \u{1f600} \u2028'), 'ok \u{1f600} \u2028');
  });
});
