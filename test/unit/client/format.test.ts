import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backendName, checkpointName, formatEta, formatRate, progressSummary, splitLines } from '../../../client/src/format.js';
import type { TrainingProgress } from '../../../server/src/protocol.js';

const progress: TrainingProgress = {
  jobId: 'j1',
  epoch: 1,
  step: 40,
  losses: { 'MA-en': 5.1, 'MA-fr': 5.14 },
  loss: 5.1234,
  ppl: 167.3,
  lr: 2e-5,
  tokensPerSecond: 812.4,
  memoryMB: 312,
  etaSeconds: 185,
  elapsedSeconds: 60,
};

test('the status bar summary reads like the issue asks', () => {
  assert.equal(progressSummary(progress), 'MASS e1 s40 loss 5.12 812 tok/s ETA 3m');
  assert.equal(progressSummary({ ...progress, etaSeconds: undefined }), 'MASS e1 s40 loss 5.12 812 tok/s');
});

test('durations and rates are short', () => {
  assert.deepEqual(
    [formatEta(0), formatEta(44.6), formatEta(185), formatEta(3599), formatEta(3 * 3600 + 5 * 60), formatEta(50 * 3600)],
    ['0s', '45s', '3m', '1h 00m', '3h 05m', '2d 2h'],
  );
  assert.deepEqual([formatRate(812.4), formatRate(1234), formatRate(15_600)], ['812', '1.2k', '16k']);
});

test('checkpoint names say experiment and kind', () => {
  const name = checkpointName({
    path: '/w/dumped/mass/abc/best-valid_en_mass_ppl.safetensors',
    kind: 'best-valid_en_mass_ppl',
    experiment: 'mass/abc',
    epoch: 3,
    step: 900,
    langs: ['en', 'fr'],
    tasks: ['mass'],
    scores: {},
    savedAt: '2024-01-01T00:00:00Z',
  });
  assert.equal(name, 'mass/abc best-valid_en_mass_ppl');
});

test('selected text is split into sentences and rebuilt in the same shape', () => {
  const text = '  Le chat dort.  \n\n\tIl fait beau.\nFin';
  const split = splitLines(text);
  assert.deepEqual(split.sentences, ['Le chat dort.', 'Il fait beau.', 'Fin']);
  assert.equal(split.rebuild(['The cat sleeps.', 'The weather is fine.', 'End']), '  The cat sleeps.  \n\n\tThe weather is fine.\nEnd');
  const crlf = splitLines('a b\r\nc d');
  assert.equal(crlf.rebuild(['x', 'y']), 'x\r\ny');
});

test('the backend reads with its GPU adapter when it has one', () => {
  assert.equal(backendName('webgpu', 'NVIDIA H100 80GB HBM3 (Vulkan)'), 'webgpu: NVIDIA H100 80GB HBM3 (Vulkan)');
  assert.equal(backendName('wasm'), 'wasm');
  assert.equal(backendName('not-loaded'), 'no backend yet');
});
