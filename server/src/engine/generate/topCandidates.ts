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
    const end = o + n;
    const end4 = end - 3;
    let i = o;
    while (i < end) {
      if (count === k) {
        // The hot loop: once k are held, skip what does not beat the k-th, four at a time.
        while (i < end4 && !(b + scores[i] > threshold || b + scores[i + 1] > threshold || b + scores[i + 2] > threshold || b + scores[i + 3] > threshold))
          i += 4;
        while (i < end && !(b + scores[i] > threshold)) i++;
        if (i === end) break;
      }
      const v = b + scores[i];
      if (v > threshold || (count < k && v > -Infinity)) {
        // Insert keeping values descending; a value equal to an existing one goes after it.
        let j = Math.min(count, k - 1);
        while (j > 0 && vals[j - 1] < v) {
          vals[j] = vals[j - 1];
          rows[j] = rows[j - 1];
          words[j] = words[j - 1];
          j--;
        }
        vals[j] = v;
        rows[j] = r;
        words[j] = i - o;
        if (count < k) count++;
        if (count === k) threshold = vals[k - 1];
      }
      i++;
    }
  }
  return Array.from({ length: count }, (_, i) => ({ row: rows[i], word: words[i], value: vals[i] }));
}
