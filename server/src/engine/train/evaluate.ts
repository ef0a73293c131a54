import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from '../backend/tf.js';
import type { MassModel } from '../model/model.js';
import { seq2seqForward } from '../model/seq2seqLoss.js';
import { planBatches, type BatchingOptions } from '../data/batching.js';
import { batchSentences, filterByLength, monoCosts, pairCosts, type SentenceBatch } from '../data/datasets.js';
import type { BinarizedData } from '../data/binarized.js';
import { EOS_INDEX } from '../text/dictionary.js';
import { Rng } from '../util/rng.js';
import { maskForValidation } from './validationMask.js';
import { pairBatch } from './pairBatch.js';
import type { Seq2SeqBatch } from './seq2seqBatch.js';
import type { TrainingData, PairData } from './trainingData.js';
import { generateGreedy, generateGreedyAsync } from '../generate/greedy.js';
import { beamSearch, beamSearchAsync } from '../generate/beamSearch.js';
import { download, readsAsync } from '../backend/readback.js';
import { InferenceWeights } from '../generate/inferenceWeights.js';
import { multiBleu } from '../metrics/multiBleu.js';
import { sacreBleu } from '../metrics/sacreBleu.js';
import { rouge } from '../metrics/rouge.js';
import { removeBpe } from '../text/bpe/applyBpe.js';
import { detokenize } from '../text/moses/detokenizer.js';
import { writeFileAtomic } from '../text/atomicFile.js';

export interface EvalSettings {
  wordMass: number;
  batching: BatchingOptions;
  maxLen: number;
  evalBleu: boolean;
  /** Decoding for BLEU/ROUGE: 1 = greedy (the reference's default), else beam search. */
  beamSize: number;
  lengthPenalty: number;
  earlyStopping: boolean;
  /** Folder for hypothesis files (the reference's dump_path/hypotheses). */
  hypothesisDir: string;
  epoch: number;
  langIds: Map<string, number>;
  massLangs: string[];
  /** Directions to score, 'l1-l2'. */
  mtPairs: string[];
  s2sTasks: string[];
  /** Stop early (daemon shutdown / stop request). */
  signal?: AbortSignal;
}

export interface SampleOutput {
  source: string;
  reference?: string;
  hypothesis: string;
}

export interface EvalResult {
  scores: Record<string, number>;
  samples: SampleOutput[];
}

interface Accum {
  loss: number;
  correct: number;
  tokens: number;
}

/**
 * Sum of cross-entropy and argmax hits over the predicted tokens of a batch (eval mode, no dropout).
 * Returns the argmax ids of the predicted positions (in predMask order).
 */
async function scoreBatch(model: MassModel, batch: Seq2SeqBatch, acc: Accum): Promise<Int32Array> {
  let tokens = 0;
  const [argmax, loss] = tf.tidy(() => {
    const out = seq2seqForward(model, batch, { plainLoss: true });
    tokens = out.tokens;
    return [tf.argMax(out.logits, 1), out.loss];
  });
  let values: (Float32Array | Int32Array)[];
  try {
    values = await download([argmax, loss]);
  } finally {
    argmax.dispose();
    loss.dispose();
  }
  const predicted = values[0] as Int32Array;
  let k = 0;
  for (let i = 0; i < batch.predMask.length; i++) {
    if (!batch.predMask[i]) continue;
    if (predicted[k++] === batch.targets[i]) acc.correct++;
  }
  acc.loss += values[1][0]! * tokens;
  acc.tokens += tokens;
  return predicted;
}

/** MASS samples for people: the masked input, the span it hid, and what the model predicts there. */
function massSamples(data: TrainingData, batch: Seq2SeqBatch, predicted: Int32Array, n: number): SampleOutput[] {
  const out: SampleOutput[] = [];
  let k = 0;
  for (let b = 0; b < batch.bs; b++) {
    const ref: number[] = [];
    const hyp: number[] = [];
    for (let t = 0; t < batch.tgtLen; t++) {
      if (!batch.predMask[b * batch.tgtLen + t]) continue;
      ref.push(batch.targets[b * batch.tgtLen + t]!);
      hyp.push(predicted[k++]!);
    }
    if (b >= n) continue;
    const src = Array.from(batch.src.subarray(b * batch.srcLen + 1, b * batch.srcLen + batch.srcLengths[b]! - 1));
    const text = (ids: number[]) => removeBpe(data.dictionary.toText(ids.filter((i) => i !== EOS_INDEX)).replace(/<special1>/g, '[MASK]'));
    out.push({ source: text(src), reference: text(ref), hypothesis: text(hyp) });
  }
  return out;
}

