import { UserError } from '../errors.js';

/**
 * Constraints applied to one row's scores before a token is chosen, as HF transformers' logits
 * processors and OpenNMT/fairseq's decoding options: a banned token gets -Infinity. They run on the
 * logits after the row's log-sum-exp is taken (HF applies them to log-probabilities: the same bans),
 * so the chosen tokens' scores stay true log-probabilities.
 */
export interface LogitsProcessor {
  /**
   * Bans tokens in `scores` (one row, n_words values from `offset`) given the tokens this row has
   * generated so far (no leading `</s>`).
   */
  apply(scores: Float32Array, offset: number, generated: ArrayLike<number>): void;
}

/** No `</s>` before `minLen` words have been generated (fairseq --min-len; both `</s>` excluded). */
export function minLengthProcessor(minLen: number, eosIndex: number): LogitsProcessor {
  return {
    apply(scores, offset, generated) {
      if (generated.length < minLen) scores[offset + eosIndex] = -Infinity;
    },
  };
}

/**
 * No n-gram may occur twice in a hypothesis (HF no_repeat_ngram_size, fairseq --no-repeat-ngram-size):
 * a token that would complete an n-gram already present is banned. The leading `</s>` is not part
 * of the hypothesis here (HF includes its start token; an n-gram through it can never recur anyway).
 */
export function noRepeatNgramProcessor(n: number): LogitsProcessor {
  return {
    apply(scores, offset, g) {
      const len = g.length;
      if (n < 1 || len + 1 < n) return;
      if (n === 1) {
        for (let i = 0; i < len; i++) scores[offset + g[i]] = -Infinity;
        return;
      }
      // The last n-1 tokens are the prefix; every earlier occurrence of it bans the token after it.
      const p = len - (n - 1);
      for (let i = 0; i + n - 1 < len; i++) {
        let same = true;
        for (let j = 0; j < n - 1; j++) {
          if (g[i + j] !== g[p + j]) {
            same = false;
            break;
          }
        }
        if (same) scores[offset + g[i + n - 1]] = -Infinity;
      }
    },
  };
}

export interface ProcessorOptions {
  /** Minimum number of generated words (default 0). */
  minLen?: number;
  /** Ban repeated n-grams of this size (default 0 = off). */
  noRepeatNgram?: number;
}

/** The processors `opts` asks for, in a fixed order. */
export function buildProcessors(opts: ProcessorOptions, eosIndex: number): LogitsProcessor[] {
  const out: LogitsProcessor[] = [];
  const minLen = opts.minLen ?? 0;
  const ngram = opts.noRepeatNgram ?? 0;
  if (!Number.isInteger(minLen) || minLen < 0) throw new UserError(`min_len must be a non-negative integer, got ${minLen}`);
  if (!Number.isInteger(ngram) || ngram < 0) throw new UserError(`no_repeat_ngram must be a non-negative integer, got ${ngram}`);
  if (minLen > 0) out.push(minLengthProcessor(minLen, eosIndex));
  if (ngram > 0) out.push(noRepeatNgramProcessor(ngram));
  return out;
}
