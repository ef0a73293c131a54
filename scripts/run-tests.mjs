#!/usr/bin/env node
// Runs the node:test suites under test/<suite>/ (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs unit integration parity [-- extra node --test args]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const argv = process.argv.slice(2);
const dashdash = argv.indexOf('--');
const suites = dashdash >= 0 ? argv.slice(0, dashdash) : argv;
const extra = dashdash >= 0 ? argv.slice(dashdash + 1) : [];

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = suites.flatMap((s) => collect(join('test', s)));
if (files.length === 0) {
  console.error(`no test files found in: ${suites.join(', ')}`);
  process.exit(1);
}
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...extra, ...files], {
  stdio: 'inherit',
  env: process.env,
});
process.exit(res.status ?? 1);
