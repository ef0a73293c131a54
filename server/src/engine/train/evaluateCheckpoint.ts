import { join } from 'node:path';
import { resolvePath, type LoadedConfig } from '../../config/loadConfig.js';
import { parseLanguages, type StepLists } from '../../config/steps.js';
import { initBackend, type BackendChoice } from '../backend/selectBackend.js';
import { UserError } from '../errors.js';
import { modelFromCheckpoint, readCheckpoint } from '../checkpoint/safetensorsCheckpoint.js';
import { evaluate, type EvalResult } from './evaluate.js';
import { loadTrainingData } from './trainingData.js';

/**
 * The end-of-epoch evaluation of a saved model on the config's validation data (the reference's
 * `--eval_only`): masked-span ppl/acc for the languages it was pre-trained on, translation ppl/acc and
 * BLEU for every direction between its languages that has validation pairs, ROUGE for its s2s tasks.
 */
export async function evaluateCheckpoint(
  cfg: LoadedConfig,
  checkpointPath: string,
  opts: { signal?: AbortSignal; hypothesisDir?: string } = {},
): Promise<EvalResult> {
  const s = cfg.settings;
  const ck = await readCheckpoint(checkpointPath);
  const langs = parseLanguages(s.lgs);
  if (ck.meta.langs.join('-') !== langs.join('-')) {
    throw new UserError(`lgs: ${checkpointPath} knows ${ck.meta.langs.join('-')} but the config says ${s.lgs}`);
  }
  const s2s = ck.meta.tasks.filter((t) => !['mass', 'bt', 'mt'].includes(t));
  const steps: StepLists = {
    mass: ck.meta.tasks.includes('mass') ? langs : [],
    mt: langs.flatMap((a) => langs.filter((b) => b !== a).map((b) => [a, b] as [string, string])),
    bt: [],
    s2s,
  };
  const data = await loadTrainingData(
    resolvePath(cfg, s.data_path),
    langs,
    { ...steps, mt: [] },
    { maxVocab: s.max_vocab, minCount: s.min_count, validPairs: steps.mt },
  );
  if (data.dictionary.size !== ck.meta.model.n_words) {
    throw new UserError(`data_path: the data's vocabulary has ${data.dictionary.size} words but ${checkpointPath} has ${ck.meta.model.n_words}`);
  }
  await initBackend(s.backend as BackendChoice);
  const model = modelFromCheckpoint(ck);
  try {
    return await evaluate(model, data, {
      wordMass: s.word_mass,
      batching: { tokensPerBatch: s.tokens_per_batch, batchSize: s.batch_size, maxBatchSize: s.max_batch_size, groupBySize: true },
      maxLen: s.max_len,
      evalBleu: true,
      beamSize: s.beam_size,
      lengthPenalty: s.length_penalty,
      earlyStopping: s.early_stopping,
      hypothesisDir: opts.hypothesisDir ?? join(checkpointPath.replace(/\.safetensors$/, ''), '..', 'hypotheses'),
      epoch: ck.meta.epoch,
      langIds: new Map(langs.map((l, i) => [l, i])),
      massLangs: steps.mass,
      mtPairs: steps.mt.map(([a, b]) => `${a}-${b}`),
      s2sTasks: s2s,
      signal: opts.signal,
    });
  } finally {
    model.dispose();
  }
}
