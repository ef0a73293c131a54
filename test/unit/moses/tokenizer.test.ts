import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { mosesDetokenize, mosesTokenize } from '../../../server/src/engine/text/moses/index.js';

// Expected values are tokenizer.perl's outputs (commit 34452895f350, Perl 5.36) on the same input.
describe('mosesTokenize', () => {
  it('returns whitespace-only lines unchanged, as tokenizer.perl prints them as is', () => {
    assert.equal(mosesTokenize('', 'en'), '');
    assert.equal(mosesTokenize('   ', 'en'), '   ');
    assert.equal(mosesTokenize('\u3000\u00a0\t', 'fr'), '\u3000\u00a0\t');
  });

  it("keeps the trailing and double spaces of the .' rule", () => {
    assert.equal(mosesTokenize("He said 'hello.'", 'en'), "He said ' hello . ' ");
    assert.equal(mosesTokenize("He said 'hello .'", 'en'), "He said ' hello  . ' ");
  });

  it('splits English contractions right and French/Italian elisions left', () => {
    assert.equal(mosesTokenize("I don't know what it's", 'en'), "I don 't know what it 's");
    assert.equal(mosesTokenize("L'homme qu'il a vu aujourd'hui", 'fr'), "L' homme qu' il a vu aujourd' hui");
    assert.equal(mosesTokenize("l'uomo dell'anno", 'it'), "l' uomo dell' anno");
    // German and Romanian take the generic rule: every ' is a token
    assert.equal(mosesTokenize("Hr. Müller's Auto", 'de'), "Hr . Müller ' s Auto");
    assert.equal(mosesTokenize("S-a dus l'école.", 'ro'), "S-a dus l ' école .");
  });

  it("lets one match consume the letter after ' (Perl's non-overlapping s///g)", () => {
    assert.equal(mosesTokenize("a'b'c", 'en'), "a 'b'c");
    assert.equal(mosesTokenize("rock'n'roll", 'en'), "rock 'n'roll");
  });

  it('keeps the period of non-breaking prefixes, per language', () => {
    assert.equal(mosesTokenize('Mr. Smith met Prof. Jones in the U.S. today.', 'en'), 'Mr. Smith met Prof. Jones in the U.S. today .');
    assert.equal(mosesTokenize('M. Dupont et Mme. Durand', 'fr'), 'M. Dupont et Mme . Durand');
    assert.equal(mosesTokenize('Am 5. Mai traf Dr. Schmidt z.B. Prof. Weber.', 'de'), 'Am 5. Mai traf Dr. Schmidt z.B. Prof. Weber .');
    assert.equal(mosesTokenize('Am 5. Mai', 'en'), 'Am 5 . Mai');
    assert.equal(mosesTokenize('Dl. Popescu, etc. pt. tine.', 'ro'), 'Dl. Popescu , etc. pt. tine .');
  });

  it('keeps a numeric-only prefix only before a number', () => {
    assert.equal(mosesTokenize('Read No. 5 and No. More', 'en'), 'Read No. 5 and No . More');
  });

  it('keeps the period before a lowercase word', () => {
    assert.equal(mosesTokenize('Hello. world', 'en'), 'Hello. world');
    assert.equal(mosesTokenize('Hello. World', 'en'), 'Hello . World');
  });

  it('falls back to the English prefixes for a language Moses has no list for', () => {
    assert.equal(mosesTokenize("Mr. Smith's No. 5 car.", 'xx'), "Mr. Smith ' s No. 5 car .");
  });

  it('keeps commas inside numbers and dot runs together', () => {
    assert.equal(mosesTokenize('5,000 and 1,2,3 and a,b,c', 'en'), '5,000 and 1,2,3 and a , b , c');
    assert.equal(mosesTokenize('wait... what?!...', 'en'), 'wait ... what ? ! ...');
    assert.equal(mosesTokenize('ab..cd....ef', 'en'), 'ab .. cd .... ef');
  });

  it('splits URLs and e-mail addresses into pieces', () => {
    assert.equal(mosesTokenize('Voir http://www.exemple.fr/page?a=1&b=2.', 'fr'), 'Voir http : / / www.exemple.fr / page ? a = 1 & b = 2 .');
    assert.equal(mosesTokenize('Mail foo@bar.org.', 'en'), 'Mail foo @ bar.org .');
  });

  it('treats NBSP, NEL and U+3000 as whitespace (Perl decodes UTF-8)', () => {
    assert.equal(mosesTokenize('a\u00a0b\u0085c\u3000d', 'en'), 'a b c d');
  });

  it('escapes only when asked', () => {
    assert.equal(mosesTokenize('AT&T <b> [x] | "y"', 'en'), 'AT & T < b > [ x ] | " y "');
    assert.equal(mosesTokenize('AT&T <b> [x] | "y"', 'en', { escape: true }), 'AT &amp; T &lt; b &gt; &#91; x &#93; &#124; &quot; y &quot;');
  });

  it('splits hyphens with aggressive, and the detokenizer joins them back', () => {
    const tok = mosesTokenize('e-mail and co-operate, 3-4 times', 'en', { aggressive: true });
    assert.equal(tok, 'e @-@ mail and co @-@ operate , 3 @-@ 4 times');
    assert.equal(mosesDetokenize(tok, 'en'), 'e-mail and co-operate, 3-4 times');
  });

  it('applies the Catalan, Finnish/Swedish rules', () => {
    assert.equal(mosesTokenize('l·l i col·legi', 'ca'), 'l·l i col·legi');
    // tokenizer.perl has no `use utf8`: its "·" is the pair U+00C2 U+00B7
    assert.equal(mosesTokenize('xÂ·Y et Â·', 'ca'), 'x Â· Y et Â·');
    assert.equal(mosesTokenize('EU:n ja USA:ssa: kyllä', 'fi'), 'EU:n ja USA:ssa : kyllä');
  });

  it('mangles literal DOTMULTI text exactly as Moses does', () => {
    assert.equal(mosesTokenize('DOTMULTI. literal', 'en'), '.. literal');
  });

  it('uses Perl 5.36 (Unicode 14) properties, not the running Node version', () => {
    // U+0295 is Ll in Unicode 14 (Lo since 16): the next word "starts in lowercase"
    assert.equal(mosesTokenize('Hello. \u0295x', 'en'), 'Hello. \u0295x');
    // U+0363 became Alphabetic in Unicode 16: Perl 5.36 splits it off
    assert.equal(mosesTokenize('a\u0363b', 'en'), 'a \u0363 b');
  });
});
