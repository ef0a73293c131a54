/**
 * The model's vocabulary size read cheaply from data_path/vocab (one line a word, after XLM's 14
 * special symbols), so a run can be sized before its data is loaded. Undefined when there is no
 * vocabulary yet: loading the data then reports what is missing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIRST_WORD_INDEX } from '../text/dictionary.js';

export async function dictionarySize(dataPath: string, maxVocab: number): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataPath, 'vocab'), 'utf8');
  } catch {
    return undefined;
  }
  let words = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) words++;
  if (text.length > 0 && !text.endsWith('\n')) words++;
  return FIRST_WORD_INDEX + (maxVocab > 0 ? Math.min(words, maxVocab) : words);
}
