import { parseOptimizer } from './optimizerSpec.js';
import { parseLambda } from './lambdaSchedule.js';
import { parseLanguages, parseSteps } from './steps.js';
import type { ConfigProblem } from './problems.js';
import type { TrainSettings } from './schema.js';
import { UserError } from '../engine/errors.js';

/**
 * Cross-field checks that a schema cannot express. Run before any training starts (CLI) and on every
 * edit of the config (daemon). `where(field)` gives the location of a field in the file, if any.
 */
export function semanticChecks(s: TrainSettings, where: (field: string) => { offset?: number; length?: number } = () => ({})): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const err = (field: string, message: string, severity: ConfigProblem['severity'] = 'error') => out.push({ field, message, severity, ...where(field) });

  if (s.encoder_only) err('encoder_only', 'MASS needs a separate encoder and decoder: set encoder_only to false');
  if (s.fp16) err('fp16', 'float16 training is not available on the TensorFlow.js backends; set fp16 to false');
  if (!s.share_inout_emb) err('share_inout_emb', 'false is not supported: MASS ties each output projection to its token embeddings');
  // checkpoints, params.json and train.log go to dump_path/exp_name/exp_id: each must stay one folder name
  for (const f of ['exp_name', 'exp_id'] as const) {
    const v = s[f];
    if (v === '.' || v === '..' || /[\\/]/.test(v) || v.split(/[\\/]/).includes('..') || v.includes('\0')) {
      err(f, `'${v}' must be a plain folder name (no '/', '\\', '.' or '..'): the experiment's files go to dump_path/exp_name/exp_id`);
    }
  }
  if (s.exp_name === '') err('exp_name', "must not be empty: the experiment's files go to dump_path/exp_name/exp_id");
  if (s.emb_dim % s.n_heads !== 0) err('n_heads', `n_heads (${s.n_heads}) must divide emb_dim (${s.emb_dim})`);

  const probs = s.word_mask_keep_rand.split(',').map(Number);
  if (probs.length !== 3 || probs.some((p) => !Number.isFinite(p) || p < 0) || Math.abs(probs.reduce((a, b) => a + b, 0) - 1) > 1e-6) {
    err('word_mask_keep_rand', `'${s.word_mask_keep_rand}': expected three probabilities mask,keep,rand summing to 1`);
  }

  const langs = parseLanguages(s.lgs);
  const dup = langs.find((l, i) => langs.indexOf(l) !== i);
  if (dup) err('lgs', `language '${dup}' appears twice in '${s.lgs}'`);
  const steps = parseSteps(s);
  const known = (field: string, l: string) => {
    if (!langs.includes(l)) err(field, `language '${l}' is not in lgs ('${s.lgs}')`);
  };
  for (const l of steps.mass) known('mass_steps', l);
  for (const [a, b] of steps.mt) {
    known('mt_steps', a);
    known('mt_steps', b);
    if (a === b) err('mt_steps', `'${a}-${b}': source and target must differ`);
  }
  for (const [a, b, c] of steps.bt) {
    known('bt_steps', a);
    known('bt_steps', b);
    if (a !== c) err('bt_steps', `'${a}-${b}-${c}': back-translation goes l1-l2-l1, so the first and last languages must match`);
    if (a === b) err('bt_steps', `'${a}-${b}-${c}': the middle language must differ from the first`);
  }
  const total = steps.mass.length + steps.mt.length + steps.bt.length + steps.s2s.length;
  // A resumed run takes its steps from the checkpoint.
  if (total === 0 && !s.eval_only && !s.reload_checkpoint)
    err('mass_steps', 'no training steps: set mass_steps (pre-training), bt_steps, mt_steps or s2s_steps');

  try {
    const opt = parseOptimizer(s.optimizer);
    if (opt.name === 'sgd') err('optimizer', "'sgd' is not available; use adam_inverse_sqrt (the MASS setting) or adam");
    if (opt.weightDecay > 0) err('optimizer', `weight_decay=${opt.weightDecay}: not available (MASS trains without weight decay); remove it`);
    if (opt.name === 'adam_inverse_sqrt' && opt.warmupUpdates > 0 && s.max_steps > 0 && s.max_steps < opt.warmupUpdates && !s.reload_checkpoint) {
      err(
        'optimizer',
        `warm-up (${opt.warmupUpdates} updates) is longer than the whole run (max_steps ${s.max_steps}): the learning rate never reaches lr=${opt.lr}; lower warmup_updates`,
        'warning',
      );
    }
  } catch (e) {
    err('optimizer', (e as Error).message.replace(/^optimizer: /, ''));
  }
  for (const f of ['lambda_mass', 'lambda_bt', 'lambda_mt'] as const) {
    try {
      parseLambda(f, s[f]);
    } catch (e) {
      err(f, (e as Error).message.replace(`${f}: `, ''));
    }
  }
  if (s.reload_checkpoint && s.reload_model)
    err('reload_model', 'reload_model and reload_checkpoint both set: use reload_checkpoint to resume, reload_model to start from weights only');
  if (s.tokens_per_batch > 0 && s.max_len > 0 && s.tokens_per_batch < s.max_len + 2) {
    err(
      'tokens_per_batch',
      `tokens_per_batch (${s.tokens_per_batch}) is below max_len + 2 (${s.max_len + 2}): long sentences will form batches of their own`,
      'warning',
    );
  }
  if (s.n_max_positions < s.max_len + 2 && s.max_len > 0)
    err('n_max_positions', `n_max_positions (${s.n_max_positions}) must be at least max_len + 2 (${s.max_len + 2})`);
  if (s.dropout > 0.5) err('dropout', `dropout ${s.dropout} is unusually high`, 'warning');
  return out;
}

/** Throws the first error as a UserError (CLI use). */
export function throwOnErrors(problems: ConfigProblem[], format: (p: ConfigProblem) => string): void {
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
  throw new UserError(format(errors[0]!) + more);
}
