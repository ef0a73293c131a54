/**
 * What every results file in bench/results/ starts with: which bench, when, on what machine and under
 * what load, so a number can be read against what else had the cores.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

export const loadAverage = (): number[] => loadavg().map((x) => Number(x.toFixed(2)));

/** This session's CPU share against other sessions (Linux autogroup scheduling), e.g. "nice 0". */
export function autogroup(): string | undefined {
  try {
    return readFileSync('/proc/self/autogroup', 'utf8')
      .trim()
      .replace(/^\/autogroup-\d+ /, '');
  } catch {
    return undefined;
  }
}

/** The header of a results file; `loadBefore` is the load average taken when the bench started. */
export function runHeader(bench: string, loadBefore: number[]) {
  return {
    bench,
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    loadAverage: { before: loadBefore, after: loadAverage() },
    autogroup: autogroup(),
    alsoRunning: process.env.BENCH_ALSO_RUNNING ?? 'nothing declared (set BENCH_ALSO_RUNNING)',
  };
}
