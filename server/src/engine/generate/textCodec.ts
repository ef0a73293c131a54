import { UserError } from '../errors.js';
import { BpeCodes } from '../text/bpe/codes.js';
import { applyBpe, removeBpe } from '../text/bpe/applyBpe.js';
import { BpeVocab, type VocabEntry } from '../text/bpe/vocab.js';
import { Dictionary, pySplit } from '../text/dictionary.js';
import { detokenize } from '../text/moses/detokenizer.js';
import { mosesPreprocess } from '../text/moses/pipeline.js';

/**
 * Raw text ↔ model ids, as the data was prepared for training: XLM's Moses pipeline (normalise,
 * tokenize), BPE with the training codes limited to the training vocabulary (XLM's get-data scripts
 * apply held-out text that way), the dictionary's ids; back: words, BPE removed, Moses detokenized.
 */
export class TextCodec {
  constructor(
    readonly dictionary: Dictionary,
    readonly codes: BpeCodes,
    readonly vocab: BpeVocab,
  ) {}

  /** Word ids of a raw line (no `</s>`); empty for a blank line. Unknown subwords become `<unk>`. */
  encode(line: string, lang: string): number[] {
    const tokenized = mosesPreprocess(line, lang);
    if (tokenized.trim() === '') return [];
    return this.dictionary.indexLine(applyBpe(tokenized, this.codes, this.vocab)).ids;
  }

  /** Raw text of word ids (no `</s>`). */
  decode(ids: ArrayLike<number>, lang: string): string {
    if (ids.length === 0) return '';
    return detokenize(removeBpe(this.dictionary.toText(ids)), lang);
  }
}

/**
 * The dictionary and BPE vocabulary of a vocab file's text (`word count` lines), as Dictionary.readVocab
 * reads the file: lines with U+2028 or without exactly two fields skipped, specials and repeats
 * dropped; then XLM's max_vocab and min_count as the training run applied them.
 */
export function vocabularyFromText(
  text: string,
  source: string,
  limits: { maxVocab?: number; minCount?: number } = {},
): { dictionary: Dictionary; bpeVocab: BpeVocab } {
  const entries: VocabEntry[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, i) => {
    if (line.includes('\u2028')) return;
    const fields = pySplit(line);
    if (fields.length !== 2) return;
    const [word, count] = fields as [string, string];
    if (!/^[0-9]+$/.test(count)) throw new UserError(`${source}:${i + 1}: count '${count}' of '${word}' is not a non-negative integer`);
    if (seen.has(word)) return;
    seen.add(word);
    entries.push({ word, count: Number(count) });
  });
  if (entries.length === 0) throw new UserError(`${source}: no vocabulary entries ('word count' lines)`);
  let dictionary = Dictionary.fromEntries(entries.map((e) => [e.word, e.count]));
  if (limits.maxVocab !== undefined && limits.maxVocab > 0) dictionary = dictionary.limitSize(limits.maxVocab);
  if (limits.minCount !== undefined && limits.minCount > 0) dictionary = dictionary.withMinCount(limits.minCount);
  return { dictionary, bpeVocab: new BpeVocab(entries, source) };
}

/** BPE codes from their text; a UserError naming `source` when there are none. */
export function codesFromText(text: string, source: string): BpeCodes {
  if (text.trim() === '') throw new UserError(`${source}: no BPE codes`);
  return BpeCodes.parse(text, source);
}
