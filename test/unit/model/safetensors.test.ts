import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSafetensors, readSafetensors, serializeSafetensors, toFloat32, writeSafetensors } from '../../../server/src/engine/model/safetensors.js';
import { UserError } from '../../../server/src/engine/errors.js';
import { MASS_PARITY, tempDir } from '../../helpers/paths.js';
import { f32ToF16 } from '../../../server/src/engine/util/float16.js';

/** A file as a safetensors writer other than ours lays it out (header then raw bytes). */
function handMade(header: Record<string, unknown>, data: Uint8Array, pad = 0): Uint8Array {
  const json = Buffer.from(JSON.stringify(header) + ' '.repeat(pad));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

test('reads the reference fixture written by PyTorch: metadata, shapes, tied copies', async () => {
  const f = await readSafetensors(join(MASS_PARITY, 'weights.safetensors'));
  const config = JSON.parse(f.metadata.config) as { emb_dim: number; n_words: number };
  assert.equal(f.metadata.format, 'pt');
  const emb = f.tensors.get('decoder.embeddings.weight')!;
  const proj = f.tensors.get('decoder.pred_layer.proj.weight')!;
  assert.deepEqual(emb.shape, [config.n_words, config.emb_dim]);
  assert.equal(emb.dtype, 'F32');
  assert.deepEqual(toFloat32(proj), toFloat32(emb), 'tied weights are stored twice with equal values');
  assert.equal(f.tensors.get('encoder.attentions.0.q_lin.weight')!.shape.join('x'), `${config.emb_dim}x${config.emb_dim}`);
});

test('write then read returns the same tensors, order and metadata; data is 8-byte aligned', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const a = Float32Array.from([1.5, -2, 3.25, 0, Math.PI, -0]);
    const b = Float32Array.from([7]);
    const path = join(dir, 'x.safetensors');
    await writeSafetensors(
      path,
      [
        ['layer.w', { shape: [2, 3], data: a }],
        ['layer.b', { shape: [1], data: b }],
      ],
      { note: 'réel' },
    );
    const bytes = readFileSync(path);
    const headerLen = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    assert.equal((8 + headerLen) % 8, 0);
    const back = await readSafetensors(path);
    assert.deepEqual([...back.tensors.keys()], ['layer.w', 'layer.b']);
    assert.deepEqual(back.metadata, { note: 'réel' });
    assert.deepEqual(back.tensors.get('layer.w'), { dtype: 'F32', shape: [2, 3], data: a });
    assert.deepEqual(back.tensors.get('layer.b')!.data, b);
  } finally {
    cleanup();
  }
});

test('decodes F16, BF16, F64, I32 and I64, at unaligned offsets', () => {
  const data = new Uint8Array(2 * 3 + 2 * 2 + 8 + 4 * 2 + 8 * 2 + 1);
  const dv = new DataView(data.buffer);
  let o = 0;
  for (const h of [0x3c00, 0xc000, 0x7bff]) (dv.setUint16(o, h, true), (o += 2)); // 1, -2, 65504
  for (const h of [0x3fc0, 0xbf80]) (dv.setUint16(o, h, true), (o += 2)); // 1.5, -1
  dv.setFloat64(o, 0.1, true);
  o += 8;
  for (const v of [-7, 2147483647]) (dv.setInt32(o, v, true), (o += 4));
  for (const v of [-3n, 1n << 40n]) (dv.setBigInt64(o, v, true), (o += 8));
  const header = {
    h: { dtype: 'F16', shape: [3], data_offsets: [0, 6] },
    bf: { dtype: 'BF16', shape: [2], data_offsets: [6, 10] },
    d: { dtype: 'F64', shape: [], data_offsets: [10, 18] },
    i: { dtype: 'I32', shape: [2], data_offsets: [18, 26] },
    l: { dtype: 'I64', shape: [2, 1], data_offsets: [26, 42] },
  };
  const f = parseSafetensors(handMade(header, data, 3), 'mixed.safetensors');
  assert.deepEqual([...f.tensors.get('h')!.data], [1, -2, 65504]);
  assert.deepEqual([...f.tensors.get('bf')!.data], [1.5, -1]);
  assert.equal(f.tensors.get('d')!.data[0], Math.fround(0.1));
  assert.deepEqual([...f.tensors.get('i')!.data], [-7, 2147483647]);
  assert.deepEqual([...f.tensors.get('l')!.data], [-3n, 1n << 40n]);
  assert.deepEqual([...toFloat32(f.tensors.get('l')!)], [-3, 2 ** 40]);
});

