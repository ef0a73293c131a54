/**
 * XLM's beam score: the sum of the hypothesis' log-probabilities divided by len^length_penalty, where
 * len counts the scored predictions: the words plus the final `</s>` (XLM divides by
 * `len(generated[:cur_len])`, the words plus the leading `</s>`: the same number).
 * length_penalty > 1 favours longer outputs, < 1 shorter ones, 0 compares raw sums.
 */
export function lengthPenalized(sumLogprobs: number, len: number, lengthPenalty: number): number {
  return sumLogprobs / len ** lengthPenalty;
}
