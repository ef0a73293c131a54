#!/usr/bin/env node
// Runs every benchmark under bench/ (files *.bench.ts), one after the other; each writes its results
// to bench/results/<name>.json. Usage: npm run bench [-- name ...] to run only some.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const only = process.argv.slice(2);
const benches = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
let failed = 0;
for (const b of benches) {
  console.log(`\n=== ${b}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', `bench/${b}`], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`${b} failed (exit ${r.status})`);
  }
}
console.log(`\n${benches.length - failed}/${benches.length} benchmarks done; results in bench/results/`);
process.exit(failed ? 1 : 0);
