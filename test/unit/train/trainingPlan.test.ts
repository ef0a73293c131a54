import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSettings } from '../../../server/src/config/schema.js';
import { trainingPlan } from '../../../server/src/engine/train/trainingPlan.js';

test('the training plan parses the setting strings once: masking, lambdas, metrics, stopping criterion', () => {
  const plan = trainingPlan({
    ...defaultSettings(),
    word_mask_keep_rand: '0.8,0.1,0.1',
    lambda_mass: '0:1,100:0',
    lambda_bt: '0',
    validation_metrics: 'valid_en_mlm_ppl, _valid_fr_mlm_ppl,',
    stopping_criterion: '_valid_en_mlm_ppl,10',
  });
  assert.deepEqual(plan.maskKeepRand, [0.8, 0.1, 0.1]);
  assert.equal(plan.lambdaMass(0), 1);
  assert.equal(plan.lambdaMass(50), 0.5);
  assert.equal(plan.lambdaMass(200), 0);
  assert.equal(plan.lambdaBt(7), 0);
  assert.deepEqual(plan.validationMetrics, [
    { name: 'valid_en_mlm_ppl', biggest: true },
    { name: 'valid_fr_mlm_ppl', biggest: false },
  ]);
  assert.deepEqual(plan.stopping, { name: 'valid_en_mlm_ppl', biggest: false, patience: 10 });
  assert.equal(trainingPlan({ ...defaultSettings(), stopping_criterion: '' }).stopping, undefined);
});
