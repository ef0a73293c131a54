import { lengthPenalized } from './lengthPenalty.js';

export interface Hypothesis {
  /** Words, without the `</s>` on either side. */
  ids: Int32Array;
  /** Length-penalised score. */
  score: number;
  /** Sum of the log-probabilities of the words and the final `</s>`. */
  sumLogprobs: number;
}

/**
 * The n best finished hypotheses of one sentence (XLM's BeamHypotheses): a new one enters while there
 * are fewer than n or when it beats the worst, which then leaves.
 */
export class BeamHypotheses {
  readonly hyps: Hypothesis[] = [];
  private worst = 1e9;

  constructor(
    private readonly n: number,
    /** The sentence's max_len (both `</s>` included). */
    private readonly maxLen: number,
    private readonly lengthPenalty: number,
    private readonly earlyStopping: boolean,
  ) {}

  get size(): number {
    return this.hyps.length;
  }

  add(ids: Int32Array, sumLogprobs: number): void {
    const score = lengthPenalized(sumLogprobs, ids.length + 1, this.lengthPenalty);
    if (this.hyps.length < this.n || score > this.worst) {
      this.hyps.push({ ids, score, sumLogprobs });
      if (this.hyps.length > this.n) {
        // Drop the worst (the first of equal worsts, as XLM's sort of (score, index) does).
        let w = 0;
        for (let i = 1; i < this.hyps.length; i++) if (this.hyps[i].score < this.hyps[w].score) w = i;
        this.hyps.splice(w, 1);
        this.worst = Math.min(...this.hyps.map((h) => h.score));
      } else {
        this.worst = Math.min(score, this.worst);
      }
    }
  }

  /**
   * Whether no live beam can still enter: n hypotheses and early stopping, or the best live score
   * cannot beat the worst kept one even at the longest length (XLM divides by (max_len - 1)^lp).
   */
  isDone(bestSumLogprobs: number): boolean {
    if (this.hyps.length < this.n) return false;
    if (this.earlyStopping) return true;
    return this.worst >= lengthPenalized(bestSumLogprobs, this.maxLen - 1, this.lengthPenalty);
  }

  /** Best first (ties: first added first). */
  sorted(): Hypothesis[] {
    return this.hyps
      .map((h, i) => [h, i] as const)
      .sort((a, b) => b[0].score - a[0].score || a[1] - b[1])
      .map(([h]) => h);
  }
}
