import { UserError } from '../../engine/errors.js';
import { parseArgs } from '../args.js';
import type { Command } from '../command.js';
import { isAbsolute, relative } from 'node:path';
import { bundledModel, bundledTranslator } from '../../engine/checkpoint/bundledModels.js';
import { decodeOptionSpecs, decodeOptionsFrom, loadTranslator, runOnStdin } from '../decodeOptions.js';

const options = [
  ...decodeOptionSpecs({ beam: 1, minLen: 0, noRepeatNgram: 0 }),
  { name: 'src', short: 's', type: 'string' as const, help: "language of the input lines, one of the checkpoint's (required)" },
  { name: 'tgt', short: 't', type: 'string' as const, help: 'language to translate into (required)' },
];

/** Relative to the working folder when the file is below it, else absolute. */
function shortPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : p;
}

export const translateCommand: Command = {
  name: 'translate',
  summary: 'translate raw text lines with a trained checkpoint (stdin → stdout)',
  usage: '[--model CKPT] --src en --tgt fr [--beam 5] [options] < input.txt',
  description: [
    'Reads raw lines on stdin and writes one translation per line on stdout, as it goes. Each line is',
    "normalised and tokenized (Moses, as in training), split with the checkpoint's BPE codes and",
    'vocabulary, decoded (greedy, or beam search with --beam), and BPE-joined and detokenized back.',
    'Blank or unreadable lines give an empty output line; a line longer than the model allows is',
    'truncated (with a warning). Progress and warnings go to stderr. Without --model, the en↔fr model',
    'bundled with the package translates (models/en-fr/translation.safetensors; docs/model-card.md).',
  ].join('\n'),
  options,
  async run(argv) {
    const { options: o, positionals } = parseArgs('translate', argv, options);
    if (positionals.length) throw new UserError(`translate: unexpected argument '${positionals[0]}' (input is read from stdin)`);
    if (o.src === undefined || o.tgt === undefined) throw new UserError('translate: --src and --tgt are required (e.g. --src en --tgt fr)');
    const decode = decodeOptionsFrom(o, 'translate');
    const bundled = o.model === undefined ? bundledTranslator(String(o.src), String(o.tgt)) : undefined;
    if (o.model === undefined && !bundled) {
      const have = bundledModel('translation');
      throw new UserError(
        `translate: --model CHECKPOINT is required: ${have ? `the bundled model translates only between ${have.langs.join(' and ')}` : 'this installation has no bundled translation model'}`,
      );
    }
    const why = bundled ? `no --model: the bundled ${bundled.langs.join('↔')} model (${shortPath(bundled.path)}; see docs/model-card.md)` : '';
    const translator = await loadTranslator(o, 'translate', bundled ? { path: bundled.path, why } : undefined);
    try {
      const src = String(o.src);
      const tgt = String(o.tgt);
      translator.languageIndex(src, 'source');
      translator.languageIndex(tgt, 'target');
      await runOnStdin('translate', Boolean(o.quiet), (lines, extra) => translator.translate(lines, src, tgt, { ...decode, ...extra }));
    } finally {
      translator.dispose();
    }
  },
};
