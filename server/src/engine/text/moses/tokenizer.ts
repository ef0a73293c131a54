import { splitApostrophes } from './apostrophes.js';
import { nonbreakingPrefixes, type PrefixKind } from './nonbreakingPrefixes.js';
import { ALNUM, ALPHA, LL, LOWER, NUMBER, SPACE, type PerlClass } from './perlUnicode.js';

/**
 * Moses `tokenizer.perl -l LANG` (the default, non-Penn mode, single-threaded, no -protected
 * patterns), rule for rule. The script decodes UTF-8 and its \p{…} and \s are Perl 5.36's Unicode
 * classes (perlUnicode.ts).
 */

export interface TokenizeOptions {
  /** Escape `& | < > ' " [ ]` as HTML entities, as tokenizer.perl does without -no-escape (default false: XLM runs -no-escape). */
  escape?: boolean;
  /** tokenizer.perl -a: split hyphens between alphanumerics into `@-@` (default false). */
  aggressive?: boolean;
}

/** The language-dependent regexes, built from either the full classes or their ASCII part. */
interface Rules {
  special: RegExp;
  /** fi/sv `:`, tdt `'`, ca `·` when not followed by a lowercase letter (null for other languages). */
  specialFollow: RegExp | null;
  aggressive: RegExp;
  commaAfterNonNumber: RegExp;
  commaBeforeNonNumber: RegExp;
  commaAfterNumberAtEnd: RegExp;
  alpha: RegExp;
  startsLower: RegExp;
}

type Branch = 'fi' | 'tdt' | 'ca' | 'default';

function specialBranch(lang: string): Branch {
  if (lang === 'fi' || lang === 'sv') return 'fi';
  if (lang === 'tdt') return 'tdt';
  if (lang === 'ca') return 'ca';
  return 'default';
}

function buildRules(lang: string, part: (c: PerlClass) => string): Rules {
  const alnum = part(ALNUM);
  const alpha = part(ALPHA);
  const num = part(NUMBER);
  const ll = part(LL);
  const space = part(SPACE);
  const branch = specialBranch(lang);
  // tokenizer.perl has no `use utf8`, so the `·` in its Catalan rules is two Latin-1 characters,
  // U+00C2 U+00B7, matched against decoded text: in the class that excludes U+00B7 (and Â, a letter
  // anyway) from splitting; the second rule looks for the pair "Â·", which real text hardly has.
  const keep = branch === 'fi' ? `.:'\`,\\-` : branch === 'ca' ? `.\\u{c2}\\u{b7}'\`,\\-` : `.'\`,\\-`;
  const special = new RegExp(`([^${alnum}${space}${keep}])`, 'gu');
  const followed = branch === 'fi' ? ':' : branch === 'tdt' ? "'" : branch === 'ca' ? '\\u{c2}\\u{b7}' : null;
  const specialFollow = followed === null ? null : new RegExp(`(${followed})(?=$|[^${ll}])`, 'gu');

  return {
    special,
    specialFollow,
    aggressive: new RegExp(`([${alnum}])-(?=[${alnum}])`, 'gu'),
    commaAfterNonNumber: new RegExp(`([^${num}]),`, 'gu'),
    commaBeforeNonNumber: new RegExp(`,([^${num}])`, 'gu'),
    commaAfterNumberAtEnd: new RegExp(`([${num}]),$`, 'gu'),
    alpha: new RegExp(`[${alpha}]`, 'u'),
    startsLower: new RegExp(`^[${part(LOWER)}]`, 'u'),
  };
}

interface Language {
  ascii: Rules;
  unicode: Rules;
  prefixes: ReadonlyMap<string, PrefixKind>;
}

const languages = new Map<string, Language>();

function language(lang: string): Language {
  let l = languages.get(lang);
  if (!l) {
    l = {
      ascii: buildRules(lang, (c) => c.ascii),
      unicode: buildRules(lang, (c) => c.all),
      prefixes: nonbreakingPrefixes(lang),
    };
    languages.set(lang, l);
  }
  return l;
}

const BLANK = new RegExp(`^[${SPACE.all}]*$`, 'u');
const SPACES = new RegExp(`[${SPACE.all}]+`, 'gu');
/**
 * Whether the "remove ASCII junk" step changes the line: whitespace other than single U+0020 inside
 * it, a control character, or a space at either end.
 */
const NEEDS_JUNK_REMOVAL = new RegExp(
  `[\\x00-\\x1f${SPACE.ranges
    .filter(([a]) => a > 0x20)
    .map(([a, b]) => `\\u{${a.toString(16)}}-\\u{${b.toString(16)}}`)
    .join('')}]|  |^ | $`,
  'u',
);

