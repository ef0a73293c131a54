import { UserError } from '../errors.js';
import type { MassModel } from '../model/model.js';
import { BeamHypotheses, type Hypothesis } from './beamHypotheses.js';
import { checkLang, stepsFor, withLengths, type Generated, type GenerateOptions } from './common.js';
import { runAsync, runSync, stepOf, type DecodeLoop } from './decodeLoop.js';
import { buildProcessors } from './logitsProcessors.js';
import { startDecoder } from './startDecoder.js';
import { checkSource, maxLengths, type SourceBatch } from './source.js';
import { topCandidates } from './topCandidates.js';

export interface BeamOptions extends GenerateOptions {
  beamSize: number;
  /** Exponent of the length in the score (XLM --length_penalty, default 1). */
  lengthPenalty?: number;
  /** Stop a sentence as soon as it has beamSize finished hypotheses (XLM --early_stopping, default false). */
  earlyStopping?: boolean;
}

export interface BeamGenerated extends Generated {
  /** Score of each returned (best) hypothesis: sum of log-probabilities / len^length_penalty. */
  scores: Float64Array;
  /** Every kept hypothesis of each sentence, best first. */
  hypotheses: Hypothesis[][];
}

/**
 * Beam search as XLM's `generate_beam`, batched over sentences and cached: each step, the 2·beam best
 * continuations of a sentence's beams are visited best first; one ending in `</s>` becomes a finished
 * hypothesis (scored by length_penalty), the others continue until the beam is full again. A sentence
 * stops when {@link BeamHypotheses.isDone} says so or at max_len; the best finished hypothesis wins.
 *
 * Deliberate differences from XLM: (1) at the last step (max_len) XLM files every candidate of the step
 * as the hypothesis *without* its word but with that word's log-probability (so one prefix can be
 * filed several times); here each live beam ends with a forced `</s>` scored with `</s>`'s own
 * log-probability, so every score is exactly the sum over the returned words and `</s>`. (2) A
 * sentence starts with one beam instead of beam_size copies scored -1e9 (the same search, less work),
 * and finished sentences leave the batch. (3) Min length and no-repeat-ngram processors (not in XLM).
 */
export function* beamLoop(model: MassModel, src: SourceBatch, tgtLang: number, maxLen: number | Int32Array, opts: BeamOptions): DecodeLoop<BeamGenerated> {
  checkLang(model, tgtLang);
  checkSource(model, src);
  const k = opts.beamSize;
  if (!Number.isInteger(k) || k < 1) throw new UserError(`beam size must be a positive integer, got ${k}`);
  const lp = opts.lengthPenalty ?? 1;
  if (!Number.isFinite(lp)) throw new UserError(`length penalty must be a finite number, got ${lp}`);
  const eos = model.config.eos_index;
  const nWords = model.config.n_words;
  const limits = maxLengths(model, src.bs, maxLen);
  const processors = buildProcessors(opts, eos);
  const hyps = Array.from({ length: src.bs }, (_, s) => new BeamHypotheses(k, limits[s], lp, opts.earlyStopping ?? false));

  // Live beams, grouped by sentence in sentence order: which sentence, words so far, summed log-prob.
  let rowSent = Int32Array.from({ length: src.bs }, (_, s) => s);
  let rowWords: Int32Array[] = Array.from({ length: src.bs }, () => new Int32Array(0));
  let rowScore = new Float64Array(src.bs);
  let tokens = new Int32Array(src.bs).fill(eos);

  const decoder = startDecoder(model, src, tgtLang, stepsFor(limits), opts.decoder, opts.weights);
  try {
    for (let pos = 0; rowSent.length > 0; pos++) {
      yield;
      const rows = rowSent.length;
      const { logits, lse } = yield* stepOf(decoder, tokens, pos, true);
      // log p(w) = logits[w] - lse: the row constant goes into the base score of each candidate.
      const base = Float64Array.from(rowScore, (score, r) => score - lse![r]);
      const nextSource: number[] = [];
      const nextWords: Int32Array[] = [];
      const nextScore: number[] = [];
      const nextTokens: number[] = [];
      for (let r0 = 0; r0 < rows;) {
        const s = rowSent[r0];
        let r1 = r0 + 1;
        while (r1 < rows && rowSent[r1] === s) r1++;
        const h = hyps[s];
        if (pos + 2 === limits[s]) {
          // max_len: every beam ends here with `</s>` (see the note above).
          let best = -Infinity;
          for (let r = r0; r < r1; r++) best = Math.max(best, base[r] + logits[r * nWords + eos]);
          if (!h.isDone(best)) for (let r = r0; r < r1; r++) h.add(rowWords[r], base[r] + logits[r * nWords + eos]);
          r0 = r1;
          continue;
        }
        for (let r = r0; r < r1; r++) for (const p of processors) p.apply(logits, r * nWords, rowWords[r]);
        const cands = topCandidates(logits, nWords, base, r0, r1, 2 * k);
        if (cands.length === 0 || h.isDone(cands[0].value)) {
          r0 = r1;
          continue;
        }
        let kept = 0;
        for (const c of cands) {
          if (c.word === eos) {
            h.add(rowWords[c.row], c.value);
          } else {
            const words = new Int32Array(rowWords[c.row].length + 1);
            words.set(rowWords[c.row]);
            words[words.length - 1] = c.word;
            nextSource.push(c.row);
            nextWords.push(words);
            nextScore.push(c.value);
            nextTokens.push(c.word);
            kept++;
          }
          if (kept === k) break;
        }
        r0 = r1;
      }
      if (nextSource.length > 0) decoder.select(Int32Array.from(nextSource));
      rowSent = Int32Array.from(nextSource, (r) => rowSent[r]);
      rowWords = nextWords;
      rowScore = Float64Array.from(nextScore);
      tokens = Int32Array.from(nextTokens);
    }
  } finally {
    decoder.dispose();
  }
  const hypotheses = hyps.map((h) => h.sorted());
  const ids = hypotheses.map((l) => (l.length ? l[0].ids : new Int32Array(0)));
  return { ...withLengths(ids), scores: Float64Array.from(hypotheses, (l) => (l.length ? l[0].score : -Infinity)), hypotheses };
}

/** Beam search over a source batch (synchronous). */
export function beamSearch(model: MassModel, src: SourceBatch, tgtLang: number, maxLen: number | Int32Array, opts: BeamOptions): BeamGenerated {
  return runSync(beamLoop(model, src, tgtLang, maxLen, opts), opts.signal);
}

/** {@link beamSearch} yielding to the event loop between steps (cancellable through opts.signal). */
export function beamSearchAsync(model: MassModel, src: SourceBatch, tgtLang: number, maxLen: number | Int32Array, opts: BeamOptions): Promise<BeamGenerated> {
  return runAsync(beamLoop(model, src, tgtLang, maxLen, opts), opts.signal);
}
