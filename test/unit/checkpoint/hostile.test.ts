/**
 * Hostile and broken torch files are refused with an error naming the problem; nothing is executed
 * (a pickle that would `touch` a file leaves none) and `mass import` writes nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTorch } from '../../../server/src/engine/checkpoint/torchFile.js';
import { checkpointGlobals, HostTensor, tensorValues, TorchTensor } from '../../../server/src/engine/checkpoint/torchTensors.js';
import { tensorsToPickle } from '../../../server/src/engine/checkpoint/storageTable.js';
import { pickle } from '../../../server/src/engine/checkpoint/pickleWriter.js';
import { writeZip, readZip } from '../../../server/src/engine/checkpoint/zip.js';
import { writeTorchZip } from '../../../server/src/engine/checkpoint/torchZip.js';
import { runCli } from '../../helpers/cli.js';
import { ROOT } from '../../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'mass-hostile-'));
const marker = join(dir, 'executed');
const globals = checkpointGlobals();
const FIX = join(ROOT, 'test/fixtures/torch');

/** protocol 2: os.system('touch MARKER') via GLOBAL + REDUCE. */
function osSystemPickle(): Buffer {
  const cmd = Buffer.from(`touch ${marker}`);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(cmd.length);
  return Buffer.concat([Buffer.from('\x80\x02cos\nsystem\nX', 'latin1'), len, cmd, Buffer.from('\x85R.', 'latin1')]);
}

/** protocol 4: builtins.eval(...) via STACK_GLOBAL. */
function evalPickle(): Buffer {
  const s = (t: string) => Buffer.concat([Buffer.from([0x8c, t.length]), Buffer.from(t)]);
  return Buffer.concat([Buffer.from([0x80, 0x04]), s('builtins'), s('eval'), Buffer.from([0x93]), s(`open('${marker}','w')`), Buffer.from([0x85, 0x52, 0x2e])]);
}

test('a pickle calling os.system is refused, naming the global, and nothing runs', () => {
  // As the main pickle of a zip checkpoint, and as the start of a legacy one.
  const zip = writeZip([
    { name: 'archive/data.pkl', data: osSystemPickle() },
    { name: 'archive/version', data: Buffer.from('3\n') },
  ]);
  assert.throws(() => parseTorch(zip, 'evil.pth', globals), /refuses to load global 'os\.system'/);
  assert.throws(() => parseTorch(osSystemPickle(), 'evil.pth', globals), /refuses to load global 'os\.system'/);
  assert.equal(existsSync(marker), false);
});

test('a pickle calling builtins.eval is refused', () => {
  const zip = writeZip([{ name: 'archive/data.pkl', data: evalPickle() }]);
  assert.throws(() => parseTorch(zip, 'evil.pth', globals), /refuses to load global 'builtins\.eval'/);
  assert.equal(existsSync(marker), false);
});

test('mass import of a hostile file fails and writes nothing', async () => {
  const evil = join(dir, 'evil.pth');
  writeFileSync(evil, writeZip([{ name: 'archive/data.pkl', data: osSystemPickle() }]));
  const out = join(dir, 'out.safetensors');
  const r = await runCli(['import', evil, '--codes', join(FIX, 'codes'), '--out', out]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /os\.system/);
  assert.equal(existsSync(out), false);
  assert.equal(existsSync(`${out}.json`), false);
  assert.equal(existsSync(marker), false);
});

test('truncated files are refused', () => {
  for (const f of ['model.legacy.pth', 'model.zip.pth']) {
    const bytes = readFileSync(join(FIX, f));
    assert.throws(() => parseTorch(bytes.subarray(0, Math.floor(bytes.length * 0.6)), f, globals), /truncated/, f);
  }
});

test('wrong magic is refused', () => {
  const legacy = Buffer.from(readFileSync(join(FIX, 'model.legacy.pth')));
  legacy[5] ^= 0xff; // inside the magic number's bytes
  assert.throws(() => parseTorch(legacy, 'bad.pth', globals), /wrong magic number/);
  assert.throws(() => parseTorch(Buffer.from('GIF89a...'), 'bad.pth', globals), /not a torch checkpoint.*wrong magic/);
});

test('a tensor whose storage is too short is refused', () => {
  const t = new HostTensor('float32', [4, 4], new Float32Array(16));
  const { tree } = tensorsToPickle(new Map([['w', t]]), 'zip');
  // The storage holds 10 floats; the tensor needs 16.
  const zip = writeZip([
    { name: 'archive/data.pkl', data: pickle(tree) },
    { name: 'archive/data/0', data: new Uint8Array(40) },
  ]);
  const read = parseTorch(zip, 'short.pth', globals);
  const w = (read.value as Map<string, unknown>).get('w') as TorchTensor;
  assert.throws(() => tensorValues(w, "short.pth: 'w'"), /needs 16 elements of storage 0, which holds 10/);
});

test('a zip entry with a path outside its root is refused', () => {
  const zip = writeZip([{ name: 'archive/data.pkl', data: pickle(null) }]);
  // Rename the entry in both headers to '../ata.pkl'-style escape of the same length.
  const bad = Buffer.from(zip);
  const from = Buffer.from('archive/data.pkl');
  const to = Buffer.from('../../../etc/pwn');
  for (let i = bad.indexOf(from); i >= 0; i = bad.indexOf(from, i + 1)) to.copy(bad, i);
  assert.throws(() => readZip(bad, 'evil.zip'), /'\.\.\/\.\.\/\.\.\/etc\/pwn' has a '\.\.' component \(a path outside the archive's root\)/);
  assert.throws(() => writeZip([{ name: '/abs', data: new Uint8Array() }]), /absolute path/);
});

test('zip CRC damage is detected', () => {
  const zip = Buffer.from(writeTorchZip(new Map([['w', new HostTensor('float32', [2], Float32Array.of(1, 2))]])));
  const at = zip.indexOf(Buffer.from(Float32Array.of(1, 2).buffer));
  zip[at] ^= 1;
  assert.throws(() => parseTorch(zip, 'damaged.pth', globals), /CRC-32 mismatch/);
});