function finish(scores: Record<string, number>, prefix: string, acc: Accum): void {
  if (acc.tokens === 0) return;
  scores[`${prefix}_ppl`] = Math.exp(acc.loss / acc.tokens);
  scores[`${prefix}_acc`] = (100 * acc.correct) / acc.tokens;
}

/** Validation batches in a fixed order (the reference: no shuffle, grouped by size). */
function evalBatches(indices: Int32Array, costs: Int32Array, batching: BatchingOptions): Int32Array[] {
  return planBatches(indices, costs, { ...batching, groupBySize: true });
}

function subBatch(data: BinarizedData, ids: Int32Array, maxLen: number): SentenceBatch {
  const b = batchSentences(data, ids);
  return maxLen > 0 ? truncate(b, maxLen + 2) : b;
}

/** Cuts rows longer than `slen` (keeping a final `</s>`); used for long s2s sources. */
export function truncate(b: SentenceBatch, slen: number): SentenceBatch {
  if (b.slen <= slen) return b;
  const x = new Int32Array(b.bs * slen);
  const lengths = new Int32Array(b.bs);
  for (let r = 0; r < b.bs; r++) {
    const len = Math.min(b.lengths[r]!, slen);
    x.set(b.x.subarray(r * b.slen, r * b.slen + slen), r * slen);
    if (b.lengths[r]! > slen) x[r * slen + slen - 1] = EOS_INDEX;
    lengths[r] = len;
  }
  return { bs: b.bs, slen, x, lengths };
}

function idsToText(data: TrainingData, ids: ArrayLike<number>): string {
  const words: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === EOS_INDEX) break;
    words.push(data.dictionary.word(ids[i]!));
  }
  return words.join(' ');
}

function sourceText(data: TrainingData, pair: PairData, i: number, side: 'src' | 'tgt'): string {
  const d = pair[side];
  return removeBpe(data.dictionary.toText(d.tokens.subarray(d.offsets[i]!, d.offsets[i + 1]!)));
}

/**
 * The reference's end-of-epoch evaluation: masked-span perplexity/accuracy per MASS language (with the
 * evaluator's own masking and a fixed seed), translation perplexity/accuracy per direction, and with
 * eval_bleu, BLEU (multi-bleu on tokenized text, BPE removed — what MASS reports — plus sacreBLEU on
 * detokenized text) with hypotheses written to files; ROUGE for sequence-to-sequence tasks.
 */
