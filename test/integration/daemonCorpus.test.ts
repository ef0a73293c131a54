/**
 * Corpus diagnostics from the real daemon on real text (data/corpora, written into a temp
 * workspace with bad lines injected at known places): encoding, NUL bytes, empty lines, parallel
 * files of different lengths, English lines in a French file, heavy duplication; re-checked when a
 * file changes. And the long requests: analyseCorpus (progress, cancellation), createConfig.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DaemonClient, type Diag } from '../helpers/daemonClient.js';
import { tempDir } from '../helpers/paths.js';
import { realLines } from '../helpers/realText.js';
import { identifyLanguage } from '../../server/src/daemon/corpora/detectLanguage.js';

let ws: { dir: string; cleanup: () => void };
let client: DaemonClient;
let english: string[];
const p = (f: string) => join(ws.dir, f);

/** Lines 1-based; `bad` maps a line number to the bytes that replace it. */
function writeLines(path: string, lines: string[], bad: Record<number, Buffer> = {}): void {
  writeFileSync(path, Buffer.concat(lines.map((l, i) => bad[i + 1] ?? Buffer.from(l + '\n'))));
}

before(async () => {
  ws = tempDir('mass-corpus-');
  mkdirSync(p('data'));
  const en = await realLines('en-fr', 'train.en.gz', 2000);
  const fr = await realLines('en-fr', 'train.fr.gz', 2000);
  writeLines(p('data/train.en'), en);
  writeLines(p('data/train.fr'), fr.slice(0, 1995)); // five lines short
  english = (await realLines('en-fr', 'mono.en.gz', 300)).filter((l) => (identifyLanguage(l)?.score ?? 0) >= 4).slice(0, 3);
  const mono = await realLines('en-fr', 'mono.fr.gz', 4000);
  writeLines(p('data/mono.fr'), mono, {
    10: Buffer.from('caf\xe9 au lait\n', 'latin1'),
    20: Buffer.from('des\u0000octets\n'),
    30: Buffer.from('\n'),
    500: Buffer.from(english[0] + '\n'),
    1500: Buffer.from(english[1] + '\n'),
    3500: Buffer.from(english[2] + '\n'),
  });
  const monoEn = await realLines('en-fr', 'mono.en.gz', 1000, 1000);
  const dup: string[] = [];
  monoEn.forEach((l, i) => dup.push(l, ...(i % 4 === 0 ? [monoEn[7]!] : []))); // line 8 repeated 250 times
  writeLines(p('data/mono.en'), dup);
  client = await DaemonClient.start(ws.dir);
});

after(async () => {
  await client?.stop();
  ws?.cleanup();
});

const at = (d: Diag[], code: string) => d.filter((x) => x.code === code).map((x) => x.range.start.line + 1);

test('encoding, NUL bytes, empty lines and English lines in a French corpus, by line', async () => {
  const d = await client.diagnosticsOf(p('data/mono.fr'), (x) => x.length > 0);
  assert.deepEqual(at(d, 'invalid-utf8'), [10]);
  assert.deepEqual(at(d, 'nul-byte'), [20]);
  assert.deepEqual(at(d, 'empty'), [30]);
  const wrong = at(d, 'wrong-language');
  for (const n of [500, 1500, 3500]) assert.ok(wrong.includes(n), `line ${n} in ${wrong}`);
  assert.ok(wrong.length <= 6, `few false alarms: ${wrong}`);
  const w = d.find((x) => x.range.start.line === 499)!;
  assert.equal(w.message, 'this line looks like English, but this file should be French (its name ends in .fr)');
  assert.equal(w.source, 'mass-corpus');
  assert.match(d.find((x) => x.code === 'invalid-utf8')!.message, /^invalid UTF-8 at byte 4 of the line/);
});

test('parallel files with different line counts: an error on both, naming the other', async () => {
  const en = await client.diagnosticsOf(p('data/train.en'), (x) => x.some((y) => y.code === 'line-count'));
  const fr = await client.diagnosticsOf(p('data/train.fr'), (x) => x.some((y) => y.code === 'line-count'));
  const e = en.find((x) => x.code === 'line-count')!;
  const f = fr.find((x) => x.code === 'line-count')!;
  assert.equal(
    e.message,
    `train.en has 2,000 lines but its parallel file ${p('data/train.fr')} has 1,995 (same name, another language): line i of one must be the translation of line i of the other`,
  );
  assert.equal(
    f.message,
    `train.fr has 1,995 lines but its parallel file ${p('data/train.en')} has 2,000 (same name, another language): line i of one must be the translation of line i of the other`,
  );
  assert.equal(e.range.start.line + 1, 1996, 'the first line without a partner');
  assert.equal(f.range.start.line + 1, 1995, 'the last line of the shorter file');
  assert.equal(e.severity, 1);
});

