import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readLines } from '../../../server/src/engine/text/corpusReader.js';
import { RangeTable } from '../../../server/src/engine/text/bpe/rangeTable.js';
import { CORPORA } from '../../helpers/paths.js';

test('RangeTable numbers words like a Map, looked up by ranges of real lines', async () => {
  const table = new RangeTable();
  const map = new Map<string, number>();
  const lines: string[] = [];
  for await (const { text } of readLines(join(CORPORA, 'en-fr', 'valid.fr.gz'))) lines.push(text);
  for (const line of lines) {
    let start = 0;
    for (const w of line.split(' ')) {
      const end = start + w.length;
      if (w !== '') {
        const id = table.find(line, start, end);
        assert.equal(id, map.get(w) ?? -1, w);
        if (id < 0) {
          map.set(w, table.insert(w));
          assert.equal(table.find(line, start, end), map.get(w));
        }
      }
      start = end + 1;
    }
  }
  assert.ok(table.size > 3000);
  assert.deepEqual(table.keys, [...map.keys()]);
  assert.equal(table.find('xx été', 3, 6), map.get('été') ?? -1);
  assert.equal(table.find('no-such-word-here', 0, 17), -1);
  table.clear();
  assert.equal(table.size, 0);
  assert.equal(table.find('été', 0, 3), -1);
});
