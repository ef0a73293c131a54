#!/usr/bin/env node
// Deterministic low-resource training sets for the study: N pairs drawn (fixed seed) from the en-fr
// training pairs with 3–80 words on each side. Usage: node study/sample-pairs.mjs N OUT_PREFIX
import { createReadStream, writeFileSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';

const [n, out] = [Number(process.argv[2]), process.argv[3]];
const corpora = process.env.CORPORA ?? 'data/corpora/en-fr';
async function lines(f) {
  const rl = createInterface({ input: createReadStream(`${corpora}/${f}`).pipe(createGunzip()), crlfDelay: Infinity });
  const all = [];
  for await (const l of rl) all.push(l);
  return all;
}
const words = (s) => s.trim().split(/\s+/).filter(Boolean).length;
const en = await lines('train.en.gz');
const fr = await lines('train.fr.gz');
const ok = [];
for (let i = 0; i < en.length; i++) if (words(en[i]) >= 3 && words(en[i]) <= 80 && words(fr[i]) >= 3 && words(fr[i]) <= 80) ok.push(i);
let seed = 20191;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
for (let i = ok.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [ok[i], ok[j]] = [ok[j], ok[i]];
}
const pick = ok.slice(0, n).sort((a, b) => a - b);
writeFileSync(`${out}.en`, pick.map((i) => en[i]).join('\n') + '\n');
writeFileSync(`${out}.fr`, pick.map((i) => fr[i]).join('\n') + '\n');
console.log(`${out}.{en,fr}: ${pick.length} pairs of ${ok.length} eligible`);