test('heavy duplication: the count and the first occurrences', async () => {
  const d = await client.diagnosticsOf(p('data/mono.en'), (x) => x.some((y) => y.code === 'duplicate'));
  const heavy = d.find((x) => x.code === 'duplicate' && x.severity === 2)!;
  assert.match(
    heavy.message,
    /^heavy duplication: 250 of 1,250 non-empty lines \(20\.0%\) repeat an earlier line; the most repeated line occurs 251 times \(first at line \d+\)$/,
  );
  const top = d.find((x) => x.code === 'duplicate' && x.severity === 3 && /occurs 251 times/.test(x.message))!;
  assert.match(top.message, /^this line occurs 251 times \(lines \d+, \d+, \d+, \d+, \d+, \d+, …\)$/);
  assert.equal(top.range.start.line, heavy.range.start.line);
});

test('a corpus fixed on disk is checked again', async () => {
  const fixedText = readFileSync(p('data/train.en'), 'utf8').split('\n').slice(0, 1995).join('\n') + '\n';
  writeFileSync(p('data/train.en'), fixedText);
  await client.diagnosticsOf(p('data/train.en'), (x) => !x.some((y) => y.code === 'line-count'));
  await client.diagnosticsOf(p('data/train.fr'), (x) => !x.some((y) => y.code === 'line-count'));
});

test('analyseCorpus: a full report with progress; $/cancelRequest stops it', async () => {
  const big = p('data/big.en');
  writeLines(big, await realLines('en-fr', 'mono.en.gz', 60000));
  const token = 'scan-1';
  const r = (await client.connection.sendRequest('mass/analyseCorpus', { path: big, workDoneToken: token })) as {
    lines: number;
    majority: string;
    counts: Record<string, number>;
  };
  assert.equal(r.lines, 60000);
  assert.equal(r.majority, 'en');
  const progress = client.notifications
    .filter((n) => n.method === '$/progress' && (n.params as { token: string }).token === token)
    .map((n) => (n.params as { value: { kind: string } }).value.kind);
  assert.equal(progress[0], 'begin');
  assert.equal(progress.at(-1), 'end');
  assert.ok(progress.filter((k) => k === 'report').length >= 2);

  const { CancellationTokenSource } = await import('vscode-jsonrpc');
  const source = new CancellationTokenSource();
  const pending = client.connection.sendRequest('mass/analyseCorpus', { path: big, workDoneToken: 'scan-2' }, source.token);
  await client.waitFor('the second scan to begin', () =>
    client.notifications.some((n) => n.method === '$/progress' && (n.params as { token: string }).token === 'scan-2'),
  );
  source.cancel();
  await assert.rejects(pending, (e: { code: number }) => e.code === -32800);
  // and the daemon goes on
  assert.equal(((await client.connection.sendRequest('mass/status')) as { version: string }).version, '0.1.0');
});

test('analyseCorpus refuses paths outside the workspace', async () => {
  await assert.rejects(
    client.connection.sendRequest('mass/analyseCorpus', { path: '/etc/passwd' }),
    (e: { code: number; message: string }) => e.code === -32602 && /params\.path: \/etc\/passwd is outside the workspace/.test(e.message),
  );
  await assert.rejects(client.connection.sendRequest('mass/analyseCorpus', { path: '../../etc/passwd' }), (e: { code: number }) => e.code === -32602);
});

test('createConfig scaffolds a config from the corpora it finds, and the config checks clean', async () => {
  const r = (await client.connection.sendRequest('mass/createConfig', { folder: p('data') })) as {
    path: string;
    found: { mono: Record<string, string[]>; para: Record<string, Record<string, string>> };
  };
  assert.equal(r.path, p('data/mass.config.json'));
  assert.ok(existsSync(r.path));
  assert.deepEqual(Object.keys(r.found.mono).sort(), ['en', 'fr']);
  assert.ok(r.found.mono.en!.includes('./mono.en') && r.found.mono.en!.includes('./big.en'));
  assert.deepEqual(r.found.para['en-fr'], { en: './train.en', fr: './train.fr' });
  const cfg = JSON.parse(readFileSync(r.path, 'utf8')) as { lgs: string; mass_steps: string };
  assert.equal(cfg.lgs, 'en-fr');
  assert.equal(cfg.mass_steps, 'en,fr');
  // the daemon finds the new config on disk and checks it: no errors
  const d = await client.diagnosticsOf(r.path, () => true);
  assert.deepEqual(
    d.filter((x) => x.severity === 1),
    [],
  );
  const again = (await client.connection.sendRequest('mass/createConfig', { folder: p('data') })) as { path: string };
  assert.equal(again.path, p('data/mass2.mass.json'), 'an existing config is never overwritten');
});
