import { ALPHA, NUMBER, inClass, type PerlClass } from './perlUnicode.js';

/**
 * tokenizer.perl's apostrophe rules, e.g. for English
 *   s/([^\p{IsAlpha}])[']([^\p{IsAlpha}])/$1 ' $2/g;  …  s/([\p{IsAlpha}])[']([\p{IsAlpha}])/$1 '$2/g;
 * Each rule is one global substitution of the three characters around a `'`. As regexes that start
 * with a large Unicode class they are slow (the engine tries the class at every position), so each
 * pass here visits only the apostrophes and keeps the regex's semantics: matches are found left to
 * right and do not overlap, i.e. a character consumed as the `$2` of one match cannot be the `$1` of
 * the next (`a'b'c` → `a 'b'c` in English: the second `'` is left for the later rules).
 */

type CharTest = (cp: number) => boolean;
/** What replaces the `'` of a match: `$1 ' $2`, `$1 '$2` or `$1' $2`. */
type Output = " ' " | " '" | "' ";

interface Rule {
  before: CharTest;
  after: CharTest;
  output: Output;
}

function asciiTable(set: PerlClass): Uint8Array {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) t[c] = inClass(set, c) ? 1 : 0;
  return t;
}

const ALPHA_ASCII = asciiTable(ALPHA);
const NUMBER_ASCII = asciiTable(NUMBER);

const isAlpha: CharTest = (cp) => (cp < 128 ? ALPHA_ASCII[cp] === 1 : inClass(ALPHA, cp));
const isNumber: CharTest = (cp) => (cp < 128 ? NUMBER_ASCII[cp] === 1 : inClass(NUMBER, cp));
const notAlpha: CharTest = (cp) => !isAlpha(cp);
const notAlphaOrNumber: CharTest = (cp) => !isAlpha(cp) && !isNumber(cp);
const isLowercaseS: CharTest = (cp) => cp === 0x73;

/** Split contractions right: `don 't`, `John 's`. */
const ENGLISH: Rule[] = [
  { before: notAlpha, after: notAlpha, output: " ' " },
  { before: notAlphaOrNumber, after: isAlpha, output: " ' " },
  { before: isAlpha, after: notAlpha, output: " ' " },
  { before: isAlpha, after: isAlpha, output: " '" },
  // special case for "1990's"
  { before: isNumber, after: isLowercaseS, output: " '" },
];

/** Split contractions left (fr, it, ga, ca): `l' homme`. */
const LEFT: Rule[] = [
  { before: notAlpha, after: notAlpha, output: " ' " },
  { before: notAlpha, after: isAlpha, output: " ' " },
  { before: isAlpha, after: notAlpha, output: " ' " },
  { before: isAlpha, after: isAlpha, output: "' " },
];

/** so, tdt: don't split glottals (a `'` between letters stays). */
const GLOTTAL: Rule[] = LEFT.slice(0, 3);

function rulesFor(lang: string): Rule[] | null {
  if (lang === 'en') return ENGLISH;
  if (lang === 'fr' || lang === 'it' || lang === 'ga' || lang === 'ca') return LEFT;
  if (lang === 'so' || lang === 'tdt') return GLOTTAL;
  return null;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** One `s/(BEFORE)[']{AFTER}/$1 OUTPUT $2/g` pass. */
function applyRule(text: string, rule: Rule): string {
  let out = '';
  let copied = 0;
  /** A match may not start before here: the end of the previous match. */
  let minStart = 0;
  for (let p = text.indexOf("'", 1); p >= 0 && p + 1 < text.length; p = text.indexOf("'", p + 1)) {
    let start = p - 1;
    if (isLowSurrogate(text.charCodeAt(start)) && start > 0 && isHighSurrogate(text.charCodeAt(start - 1))) start--;
    if (start < minStart) continue;
    const next = text.codePointAt(p + 1)!;
    if (!rule.before(text.codePointAt(start)!) || !rule.after(next)) continue;
    out += text.slice(copied, p) + rule.output;
    copied = p + 1;
    minStart = p + 1 + (next > 0xffff ? 2 : 1);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** The apostrophe step of tokenizer.perl -l lang (other languages: every `'` becomes ` ' `). */
export function splitApostrophes(text: string, lang: string): string {
  const rules = rulesFor(lang);
  if (!rules) return text.replaceAll("'", " ' ");
  let s = text;
  for (const rule of rules) s = applyRule(s, rule);
  return s;
}
