/**
 * Our binarized splits as the reference's data files: the dict XLM/MASS `Dictionary.index_data`
 * torch.saves (pickle protocol 4) — {'dico': Dictionary, 'positions': int64 array (n, 2) of
 * [start, end) per sentence, 'sentences': uint16 (int32 for ≥ 65536 words) ids with `</s>` (1) after
 * each sentence, 'unk_words': {}} — so its train.py loads them unchanged. The Dictionary instance and
 * the numpy arrays are written the way Python pickles them (NEWOBJ + state; numpy's _reconstruct).
 */
import { UserError } from '../errors.js';
import type { BinarizedData } from '../data/binarized.js';
import type { Dictionary } from '../text/dictionary.js';
import { PyCall, PyGlobalRef, PyNewObject } from './pickleWriter.js';
import { PyTuple } from './pyValues.js';

/** numpy.ndarray as pickled by numpy (`_reconstruct` then `__setstate__`), C order, little-endian. */
function ndarray(code: 'u2' | 'i4' | 'i8', shape: number[], data: Uint16Array | Int32Array | BigInt64Array): PyCall {
  const dtype = new PyCall('numpy', 'dtype', [code, false, true], new PyTuple([3, '<', null, null, null, -1, -1, 0]));
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new PyCall(
    'numpy.core.multiarray',
    '_reconstruct',
    [new PyGlobalRef('numpy', 'ndarray'), new PyTuple([0]), Uint8Array.of(0x62)],
    new PyTuple([1, new PyTuple(shape), dtype, false, bytes]),
  );
}

export function referenceDataFile(data: BinarizedData, dictionary: Dictionary, source: string): Map<unknown, unknown> {
  const n = data.offsets.length - 1;
  const total = data.tokens.length + n;
  const wide = dictionary.size >= 1 << 16;
  if (dictionary.size >= 2 ** 31) throw new UserError(`${source}: dictionary too big for the reference's data files`);
  const sentences = wide ? new Int32Array(total) : new Uint16Array(total);
  const positions = new BigInt64Array(2 * n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const s = data.tokens.subarray(data.offsets[i]!, data.offsets[i + 1]!);
    for (const id of s) if (id >= dictionary.size) throw new UserError(`${source}: token id ${id} outside the ${dictionary.size}-word dictionary`);
    positions[2 * i] = BigInt(at);
    sentences.set(s, at);
    at += s.length;
    positions[2 * i + 1] = BigInt(at);
    sentences[at++] = 1; // </s>, as index_data appends
  }
  const words = dictionary.id2word;
  const dico = new PyNewObject(
    'src.data.dictionary',
    'Dictionary',
    new Map<unknown, unknown>([
      ['id2word', new Map(words.map((w, i) => [i, w]))],
      ['word2id', new Map(words.map((w, i) => [w, i]))],
      ['counts', new Map(words.map((w, i) => [w, dictionary.counts[i] ?? 0]))],
      ['bos_index', 0],
      ['eos_index', 1],
      ['pad_index', 2],
      ['unk_index', 3],
    ]),
  );
  return new Map<unknown, unknown>([
    ['dico', dico],
    ['positions', ndarray('i8', [n, 2], positions)],
    ['sentences', ndarray(wide ? 'i4' : 'u2', [total], sentences)],
    // Which unknown words were seen is not kept by our binarization; the reference only counts them in its log.
    ['unk_words', new Map()],
  ]);
}
