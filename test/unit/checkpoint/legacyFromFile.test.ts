/**
 * Legacy torch files (the published MASS checkpoints, 1.3 GB) are read from an open file: the pickles
 * first (read again, larger, when they do not fit the first read), each storage only when its values
 * are asked for. The values equal those of the whole-file reader; a truncated or damaged file is still
 * refused with the same errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTorch, readTorchFile } from '../../../server/src/engine/checkpoint/torchFile.js';
import { readTorchLegacyFd } from '../../../server/src/engine/checkpoint/torchLegacy.js';
import { checkpointGlobals, tensorFloat32, TorchTensor } from '../../../server/src/engine/checkpoint/torchTensors.js';
import { ROOT } from '../../helpers/paths.js';

const FIX = join(ROOT, 'test/fixtures/torch/model.legacy.pth');
const globals = checkpointGlobals();
const dir = mkdtempSync(join(tmpdir(), 'mass-legacy-'));

function tensors(value: unknown): Map<string, TorchTensor> {
  const out = new Map<string, TorchTensor>();
  for (const side of ['encoder', 'decoder']) {
    for (const [k, v] of (value as Map<string, Map<string, TorchTensor>>).get(side)!) out.set(`${side}.${k}`, v);
  }
  return out;
}

test('values read storage by storage from the file equal the whole-file reader, whatever the first read size', async () => {
  const whole = tensors(parseTorch(readFileSync(FIX), FIX, globals).value);
  const lazy = await readTorchFile(FIX, globals);
  try {
    assert.equal(lazy.format, 'legacy');
    assert.ok(lazy.close, 'a legacy file stays open for its values');
    const got = tensors(lazy.value);
    assert.deepEqual([...got.keys()], [...whole.keys()]);
    for (const [k, t] of whole) assert.deepEqual(tensorFloat32(got.get(k)!, k), tensorFloat32(t, k), k);
  } finally {
    lazy.close?.();
  }
  // A first read of 64 bytes: the pickles are read again, doubling, until they fit.
  const fd = openSync(FIX, 'r');
  const small = readTorchLegacyFd(fd, fstatSync(fd).size, FIX, globals, 64);
  try {
    const t = tensors(small.value).get('decoder.embeddings.weight')!;
    assert.deepEqual(tensorFloat32(t, 'emb'), tensorFloat32(whole.get('decoder.embeddings.weight')!, 'emb'));
  } finally {
    small.close!();
  }
  assert.throws(() => closeSync(fd), /EBADF/, 'close closed the file');
});

test('a truncated legacy file on disk is refused when read, naming what is missing', async () => {
  const bytes = readFileSync(FIX);
  for (const [cut, why] of [
    [0.6, /truncated \(storage \d+ needs \d+ bytes, \d+ are left\)|truncated \(storage \d+ is missing\)/],
    [0.01, /truncated pickle/],
  ] as const) {
    const p = join(dir, `cut-${cut}.pth`);
    writeFileSync(p, bytes.subarray(0, Math.floor(bytes.length * cut)));
    await assert.rejects(readTorchFile(p, globals), why, String(cut));
  }
  const p = join(dir, 'gif.pth');
  writeFileSync(p, Buffer.from('GIF89a...'));
  await assert.rejects(readTorchFile(p, globals), /not a torch checkpoint.*wrong magic/);
});