/** `s/ +/ /g; s/^ //g; s/ $//g;` */
function squeezeAndStrip(text: string): string {
  let s = text.includes('  ') ? text.replace(/  +/g, ' ') : text;
  if (s.startsWith(' ')) s = s.slice(1);
  if (s.endsWith(' ')) s = s.slice(0, -1);
  return s;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;
const STARTS_WITH_DIGITS = /^[0-9]+/;
const ONLY_SPACES = /^ *$/;

/**
 * One line (without its `\n`) through tokenizer.perl -l lang [-no-escape]; the result has no `\n`.
 * A blank line (only whitespace) comes back unchanged, as the script prints it as is.
 */
export function tokenize(line: string, lang: string, options: TokenizeOptions = {}): string {
  if (BLANK.test(line)) return line;
  const lg = language(lang);
  const r = ASCII_ONLY.test(line) ? lg.ascii : lg.unicode;

  let text = line;
  // remove ASCII junk: the script pads the line with spaces, squeezes whitespace, deletes the other
  // control characters, squeezes spaces and strips one space at each end
  if (NEEDS_JUNK_REMOVAL.test(line)) {
    text = ` ${line} `.replace(SPACES, ' ');
    if (/[\x00-\x1f]/.test(text)) text = text.replace(/[\x00-\x1f]/g, '');
    text = squeezeAndStrip(text);
  }

  // separate out all "other" special characters
  text = text.replace(r.special, ' $1 ');
  if (r.specialFollow) text = text.replace(r.specialFollow, ' $1 ');

  if (options.aggressive && text.includes('-')) text = text.replace(r.aggressive, '$1 @-@ ');

  // multi-dots stay together
  if (text.includes('..')) text = text.replace(/\.(\.+)/g, ' DOTMULTI$1');
  while (text.includes('DOTMULTI.')) {
    text = text.replace(/DOTMULTI\.([^.])/gu, 'DOTDOTMULTI $1');
    text = text.replace(/DOTMULTI\./g, 'DOTDOTMULTI');
  }

  // separate out "," except if within numbers (5,300); the two steps may leave extra spaces
  if (text.includes(',')) {
    text = text.replace(r.commaAfterNonNumber, '$1 , ');
    text = text.replace(r.commaBeforeNonNumber, ' , $1');
    // separate "," after a number if it's the end of a sentence
    text = text.replace(r.commaAfterNumberAtEnd, '$1 ,');
  }

  if (text.includes("'")) text = splitApostrophes(text, lang);

  text = splitFinalPeriods(text, r, lg.prefixes);

  // clean up extraneous spaces
  text = squeezeAndStrip(text);

  // .' at end of sentence is missed (this can leave a trailing or a double space: kept, as in Moses)
  if (text.endsWith("'")) text = text.replace(/\.' ?$/, " . ' ");

  // restore multi-dots
  if (text.includes('DOTMULTI')) {
    while (text.includes('DOTDOTMULTI')) text = text.replaceAll('DOTDOTMULTI', 'DOTMULTI.');
    text = text.replaceAll('DOTMULTI', '.');
  }

  if (options.escape) text = escapeSpecialChars(text);
  return text;
}

/**
 * tokenizer.perl's "word token method": it splits the text on whitespace and, for a word ending in
 * `.`, splits the period off unless the word is a known abbreviation (or looks like one: `U.S.`), or
 * the next word starts in lowercase, or it is a numeric-only prefix before a number; the last word
 * always gets it split. Then it joins the words with spaces. Only ' ' separates words at this point,
 * so this visits the periods that end a word and inserts the spaces in place. Perl's split drops
 * trailing empty fields, so "the last word" is the last non-empty one, while the word after a
 * double space is the empty string.
 */
function splitFinalPeriods(text: string, r: Rules, prefixes: ReadonlyMap<string, PrefixKind>): string {
  let out = '';
  let copied = 0;
  for (let q = text.indexOf('.'); q >= 0; q = text.indexOf('.', q + 1)) {
    if (q + 1 < text.length && text.charCodeAt(q + 1) !== 0x20) continue;
    const wordStart = text.lastIndexOf(' ', q - 1) + 1;
    if (wordStart === q) continue; // the word is just "."
    const nextStart = q + 2;
    const isLast = nextStart >= text.length || ONLY_SPACES.test(text.slice(nextStart));
    if (!isLast) {
      const pre = text.slice(wordStart, q);
      const nextEnd = text.indexOf(' ', nextStart);
      const next = text.slice(nextStart, nextEnd < 0 ? text.length : nextEnd);
      const kind = prefixes.get(pre);
      if ((pre.includes('.') && r.alpha.test(pre)) || kind === 1 || r.startsLower.test(next)) continue;
      if (kind === 2 && STARTS_WITH_DIGITS.test(next)) continue;
    }
    out += `${text.slice(copied, q)} `;
    copied = q;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '|': '&#124;',
  '<': '&lt;',
  '>': '&gt;',
  "'": '&apos;',
  '"': '&quot;',
  '[': '&#91;',
  ']': '&#93;',
};

/** tokenizer.perl's escaping, in one pass (Perl escapes `&` first, so the `&` of the other entities stays). */
export function escapeSpecialChars(text: string): string {
  return text.replace(/[&|<>'"[\]]/g, (c) => ESCAPES[c]!);
}
