import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseConfig, describeProblem } from '../../../server/src/config/loadConfig.js';
import { configJsonSchema, defaultSettings, fields } from '../../../server/src/config/schema.js';
import { learningRate, parseOptimizer } from '../../../server/src/config/optimizerSpec.js';
import { parseLambda } from '../../../server/src/config/lambdaSchedule.js';

const good = `{
  // the reference's unsupervised en-fr pre-training command, as a config
  "lgs": "en-fr",
  "mass_steps": "en,fr",
  "encoder_only": false,
  "emb_dim": 1024,
  "n_layers": 6,
  "n_heads": 8,
  "dropout": 0.1,
  "attention_dropout": 0.1,
  "gelu_activation": true,
  "tokens_per_batch": 3000,
  "optimizer": "adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.0001",
  "epoch_size": 200000,
  "max_epoch": 100,
  "eval_bleu": true,
  "word_mass": 0.5,
  "min_len": 5,
}`;

test('the reference README command as a config has no problems', () => {
  const cfg = analyseConfig(good, '/ws', {}, 'mass.config.json');
  assert.deepEqual(cfg.problems, []);
  assert.equal(cfg.settings.emb_dim, 1024);
  assert.equal(cfg.settings.n_dec_layers, 6, 'default kept');
});

test('contradictory and unknown settings are named with file:line:col', () => {
  const text = good
    .replace('"n_heads": 8', '"n_heads": 6')
    .replace('"mass_steps": "en,fr"', '"mass_steps": "en,de"')
    .replace('"min_len": 5', '"min_len": 5, "emb_dimm": 3');
  const cfg = analyseConfig(text, '/ws', {}, 'mass.config.json');
  const msgs = cfg.problems.map((p) => describeProblem(cfg, p));
  assert.ok(
    msgs.some((m) => /^mass\.config\.json:\d+:\d+: emb_dimm: unknown setting \(did you mean 'emb_dim'\?\)$/.test(m)),
    msgs.join('\n'),
  );
  // schema errors block semantic checks until fixed
  const fixed = analyseConfig(text.replace(', "emb_dimm": 3', ''), '/ws', {}, 'mass.config.json');
  const m2 = fixed.problems.map((p) => describeProblem(fixed, p));
  assert.ok(m2.includes('mass.config.json:8:14: n_heads: n_heads (6) must divide emb_dim (1024)'), m2.join('\n'));
  assert.ok(
    m2.some((m) => m.endsWith("mass_steps: language 'de' is not in lgs ('en-fr')")),
    m2.join('\n'),
  );
});

test('flags override the file, and their problems name the flag', () => {
  const cfg = analyseConfig(good, '/ws', { n_heads: 5 }, 'mass.config.json');
  assert.deepEqual(
    cfg.problems.map((p) => describeProblem(cfg, p)),
    ['--n_heads: n_heads (5) must divide emb_dim (1024)'],
  );
});

test('schema: every field has a description and a default; bt_steps shape checked', () => {
  for (const [name, f] of Object.entries(fields)) {
    assert.ok(f.description.length > 10, name);
    assert.ok('default' in f, name);
  }
  const schema = configJsonSchema() as { properties: Record<string, unknown> };
  assert.ok('corpora' in schema.properties && 'mass_steps' in schema.properties);
  const bad = analyseConfig('{"lgs":"en-fr","bt_steps":"en-fr-fr"}', '/ws');
  assert.ok(bad.problems.some((p) => p.field === 'bt_steps' && /first and last/.test(p.message)));
  const typo = analyseConfig('{"emb_dim":"big"}', '/ws');
  assert.equal(typo.problems[0]!.message, 'expected integer, got string "big"');
  assert.equal(defaultSettings().optimizer, 'adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.0001');
});

test('adam_inverse_sqrt schedule matches XLM (warm-up from 1e-7, then inverse sqrt)', () => {
  const spec = parseOptimizer('adam_inverse_sqrt,beta1=0.9,beta2=0.98,lr=0.0001');
  assert.equal(spec.beta2, 0.98);
  assert.equal(learningRate(spec, 0), 1e-7);
  assert.ok(Math.abs(learningRate(spec, 2000) - (1e-7 + (2000 * (1e-4 - 1e-7)) / 4000)) < 1e-15);
  assert.ok(Math.abs(learningRate(spec, 4000) - 1e-4) < 1e-15);
  assert.ok(Math.abs(learningRate(spec, 16000) - 5e-5) < 1e-15);
  assert.throws(() => parseOptimizer('adagrad,lr=0.1'), /unknown optimizer 'adagrad'/);
});

test('lambda schedules', () => {
  const f = parseLambda('lambda_mass', '0:1,1000:0');
  assert.equal(f(0), 1);
  assert.equal(f(500), 0.5);
  assert.equal(f(5000), 0);
  assert.equal(parseLambda('lambda_bt', '1')(77), 1);
  assert.throws(() => parseLambda('lambda_bt', '5:1'), /must start at step 0/);
});

test('optimizer strings: plain adam runs at a constant lr; sgd and weight decay are refused by name', async () => {
  const { AdamInverseSqrt } = await import('../../../server/src/engine/train/adamInverseSqrt.js');
  const adam = new AdamInverseSqrt({ lr: 0.01, schedule: 'constant' });
  assert.equal(adam.lrAfter(0), 0.01);
  assert.equal(adam.lrAfter(100000), 0.01);
  const sgd = analyseConfig('{"mass_steps":"en","optimizer":"sgd,lr=0.1"}', '/ws', {}, 'c.json');
  assert.ok(sgd.problems.some((p) => p.field === 'optimizer' && /'sgd' is not available/.test(p.message)));
  const wd = analyseConfig('{"mass_steps":"en","optimizer":"adam,lr=0.1,weight_decay=0.01"}', '/ws', {}, 'c.json');
  assert.ok(wd.problems.some((p) => p.field === 'optimizer' && /weight_decay=0.01: not available/.test(p.message)));
});
