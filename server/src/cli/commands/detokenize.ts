import { UserError } from '../../engine/errors.js';
import { mosesDetokenize } from '../../engine/text/moses/index.js';
import { parseArgs } from '../args.js';
import type { Command } from '../command.js';
import { filterLines } from '../lineFilter.js';
import { parseLanguage } from './tokenize.js';

export const detokenizeCommand: Command = {
  name: 'detokenize',
  summary: 'Moses-detokenize text (detokenizer.perl -l L; stdin → stdout)',
  usage: '--lang L [FILE]',
  description: [
    'Reads FILE (.gz too) or stdin line by line and writes what detokenizer.perl -l L writes: tokens',
    'joined back (punctuation, quotes, contractions; French spacing before ? ! : ;), HTML escapes',
    'undone. It does not restore the raw text exactly. Specific rules for en, fr, it, cs, fi, ko.',
  ].join('\n'),
  options: [{ name: 'lang', short: 'l', type: 'string', help: 'language code of the text (required)' }],
  async run(argv) {
    const { options, positionals } = parseArgs('detokenize', argv, this.options);
    const lang = parseLanguage(options.lang, 'detokenize');
    if (positionals.length > 1) throw new UserError(`detokenize: one input FILE at most, got ${positionals.length}`);
    const file = positionals[0];
    await filterLines(file ?? process.stdin, process.stdout, (line) => mosesDetokenize(line, lang), file);
  },
};
