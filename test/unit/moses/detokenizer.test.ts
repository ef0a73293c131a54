import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { mosesDetokenize } from '../../../server/src/engine/text/moses/index.js';

// Expected values are detokenizer.perl's outputs (commit 34452895f350, Perl 5.36) on the same input.
describe('mosesDetokenize', () => {
  it('returns blank lines and tag-like lines unchanged', () => {
    assert.equal(mosesDetokenize('  ', 'en'), '  ');
    assert.equal(mosesDetokenize('<b> x </b>', 'en'), '<b> x </b>');
    assert.equal(mosesDetokenize('< p >', 'en'), '< p >');
  });

  it('alternates opening and closing quotes', () => {
    assert.equal(mosesDetokenize('" a " b " c "', 'en'), '"a" b "c"');
    assert.equal(mosesDetokenize("' a ' ' b '", 'en'), "'a' 'b'");
  });

  it('attaches English contractions and the possessive after s', () => {
    assert.equal(mosesDetokenize("I don 't know , it 's John 's 1990 's car .", 'en'), "I don't know, it's John's 1990's car.");
    assert.equal(mosesDetokenize("the Jones ' house", 'en'), "the Jones' house");
  });

  it('attaches French elisions and spaces ? ! : ; % in French only', () => {
    assert.equal(mosesDetokenize("L' homme qu' il a vu", 'fr'), "L'homme qu'il a vu");
    assert.equal(mosesDetokenize('Quoi ? Bon ! 5 % : x ; y', 'fr'), 'Quoi ? Bon ! 5 % : x ; y');
    assert.equal(mosesDetokenize('Quoi ? Bon !', 'en'), 'Quoi? Bon!');
  });

  it('attaches currency and opening brackets to the right, closing punctuation to the left', () => {
    assert.equal(mosesDetokenize('Mr. Smith paid $ 5,300.50 ( approx . ) on Jan. 5 .', 'en'), 'Mr. Smith paid $5,300.50 (approx.) on Jan. 5.');
  });

  it('unescapes in detokenizer.perl order (&amp; last)', () => {
    assert.equal(mosesDetokenize('&amp;lt; &#124; &bar; x', 'en'), '&lt; | | x');
  });

  it('applies the Czech and Finnish rules', () => {
    assert.equal(mosesDetokenize('Je to 3 , 5 procenta', 'cs'), 'Je to 3,5 procenta');
    assert.equal(mosesDetokenize('zda - li e - mail ano', 'cs'), 'zda-li e-mail ano');
    assert.equal(mosesDetokenize('EU:n ja USA:ssa : kyllä', 'fi'), 'EU:n ja USA:ssa: kyllä');
  });
});
