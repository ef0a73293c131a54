/**
 * Python 3's round() for the values the reference rounds (span lengths): halves go to the even
 * neighbour (round(2.5) == 2, round(3.5) == 4), unlike Math.round.
 */
export function pyRound(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
