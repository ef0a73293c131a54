import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  mosesDetokenize,
  mosesPreprocess,
  mosesTokenize,
  normalizePunctuation,
  removeNonPrintingChar,
  replaceUnicodePunctuation,
} from '../../../server/src/engine/text/moses/index.js';
import { PERL_CASES } from './perlCases.js';

describe('Moses stages against the perl scripts, case by case', () => {
  for (const c of PERL_CASES) {
    it(`${c.lang}: ${c.note}`, () => {
      assert.equal(replaceUnicodePunctuation(c.input), c.replaced, 'replace-unicode-punctuation');
      assert.equal(normalizePunctuation(c.replaced, c.lang), c.normalized, 'normalize-punctuation');
      assert.equal(removeNonPrintingChar(c.normalized), c.printable, 'remove-non-printing-char');
      assert.equal(mosesTokenize(c.printable, c.lang), c.tokenized, 'tokenizer -no-escape');
      assert.equal(mosesTokenize(c.printable, c.lang, { escape: true }), c.escaped, 'tokenizer');
      assert.equal(mosesPreprocess(c.input, c.lang), c.tokenized, 'the 4-stage pipeline');
      assert.equal(mosesDetokenize(c.tokenized, c.lang), c.detokenized, 'detokenizer');
    });
  }
});
