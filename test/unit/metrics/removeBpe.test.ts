import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeBpe } from '../../../server/src/engine/metrics/removeBpe.js';
import { NLP_PARITY } from '../../helpers/paths.js';

const lines = (file: string) =>
  readFileSync(join(NLP_PARITY, 'bpe', file), 'utf8')
    .split('\n')
    .slice(0, -1);

test('undoes fastBPE on real held-out text, line for line', () => {
  const bpe = lines('heldout.bpe.fr');
  const plain = lines('heldout.fr');
  assert.equal(bpe.length, plain.length);
  assert.ok(
    bpe.some((l) => l.includes('@@ ')),
    'the fixture has split words',
  );
  bpe.forEach((l, i) => assert.equal(removeBpe(l), plain[i], `line ${i + 1}`));
});

test("sed -r 's/(@@ )|(@@ ?$)//g' at line ends and in odd places", () => {
  assert.equal(removeBpe('biblio@@ thè@@ que statique'), 'bibliothèque statique');
  assert.equal(removeBpe('fin@@'), 'fin');
  assert.equal(removeBpe('fin@@ '), 'fin');
  assert.equal(removeBpe('a@@b c'), 'a@@b c', 'only "@@ " or a final "@@" is a joint');
  assert.equal(removeBpe('a@@@@ b'), 'a@@b');
  assert.equal(removeBpe('a @@ b'), 'a b');
  assert.equal(removeBpe(''), '');
});
