import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { hasPrefixList, nonbreakingPrefixes } from '../../../server/src/engine/text/moses/index.js';

describe('nonbreakingPrefixes', () => {
  it('has the Moses lists for en, fr, de, ro', () => {
    const en = nonbreakingPrefixes('en');
    assert.equal(en.get('Mr'), 1);
    assert.equal(en.get('e.g'), 1);
    assert.equal(en.get('No'), 2); // "No #NUMERIC_ONLY# " (trailing space in the Moses file)
    assert.equal(en.get('pp'), 2);
    assert.equal(en.get('Smith'), undefined);
    assert.equal(nonbreakingPrefixes('fr').get('M'), 1);
    assert.equal(nonbreakingPrefixes('fr').get('Mme'), undefined);
    assert.equal(nonbreakingPrefixes('de').get('z.B'), 1);
    assert.equal(nonbreakingPrefixes('de').get('5'), 1);
    assert.equal(nonbreakingPrefixes('de').get('Nr'), 1);
    assert.equal(nonbreakingPrefixes('ro').get('Dl'), 1);
    assert.equal(nonbreakingPrefixes('ro').get('șamd'), 1);
  });

  it('falls back to English for a language without a list, as tokenizer.perl does', () => {
    assert.equal(hasPrefixList('xx'), false);
    assert.equal(hasPrefixList('ro'), true);
    assert.equal(nonbreakingPrefixes('xx'), nonbreakingPrefixes('en'));
  });

  it('has every list Moses ships', () => {
    for (const lang of 'as bn ca cs de el en es et fi fr ga gu hi hu is it kn lt lv ml mni mr nl or pa pl pt ro ru sk sl sv ta tdt te yue zh'.split(' ')) {
      assert.ok(hasPrefixList(lang), lang);
      assert.ok(nonbreakingPrefixes(lang).size > 20, lang);
    }
  });
});
