/**
 * `printf("%.Nf", x)` as C (so Perl) and Python's `f"{x:.Nf}"` print it: the exact binary value of
 * x rounded to N decimals, an exact tie going to the even digit. `Number.prototype.toFixed` rounds
 * exact ties away from zero instead (0.125 → "0.13", where Perl and Python print "0.12").
 */
export function formatFixed(x: number, decimals: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  // toFixed(100) is exact to 100 places (the spec defines it on the mathematical value); doubles
  // from 1e21 up are integers, which BigInt prints exactly.
  const exact = abs >= 1e21 ? `${BigInt(abs)}.` : abs.toFixed(100);
  const dot = exact.indexOf('.');
  const fraction = exact.slice(dot + 1).padEnd(decimals + 1, '0');
  const kept = exact.slice(0, dot) + fraction.slice(0, decimals);
  const rest = fraction.slice(decimals);
  let roundUp = rest[0]! > '5';
  if (rest[0] === '5') roundUp = /[1-9]/.test(rest.slice(1)) || Number(kept[kept.length - 1]) % 2 === 1;
  const digits = roundUp ? (BigInt(kept) + 1n).toString().padStart(kept.length, '0') : kept;
  const intLen = digits.length - decimals;
  const body = decimals > 0 ? `${digits.slice(0, intLen)}.${digits.slice(intLen)}` : digits;
  return negative ? `-${body}` : body;
}
