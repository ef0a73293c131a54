#!/usr/bin/env node
// Regenerates data/sample/ (the bundled default data) from the real corpora in data/corpora.
// Deterministic: a fixed-seed sample of lines. Run: node scripts/make-sample.mjs [data/corpora]
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

const src = process.argv[2] ?? 'data/corpora';
const out = 'data/sample';
mkdirSync(out, { recursive: true });

async function lines(file) {
  const rl = createInterface({ input: createReadStream(join(src, file)).pipe(createGunzip()), crlfDelay: Infinity });
  const all = [];
  for await (const l of rl) all.push(l);
  return all;
}

// mulberry32: a tiny seeded generator, enough for picking lines reproducibly.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick(n, count, seed) {
  const r = rng(seed);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, count).sort((a, b) => a - b);
}

const words = (s) => s.trim().split(/\s+/).filter(Boolean).length;
const ok = (s) => words(s) >= 4 && words(s) <= 60;

for (const lang of ['en', 'fr']) {
  const all = (await lines(`en-fr/mono.${lang}.gz`)).filter(ok);
  writeFileSync(
    join(out, `mono.${lang}`),
    pick(all.length, 12000, lang === 'en' ? 11 : 12)
      .map((i) => all[i])
      .join('\n') + '\n',
  );
}
const en = await lines('en-fr/train.en.gz');
const fr = await lines('en-fr/train.fr.gz');
const pairs = en.map((e, i) => [e, fr[i]]).filter(([e, f]) => ok(e) && ok(f));
const chosen = pick(pairs.length, 6000, 13).map((i) => pairs[i]);
writeFileSync(join(out, 'train.en'), chosen.map((p) => p[0]).join('\n') + '\n');
writeFileSync(join(out, 'train.fr'), chosen.map((p) => p[1]).join('\n') + '\n');
const ven = await lines('en-fr/valid.en.gz');
const vfr = await lines('en-fr/valid.fr.gz');
const vpairs = ven.map((e, i) => [e, vfr[i]]).filter(([e, f]) => ok(e) && ok(f));
const vchosen = pick(vpairs.length, 300, 14).map((i) => vpairs[i]);
writeFileSync(join(out, 'valid.en'), vchosen.map((p) => p[0]).join('\n') + '\n');
writeFileSync(join(out, 'valid.fr'), vchosen.map((p) => p[1]).join('\n') + '\n');

const summ = (await lines('summarization/train.jsonl.gz')).map((l) => JSON.parse(l)).filter((r) => r.article && r.summary && words(r.article) <= 120);
const schosen = pick(summ.length, 3000, 15).map((i) => summ[i]);
writeFileSync(join(out, 'summarization.train.jsonl'), schosen.map((r) => JSON.stringify({ article: r.article, summary: r.summary })).join('\n') + '\n');
const svalid = (await lines('summarization/valid.jsonl.gz'))
  .map((l) => JSON.parse(l))
  .filter((r) => r.article && r.summary && words(r.article) <= 120)
  .slice(0, 200);
writeFileSync(join(out, 'summarization.valid.jsonl'), svalid.map((r) => JSON.stringify({ article: r.article, summary: r.summary })).join('\n') + '\n');
// The same records as plain text, one a line, for `mass summarize` / `mass eval --metric rouge`.
const oneLine = (t) => t.replace(/\s+/g, ' ');
writeFileSync(
  join(out, 'articles.en'),
  svalid
    .slice(0, 20)
    .map((r) => oneLine(r.article))
    .join('\n') + '\n',
);
writeFileSync(
  join(out, 'summaries.en'),
  svalid
    .slice(0, 20)
    .map((r) => oneLine(r.summary))
    .join('\n') + '\n',
);
console.log(`wrote ${out}`);
