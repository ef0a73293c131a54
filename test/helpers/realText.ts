import { join } from 'node:path';
import { readLines } from '../../server/src/engine/text/corpusReader.js';
import { Dictionary } from '../../server/src/engine/text/dictionary.js';
import { packSentences, type BinarizedData } from '../../server/src/engine/data/binarized.js';
import { CORPORA } from './paths.js';

/** The first n non-empty lines of a real corpus file (gzipped), e.g. ('en-fr', 'mono.en.gz'). */
export async function realLines(corpus: string, file: string, n: number, skip = 0): Promise<string[]> {
  const out: string[] = [];
  let seen = 0;
  for await (const { text } of readLines(join(CORPORA, corpus, file))) {
    if (text.trim() === '') continue;
    if (seen++ < skip) continue;
    out.push(text);
    if (out.length >= n) break;
  }
  return out;
}

/**
 * Real sentences as ids with a whitespace-word dictionary (for tests that need real token
 * statistics but not BPE), binarized like preprocessed data.
 */
export function wordLevelData(lines: string[], maxWords = 2000): { dictionary: Dictionary; data: BinarizedData } {
  const counts = new Map<string, number>();
  for (const l of lines) for (const w of l.split(/\s+/).filter(Boolean)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, maxWords);
  const dictionary = Dictionary.fromEntries(sorted);
  const sentences = lines.map((l) => dictionary.indexLine(l).ids);
  const { offsets, tokens } = packSentences(sentences, dictionary.size);
  return {
    dictionary,
    data: {
      header: {
        version: 1,
        dtype: tokens instanceof Uint16Array ? 'uint16' : 'int32',
        nSentences: sentences.length,
        nTokens: tokens.length,
        dictionary: dictionary.fingerprint(),
        source: {},
      },
      offsets,
      tokens,
    },
  };
}
