/** Writer → reader round trips: pickled values, torch legacy and zip files with shared (tied) storages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unpickle } from '../../../server/src/engine/checkpoint/pickleReader.js';
import { pickle } from '../../../server/src/engine/checkpoint/pickleWriter.js';
import { PyTuple } from '../../../server/src/engine/checkpoint/pyValues.js';
import { parseTorch } from '../../../server/src/engine/checkpoint/torchFile.js';
import { writeTorchLegacy } from '../../../server/src/engine/checkpoint/torchLegacy.js';
import { writeTorchZip } from '../../../server/src/engine/checkpoint/torchZip.js';
import { checkpointGlobals, HostTensor, tensorFloat32, TorchTensor } from '../../../server/src/engine/checkpoint/torchTensors.js';

test('pickle round trip of the values a checkpoint holds', () => {
  const v = new Map<unknown, unknown>([
    ['s', 'héllo'],
    [3, -7],
    ['big', 2n ** 70n],
    ['neg', -300000],
    ['f', 0.125],
    ['t', true],
    ['n', null],
    ['l', [1, 'a', new PyTuple([2, 3])]],
    ['d', new Map([['x', 1]])],
  ]);
  for (const protocol of [2, 4] as const) {
    const back = unpickle(pickle(v, protocol), { globals: new Map(), source: 'mem' }).value as Map<unknown, unknown>;
    assert.deepEqual(back, v);
  }
});

test('torch legacy and zip files round trip, tied tensors sharing one storage', () => {
  const shared = Float32Array.from({ length: 6 }, (_, i) => i / 3);
  const value = new Map<unknown, unknown>([
    ['a', new HostTensor('float32', [2, 3], shared)],
    ['b', new HostTensor('float32', [2, 3], shared)],
    ['c', new HostTensor('float32', [4], Float32Array.of(1, -2, 3.5, 1e-30))],
  ]);
  for (const [format, bytes] of [
    ['legacy', writeTorchLegacy(value)],
    ['zip', writeTorchZip(value)],
  ] as const) {
    const read = parseTorch(bytes, format, checkpointGlobals());
    assert.equal(read.format, format);
    assert.equal(read.storages.size, 2, 'the tied pair is stored once');
    const m = read.value as Map<string, TorchTensor>;
    assert.deepEqual(m.get('a')!.shape, [2, 3]);
    assert.equal(m.get('a')!.storage, m.get('b')!.storage);
    assert.deepEqual(tensorFloat32(m.get('a')!, 'a'), shared);
    assert.deepEqual(tensorFloat32(m.get('c')!, 'c'), Float32Array.of(1, -2, 3.5, 1e-30));
  }
});
