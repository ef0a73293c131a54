import { UserError } from '../../engine/errors.js';
import { importCheckpoint } from '../../engine/checkpoint/convert.js';
import { parseArgs } from '../args.js';
import type { Command } from '../command.js';

export const importCommand: Command = {
  name: 'import',
  summary: 'turn a reference MASS checkpoint (.pth, any torch format) into a model file, without Python',
  usage: 'REF.pth --codes CODES [--vocab VOCAB] --out MODEL.safetensors',
  description: [
    "Reads a checkpoint saved by microsoft/MASS (MASS-unsupNMT's trainer: torch's legacy format, as the",
    'published models, or the zip format of PyTorch ≥ 1.6) with a restricted unpickler that executes',
    'nothing, maps its params (emb_dim, n_heads, n_layers, n_dec_layers, lang2id, attention_setting,',
    'gelu_activation, …) and dictionary into our checkpoint, and stores the BPE codes (and, given',
    '--vocab, the vocabulary file with its counts) inside, so the file translates raw text alone.',
  ].join('\n'),
  options: [
    { name: 'codes', type: 'string', help: 'the BPE codes the model was trained with (required)' },
    { name: 'vocab', type: 'string', help: "the vocabulary file (fastBPE 'word count' lines); must list the checkpoint's words in order" },
    { name: 'out', short: 'o', type: 'string', help: 'the model file to write (required)' },
  ],
  async run(argv) {
    const { options: o, positionals } = parseArgs('import', argv, this.options);
    if (positionals.length !== 1) throw new UserError("import: give one reference checkpoint (see 'mass import --help')");
    if (o.codes === undefined) throw new UserError('import: --codes CODES is required (the BPE codes the model was trained with)');
    if (o.out === undefined) throw new UserError('import: --out MODEL.safetensors is required');
    const out = String(o.out);
    if (out === positionals[0]) throw new UserError('import: --out is the input file; write to another file');
    const r = await importCheckpoint(positionals[0]!, String(o.codes), out, o.vocab === undefined ? undefined : String(o.vocab));
    process.stderr.write(`import: ${out}: ${r.tensors} tensors, ${r.words} words, languages ${r.langs.join('-')} (from torch's ${r.format} format)\n`);
  },
};