export async function evaluate(model: MassModel, data: TrainingData, s: EvalSettings): Promise<EvalResult> {
  const scores: Record<string, number> = {};
  const samples: SampleOutput[] = [];
  const yieldNow = () => new Promise<void>((r) => setImmediate(r));

  for (const lang of s.massLangs) {
    const valid = data.monoValid.get(lang);
    if (!valid) continue;
    const rng = new Rng(0);
    const acc: Accum = { loss: 0, correct: 0, tokens: 0 };
    const ids = filterByLength(valid, { maxLen: s.maxLen, minLen: 0 });
    for (const b of evalBatches(ids, monoCosts(valid), s.batching)) {
      if (s.signal?.aborted) return { scores, samples };
      const masked = maskForValidation(batchSentences(valid, b), s.langIds.get(lang)!, s.wordMass, data.dictionary.size, rng);
      const predicted = await scoreBatch(model, masked, acc);
      if (samples.length < 2) samples.push(...massSamples(data, masked, predicted, 2 - samples.length));
      await yieldNow();
    }
    finish(scores, `valid_${lang}-${lang}_mass`, acc);
  }

  for (const dir of s.mtPairs) {
    const [l1, l2] = dir.split('-') as [string, string];
    const stored = data.paraValid.get(`${l1}-${l2}`) ?? data.paraValid.get(`${l2}-${l1}`);
    if (!stored) continue;
    const forward = stored.srcLang === l1;
    const src = forward ? stored.src : stored.tgt;
    const tgt = forward ? stored.tgt : stored.src;
    const storedKey = `${stored.srcLang}-${stored.tgtLang}`;
    await scorePairs(model, data, s, { src, tgt, srcLang: l1, tgtLang: l2 }, `valid_${l1}-${l2}_mt`, scores, async (hyps) => {
      const tok = data.references.get(`valid.${storedKey}.${l2}`)?.tokenized;
      const raw = data.references.get(`valid.${storedKey}.${l2}`)?.raw;
      const name = `hyp${s.epoch}.${l1}-${l2}.valid.txt`;
      await mkdir(s.hypothesisDir, { recursive: true });
      await writeFileAtomic(join(s.hypothesisDir, name), hyps.join('\n') + '\n');
      if (tok) scores[`valid_${l1}-${l2}_mt_bleu`] = multiBleu(hyps, [tok]).score;
      if (raw)
        scores[`valid_${l1}-${l2}_mt_sacrebleu`] = sacreBleu(
          hyps.map((h) => detokenize(h, l2)),
          [raw],
        ).score;
      for (let i = 0; i < Math.min(3, hyps.length); i++) {
        samples.push({
          source: detokenize(sourceText(data, { src, tgt, srcLang: l1, tgtLang: l2 }, i, 'src'), l1),
          reference: raw?.[i],
          hypothesis: detokenize(hyps[i]!, l2),
        });
      }
    });
  }

  for (const task of s.s2sTasks) {
    const pair = data.s2sValid.get(task);
    if (!pair) continue;
    await scorePairs(model, data, s, pair, `valid_${task}_s2s`, scores, async (hyps) => {
      const raw = data.references.get(`valid.${task}.tgt`)?.raw;
      const detok = hyps.map((h) => detokenize(h, pair.tgtLang));
      await mkdir(s.hypothesisDir, { recursive: true });
      await writeFileAtomic(join(s.hypothesisDir, `hyp${s.epoch}.${task}.valid.txt`), detok.join('\n') + '\n');
      if (raw) {
        const r = rouge(detok, raw, { useStemmer: true });
        for (const t of ['rouge1', 'rouge2', 'rougeL'] as const) scores[`valid_${task}_${t}`] = 100 * r.average[t]!.fmeasure;
      }
      for (let i = 0; i < Math.min(3, hyps.length); i++)
        samples.push({ source: detokenize(sourceText(data, pair, i, 'src'), pair.srcLang).slice(0, 300), reference: raw?.[i], hypothesis: detok[i]! });
    });
  }
  return { scores, samples };
}

async function scorePairs(
  model: MassModel,
  data: TrainingData,
  s: EvalSettings,
  pair: PairData,
  prefix: string,
  scores: Record<string, number>,
  withHypotheses: (hyps: string[]) => Promise<void>,
): Promise<void> {
  const n = pair.src.header.nSentences;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const acc: Accum = { loss: 0, correct: 0, tokens: 0 };
  const hyps = new Array<string>(n).fill('');
  const srcId = s.langIds.get(pair.srcLang)!;
  const tgtId = s.langIds.get(pair.tgtLang)!;
  // Transposed/fused inference weights, built once for the whole valid set of this direction.
  // (webgpu decodes with the model's own cache: no inference weights there)
  const weights = s.evalBleu && !readsAsync() ? InferenceWeights.build(model, tgtId) : undefined;
  try {
    for (const ids of evalBatches(all, pairCosts(pair.src, pair.tgt), s.batching)) {
      if (s.signal?.aborted) return;
      const src = subBatch(pair.src, ids, s.maxLen);
      const tgt = subBatch(pair.tgt, ids, s.maxLen);
      await scoreBatch(model, pairBatch(src, srcId, tgt, tgtId), acc);
      if (s.evalBleu) {
        // the reference's evaluate_mt: max_len = 1.5 * len + 10
        const maxLen = Math.floor(1.5 * src.slen + 10);
        const input = { bs: src.bs, len: src.slen, tokens: src.x, lengths: src.lengths, langs: new Int32Array(src.x.length).fill(srcId) };
        const beam = { beamSize: s.beamSize, lengthPenalty: s.lengthPenalty, earlyStopping: s.earlyStopping, weights };
        // webgpu reads each step's scores asynchronously; elsewhere a batch decodes in one go
        const out = readsAsync()
          ? await (s.beamSize > 1 ? beamSearchAsync(model, input, tgtId, maxLen, beam) : generateGreedyAsync(model, input, tgtId, maxLen, { weights }))
          : s.beamSize > 1
            ? beamSearch(model, input, tgtId, maxLen, beam)
            : generateGreedy(model, input, tgtId, maxLen, { weights });
        out.ids.forEach((h, r) => (hyps[ids[r]!] = removeBpe(idsToText(data, h))));
      }
      await new Promise<void>((r) => setImmediate(r));
    }
  } finally {
    weights?.dispose();
  }
  finish(scores, prefix, acc);
  if (s.evalBleu) await withHypotheses(hyps);
}
