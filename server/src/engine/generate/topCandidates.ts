/** One continuation of a beam: row `row` extended by word `word`, with total log-probability `value`. */
export interface Candidate {
  row: number;
  word: number;
  value: number;
}

/**
 * The `k` best (row, word) pairs of rows [r0, r1) by base[row] + scores[row·n + word], best first;
 * equal values keep row-major order (XLM's topk over the flattened beam × vocabulary). -Infinity
 * (banned) never qualifies.
 */
export function topCandidates(scores: Float32Array, n: number, base: Float64Array, r0: number, r1: number, k: number): Candidate[] {
  const vals = new Float64Array(k).fill(-Infinity);
  const rows = new Int32Array(k);
  const words = new Int32Array(k);
  let count = 0;
  let threshold = -Infinity;
  for (let r = r0; r < r1; r++) {
    const b = base[r];
    const o = r * n;
    for (let w = 0; w < n; w++) {
      const v = b + scores[o + w];
      if (!(v > threshold) && !(count < k && v > -Infinity)) continue;
      // Insert keeping values descending; a value equal to an existing one goes after it.
      let i = Math.min(count, k - 1);
      while (i > 0 && vals[i - 1] < v) {
        vals[i] = vals[i - 1];
        rows[i] = rows[i - 1];
        words[i] = words[i - 1];
        i--;
      }
      vals[i] = v;
      rows[i] = r;
      words[i] = w;
      if (count < k) count++;
      if (count === k) threshold = vals[k - 1];
    }
  }
  return Array.from({ length: count }, (_, i) => ({ row: rows[i], word: words[i], value: vals[i] }));
}
