import type { Command } from '../command.js';
import { parseArgs, type OptionSpec } from '../args.js';
import { fields, type FieldSchema, type TrainSettings } from '../../config/schema.js';
import { loadConfig, describeProblem } from '../../config/loadConfig.js';
import { startTraining } from '../../engine/train/runTraining.js';
import { UserError } from '../../engine/errors.js';
import type { TrainingReporter } from '../../engine/train/reports.js';

/** Every schema field is a flag, with the reference's name (`--emb_dim 1024`). */
const fieldOptions: OptionSpec[] = Object.entries(fields as Record<string, FieldSchema>).map(([name, f]) => ({
  name,
  type: f.type === 'integer' ? 'integer' : f.type === 'number' ? 'number' : f.type === 'boolean' ? 'boolean' : 'string',
  help: f.description,
}));

const options: OptionSpec[] = [
  { name: 'config', type: 'string', help: 'JSON config with the same fields (flags override it)' },
  { name: 'quiet', type: 'boolean', help: 'only errors and the final summary on stderr' },
  ...fieldOptions,
];

function consoleReporter(quiet: boolean): TrainingReporter {
  return {
    progress() {},
    event(e) {
      if (e.kind === 'warning') process.stderr.write(`warning: ${e.field ? `${e.field}: ` : ''}${e.message}\n`);
      else if (e.kind === 'failed') return;
      else if (!quiet && (e.kind === 'started' || e.kind === 'checkpoint' || e.kind === 'stopped' || e.kind === 'finished'))
        process.stderr.write(`${e.message}\n`);
      if (!quiet && e.kind === 'epoch' && e.samples?.length) {
        for (const s of e.samples.slice(0, 2)) process.stderr.write(`  sample: ${s.source}\n       → ${s.hypothesis}\n`);
      }
    },
    log(line) {
      if (!quiet) process.stderr.write(`${line}\n`);
    },
  };
}

export const trainCommand: Command = {
  name: 'train',
  summary: "Pre-train or fine-tune (MASS, back-translation, supervised MT, seq2seq) with the reference's train.py flags",
  usage: '[--config mass.config.json] [--FLAG VALUE ...]',
  description:
    "Accepts the flags of MASS-unsupNMT's train.py as written in its README (--exp_name, --data_path, --lgs,\n" +
    "--mass_steps 'en,fr', --bt_steps 'en-fr-en,fr-en-fr', --mt_steps, --emb_dim, --n_layers, --optimizer\n" +
    'adam_inverse_sqrt,..., --epoch_size, --max_epoch, --word_mass, --min_len, ...) and the same fields from a\n' +
    'JSON config. Checkpoints, train.log and train.jsonl go to dump_path/exp_name/exp_id. Ctrl-C stops after the\n' +
    'current update and writes a resumable checkpoint (--reload_checkpoint PATH continues it exactly).',
  options,
  async run(argv) {
    const { options: o, positionals } = parseArgs('train', argv, options);
    if (positionals.length) throw new UserError(`train: unexpected argument '${positionals[0]}' (flags are --name value)`);
    const flags: Partial<TrainSettings> = {};
    for (const name of Object.keys(fields)) if (o[name] !== undefined) (flags as Record<string, unknown>)[name] = o[name];
    const cfg = await loadConfig(o.config as string | undefined, flags);
    for (const p of cfg.problems.filter((x) => x.severity === 'warning')) process.stderr.write(`warning: ${describeProblem(cfg, p)}\n`);
    const kind = cfg.settings.reload_checkpoint ? 'resume' : cfg.settings.reload_model ? 'finetune' : 'pretrain';
    const run = startTraining(cfg, { kind }, consoleReporter(Boolean(o.quiet)));
    let interrupted = 0;
    const onSignal = () => {
      interrupted++;
      if (interrupted > 1) process.exit(130);
      process.stderr.write('\nstopping after the current update (Ctrl-C again to quit without saving)...\n');
      run.stop();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const outcome = await run.done;
      const scores = Object.entries(outcome.scores)
        .filter(([k]) => k !== 'epoch')
        .map(([k, v]) => `${k}=${v.toFixed(2)}`)
        .join(' ');
      process.stdout.write(`${outcome.status}${outcome.checkpoint ? ` ${outcome.checkpoint}` : ''}${scores ? ` ${scores}` : ''}\n`);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
