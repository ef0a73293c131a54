/**
 * How ParallelTrainer shares one update among N worker threads. The update's micro-batches become a
 * list of parts, each trained exactly like a micro-batch of Trainer (dropout stream mixSeed(seed, part
 * index), gradient weight = its target tokens / the update's), so N workers compute
 * `Trainer.step(plan.parts, seed)`:
 * - k micro-batches with k a multiple of N: the micro-batches themselves, k/N consecutive ones per worker;
 * - otherwise every micro-batch is cut into N slices of consecutive rows with about equal numbers of
 *   target tokens (fewer slices when it has fewer rows); slice w goes to worker w.
 * A slice is padded only to its own longest source and target row.
 */
import { targetTokenCount, type Seq2SeqBatch } from './seq2seqBatch.js';

export interface UpdatePlan {
  parts: Seq2SeqBatch[];
  /** Worker index of each part. */
  worker: number[];
  /** The micro-batch each part comes from. */
  source: number[];
}

export function planUpdate(microBatches: Seq2SeqBatch[], workers: number): UpdatePlan {
  if (!(workers >= 1)) throw new Error(`planUpdate: ${workers} workers`);
  const k = microBatches.length;
  if (k % workers === 0) {
    const per = k / workers;
    return { parts: [...microBatches], worker: microBatches.map((_, i) => Math.floor(i / per)), source: microBatches.map((_, i) => i) };
  }
  const parts: Seq2SeqBatch[] = [];
  const worker: number[] = [];
  const source: number[] = [];
  microBatches.forEach((b, m) => {
    splitRows(b, workers).forEach(([from, to], w) => {
      parts.push(sliceRows(b, from, to));
      worker.push(w);
      source.push(m);
    });
  });
  return { parts, worker, source };
}

/** Target tokens of each row. */
function rowTargets(b: Seq2SeqBatch): number[] {
  const out: number[] = [];
  for (let r = 0; r < b.bs; r++) {
    let n = 0;
    for (let t = 0; t < b.tgtLen; t++) n += b.predMask[r * b.tgtLen + t];
    out.push(n);
  }
  return out;
}

/**
 * Row ranges [from, to) cutting `b` into min(n, bs) non-empty slices whose target-token counts are
 * as close to equal as consecutive rows allow.
 */
export function splitRows(b: Seq2SeqBatch, n: number): [number, number][] {
  const parts = Math.min(n, b.bs);
  const cum = [0];
  for (const c of rowTargets(b)) cum.push(cum[cum.length - 1] + c);
  const total = cum[b.bs];
  const cuts = [0];
  for (let j = 1; j < parts; j++) {
    const goal = (total * j) / parts;
    let best = cuts[j - 1] + 1;
    for (let r = best + 1; r <= b.bs - (parts - j); r++) if (Math.abs(cum[r] - goal) < Math.abs(cum[best] - goal)) best = r;
    cuts.push(best);
  }
  cuts.push(b.bs);
  return cuts.slice(0, -1).map((from, j) => [from, cuts[j + 1]]);
}

/** Rows [from, to) of a batch as a batch of their own, trimmed to their longest rows. */
export function sliceRows(b: Seq2SeqBatch, from: number, to: number): Seq2SeqBatch {
  let srcLen = 1;
  let tgtLen = 1;
  for (let r = from; r < to; r++) {
    srcLen = Math.max(srcLen, b.srcLengths[r]);
    tgtLen = Math.max(tgtLen, b.tgtLengths[r]);
    for (let t = b.tgtLen - 1; t >= tgtLen; t--) {
      if (b.predMask[r * b.tgtLen + t]) {
        tgtLen = t + 1;
        break;
      }
    }
  }
  srcLen = Math.min(srcLen, b.srcLen);
  tgtLen = Math.min(tgtLen, b.tgtLen);
  const rows = to - from;
  const cut = <T extends Int32Array | Uint8Array>(x: T, width: number, len: number): T => {
    const out = new (x.constructor as new (n: number) => T)(rows * len);
    for (let r = 0; r < rows; r++) out.set(x.subarray((from + r) * width, (from + r) * width + len), r * len);
    return out;
  };
  const part: Seq2SeqBatch = {
    bs: rows,
    srcLen,
    src: cut(b.src, b.srcLen, srcLen),
    srcLengths: b.srcLengths.slice(from, to),
    srcLangs: cut(b.srcLangs, b.srcLen, srcLen),
    tgtLen,
    tgtIn: cut(b.tgtIn, b.tgtLen, tgtLen),
    tgtPositions: cut(b.tgtPositions, b.tgtLen, tgtLen),
    tgtLengths: b.tgtLengths.slice(from, to),
    tgtLangs: cut(b.tgtLangs, b.tgtLen, tgtLen),
    targets: cut(b.targets, b.tgtLen, tgtLen),
    predMask: cut(b.predMask, b.tgtLen, tgtLen),
  };
  if (b.encMask) part.encMask = cut(b.encMask, b.srcLen, srcLen);
  return part;
}

/** Target tokens per worker under a plan (for balance checks and profiles). */
export function workerTokens(plan: UpdatePlan, workers: number): number[] {
  const out = new Array<number>(workers).fill(0);
  plan.parts.forEach((p, i) => (out[plan.worker[i]] += targetTokenCount(p)));
  return out;
}
