#!/usr/bin/env node
// Held-out text that is not in the repository: Debian's current package synopses in English and their
// DDTP French translations, straight from the archive (apt's Translation-en / Translation-fr lists),
// paired by Description-md5, with every pair whose English or French side occurs anywhere in
// data/corpora (train, mono, valid; compared after whitespace normalisation) removed. Writes up to N
// pairs (a fixed, evenly spread selection) to OUT_DIR/heldout.{en,fr}.
// Usage: node recipes/en-fr/heldout.mjs TRANSLATION_EN TRANSLATION_FR OUT_DIR [N=1000]
// (recipes/en-fr/heldout.sh fetches the lists with apt-get and runs this, then scores the bundled model).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const [enFile, frFile, outDir, nArg] = process.argv.slice(2);
if (!enFile || !frFile || !outDir) {
  console.error('usage: heldout.mjs TRANSLATION_EN TRANSLATION_FR OUT_DIR [N]');
  process.exit(2);
}
const N = Number(nArg ?? 1000);
const norm = (s) => s.replace(/\s+/g, ' ').trim();

/** md5 → first line of the description (the synopsis), from one Translation-LL file. */
function synopses(file, lang) {
  const out = new Map();
  let md5;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('Description-md5: ')) md5 = line.slice(17).trim();
    else if (line.startsWith(`Description-${lang}: `) && md5) out.set(md5, norm(line.slice(14 + lang.length)));
  }
  return out;
}

const en = synopses(enFile, 'en');
const fr = synopses(frFile, 'fr');
const seen = new Set();
for (const f of ['train.en', 'train.fr', 'mono.en', 'mono.fr', 'valid.en', 'valid.fr']) {
  const text = execFileSync('zcat', [join('data/corpora/en-fr', `${f}.gz`)], { maxBuffer: 1 << 30 }).toString('utf8');
  for (const l of text.split('\n')) seen.add(norm(l));
}
const pairs = [];
const keys = new Set();
for (const [md5, f] of fr) {
  const e = en.get(md5);
  if (!e || !f || e.split(' ').length < 3) continue;
  if (seen.has(e) || seen.has(f) || keys.has(e)) continue;
  keys.add(e);
  pairs.push([e, f]);
}
pairs.sort((a, b) => (a[0] < b[0] ? -1 : 1));
const step = Math.max(1, pairs.length / N);
const picked = [];
for (let i = 0; i < pairs.length && picked.length < N; i += step) picked.push(pairs[Math.floor(i)]);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'heldout.en'), picked.map((p) => p[0]).join('\n') + '\n');
writeFileSync(join(outDir, 'heldout.fr'), picked.map((p) => p[1]).join('\n') + '\n');
console.log(`${fr.size} French synopses, ${pairs.length} pairs with an English side and neither side in data/corpora; wrote ${picked.length} to ${outDir}/heldout.{en,fr}`);
