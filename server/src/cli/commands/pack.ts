import { UserError } from '../../engine/errors.js';
import { packModel } from '../../engine/train/packModel.js';
import { formatBytes } from '../../engine/train/memoryEstimate.js';
import { parseArgs } from '../args.js';
import type { Command } from '../command.js';

export const packCommand: Command = {
  name: 'pack',
  summary: 'average checkpoints of a run into one compact model file (float16, weights only)',
  usage: 'CKPT... --out MODEL.safetensors [--dtype float16|float32]',
  description: [
    'Writes the weights of CKPT — or the mean of several checkpoints of the same run (checkpoint',
    'averaging) — as one model file without the optimizer state, tied embeddings stored once, in',
    'float16 by default (half the size of float32; weights are widened back to float32 when loaded).',
    'The BPE codes and vocabulary travel inside, so the file translates raw text alone: use it with',
    'mass translate/summarize --model, or as --reload_model to fine-tune from it.',
  ].join('\n'),
  options: [
    { name: 'out', short: 'o', type: 'string', help: 'the model file to write (required)' },
    { name: 'dtype', type: 'string', default: 'float16', help: 'float16 or float32' },
    { name: 'note', type: 'string', help: 'a line of text stored in the file (e.g. how the model was made)' },
  ],
  async run(argv) {
    const { options: o, positionals } = parseArgs('pack', argv, this.options);
    if (positionals.length === 0) throw new UserError("pack: no checkpoint given (see 'mass pack --help')");
    if (o.out === undefined) throw new UserError('pack: --out MODEL.safetensors is required');
    const dtype = String(o.dtype);
    if (dtype !== 'float16' && dtype !== 'float32') throw new UserError(`pack: --dtype must be float16 or float32, got '${dtype}'`);
    const out = String(o.out);
    if (positionals.includes(out)) throw new UserError(`pack: --out ${out} is also an input; write to another file`);
    const r = await packModel(positionals, out, { dtype: dtype === 'float16' ? 'F16' : 'F32', note: o.note as string | undefined });
    process.stderr.write(
      `pack: ${out}: ${(r.parameters / 1e6).toFixed(2)}M parameters (${formatBytes(r.bytes)} of ${dtype} weights)${r.averaged > 1 ? `, the mean of ${r.averaged} checkpoints` : ''}\n`,
    );
  },
};
