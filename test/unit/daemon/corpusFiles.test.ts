import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverCorpora, languageFromName, looksLikeCorpus, walkWorkspace } from '../../../server/src/daemon/corpora/corpusFiles.js';
import { analyseConfig } from '../../../server/src/config/loadConfig.js';
import { tempDir } from '../../helpers/paths.js';

test('languages from file names; code-like extensions only with a corpus-like name', () => {
  assert.equal(languageFromName('train.en'), 'en');
  assert.equal(languageFromName('news.2017.de.txt'), 'de');
  assert.equal(languageFromName('train.pl'), 'pl');
  assert.equal(languageFromName('script.pl'), undefined);
  assert.equal(languageFromName('Program.cs'), undefined);
  assert.equal(languageFromName('index.ts'), undefined);
  assert.ok(looksLikeCorpus('mono.txt'));
  assert.ok(!looksLikeCorpus('train.py'));
  assert.ok(!looksLikeCorpus('mono.en.gz'));
  assert.ok(!looksLikeCorpus('mass.config.json'));
});

test('discovery: parallel files by name (not mono.*), config declarations win, nothing outside the workspace', async () => {
  const { dir, cleanup } = tempDir();
  try {
    mkdirSync(join(dir, 'corpus'));
    mkdirSync(join(dir, 'node_modules'));
    for (const f of ['corpus/train.en', 'corpus/train.fr', 'corpus/mono.en', 'corpus/mono.fr', 'corpus/extra.txt', 'node_modules/train.en', 'notes.md'])
      writeFileSync(join(dir, f), 'x\n');
    writeFileSync(join(dir, 'mass.config.json'), '{}');
    const walked = await walkWorkspace([dir], new Set());
    assert.deepEqual(walked.configs, [join(dir, 'mass.config.json')]);
    assert.deepEqual(
      walked.corpora.map((p) => p.slice(dir.length + 1)),
      ['corpus/mono.en', 'corpus/mono.fr', 'corpus/train.en', 'corpus/train.fr'],
    );
    const text = JSON.stringify({ lgs: 'en-fr', mass_steps: 'en', corpora: { mono: { en: ['corpus/extra.txt', '/etc/*.conf'] } } });
    const cfg = analyseConfig(text, dir, {}, join(dir, 'mass.config.json'));
    const files = await discoverCorpora(walked.corpora, [{ file: join(dir, 'mass.config.json'), cfg }], (p) => p.startsWith(dir));
    const by = new Map(files.map((f) => [f.path.slice(dir.length + 1), f]));
    assert.deepEqual([...by.keys()], ['corpus/extra.txt', 'corpus/mono.en', 'corpus/mono.fr', 'corpus/train.en', 'corpus/train.fr']);
    assert.equal(by.get('corpus/extra.txt')!.lang, 'en');
    assert.equal(by.get('corpus/extra.txt')!.langSource, 'corpora.mono.en in mass.config.json');
    assert.deepEqual(
      by.get('corpus/train.en')!.partners.map((p) => p.path),
      [join(dir, 'corpus/train.fr')],
    );
    assert.deepEqual(by.get('corpus/mono.en')!.partners, []);
  } finally {
    cleanup();
  }
});
