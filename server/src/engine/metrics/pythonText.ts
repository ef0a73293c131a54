/**
 * The few Python `str` behaviours that sacreBLEU and rouge-score rely on, so our numbers match
 * theirs on any text, not just ASCII.
 */

/**
 * The characters Python's `str.isspace()` accepts, which `str.split()` and `str.rstrip()` use.
 * Differs from JavaScript's `\s`: Python adds U+001C–U+001F and U+0085, and leaves out U+FEFF.
 */
const PY_SPACE_CLASS = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_SPACE_RUN = new RegExp(`[${PY_SPACE_CLASS}]+`);
const PY_SPACE_CHAR = new RegExp(`^[${PY_SPACE_CLASS}]$`);

export function isPySpace(ch: string): boolean {
  return PY_SPACE_CHAR.test(ch);
}

/** Python's `s.split()`: split on runs of whitespace, no empty pieces. */
export function pySplit(s: string): string[] {
  const parts = s.split(PY_SPACE_RUN);
  if (parts.length > 0 && parts[0] === '') parts.shift();
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Python's `s.rstrip()`. (All Python whitespace is in the BMP, so code units are enough.) */
export function pyRstrip(s: string): string {
  let end = s.length;
  while (end > 0 && isPySpace(s[end - 1]!)) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** Python's `''.join(s.split())`: the text with all whitespace removed. */
export function pyRemoveSpaces(s: string): string {
  return pySplit(s).join('');
}

/**
 * A string's characters as Python indexes them (code points, not UTF-16 units): `len(s)`, `s[i]`.
 */
export function codePoints(s: string): string[] {
  return Array.from(s);
}
