import { ALNUM, ALPHA, CURRENCY, SPACE } from './perlUnicode.js';

/**
 * Moses `detokenizer.perl -l LANG` (default mode: no -u, no -penn), rule for rule. It decodes UTF-8;
 * \p{…} and \s are Perl 5.36's Unicode classes (perlUnicode.ts).
 */

const BLANK = new RegExp(`^[${SPACE.all}]*$`, 'u');
/** `/^<.+>$/`: Perl's `.` is anything but `\n` (JavaScript's also excludes `\r`, U+2028, U+2029). */
const XML_TAG_LINE = /^<[^\n]+>$/;

const RIGHT_SHIFT = new RegExp(`^[${CURRENCY.all}([{¿¡]+$`, 'u');
const LEFT_SHIFT = /^[,.?!:;\\%}\])]+$/;
const FRENCH_SPACED = /^[?!:;\\%]$/;
const STARTS_APOSTROPHE_ALPHA = new RegExp(`^'[${ALPHA.all}]`, 'u');
const ENDS_ALNUM = new RegExp(`[${ALNUM.all}]$`, 'u');
const ENDS_ALPHA_APOSTROPHE = new RegExp(`[${ALPHA.all}]'$`, 'u');
const STARTS_ALPHA = new RegExp(`^[${ALPHA.all}]`, 'u');
const ENDS_ALPHA = new RegExp(`[${ALPHA.all}]$`, 'u');
const DIGITS = /^[0-9]+$/;
const POINT_OR_COMMA = /^[.,]$/;
const DASH = /^[-–]$/;
const CZECH_DASHED = /^li$|^mail/i;
const QUOTES = /^['"„“`]+$/u;
const LOW_OR_HIGH_DOUBLE_QUOTES = /^[„“”]+$/u;
const ENDS_S = /s$/;
const FINNISH_CASE_SUFFIX =
  /^(N|n|A|a|Ä|ä|ssa|Ssa|ssä|Ssä|sta|stä|Sta|Stä|hun|Hun|hyn|Hyn|han|Han|hän|Hän|hön|Hön|un|Un|yn|Yn|an|An|än|Än|ön|Ön|seen|Seen|lla|Lla|llä|Llä|lta|Lta|ltä|Ltä|lle|Lle|ksi|Ksi|kse|Kse|tta|Tta|ine|Ine)(ni|si|mme|nne|nsa)?(ko|kö|han|hän|pa|pä|kaan|kään|kin)?$/;

/**
 * One line (without its `\n`) through detokenizer.perl -l lang; the result has no `\n`. Blank lines
 * and lines that look like an XML tag (`<…>`) come back unchanged, as the script prints them as is.
 */
export function detokenize(line: string, lang: string): string {
  if (XML_TAG_LINE.test(line) || BLANK.test(line)) return line;

  let text = ` ${line} `;
  if (text.includes(' @-@ ')) text = text.replaceAll(' @-@ ', '-');
  if (text.includes('&')) text = deescapeSpecialChars(text);

  // Perl's split(/ /, …) drops trailing empty fields (there is always one: the text ends with ' ').
  const words = text.split(' ');
  while (words.length > 0 && words[words.length - 1] === '') words.pop();
  const n = words.length;

  const quoteCount = new Map<string, number>();
  let out = '';
  let prependSpace = ' ';
  for (let i = 0; i < n; i++) {
    const word = words[i]!;
    if (startsWithCjk(word)) {
      if (i > 0 && endsWithCjk(words[i - 1]!) && lang !== 'ko') {
        // left shift a second consecutive CJK word
        out += word;
      } else {
        out += prependSpace + word;
      }
      prependSpace = ' ';
    } else if (RIGHT_SHIFT.test(word)) {
      // right shift currency and other opening punctuation
      out += prependSpace + word;
      prependSpace = '';
    } else if (LEFT_SHIFT.test(word)) {
      // these are preceded by a space in French (the script says non-breaking; it adds U+0020)
      if (lang === 'fr' && FRENCH_SPACED.test(word)) out += ' ';
      out += word;
      prependSpace = ' ';
    } else if (lang === 'en' && i > 0 && STARTS_APOSTROPHE_ALPHA.test(word) && ENDS_ALNUM.test(words[i - 1]!)) {
      // left-shift the contraction for English
      out += word;
      prependSpace = ' ';
    } else if (lang === 'cs' && i > 1 && DIGITS.test(words[i - 2]!) && POINT_OR_COMMA.test(words[i - 1]!) && DIGITS.test(word)) {
      // left-shift floats in Czech
      out += word;
      prependSpace = ' ';
    } else if ((lang === 'fr' || lang === 'it') && i <= n - 2 && ENDS_ALPHA_APOSTROPHE.test(word) && STARTS_ALPHA.test(words[i + 1]!)) {
      // right-shift the contraction for French and Italian
      out += prependSpace + word;
      prependSpace = '';
    } else if (lang === 'cs' && i < n - 3 && ENDS_ALPHA.test(word) && DASH.test(words[i + 1]!) && CZECH_DASHED.test(words[i + 2]!)) {
      // right-shift "-li" in Czech and a few Czech dashed words (e-mail)
      out += prependSpace + word + words[i + 1]!;
      i++;
      prependSpace = '';
    } else if (QUOTES.test(word)) {
      // combine punctuation smartly: alternate opening (right shift) and closing (left shift)
      const quote = LOW_OR_HIGH_DOUBLE_QUOTES.test(word) ? '"' : word;
      if (lang === 'cs' && word === '„') quoteCount.set(quote, 0); // always the opening quote in Czech
      if (lang === 'cs' && word === '“') quoteCount.set(quote, 1); // usually the closing one
      const count = quoteCount.get(quote) ?? 0;
      if (count % 2 === 0) {
        if (lang === 'en' && word === "'" && i > 0 && ENDS_S.test(words[i - 1]!)) {
          // possessive of a word ending in s ("The Jones' house"): left shift, not counted
          out += word;
          prependSpace = ' ';
        } else {
          out += prependSpace + word;
          prependSpace = '';
          quoteCount.set(quote, count + 1);
        }
      } else {
        out += word;
        prependSpace = ' ';
        quoteCount.set(quote, count + 1);
      }
    } else if (lang === 'fi' && /:$/.test(words[(i - 1 + n) % n]!) && FINNISH_CASE_SUFFIX.test(word)) {
      // Finnish ':' without a space before a case suffix (EU:n, EU:ssa); Perl's $words[-1] is the last word
      out += word.toLowerCase();
      prependSpace = ' ';
    } else {
      out += prependSpace + word;
      prependSpace = ' ';
    }
  }

  // clean up spaces at head and tail of each line as well as any double-spacing
  out = out.replace(/ {2,}/g, ' ');
  if (out.startsWith(' ')) out = out.slice(1);
  if (out.endsWith(' ')) out = out.slice(0, -1);
  return out;
}

const UNESCAPES: Array<[string, string]> = [
  ['&bar;', '|'],
  ['&#124;', '|'],
  ['&lt;', '<'],
  ['&gt;', '>'],
  ['&bra;', '['],
  ['&ket;', ']'],
  ['&quot;', '"'],
  ['&apos;', "'"],
  ['&#91;', '['],
  ['&#93;', ']'],
  ['&amp;', '&'],
];

/** detokenizer.perl's deescape, in its order (`&amp;` last, so `&amp;lt;` becomes `&lt;`). */
export function deescapeSpecialChars(text: string): string {
  let s = text;
  for (const [from, to] of UNESCAPES) if (s.includes(from)) s = s.replaceAll(from, to);
  return s;
}

/** detokenizer.perl's charIsCJK ranges (Hangul Jamo, CJK, Yi, Phags-pa, Hangul, compatibility, halfwidth, SIP). */
function isCjk(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x11ff) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xa840 && cp <= 0xa87f) ||
    (cp >= 0xac00 && cp <= 0xd7af) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff65 && cp <= 0xffdc) ||
    (cp >= 0x20000 && cp <= 0x2ffff)
  );
}

function startsWithCjk(word: string): boolean {
  return word.length > 0 && isCjk(word.codePointAt(0)!);
}

function endsWithCjk(word: string): boolean {
  if (word.length === 0) return false;
  const last = word.charCodeAt(word.length - 1);
  // the last code point may be a surrogate pair
  const cp = last >= 0xdc00 && last <= 0xdfff && word.length > 1 ? word.codePointAt(word.length - 2)! : last;
  return isCjk(cp);
}
