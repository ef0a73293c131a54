import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  mosesDetokenize,
  mosesPreprocess,
  mosesTokenize,
  normalizePunctuation,
  removeNonPrintingChar,
  replaceUnicodePunctuation,
} from '../../server/src/engine/text/moses/index.js';
import { NLP_PARITY } from '../helpers/paths.js';

/**
 * Our Moses port against the reference outputs of the perl scripts (NLP_PARITY_FIXTURE/tokenize, see
 * its README): every stage of every `raw.L`, byte for byte, line for line — trailing and double
 * spaces included.
 */
const DIR = join(NLP_PARITY, 'tokenize');

/** The file's lines as raw bytes (split on "\n"; the file must end with one). */
function byteLines(file: string): Buffer[] {
  const buf = readFileSync(file);
  assert.equal(buf[buf.length - 1], 0x0a, `${file} does not end with a newline`);
  const lines: Buffer[] = [];
  let start = 0;
  for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
    lines.push(buf.subarray(start, nl));
    start = nl + 1;
  }
  return lines;
}

function expectSame(name: string, input: Buffer[], expected: Buffer[], f: (line: string) => string): void {
  assert.equal(input.length, expected.length, `${name}: line counts differ`);
  const diffs: string[] = [];
  let count = 0;
  for (let i = 0; i < input.length; i++) {
    const got = Buffer.from(f(input[i]!.toString('utf8')), 'utf8');
    if (!got.equals(expected[i]!)) {
      count++;
      if (diffs.length < 3)
        diffs.push(`line ${i + 1}:\n  got      ${JSON.stringify(got.toString('utf8'))}\n  expected ${JSON.stringify(expected[i]!.toString('utf8'))}`);
    }
  }
  assert.equal(count, 0, `${name}: ${count} of ${input.length} lines differ\n${diffs.join('\n')}`);
}

const langs = existsSync(DIR)
  ? readdirSync(DIR)
      .filter((f) => /^raw\.[a-z]+$/.test(f))
      .map((f) => f.slice(4))
      .sort()
  : [];

describe('Moses pipeline parity with the perl scripts', () => {
  it('finds the fixture', () => {
    assert.ok(langs.length > 0, `no raw.L files in ${DIR} (set NLP_PARITY_FIXTURE)`);
  });

  for (const lang of langs) {
    const file = (name: string): Buffer[] => byteLines(join(DIR, `${name}.${lang}`));
    describe(lang, () => {
      it('1 replace-unicode-punctuation.perl', () => {
        expectSame(`1-replace-unicode.${lang}`, file('raw'), file('1-replace-unicode'), replaceUnicodePunctuation);
      });
      it(`2 normalize-punctuation.perl -l ${lang}`, () => {
        expectSame(`2-normalize.${lang}`, file('1-replace-unicode'), file('2-normalize'), (l) => normalizePunctuation(l, lang));
      });
      it('3 remove-non-printing-char.perl', () => {
        expectSame(`3-remove-non-printing.${lang}`, file('2-normalize'), file('3-remove-non-printing'), removeNonPrintingChar);
      });
      it(`4 tokenizer.perl -l ${lang} -no-escape`, () => {
        expectSame(`4-tokenized.${lang}`, file('3-remove-non-printing'), file('4-tokenized'), (l) => mosesTokenize(l, lang));
      });
      it('the whole XLM pipeline from raw text', () => {
        expectSame(`4-tokenized.${lang}`, file('raw'), file('4-tokenized'), (l) => mosesPreprocess(l, lang));
      });
      it(`5 detokenizer.perl -l ${lang}`, () => {
        expectSame(`5-detokenized.${lang}`, file('4-tokenized'), file('5-detokenized'), (l) => mosesDetokenize(l, lang));
      });
    });
  }
});
