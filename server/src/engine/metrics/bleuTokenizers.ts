import { pySplit } from './pythonText.js';

/** The sacreBLEU tokenizers we carry (`-tok`), named as sacreBLEU names them in its signature. */
export type BleuTokenizerName = '13a' | 'none' | 'char' | 'intl';
export const BLEU_TOKENIZERS: readonly BleuTokenizerName[] = ['13a', 'none', 'char', 'intl'];

// sacreBLEU's TokenizerRegexp (mteval-v13a's "language-dependent part"), rule for rule.
/** Space and every ASCII punctuation mark except the apostrophe, comma, dash and period. */
const SYMBOL = /([\x7b-\x7e\x5b-\x60\x20-\x26\x28-\x2b\x3a-\x40\x2f])/g;
/** Period and comma unless preceded by a digit. */
const PERIOD_COMMA_AFTER_NON_DIGIT = /([^0-9])([.,])/gu;
/** Period and comma unless followed by a digit. */
const PERIOD_COMMA_BEFORE_NON_DIGIT = /([.,])([^0-9])/gu;
/** A dash after a digit. */
const DASH_AFTER_DIGIT = /([0-9])(-)/g;

function regexpTokenize(line: string): string {
  const out = line
    .replace(SYMBOL, ' $1 ')
    .replace(PERIOD_COMMA_AFTER_NON_DIGIT, '$1 $2 ')
    .replace(PERIOD_COMMA_BEFORE_NON_DIGIT, ' $1 $2')
    .replace(DASH_AFTER_DIGIT, '$1 $2 ');
  return pySplit(out).join(' ');
}

/** sacreBLEU's default `13a` tokenizer (mteval-v13a.pl). */
export function tokenize13a(line: string): string {
  let s = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (s.includes('&')) {
    s = s.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  return regexpTokenize(` ${s} `);
}

// mteval-v14 "international" tokenization on Unicode classes. JavaScript's Unicode tables may be
// a version newer than those of the Python `regex` module sacreBLEU runs on.
const INTL_PUNCT_AFTER = /(\P{N})(\p{P})/gu;
const INTL_PUNCT_BEFORE = /(\p{P})(\P{N})/gu;
const INTL_SYMBOL = /(\p{S})/gu;

export function tokenizeIntl(line: string): string {
  const out = line.replace(INTL_PUNCT_AFTER, '$1 $2 ').replace(INTL_PUNCT_BEFORE, ' $1 $2').replace(INTL_SYMBOL, ' $1 ');
  return pySplit(out).join(' ');
}

/** Every character (code point) is a token. */
export function tokenizeChar(line: string): string {
  return Array.from(line).join(' ');
}

export function bleuTokenizer(name: BleuTokenizerName): (line: string) => string {
  switch (name) {
    case '13a':
      return tokenize13a;
    case 'none':
      return (line) => line;
    case 'char':
      return tokenizeChar;
    case 'intl':
      return tokenizeIntl;
  }
}
