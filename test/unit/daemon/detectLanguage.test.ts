import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identifyLanguage } from '../../../server/src/daemon/corpora/detectLanguage.js';
import { realLines } from '../../helpers/realText.js';

async function tally(file: string, n: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const line of await realLines('en-fr', file, n)) {
    const lang = identifyLanguage(line)?.lang ?? '?';
    counts[lang] = (counts[lang] ?? 0) + 1;
  }
  return counts;
}

test('real English and French lines are identified, almost never as another language', async () => {
  for (const [file, lang] of [
    ['mono.en.gz', 'en'],
    ['mono.fr.gz', 'fr'],
    ['train.fr.gz', 'fr'],
  ] as const) {
    const c = await tally(file, 5000);
    const wrong = Object.entries(c)
      .filter(([l]) => l !== lang && l !== '?')
      .reduce((a, [, n]) => a + n, 0);
    assert.ok((c[lang] ?? 0) > 2500, `${file}: ${JSON.stringify(c)}`);
    assert.ok(wrong <= 10, `${file}: ${JSON.stringify(c)}`);
  }
});

test('short or technical lines stay undecided rather than guessed', () => {
  assert.equal(identifyLanguage('GtkFileChooser'), undefined);
  assert.equal(identifyLanguage('--max-count=NUM'), undefined);
  assert.equal(identifyLanguage('NB.SI.ENS, MIN.SI, MAX.SI, MOYENNE.SI.ENS, SOMME.SI.ENS'), undefined);
});

test('candidates can be restricted', async () => {
  const [line] = await realLines('en-fr', 'mono.fr.gz', 1, 20);
  const all = identifyLanguage(line!);
  assert.equal(all?.lang, 'fr', line);
  assert.notEqual(identifyLanguage(line!, ['en', 'de'])?.lang, 'fr');
});
