import { normalizePunctuation } from './normalizePunctuation.js';
import { removeNonPrintingChar } from './removeNonPrintingChar.js';
import { replaceUnicodePunctuation } from './replaceUnicodePunctuation.js';
import { tokenize } from './tokenizer.js';

/**
 * XLM's preprocessing (get-data-nmt.sh / get-data-para.sh):
 *   replace-unicode-punctuation.perl | normalize-punctuation.perl -l L | remove-non-printing-char.perl
 *   | tokenizer.perl -l L -no-escape
 */
export const MOSES_STAGES = ['replace-unicode', 'normalize', 'remove-non-printing', 'tokenize'] as const;
export type MosesStage = (typeof MOSES_STAGES)[number];

/**
 * One line (without its `\n`) through the XLM pipeline up to and including `lastStage` (default: all
 * four). The result has no `\n`; it can end in a space (tokenizer.perl's `.'` rule) — keep it.
 */
export function mosesPreprocess(line: string, lang: string, lastStage: MosesStage = 'tokenize'): string {
  let s = replaceUnicodePunctuation(line);
  if (lastStage === 'replace-unicode') return s;
  s = normalizePunctuation(s, lang);
  if (lastStage === 'normalize') return s;
  s = removeNonPrintingChar(s);
  if (lastStage === 'remove-non-printing') return s;
  return tokenize(s, lang, { escape: false });
}
