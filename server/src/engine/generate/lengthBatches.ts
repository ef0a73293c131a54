/**
 * Groups sentences into batches of similar length under a token budget: sentences sorted by length
 * (longest first, ties in input order), a batch closes when one more sentence would make
 * rows × padded length exceed `budget` (a sentence over the budget gets a batch of its own).
 * Returns input indices per batch.
 */
export function lengthBatches(lengths: ArrayLike<number>, budget: number, maxRows = Infinity): number[][] {
  const order = Array.from({ length: lengths.length }, (_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  let width = 0;
  for (const i of order) {
    const w = Math.max(width, lengths[i]);
    if (current.length > 0 && ((current.length + 1) * w > budget || current.length + 1 > maxRows)) {
      batches.push(current);
      current = [];
      width = 0;
    }
    current.push(i);
    width = Math.max(width, lengths[i]);
  }
  if (current.length) batches.push(current);
  return batches;
}
