/**
 * The model's vocabulary size read cheaply from data_path/vocab (one line a word, after XLM's 14
 * special symbols), so a run can be sized before its data is loaded. Undefined when there is no
 * vocabulary yet: loading the data then reports what is missing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { countLines } from '../data/countLines.js';
import { FIRST_WORD_INDEX } from '../text/dictionary.js';

export async function dictionarySize(dataPath: string, maxVocab: number): Promise<number | undefined> {
  const vocab = join(dataPath, 'vocab');
  if (!existsSync(vocab)) return undefined;
  const words = await countLines(vocab);
  return FIRST_WORD_INDEX + (maxVocab > 0 ? Math.min(words, maxVocab) : words);
}
