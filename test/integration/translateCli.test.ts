/**
 * `mass translate` / `mass summarize` end to end with a real checkpoint made here (real pairs, the real
 * BPE pipeline, a tiny model trained until it reproduces its few training pairs), and the Translator
 * API on the same file: raw text in, raw text out, one line per line, bad input handled per line.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { initBackend } from '../../server/src/engine/backend/selectBackend.js';
import { tf } from '../../server/src/engine/backend/tf.js';
import { Translator } from '../../server/src/engine/generate/translator.js';
import { codesFromText, vocabularyFromText } from '../../server/src/engine/generate/textCodec.js';
import { readCheckpoint } from '../../server/src/engine/checkpoint/safetensorsCheckpoint.js';
import { runCli } from '../helpers/cli.js';
import { ROOT, tempDir } from '../helpers/paths.js';
import { realLines } from '../helpers/realText.js';
import { buildTinyCheckpoint, type TinyCheckpoint } from '../helpers/tinyCheckpoint.js';

const tmp = tempDir('mass-translate-');
let ck: TinyCheckpoint;
let longLine: string;

before(async () => {
  await initBackend('wasm');
  ck = await buildTinyCheckpoint(tmp.dir, { pairs: 24, steps: 200, nMaxPositions: 64 });
  // A real paragraph far over the model's 62 tokens.
  longLine = (await realLines('en-fr', 'mono.en.gz', 40)).join(' ');
});
after(() => tmp.cleanup());

const lines = (s: string) => (s.endsWith('\n') ? s.slice(0, -1) : s).split('\n');

test('the tiny checkpoint learned its pairs (so exact outputs below mean the whole pipeline is right)', () => {
  assert.ok(ck.losses.at(-1)! < 0.1, `final loss ${ck.losses.at(-1)}`);
});

test('translate: raw lines in, their translations out, in order; blank lines stay blank; a long line is cut with a warning', async () => {
  const p = ck.pairs;
  const input = [p[0].en, '', '   ', p[1].en, longLine, p[2].en, p[3].en].join('\n') + '\n';
  for (const beam of ['1', '3']) {
    const r = await runCli(['translate', '--model', ck.path, '--src', 'en', '--tgt', 'fr', '--beam', beam, '--backend', 'wasm'], { input });
    assert.equal(r.code, 0, r.stderr);
    const out = lines(r.stdout);
    assert.equal(out.length, 7, r.stdout);
    assert.deepEqual([out[0], out[1], out[2], out[3], out[5], out[6]], [p[0].fr, '', '', p[1].fr, p[2].fr, p[3].fr], `beam ${beam}`);
    assert.ok(out[4].length > 0, 'the long line is translated (its first 62 tokens)');
    assert.match(r.stderr, /<stdin>:5: warning: \d+ subword tokens, more than the model's 62/);
    assert.match(r.stderr, /translate: done, 7 lines/);
  }
});

test('translate: unreadable lines (invalid UTF-8, NUL) give an empty output line and a warning, never a crash', async () => {
  const p = ck.pairs;
  const input = Buffer.concat([Buffer.from(`${p[0].en}\n`), Buffer.from([0x66, 0xff, 0xfe, 0x0a]), Buffer.from(`${p[1].en}\nnul\u0000byte\n${p[2].en}`)]);
  const r = await runCli(['translate', '-m', ck.path, '-s', 'en', '-t', 'fr'], { input });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(lines(r.stdout), [p[0].fr, '', p[1].fr, '', p[2].fr]);
  assert.match(r.stderr, /<stdin>:2: warning: unreadable line/);
  assert.match(r.stderr, /<stdin>:4: warning: unreadable line/);
});

test('translate: unknown language, missing or unreadable checkpoint, missing flags: one clear line, exit 1', async () => {
  const bad = await runCli(['translate', '--model', ck.path, '--src', 'en', '--tgt', 'de'], { input: 'hello\n' });
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^mass: unknown target language 'de': .*tiny\.safetensors knows en, fr\n$/);
  const missing = await runCli(['translate', '--model', join(tmp.dir, 'nope.safetensors'), '--src', 'en', '--tgt', 'fr'], { input: 'hello\n' });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^mass: .*nope\.safetensors.*\n$/);
  const notCk = join(tmp.dir, 'text.safetensors');
  writeFileSync(notCk, 'this is not a checkpoint\n');
  const wrong = await runCli(['translate', '--model', notCk, '--src', 'en', '--tgt', 'fr'], { input: 'hello\n' });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /^mass: .*text\.safetensors.*\n$/);
  const noSrc = await runCli(['translate', '--model', ck.path, '--tgt', 'fr']);
  assert.equal(noSrc.code, 1);
  assert.match(noSrc.stderr, /--src and --tgt are required/);
  const help = await runCli(['translate', '--help']);
  assert.equal(help.code, 0);
  for (const flag of ['--model', '--src', '--tgt', '--beam', '--length_penalty', '--batch_tokens', '--backend']) assert.ok(help.stdout.includes(flag), flag);
});

test('translate streams: a line is answered before the input ends', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/src/cli/main.ts'), 'translate', '-m', ck.path, '-s', 'en', '-t', 'fr', '-q'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (stdout.includes('\n')) resolve(stdout);
    });
    child.on('close', (code) => reject(new Error(`exited (${code}) before answering: ${stderr}`)));
  });
  child.stdin.write(`${ck.pairs[5].en}\n`);
  assert.equal(await firstLine, `${ck.pairs[5].fr}\n`);
  child.stdin.end(`${ck.pairs[6].en}\n`);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr);
  assert.equal(stdout, `${ck.pairs[5].fr}\n${ck.pairs[6].fr}\n`);
  assert.equal(stderr, '', 'quiet');
});

test('summarize: one line out per line in, and a warning that this checkpoint was never fine-tuned for it', async () => {
  const input = [ck.pairs[0].en, '', ck.pairs[1].en].join('\n') + '\n';
  const r = await runCli(['summarize', '--model', ck.path, '--beam', '2', '--min_len', '2', '--no_repeat_ngram', '2'], { input });
  assert.equal(r.code, 0, r.stderr);
  const out = lines(r.stdout);
  assert.equal(out.length, 3);
  assert.equal(out[1], '');
  assert.ok(out[0].length > 0 && out[2].length > 0);
  assert.equal(r.stderr.match(/was not fine-tuned for summarization/g)?.length, 1, r.stderr);
  const bad = await runCli(['summarize', '--model', ck.path, '--lang', 'xx'], { input });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /unknown summarization language 'xx'.*knows en, fr/);
});

test('Translator API: input order, batching does not change outputs, cancellation, info', async () => {
  const t = await Translator.load(ck.path);
  try {
    const src = ck.pairs.map((p) => p.en);
    const all = await t.translate(src, 'en', 'fr', { batchTokens: 4000 });
    assert.deepEqual(
      all,
      ck.pairs.map((p) => p.fr),
    );
    // One sentence per batch, beam search, the model's own cached decoder: same results.
    assert.deepEqual(await t.translate(src, 'en', 'fr', { batchTokens: 1 }), all);
    assert.deepEqual(await t.translate(src.slice(0, 6), 'en', 'fr', { decoder: 'cached', beam: 2 }), all.slice(0, 6));
    let progress = 0;
    await t.translate(src, 'en', 'fr', { batchTokens: 40, onProgress: (done, total) => (assert.equal(total, src.length), (progress = done)) });
    assert.equal(progress, src.length);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const running = t.translate(src, 'en', 'fr', { beam: 4, signal: controller.signal });
    setImmediate(() => controller.abort());
    await assert.rejects(running, (e: Error) => e.name === 'AbortError');
    assert.equal(tf.memory().numTensors, before);
    await assert.rejects(t.translate(['x'], 'xx', 'fr'), /unknown source language 'xx'/);
    // The same model as a live translator (what the trainer and the daemon use) translates the same.
    const ckMeta = (await readCheckpoint(ck.path)).meta;
    const { dictionary, bpeVocab } = vocabularyFromText(ckMeta.vocab, 'vocab');
    const live = Translator.fromModel(t.model, dictionary, codesFromText(ckMeta.codes, 'codes'), bpeVocab, ['en', 'fr']);
    assert.deepEqual(await live.translate(src.slice(0, 8), 'en', 'fr', { beam: 2 }), all.slice(0, 8));
    live.dispose();
    assert.equal(tf.memory().numTensors, before, 'a live translator frees its weight snapshot and leaves the model alone');
    const info = t.info();
    assert.deepEqual(info.langs, ['en', 'fr']);
    assert.deepEqual(info.tasks, ['mt']);
    assert.equal(info.codes, 1500);
    assert.equal(info.vocabulary, info.model.n_words);
  } finally {
    t.dispose();
  }
});

test('pack: one compact float16 model file (tied copies once, no optimizer) that translates as the checkpoint does; averaging', async () => {
  const packed = join(tmp.dir, 'packed.safetensors');
  const r = await runCli(['pack', ck.path, '--out', packed]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /pack: .*packed\.safetensors: [\d.]+M parameters \([\d.]+ (KB|MB) of float16 weights\)/);
  const original = await readCheckpoint(ck.path);
  const small = await readCheckpoint(packed);
  assert.ok([...small.file.tensors.values()].every((t) => t.dtype === 'F16'));
  assert.ok(![...small.file.tensors.keys()].some((k) => k.startsWith('optimizer.')), 'no optimizer state');
  assert.ok(!small.file.tensors.has('encoder.pred_layer.proj.weight'), 'the tied output projection is stored once');
  assert.equal(small.meta.state, undefined);
  assert.deepEqual([small.meta.vocab, small.meta.codes], [original.meta.vocab, original.meta.codes]);
  // The file is handed on: it names no folder of this machine (the checkpoint did: its temp workspace).
  assert.ok(isAbsolute(String(original.meta.settings.dump_path)), 'the checkpoint records its absolute dump_path');
  const packedText = JSON.stringify(small.meta) + (await readFile(`${packed}.json`, 'utf8'));
  assert.ok(!packedText.includes(tmp.dir), `the packed model names ${tmp.dir}`);
  assert.equal(small.meta.settings.dump_path, basename(String(original.meta.settings.dump_path)));
  for (const [name, t] of small.file.tensors) {
    const a = Float32Array.from(t.data as Float32Array);
    const b = original.file.tensors.get(name)!.data as Float32Array;
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= Math.abs(b[i]!) * 2 ** -11 + 6e-8, `${name}[${i}]: ${b[i]} → ${a[i]}`);
  }
  // The tiny model reproduces its training pairs from the float16 weights too.
  const input =
    ck.pairs
      .slice(0, 8)
      .map((p) => p.en)
      .join('\n') + '\n';
  const t = await runCli(['translate', '--model', packed, '--src', 'en', '--tgt', 'fr', '--backend', 'wasm'], { input });
  assert.equal(t.code, 0, t.stderr);
  const same = lines(t.stdout).filter((l, i) => l === ck.pairs[i]!.fr).length;
  assert.ok(same >= 7, `${same}/8 training pairs reproduced from float16 weights:\n${t.stdout}`);
  // Averaging a checkpoint with itself is that checkpoint; with another vocabulary it is refused.
  const twice = join(tmp.dir, 'twice.safetensors');
  assert.equal((await runCli(['pack', ck.path, ck.path, '--out', twice, '--dtype', 'float32'])).code, 0);
  const avg = await readCheckpoint(twice);
  assert.equal(avg.meta.kind, 'average-2');
  for (const [name, x] of avg.file.tensors) assert.deepEqual(x.data, original.file.tensors.get(name)!.data, name);
  const clash = await runCli(['pack', ck.path, packed, '--out', ck.path]);
  assert.equal(clash.code, 1);
  assert.match(clash.stderr, /is also an input/);
});
