import { OTHER } from './perlUnicode.js';

/**
 * Moses `remove-non-printing-char.perl`: every \p{C} character (controls, format characters such as
 * U+200B/U+FEFF, private use, unassigned) becomes a space. The script decodes UTF-8, so this is per
 * code point; \p{C} is Perl 5.36's (Unicode 14), see perlUnicode.ts.
 */

const OTHER_CHAR = new RegExp(`[${OTHER.all}]`, 'gu');
/** Printable ASCII only: nothing to replace. */
const ONLY_PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** One line (without its `\n`) through remove-non-printing-char.perl. */
export function removeNonPrintingChar(line: string): string {
  if (ONLY_PRINTABLE_ASCII.test(line)) return line;
  return line.replace(OTHER_CHAR, ' ');
}
