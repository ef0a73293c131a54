import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanCorpus, ScanAborted } from '../../../server/src/daemon/corpora/corpusScan.js';
import { identifyLanguage } from '../../../server/src/daemon/corpora/detectLanguage.js';
import { realLines } from '../../helpers/realText.js';
import { tempDir } from '../../helpers/paths.js';

/** Real French lines with known bad lines injected at known (1-based) line numbers. */
async function corruptedFrench(dir: string): Promise<{ path: string; english: number[] }> {
  const fr = await realLines('en-fr', 'train.fr.gz', 3000);
  const en = (await realLines('en-fr', 'mono.en.gz', 400)).filter((l) => identifyLanguage(l)?.lang === 'en' && identifyLanguage(l)!.score >= 4).slice(0, 5);
  const parts: Buffer[] = fr.map((l) => Buffer.from(l + '\n'));
  parts[99] = Buffer.concat([Buffer.from('Fichier \xe9t\xe9 ', 'latin1'), Buffer.from('corrompu\n')]); // line 100: Latin-1 bytes
  parts[199] = Buffer.from('avant\u0000après\n'); // line 200: NUL
  parts[299] = Buffer.from('\n'); // line 300: empty
  parts[300] = Buffer.from('   \n'); // line 301: blank
  const english = [1000, 1500, 2000, 2500, 2900];
  english.forEach((n, i) => (parts[n - 1] = Buffer.from(en[i]! + '\n')));
  const path = join(dir, 'corpus.fr');
  writeFileSync(path, Buffer.concat(parts));
  return { path, english };
}

test('bad bytes, empty lines and English lines in a French corpus are reported with their line numbers', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const { path, english } = await corruptedFrench(dir);
    const r = await scanCorpus(path, { expectedLang: 'fr', expectedFrom: 'test' });
    assert.equal(r.lines, 3000);
    const at = (kind: string) => r.issues.filter((i) => i.kind === kind).map((i) => i.line);
    assert.deepEqual(at('invalid-utf8'), [100]);
    assert.deepEqual(at('nul-byte'), [200]);
    assert.deepEqual(at('empty'), [300, 301]);
    for (const n of english) assert.ok(at('wrong-language').includes(n), `line ${n} flagged: ${at('wrong-language')}`);
    assert.ok(at('wrong-language').length <= english.length + 3, `few false alarms: ${at('wrong-language')}`);
    assert.match(r.issues.find((i) => i.kind === 'wrong-language')!.message, /looks like English, but this file should be French/);
    assert.equal(r.majority, 'fr');
  } finally {
    cleanup();
  }
});

test('a file in the wrong language gets one file-level warning', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'mono.de');
    writeFileSync(path, (await realLines('en-fr', 'mono.en.gz', 500)).join('\n') + '\n');
    const r = await scanCorpus(path, { expectedLang: 'de', expectedFrom: 'its name ends in .de' });
    const w = r.issues.filter((i) => i.kind === 'wrong-language');
    assert.equal(w.length, 1);
    assert.equal(w[0]!.line, 1);
    assert.match(w[0]!.message, /^most lines look like English \(\d+% of [\d,]+ identified lines\), but this file should be German \(its name ends in \.de\)$/);
  } finally {
    cleanup();
  }
});

test('heavy duplication: counts, the most repeated line and its first occurrences', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const lines = await realLines('en-fr', 'mono.en.gz', 1000);
    const out = [...lines];
    for (let i = 0; i < 150; i++) out.splice(10 + i * 5, 0, lines[3]!); // line 4 repeated 150 more times
    const path = join(dir, 'mono.en');
    writeFileSync(path, out.join('\n') + '\n');
    const r = await scanCorpus(path, { expectedLang: 'en' });
    assert.ok(r.repeats >= 150, String(r.repeats));
    assert.equal(r.topDuplicates[0]!.text, lines[3]);
    assert.equal(r.topDuplicates[0]!.count, 151);
    assert.equal(r.topDuplicates[0]!.lines[0], 4);
    const heavy = r.issues.find((i) => i.kind === 'duplicate' && i.severity === 'warning');
    assert.ok(heavy, JSON.stringify(r.issues.slice(0, 3)));
    assert.equal(heavy.line, 4);
    assert.match(
      heavy.message,
      /heavy duplication: [\d,]+ of [\d,]+ non-empty lines \([\d.]+%\) repeat an earlier line; the most repeated line occurs 151 times \(first at line 4\)/,
    );
    // the real file itself (unique lines) is not flagged
    const clean = join(dir, 'clean.en');
    writeFileSync(clean, lines.join('\n') + '\n');
    assert.equal((await scanCorpus(clean)).issues.filter((i) => i.kind === 'duplicate').length, 0);
  } finally {
    cleanup();
  }
});

test('a scan stops when its signal fires', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'mono.en');
    writeFileSync(path, (await realLines('en-fr', 'mono.en.gz', 20000)).join('\n') + '\n');
    const controller = new AbortController();
    let chunks = 0;
    const scan = scanCorpus(path, {
      signal: controller.signal,
      onProgress: () => {
        if (++chunks === 2) controller.abort();
      },
    });
    await assert.rejects(scan, ScanAborted);
    assert.equal(chunks, 2);
  } finally {
    cleanup();
  }
});
