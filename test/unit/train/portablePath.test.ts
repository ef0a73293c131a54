// A packed model names no folder of the machine it was packed on (engine/train/packModel.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { portablePath } from '../../../server/src/engine/train/packModel.js';

test('portablePath: under the packing folder → relative with /, elsewhere → last part, relative or empty → as is', () => {
  const from = join('/', 'home', 'ana', 'mass');
  assert.equal(portablePath(join(from, 'recipes', 'en-fr', 'dumped'), from), 'recipes/en-fr/dumped');
  assert.equal(portablePath(join('/', 'home', 'ana', 'private', 'run1', 'checkpoint.safetensors'), from), 'checkpoint.safetensors');
  assert.equal(portablePath(join('/', 'home', 'ana', 'mass-other', 'dumped'), from), 'dumped', 'a sibling folder sharing the prefix is not under it');
  assert.equal(portablePath(join(from, '..cache', 'run'), from), '..cache/run', "a folder whose name starts with '..' is under it");
  assert.equal(portablePath(from, from), 'mass');
  assert.equal(portablePath('processed', from), 'processed');
  assert.equal(portablePath('bundled:pretrained', from), 'bundled:pretrained');
  assert.equal(portablePath('', from), '');
});
