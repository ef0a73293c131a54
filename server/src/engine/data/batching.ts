import { Rng } from '../util/rng.js';

export interface BatchingOptions {
  /** Pack sentences up to about this many tokens per batch; -1 to use `batchSize` instead. */
  tokensPerBatch: number;
  /** Sentences per batch when tokensPerBatch is -1. */
  batchSize: number;
  /** Cap on sentences per batch with tokensPerBatch (0 = no cap). */
  maxBatchSize: number;
  /** Sort by length before cutting batches (XLM's group_by_size). */
  groupBySize: boolean;
}

/**
 * Cuts sentence indices into batches exactly as XLM's `Dataset.get_iterator`: optional shuffle,
 * stable sort by length, then either fixed-size chunks (`np.array_split`) or token-budget batches
 * (`cumsum(lengths) // tokens_per_batch` boundaries), then the batch order shuffled.
 * `lengths[i]` is the cost of sentence i (XLM: words + 2 for mono, words1 + words2 + 4 for pairs).
 * With no rng the order is deterministic and unshuffled (evaluation).
 */
export function planBatches(indices: Int32Array, lengths: Int32Array, opts: BatchingOptions, rng?: Rng): Int32Array[] {
  let order = Int32Array.from(indices);
  if (rng) {
    const perm = rng.permutation(order.length);
    order = perm.map((p) => order[p]!);
  }
  if (opts.groupBySize) {
    // Stable (mergesort in XLM): ties keep their shuffled order.
    const withPos = Array.from(order, (idx, pos) => [idx, pos] as const);
    withPos.sort((a, b) => lengths[a[0]]! - lengths[b[0]]! || a[1] - b[1]);
    order = Int32Array.from(withPos, ([idx]) => idx);
  }
  const batches: Int32Array[] = [];
  if (order.length === 0) return batches;
  if (opts.tokensPerBatch === -1) {
    // np.array_split(indices, ceil(n / batch_size)): the first (n % k) chunks get one extra.
    const k = Math.ceil(order.length / opts.batchSize);
    const base = Math.floor(order.length / k);
    const extra = order.length % k;
    let at = 0;
    for (let i = 0; i < k; i++) {
      const size = base + (i < extra ? 1 : 0);
      batches.push(order.subarray(at, at + size));
      at += size;
    }
  } else {
    let sum = 0;
    let start = 0;
    let current = -1;
    for (let i = 0; i < order.length; i++) {
      sum += lengths[order[i]!]!;
      const id = Math.floor(sum / opts.tokensPerBatch);
      if (id !== current) {
        if (i > start) batches.push(order.subarray(start, i));
        start = i;
        current = id;
      }
    }
    batches.push(order.subarray(start));
  }
  if (rng) rng.shuffle(batches);
  if (opts.maxBatchSize > 0) {
    return batches.map((b) => {
      if (b.length <= opts.maxBatchSize) return b;
      const copy = Int32Array.from(b);
      rng?.shuffle(copy);
      return copy.subarray(0, opts.maxBatchSize);
    });
  }
  return batches;
}

/** Where a {@link BatchStream} is: saved in checkpoints so a resumed run sees the same batches. */
export interface BatchStreamState {
  /** How many passes over the data were started (the plan of pass k is derived from the seed and k). */
  pass: number;
  /** Next batch within the current pass. */
  position: number;
}

/**
 * An endless, resumable stream of batches over a fixed set of sentences: when a pass ends a new one
 * starts with a fresh shuffle, as the reference re-creates its iterator. Pass k's order depends only
 * on (seed, name, k), so {@link BatchStreamState} is all a checkpoint needs.
 */
export class BatchStream {
  private plan: Int32Array[] = [];
  private state: BatchStreamState = { pass: 0, position: 0 };
  private meanSentences: number | undefined;

  constructor(
    readonly name: string,
    private readonly indices: Int32Array,
    private readonly lengths: Int32Array,
    private readonly opts: BatchingOptions,
    private readonly seed: number,
  ) {
    if (indices.length === 0) throw new Error(`BatchStream ${name}: no sentences`);
  }

  getState(): BatchStreamState {
    return { ...this.state };
  }

  setState(state: BatchStreamState): void {
    this.state = { ...state };
    this.plan = state.pass > 0 ? this.planFor(state.pass) : [];
  }

  next(): Int32Array {
    if (this.state.pass === 0 || this.state.position >= this.plan.length) {
      this.state = { pass: this.state.pass + 1, position: 0 };
      this.plan = this.planFor(this.state.pass);
    }
    return this.plan[this.state.position++]!;
  }

  /**
   * Sentences per batch, averaged over a pass. Fixed by the data and the batching settings: with
   * group_by_size the token-budget cut runs over the same sorted lengths whatever the shuffle, so
   * progress totals computed from it do not drift as batches come and go.
   */
  meanBatchSentences(): number {
    if (this.meanSentences === undefined) {
      const plan = planBatches(this.indices, this.lengths, this.opts);
      let n = 0;
      for (const b of plan) n += b.length;
      this.meanSentences = n / Math.max(1, plan.length);
    }
    return this.meanSentences;
  }

  private planFor(pass: number): Int32Array[] {
    return planBatches(this.indices, this.lengths, this.opts, Rng.derive(this.seed, this.name, pass));
  }
}
