/**
 * Moses `normalize-punctuation.perl -l LANG` (without -penn), rule for rule, in the script's order.
 *
 * The Perl script works on undecoded UTF-8 bytes, so its `\d`, `\s` and `[a-z]` (even with /i) are
 * ASCII-only; the classes below spell that out instead of using JavaScript's Unicode-aware ones. Its
 * non-ASCII patterns are byte sequences of whole characters (several contain NBSP, U+00A0), which
 * match exactly where the characters do.
 *
 * Perl sees each line with its trailing `\n`, and one rule can match it: `s/(\.+)\"(\s*[^<])/…/`
 * moves `."` at the end of a line too (non-English languages). That rule runs on `line + "\n"`.
 */

const NBSP = '\u00a0';

/** Languages that get `d,d` (instead of `d.d`) for digit-NBSP-digit. */
const COMMA_DECIMAL = new Set(['de', 'es', 'cz', 'cs', 'fr']);

/** Every non-ASCII character the rules below match (all of their non-ASCII patterns contain one). */
const HAS_RULE_CHAR = /[„“”–—´‘’‚…«»\u00a0]/;

/** One line (without its `\n`) through normalize-punctuation.perl -l lang. */
export function normalizePunctuation(line: string, lang: string): string {
  let s = line;
  if (s.includes('\r')) s = s.replace(/\r/g, '');
  // remove extra spaces
  if (s.includes('(')) s = s.replace(/\(/g, ' (');
  if (s.includes(')')) s = s.replace(/\)/g, ') ');
  if (s.includes('  ')) s = s.replace(/ {2,}/g, ' ');
  if (s.includes(')')) s = s.replace(/\) ([.!:?;,])/g, ')$1');
  if (s.includes('(')) s = s.replace(/\( /g, '(');
  if (s.includes(')')) s = s.replace(/ \)/g, ')');
  if (s.includes('%')) s = s.replace(/([0-9]) %/g, '$1%');
  if (s.includes(' :')) s = s.replace(/ :/g, ':');
  if (s.includes(' ;')) s = s.replace(/ ;/g, ';');
  // normalize unicode punctuation
  if (s.includes('`')) s = s.replace(/`/g, "'");
  if (s.includes("''")) s = s.replace(/''/g, ' " ');

  const hasRuleChar = HAS_RULE_CHAR.test(s);
  if (hasRuleChar) {
    s = s.replace(/[„“”]/g, '"');
    s = s.replace(/–/g, '-');
    if (s.includes('—')) s = s.replace(/—/g, ' - ');
  }
  if (s.includes('  ')) s = s.replace(/ {2,}/g, ' ');
  // Without those characters no '' is left at this point (replaced just above) and nothing below changes it.
  if (hasRuleChar) s = normalizeUnicodePunctuation(s);

  if (lang === 'en') {
    // English "quotation," followed by comma, style
    if (s.includes('"')) s = s.replace(/"([,.]+)/g, '$1"');
  } else if (lang === 'cs' || lang === 'cz') {
    // Czech is left alone
  } else {
    // German/Spanish/French "quotation", followed by comma, style
    if (s.includes('"')) {
      s = s.replace(/,"/g, '",');
      // Perl's [^<] can be the line's "\n" (see the header comment).
      s = (s + '\n').replace(/(\.+)"([\t\n\v\f\r ]*[^<])/g, '"$1$2').slice(0, -1);
    }
  }

  if (s.includes(NBSP)) s = s.replace(/([0-9])\u00a0([0-9])/g, COMMA_DECIMAL.has(lang) ? '$1,$2' : '$1.$2');
  return s;
}

/**
 * The rules from `s/´/\'/g` to the second `s/ +/ /g`, for a line with one of HAS_RULE_CHAR: apart from
 * one `s/''/\"/g` and that `s/ +/ /g` they match only those characters (or the `'` made from them).
 */
function normalizeUnicodePunctuation(input: string): string {
  let s = input;
  s = s.replace(/´/g, "'");
  if (s.includes('‘')) s = s.replace(/([a-zA-Z])‘([a-zA-Z])/g, "$1'$2");
  if (s.includes('’')) s = s.replace(/([a-zA-Z])’([a-zA-Z])/g, "$1'$2");
  s = s.replace(/[‘‚]/g, "'");
  s = s.replace(/’/g, '"');
  s = s.replace(/''/g, '"');
  // (`s/´´/\"/g` comes next in the script; no ´ is left at that point.)
  s = s.replace(/…/g, '...');
  // French quotes
  if (s.includes('«'))
    s = s
      .replace(/\u00a0«\u00a0/g, ' "')
      .replace(/«\u00a0/g, '"')
      .replace(/«/g, '"');
  if (s.includes('»'))
    s = s
      .replace(/\u00a0»\u00a0/g, '" ')
      .replace(/\u00a0»/g, '"')
      .replace(/»/g, '"');
  // handle pseudo-spaces
  if (s.includes(NBSP)) {
    s = s.replace(/\u00a0%/g, '%');
    s = s.replace(/nº\u00a0/g, 'nº ');
    s = s.replace(/\u00a0:/g, ':');
    s = s.replace(/\u00a0ºC/g, ' ºC');
    s = s.replace(/\u00a0cm/g, ' cm');
    s = s.replace(/\u00a0\?/g, '?');
    s = s.replace(/\u00a0!/g, '!');
    s = s.replace(/\u00a0;/g, ';');
    s = s.replace(/,\u00a0/g, ', ');
  }
  if (s.includes('  ')) s = s.replace(/ {2,}/g, ' ');
  return s;
}
