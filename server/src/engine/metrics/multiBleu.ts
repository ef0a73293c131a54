import { formatFixed } from './formatFixed.js';

/**
 * BLEU exactly as Moses' `scripts/generic/multi-bleu.perl` computes and prints it — the number
 * XLM/MASS report (on Moses-tokenized, BPE-removed text; see removeBpe.ts).
 */
export interface MultiBleuResult {
  /** 100 × BLEU, unrounded (the printed line rounds it to 2 decimals). */
  score: number;
  /** 100 × the modified n-gram precisions, n = 1..4. */
  precisions: [number, number, number, number];
  /** Brevity penalty. */
  bp: number;
  /** hypLen / refLen. */
  ratio: number;
  /** Words in the hypotheses. */
  hypLen: number;
  /** Sum over lines of the closest reference length (the shorter one on a tie). */
  refLen: number;
  /** The line multi-bleu.perl prints, e.g. `BLEU = 80.07, 96.1/85.4/78.5/72.5 (BP=0.969, ratio=0.969, hyp_len=8315, ref_len=8578)`. */
  line: string;
  /** Set where multi-bleu.perl itself prints no score (it dies on all-empty hypotheses). */
  warning?: string;
}

export interface MultiBleuOptions {
  /** `multi-bleu.perl -lc`: Perl's `lc` on bytes, which lowercases ASCII letters only. */
  lowercase?: boolean;
}

const MAX_ORDER = 4;
/** multi-bleu.perl's `my_log(0)`. */
const LOG_ZERO = -9999999999;

/**
 * Perl's `split` on a byte string: runs of ASCII whitespace (space, \t, \n, \v, \f, \r). UTF-8
 * multi-byte sequences never contain ASCII bytes, so splitting the decoded string is the same.
 */
const ASCII_SPACE_RUN = /[ \t\n\v\f\r]+/;

function perlSplit(line: string): string[] {
  const words = line.split(ASCII_SPACE_RUN);
  if (words.length > 0 && words[0] === '') words.shift();
  if (words.length > 0 && words[words.length - 1] === '') words.pop();
  return words;
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Counts of every n-gram of one order; words never contain a space, so joining with ' ' is unambiguous. */
function countNgrams(words: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let start = 0; start + n <= words.length; start++) {
    const key = n === 1 ? words[start]! : words.slice(start, start + n).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Scores `hyps` against one or more reference sets (`refs[k][i]` is reference k of line i), all of
 * the same length as `hyps`.
 */
export function multiBleu(hyps: readonly string[], refs: readonly (readonly string[])[], options: MultiBleuOptions = {}): MultiBleuResult {
  if (refs.length === 0) throw new RangeError('multiBleu: at least one reference set is needed');
  for (const [k, set] of refs.entries()) {
    if (set.length !== hyps.length) throw new RangeError(`multiBleu: reference set ${k} has ${set.length} lines, the hypotheses ${hyps.length}`);
  }
  const prep = options.lowercase ? asciiLower : (s: string) => s;
  const correct = new Array<number>(MAX_ORDER + 1).fill(0);
  const total = new Array<number>(MAX_ORDER + 1).fill(0);
  let hypLen = 0;
  let refLen = 0;

  for (let i = 0; i < hyps.length; i++) {
    const words = perlSplit(prep(hyps[i]!));
    const refMax: Map<string, number>[] = [];
    for (let n = 1; n <= MAX_ORDER; n++) refMax[n] = new Map();
    // Perl starts from (9999, 9999); a tie in distance keeps the shorter reference.
    let closestDiff = 9999;
    let closestLen = 9999;
    for (const set of refs) {
      const refWords = perlSplit(prep(set[i]!));
      const diff = Math.abs(words.length - refWords.length);
      if (diff < closestDiff) {
        closestDiff = diff;
        closestLen = refWords.length;
      } else if (diff === closestDiff && refWords.length < closestLen) {
        closestLen = refWords.length;
      }
      for (let n = 1; n <= MAX_ORDER; n++) {
        const best = refMax[n]!;
        for (const [ngram, count] of countNgrams(refWords, n)) {
          if ((best.get(ngram) ?? 0) < count) best.set(ngram, count);
        }
      }
    }
    hypLen += words.length;
    refLen += closestLen;
    for (let n = 1; n <= MAX_ORDER; n++) {
      const best = refMax[n]!;
      for (const [ngram, count] of countNgrams(words, n)) {
        total[n]! += count;
        const refCount = best.get(ngram);
        if (refCount !== undefined) correct[n]! += Math.min(count, refCount);
      }
    }
  }

  const prec = [0, 0, 0, 0].map((_, k) => (total[k + 1] ? correct[k + 1]! / total[k + 1]! : 0)) as MultiBleuResult['precisions'];
  const precisions = prec.map((p) => 100 * p) as MultiBleuResult['precisions'];

  if (refLen === 0) {
    // multi-bleu.perl prints this literal line (hyp_len=0 whatever the hypotheses) and exits 1.
    return { score: 0, precisions: [0, 0, 0, 0], bp: 0, ratio: 0, hypLen, refLen, line: 'BLEU = 0, 0/0/0/0 (BP=0, ratio=0, hyp_len=0, ref_len=0)' };
  }
  if (hypLen === 0) {
    // Deliberate difference: multi-bleu.perl dies here ("Illegal division by zero" in the brevity
    // penalty) and prints nothing; XLM then logs that it cannot parse a score. We report 0 so a
    // model that outputs only empty lines early in training does not stop an evaluation.
    const line = `BLEU = 0.00, 0.0/0.0/0.0/0.0 (BP=0.000, ratio=0.000, hyp_len=0, ref_len=${refLen})`;
    return {
      score: 0,
      precisions,
      bp: 0,
      ratio: 0,
      hypLen,
      refLen,
      line,
      warning: 'every hypothesis is empty: multi-bleu.perl would die (division by zero); reported as 0',
    };
  }

  const bp = hypLen < refLen ? Math.exp(1 - refLen / hypLen) : 1;
  const logs = prec.map((p) => (p ? Math.log(p) : LOG_ZERO));
  const bleu = bp * Math.exp((logs[0]! + logs[1]! + logs[2]! + logs[3]!) / 4);
  const ratio = hypLen / refLen;
  const line =
    `BLEU = ${formatFixed(100 * bleu, 2)}, ${precisions.map((p) => formatFixed(p, 1)).join('/')} ` +
    `(BP=${formatFixed(bp, 3)}, ratio=${formatFixed(ratio, 3)}, hyp_len=${hypLen}, ref_len=${refLen})`;
  return { score: 100 * bleu, precisions, bp, ratio, hypLen, refLen, line };
}
