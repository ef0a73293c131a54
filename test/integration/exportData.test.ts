/**
 * `mass export-data`: preprocessed splits written as the reference's data files (Dictionary.index_data's
 * dict), read back through the restricted unpickler (with the data-file allow-list): same dictionary,
 * same sentences, `</s>` after each, positions as index_data makes them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readBinarized } from '../../server/src/engine/data/binarized.js';
import { readTorchFile } from '../../server/src/engine/checkpoint/torchFile.js';
import { dataGlobals } from '../../server/src/engine/checkpoint/torchTensors.js';
import { PyObject, PyTuple } from '../../server/src/engine/checkpoint/pyValues.js';
import { Dictionary } from '../../server/src/engine/text/dictionary.js';
import { preparedWorkspace } from '../helpers/sampleData.js';
import { runCli } from '../helpers/cli.js';

/** A numpy array read back: (shape, dtype code, raw bytes). */
function ndarray(v: unknown): { shape: number[]; code: string; bytes: Uint8Array } {
  assert.ok(v instanceof PyObject && v.className === 'numpy.ndarray');
  const st = (v.state as PyTuple).items;
  const dtype = st[2] as PyObject;
  return { shape: (st[1] as PyTuple).items as number[], code: String(dtype.args[0]), bytes: st[4] as Uint8Array };
}

test('export-data writes every split as the reference data file of the same sentences', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mass-export-data-'));
  const config = await preparedWorkspace(dir, { lines: 200, codes: 200 });
  const data = join(dirname(config), 'processed');
  const out = join(dir, 'reference-data');
  const r = await runCli(['export-data', data, out]);
  assert.equal(r.code, 0, r.stderr);
  const { dictionary } = await Dictionary.readVocab(join(data, 'vocab'));
  const splits = readdirSync(data).filter((n) => n.endsWith('.mbin'));
  assert.ok(splits.length >= 4);
  for (const name of splits) {
    const bin = await readBinarized(join(data, name));
    const read = await readTorchFile(join(out, name.replace(/\.mbin$/, '.pth')), dataGlobals());
    const v = read.value as Map<string, unknown>;
    const dico = v.get('dico') as PyObject;
    assert.equal(dico.className, 'src.data.dictionary.Dictionary');
    const id2word = (dico.state as Map<string, unknown>).get('id2word') as Map<number, string>;
    assert.deepEqual([...id2word.values()], dictionary.id2word);
    const pos = ndarray(v.get('positions'));
    const sent = ndarray(v.get('sentences'));
    assert.equal(pos.code, 'i8');
    assert.equal(sent.code, 'u2');
    const n = bin.offsets.length - 1;
    assert.deepEqual(pos.shape, [n, 2]);
    const p = new BigInt64Array(pos.bytes.slice().buffer);
    const s = new Uint16Array(sent.bytes.slice().buffer);
    assert.equal(s.length, bin.tokens.length + n);
    for (let i = 0; i < n; i++) {
      const [a, b] = [Number(p[2 * i]), Number(p[2 * i + 1])];
      assert.deepEqual(Array.from(s.subarray(a, b)), Array.from(bin.tokens.subarray(bin.offsets[i]!, bin.offsets[i + 1]!)), `${name} sentence ${i}`);
      assert.equal(s[b], 1);
    }
  }
});
