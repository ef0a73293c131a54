import type { MassModel } from '../model/model.js';
import { argmax, checkLang, stepsFor, withLengths, type Generated, type GenerateOptions } from './common.js';
import { runAsync, runSync, stepOf, type DecodeLoop } from './decodeLoop.js';
import { buildProcessors } from './logitsProcessors.js';
import { startDecoder } from './startDecoder.js';
import { checkSource, maxLengths, type SourceBatch } from './source.js';

/**
 * Greedy decoding as XLM's `TransformerModel.generate` (eval mode, cached): every row starts with
 * `</s>` at position 0, takes the best-scoring word each step and stops at `</s>`; a row still going
 * when it reaches max_len (both `</s>` included) gets `</s>` as its last token, so it has at most
 * max_len - 2 words. Finished rows leave the batch (they no longer cost a step) and a row's last,
 * forced step is not computed at all; neither changes any output.
 */
export function* greedyLoop(
  model: MassModel,
  src: SourceBatch,
  tgtLang: number,
  maxLen: number | Int32Array,
  opts: GenerateOptions = {},
): DecodeLoop<Generated> {
  checkLang(model, tgtLang);
  checkSource(model, src);
  const eos = model.config.eos_index;
  const nWords = model.config.n_words;
  const limits = maxLengths(model, src.bs, maxLen);
  const processors = buildProcessors(opts, eos);
  const out: number[][] = Array.from({ length: src.bs }, () => []);
  // Sentences still decoding, in decoder-row order; a row with max_len 2 has nothing to decode.
  let active = Int32Array.from({ length: src.bs }, (_, b) => b).filter((b) => limits[b] > 2);
  if (active.length === 0) return withLengths(out.map((w) => Int32Array.from(w)));
  const decoder = startDecoder(model, active.length === src.bs ? src : subBatch(src, active), tgtLang, stepsFor(limits), opts.decoder, opts.weights);
  try {
    let tokens = new Int32Array(active.length).fill(eos);
    for (let pos = 0; active.length > 0; pos++) {
      yield;
      const { logits } = yield* stepOf(decoder, tokens, pos);
      const keep: number[] = [];
      const next: number[] = [];
      for (let r = 0; r < active.length; r++) {
        const s = active[r];
        for (const p of processors) p.apply(logits, r * nWords, out[s]);
        const w = argmax(logits, r * nWords, nWords);
        if (w === eos || w < 0) continue;
        out[s].push(w);
        // The token after this one sits at index pos + 2 of the output; at max_len - 1 it is `</s>`.
        if (pos + 3 < limits[s]) {
          keep.push(r);
          next.push(w);
        }
      }
      if (keep.length < active.length) {
        if (keep.length > 0) decoder.select(Int32Array.from(keep));
        active = Int32Array.from(keep, (r) => active[r]);
      }
      tokens = Int32Array.from(next);
    }
  } finally {
    decoder.dispose();
  }
  return withLengths(out.map((w) => Int32Array.from(w)));
}

/** The rows `rows` of a source batch. */
export function subBatch(src: SourceBatch, rows: ArrayLike<number>): SourceBatch {
  const n = rows.length;
  const tokens = new Int32Array(n * src.len);
  const langs = new Int32Array(n * src.len);
  const lengths = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const b = rows[i];
    tokens.set(src.tokens.subarray(b * src.len, (b + 1) * src.len), i * src.len);
    langs.set(src.langs.subarray(b * src.len, (b + 1) * src.len), i * src.len);
    lengths[i] = src.lengths[b];
  }
  return { bs: n, len: src.len, tokens, lengths, langs };
}

/**
 * Greedy translations of a source batch (synchronous; what back-translation calls, with
 * maxLen = floor(1.3·srcLenMax + 5) as the reference). `maxLen` is one limit for the batch or one per
 * sentence.
 */
export function generateGreedy(model: MassModel, src: SourceBatch, tgtLang: number, maxLen: number | Int32Array, opts: GenerateOptions = {}): Generated {
  return runSync(greedyLoop(model, src, tgtLang, maxLen, opts), opts.signal);
}

/** {@link generateGreedy} yielding to the event loop between steps (cancellable through opts.signal). */
export function generateGreedyAsync(
  model: MassModel,
  src: SourceBatch,
  tgtLang: number,
  maxLen: number | Int32Array,
  opts: GenerateOptions = {},
): Promise<Generated> {
  return runAsync(greedyLoop(model, src, tgtLang, maxLen, opts), opts.signal);
}
