import { UserError } from '../../engine/errors.js';
import { exportCheckpoint } from '../../engine/checkpoint/convert.js';
import { parseArgs } from '../args.js';
import type { Command } from '../command.js';

export const exportCommand: Command = {
  name: 'export',
  summary: "write a model as a reference MASS checkpoint (.pth) that microsoft/MASS's --reload_model loads",
  usage: 'MODEL.safetensors OUT.pth [--format zip|legacy]',
  description: [
    "Writes the dict MASS-unsupNMT's trainer saves (encoder and decoder state_dicts, dico_id2word,",
    "dico_word2id, dico_counts, params), in torch's zip format (PyTorch ≥ 1.6) by default, or in the",
    'legacy format older PyTorch versions read. No Python is needed.',
  ].join('\n'),
  options: [{ name: 'format', type: 'string', default: 'zip', help: 'zip (PyTorch ≥ 1.6) or legacy (any PyTorch)' }],
  async run(argv) {
    const { options: o, positionals } = parseArgs('export', argv, this.options);
    if (positionals.length !== 2) throw new UserError("export: give MODEL.safetensors and OUT.pth (see 'mass export --help')");
    const [model, out] = positionals as [string, string];
    if (model === out) throw new UserError('export: OUT.pth is the input file; write to another file');
    const format = String(o.format);
    if (format !== 'zip' && format !== 'legacy') throw new UserError(`export: --format must be zip or legacy, got '${format}'`);
    const r = await exportCheckpoint(model, out, format);
    process.stderr.write(`export: ${out}: ${r.tensors} state_dict entries, ${r.words} words (torch ${format} format)\n`);
  },
};
