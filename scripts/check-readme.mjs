#!/usr/bin/env node
// Runs every ```sh block of README.md as written, from the repository root, in order (later blocks use
// what earlier ones made), and fails if one fails — so the README stays runnable. A comment line just
// before a block changes what is expected of it:
//   <!-- readme-check: skip (why) -->        not run here (e.g. CI runs that command itself)
//   <!-- readme-check: exit N -->            must exit with status N
//   <!-- readme-check: exit N within S s --> ... and finish within S seconds
// `npm install -g .` installs into a temporary npm prefix put first on PATH, so the check leaves the
// machine's global packages alone. Usage: node scripts/check-readme.mjs [README.md]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const readme = resolve(root, process.argv[2] ?? 'README.md');
const lines = readFileSync(readme, 'utf8').split('\n');

/** The sh blocks with their line numbers and expectations. */
function blocks() {
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```sh') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    if (end >= lines.length) throw new Error(`${readme}:${i + 1}: unclosed code block`);
    let j = i - 1;
    while (j >= 0 && lines[j].trim() === '') j--;
    const directive = /^<!--\s*readme-check:\s*(.*?)\s*-->$/.exec(lines[j]?.trim() ?? '')?.[1];
    const block = { line: i + 1, code: lines.slice(start, end).join('\n'), skip: undefined, exit: 0, within: undefined };
    if (directive) {
      const skip = /^skip\b\s*(.*)$/.exec(directive);
      const exit = /^exit (\d+)(?: within ([\d.]+) s)?$/.exec(directive);
      if (skip) block.skip = skip[1] || 'skipped';
      else if (exit) {
        block.exit = Number(exit[1]);
        block.within = exit[2] ? Number(exit[2]) : undefined;
      } else throw new Error(`${readme}:${j + 1}: unknown readme-check directive '${directive}'`);
    }
    out.push(block);
    i = end;
  }
  return out;
}

const prefix = mkdtempSync(join(tmpdir(), 'mass-readme-prefix-'));
const env = { ...process.env, npm_config_prefix: prefix, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` };
let failed = 0;
try {
  for (const b of blocks()) {
    const first = b.code.split('\n')[0];
    if (b.skip) {
      console.log(`README.md:${b.line}: skip — ${b.skip}: ${first}`);
      continue;
    }
    console.log(`README.md:${b.line}: ${first}${b.code.includes('\n') ? ' …' : ''}`);
    const t0 = Date.now();
    const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', b.code], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const seconds = (Date.now() - t0) / 1000;
    const problems = [];
    if (r.status !== b.exit) problems.push(`exit status ${r.status ?? r.signal}, expected ${b.exit}`);
    if (b.within !== undefined && seconds > b.within) problems.push(`took ${seconds.toFixed(1)} s, expected within ${b.within} s`);
    if (problems.length) {
      failed++;
      console.log(`  FAILED (${problems.join('; ')})\n--- stdout (tail)\n${r.stdout.slice(-3000)}\n--- stderr (tail)\n${r.stderr.slice(-3000)}`);
    } else {
      console.log(`  ok, exit ${r.status} in ${seconds.toFixed(1)} s`);
    }
  }
} finally {
  rmSync(prefix, { recursive: true, force: true });
}
if (failed) {
  console.log(`${failed} README block(s) failed`);
  process.exit(1);
}
console.log('every README block ran as written');