test('malformed files are UserErrors naming the file and the tensor', () => {
  const four = new Uint8Array(8);
  const bad =
    (header: Record<string, unknown>, data = four) =>
    () =>
      parseSafetensors(handMade(header, data), 'bad.safetensors');
  const is = (re: RegExp) => (e: unknown) => e instanceof UserError && /^bad\.safetensors: /.test(e.message) && re.test(e.message);
  assert.throws(bad({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }), is(/'w': 8 bytes for shape \[3\]/));
  assert.throws(bad({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }), is(/'w'.*outside the 8 data bytes/));
  assert.throws(bad({ w: { dtype: 'U8', shape: [8], data_offsets: [0, 8] } }), is(/'w': unsupported dtype "U8"/));
  assert.throws(
    bad({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }),
    is(/'a' and 'b' overlap/),
  );
  assert.throws(() => parseSafetensors(Buffer.from('{"a": 1}'), 'bad.safetensors'), is(/header length/));
  const notJson = new Uint8Array(12);
  new DataView(notJson.buffer).setBigUint64(0, 4n, true);
  notJson.set(Buffer.from('{x:1'), 8);
  assert.throws(() => parseSafetensors(notJson, 'bad.safetensors'), is(/header is not JSON/));
});

test('a missing file is a UserError with its path', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const p = join(dir, 'none.safetensors');
    await assert.rejects(readSafetensors(p), (e: Error) => e instanceof UserError && e.message.startsWith(`${p}: cannot read`));
    writeFileSync(p, serializeSafetensors([]));
    assert.equal((await readSafetensors(p)).tensors.size, 0);
  } finally {
    cleanup();
  }
});

test('float16 writing rounds to nearest even, as numpy astype(float16) does, and reads back', () => {
  // Expected bits from numpy: np.array([v], np.float32).astype(np.float16).view(np.uint16)
  const cases: [number, number][] = [
    [1, 0x3c00],
    [-2.5, 0xc100],
    [0.1, 0x2e66],
    [1 / 3, 0x3555],
    [65504, 0x7bff],
    [65520, 0x7c00],
    [1e6, 0x7c00],
    [6e-8, 0x0001],
    [1e-8, 0x0000],
    [-0, 0x8000],
    [2 ** -14, 0x0400],
    [2 ** -24, 0x0001],
    [1.5 * 2 ** -25, 0x0001],
    [2 ** -25, 0x0000],
    [1 + 2 ** -11, 0x3c00],
    [1 + 3 * 2 ** -11, 0x3c02],
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
  ];
  for (const [v, bits] of cases) assert.equal(f32ToF16(v), bits, `${v}: 0x${f32ToF16(v).toString(16)} vs 0x${bits.toString(16)}`);
  assert.equal(f32ToF16(NaN) & 0x7c00, 0x7c00);
  const data = Float32Array.from([0.1, -1.75, 3e-5, 1234.5, 0]);
  const file = parseSafetensors(serializeSafetensors([['w', { shape: [5], data, dtype: 'F16' }]]), 'f16');
  const t = file.tensors.get('w')!;
  assert.equal(t.dtype, 'F16');
  const back = toFloat32(t);
  for (let i = 0; i < data.length; i++) assert.ok(Math.abs(back[i]! - data[i]!) <= Math.abs(data[i]!) * 2 ** -11 + 6e-8, `${data[i]} → ${back[i]}`);
});
