/** Marks the last symbol of a word in codes and during learning/applying (fastBPE's kEndWord). */
export const END_OF_WORD = '</w>';
/** Joins a word's subwords in BPE output: `sub@@ word` (fastBPE's kTokenDelim plus a space). */
export const CONTINUATION = '@@';

/**
 * A word's initial BPE symbols: its characters, the last one with `</w>` appended. fastBPE cuts a
 * word before every byte that is not a UTF-8 continuation byte, which for the valid UTF-8 we read is
 * exactly one symbol per code point.
 */
export function wordSymbols(word: string): string[] {
  const out: string[] = [];
  for (const ch of word) out.push(ch);
  if (out.length > 0) out[out.length - 1] += END_OF_WORD;
  return out;
}
