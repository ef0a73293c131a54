import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { MOSES_STAGES, mosesPreprocess } from '../../../server/src/engine/text/moses/index.js';

describe('mosesPreprocess', () => {
  it('stops after the stage asked for', () => {
    const line = '«\u00a0L’été\u00a0» coûte 1\u00a0000\u00a0€\u200b.';
    const outs = MOSES_STAGES.map((stage) => mosesPreprocess(line, 'fr', stage));
    // replace-unicode-punctuation, normalize-punctuation -l fr, remove-non-printing-char, tokenizer -l fr -no-escape
    assert.deepEqual(outs, [
      "«\u00a0L'été\u00a0» coûte 1\u00a0000\u00a0€\u200b.",
      '"L\'été" coûte 1,000\u00a0€\u200b.',
      '"L\'été" coûte 1,000\u00a0€ .',
      '" L\' été " coûte 1,000 € .',
    ]);
    assert.equal(mosesPreprocess(line, 'fr'), outs[3]);
  });
});
