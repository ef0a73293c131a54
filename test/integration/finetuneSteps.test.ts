import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/paths.js';
import { preparedWorkspace, jsonl } from '../helpers/sampleData.js';

let ws: { dir: string; cleanup: () => void };
let config: string;

before(async () => {
  ws = tempDir();
  config = await preparedWorkspace(ws.dir, { lines: 2000 });
});
after(() => ws.cleanup());

async function losses(id: string, steps: string[]): Promise<number[]> {
  const r = await runCli(['train', '--config', config, '--exp_id', id, '--mass_steps', '', ...steps, '--max_steps', '40', '--epoch_size', '100000', '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  return jsonl(join(ws.dir, 'dumped', 'test', id, 'train.jsonl'))
    .filter((x) => x.type === 'progress')
    .map((x) => x.loss as number);
}

function lowers(values: number[], what: string): void {
  const first = values.slice(0, 3).reduce((a, b) => a + b, 0) / 3;
  const last = values.slice(-3).reduce((a, b) => a + b, 0) / 3;
  assert.ok(values.length >= 10, `${what}: enough reports (${values.length})`);
  assert.ok(last < first - 0.3, `${what}: loss ${first.toFixed(3)} → ${last.toFixed(3)}`);
}

test('supervised MT steps lower their loss on real en-fr pairs', async () => {
  lowers(await losses('mt', ['--mt_steps', 'en-fr,fr-en']), 'mt');
});

test('summarization (s2s) steps with label smoothing lower their loss on real article/summary pairs', async () => {
  lowers(await losses('s2s', ['--s2s_steps', 'summarization', '--label_smoothing', '0.1']), 's2s');
});

test('back-translation steps lower their loss on real monolingual text', async () => {
  lowers(await losses('bt', ['--bt_steps', 'en-fr-en,fr-en-fr']), 'bt');
});
