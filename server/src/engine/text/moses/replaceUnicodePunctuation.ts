/**
 * Moses `replace-unicode-punctuation.perl`: CJK and full-width punctuation/digits to ASCII.
 *
 * The Perl script substitutes UTF-8 byte sequences one rule after the other. Each rule replaces a
 * whole character (UTF-8 is self-synchronising, so a byte pattern of a complete character only
 * matches at character boundaries) and no replacement produces a character another rule matches, so
 * one pass with a lookup table gives the same result. `。` and `．` become `. ` together with the
 * ASCII spaces that follow them.
 */

const SIMPLE: Record<string, string> = {
  '，': ',',
  '、': ',',
  '”': '"',
  '“': '"',
  '∶': ':',
  '：': ':',
  '？': '?',
  '《': '"',
  '》': '"',
  '）': ')',
  '！': '!',
  '（': '(',
  '；': ';',
  '１': '1',
  '」': '"',
  '「': '"',
  '０': '0',
  '３': '3',
  '２': '2',
  '５': '5',
  '６': '6',
  '９': '9',
  '７': '7',
  '８': '8',
  '４': '4',
  '～': '~',
  '’': "'",
  '…': '...',
  '━': '-',
  '〈': '<',
  '〉': '>',
  '【': '[',
  '】': ']',
  '％': '%',
};

const ANY = new RegExp(`[${Object.keys(SIMPLE).join('')}]|[。．] *`, 'g');

function replaceOne(match: string): string {
  return SIMPLE[match] ?? '. ';
}

/** One line (without its `\n`) through replace-unicode-punctuation.perl. */
export function replaceUnicodePunctuation(line: string): string {
  ANY.lastIndex = 0;
  if (!ANY.test(line)) return line;
  return line.replace(ANY, replaceOne);
}
