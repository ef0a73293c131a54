/**
 * Reference checkpoints end to end: the fixture model (made by microsoft/MASS's own code, saved by
 * torch in both formats; scripts/fixtures/make_torch_fixtures.py) imports with `mass import`, its
 * greedy translations of 20 real sentences equal the reference's `generate` token for token, its
 * encoder output matches the reference's, and `mass export` → `mass import` gives the same weights.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../server/src/engine/backend/selectBackend.js';
import { generateGreedy } from '../../server/src/engine/generate/greedy.js';
import { encodeSource } from '../../server/src/engine/generate/source.js';
import { modelFromCheckpoint, readCheckpoint } from '../../server/src/engine/checkpoint/safetensorsCheckpoint.js';
import { toFloat32 } from '../../server/src/engine/model/safetensors.js';
import { runCli } from '../helpers/cli.js';
import { ROOT } from '../helpers/paths.js';

const FIX = join(ROOT, 'test/fixtures/torch');
interface Case {
  words: string[];
  ids: number[];
  max_len: number;
  output: number[];
}
const expected = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8')) as { cases: Case[]; encoder_output_0: number[] };
const dir = mkdtempSync(join(tmpdir(), 'mass-torch-'));

before(async () => {
  await initBackend('wasm');
});

async function importFixture(format: 'legacy' | 'zip'): Promise<string> {
  const out = join(dir, `${format}.safetensors`);
  const r = await runCli(['import', join(FIX, `model.${format}.pth`), '--codes', join(FIX, 'codes'), '--vocab', join(FIX, 'vocab'), '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`102 tensors, 113 words, languages en-fr \\(from torch's ${format} format\\)`));
  return out;
}

for (const format of ['legacy', 'zip'] as const) {
  test(`${format} .pth: imported model translates 20 sentences exactly as the reference's generate`, async () => {
    const ck = await readCheckpoint(await importFixture(format));
    assert.equal(ck.meta.kind, 'imported');
    assert.deepEqual(ck.meta.langs, ['en', 'fr']);
    assert.equal(ck.meta.model.emb_dim, 16);
    assert.equal(ck.meta.model.n_max_positions, 128);
    const model = modelFromCheckpoint(ck);
    try {
      let tokens = 0;
      expected.cases.forEach((c, i) => {
        const row = Int32Array.from([1, ...c.ids, 1]);
        const src = { bs: 1, len: row.length, tokens: row, lengths: Int32Array.of(row.length), langs: new Int32Array(row.length) };
        if (i === 0) {
          const mem = encodeSource(model, src);
          const got = mem.out.dataSync();
          mem.out.dispose();
          const diff = Math.max(...expected.encoder_output_0.map((v, k) => Math.abs(v - got[k]!)));
          assert.ok(diff <= 1e-5, `encoder output differs from the reference's by ${diff}`);
        }
        const gen = generateGreedy(model, src, 1, c.max_len);
        assert.deepEqual(Array.from(gen.ids[0]!), c.output, `sentence ${i} (${c.words.join(' ')})`);
        tokens += c.output.length;
      });
      assert.equal(tokens, 434);
    } finally {
      model.dispose();
    }
  });
}

test('export → import round trip keeps every weight, the vocabulary and the languages', async () => {
  const first = await importFixture('legacy');
  for (const format of ['zip', 'legacy'] as const) {
    const pth = join(dir, `exported.${format}.pth`);
    const r = await runCli(['export', first, pth, '--format', format]);
    assert.equal(r.code, 0, r.stderr);
    const again = join(dir, `again.${format}.safetensors`);
    const r2 = await runCli(['import', pth, '--codes', join(FIX, 'codes'), '--out', again]);
    assert.equal(r2.code, 0, r2.stderr);
    const a = await readCheckpoint(first);
    const b = await readCheckpoint(again);
    assert.deepEqual([...b.file.tensors.keys()], [...a.file.tensors.keys()]);
    for (const [name, t] of a.file.tensors) assert.deepEqual(toFloat32(b.file.tensors.get(name)!), toFloat32(t), name);
    assert.deepEqual(b.meta.model, a.meta.model);
    assert.equal(b.meta.vocab, a.meta.vocab);
  }
});
