import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ALNUM, ALPHA, CURRENCY, LL, LOWER, NUMBER, OTHER, SPACE, inClass, type PerlClass } from '../../../server/src/engine/text/moses/perlUnicode.js';

const SETS: Record<string, PerlClass> = { ALNUM, ALPHA, CURRENCY, LL, LOWER, NUMBER, OTHER, SPACE };

describe('Perl 5.36 Unicode classes', () => {
  it('have sorted, disjoint, non-adjacent ranges within U+0000..U+10FFFF', () => {
    for (const [name, set] of Object.entries(SETS)) {
      let prevEnd = -2;
      for (const [a, b] of set.ranges) {
        assert.ok(a > prevEnd + 1 && a <= b && b <= 0x10ffff, `${name}: bad range ${a.toString(16)}-${b.toString(16)}`);
        prevEnd = b;
      }
    }
  });

  it('match as regex classes exactly where inClass says, for every code point', () => {
    for (const [name, set] of Object.entries({ ALNUM, OTHER, LOWER })) {
      const re = new RegExp(`^[${set.all}]$`, 'u');
      for (let cp = 0; cp <= 0x10ffff; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff) continue;
        if (re.test(String.fromCodePoint(cp)) !== inClass(set, cp)) assert.fail(`${name}: U+${cp.toString(16)}`);
      }
    }
  });

  it('agree with the ASCII classes Perl uses', () => {
    const ascii = (set: PerlClass): string => {
      let s = '';
      for (let c = 0; c < 128; c++) if (inClass(set, c)) s += String.fromCharCode(c);
      return s;
    };
    assert.equal(ascii(ALNUM), '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
    assert.equal(ascii(ALPHA), 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
    assert.equal(ascii(NUMBER), '0123456789');
    assert.equal(ascii(LOWER), 'abcdefghijklmnopqrstuvwxyz');
    assert.equal(ascii(CURRENCY), '$');
    assert.equal(ascii(SPACE), '\t\n\v\f\r ');
    assert.equal(ascii(OTHER).length, 33); // C0 controls and DEL
    const asciiRe = new RegExp(`^[${ALNUM.ascii}]+$`, 'u');
    assert.ok(asciiRe.test('az09AZ') && !asciiRe.test('é'));
  });

  it('are Unicode 14, whatever Unicode version this Node has', () => {
    assert.ok(inClass(LL, 0x0295) && inClass(LOWER, 0x0295), 'U+0295 is Ll in Unicode 14');
    assert.ok(!inClass(ALPHA, 0x0363), 'U+0363 became Alphabetic in Unicode 16');
    assert.ok(inClass(OTHER, 0x1f6dc), 'U+1F6DC was assigned in Unicode 15');
    assert.ok(!inClass(CURRENCY, 0x20c1), 'U+20C1 (Saudi riyal sign) was assigned in Unicode 17');
    assert.ok(inClass(SPACE, 0x85) && inClass(SPACE, 0xa0) && !inClass(SPACE, 0xfeff), 'Perl \\s, not JavaScript \\s');
    assert.ok(inClass(NUMBER, 0xb2) && !inClass(ALNUM, 0xb2), '² is \\p{N} but not Alnum (No, not Nd)');
    assert.ok(inClass(ALNUM, 0x2160), 'Ⅰ (Nl) is Alphabetic');
  });
});
