import { UserError } from '../../engine/errors.js';
import { parseArgs } from '../args.js';
import type { Command } from '../command.js';
import { decodeOptionSpecs, decodeOptionsFrom, loadTranslator, runOnStdin } from '../decodeOptions.js';

const options = [
  ...decodeOptionSpecs({ beam: 5, minLen: 1, noRepeatNgram: 3 }),
  { name: 'lang', short: 'l', type: 'string' as const, help: "language of articles and summaries (default: the checkpoint's first)" },
];

export const summarizeCommand: Command = {
  name: 'summarize',
  summary: 'summarize raw text lines (one article per line) with a fine-tuned checkpoint (stdin → stdout)',
  usage: '--model CKPT [--beam 5] [--min_len N] [--no_repeat_ngram 3] [options] < articles.txt',
  description: [
    'Reads one article per line on stdin and writes one summary per line on stdout, with the text pipeline',
    'of mass translate. Defaults follow MASS summarization decoding: beam 5, no repeated trigram, and at',
    'least one token. Blank or unreadable lines give an empty output line. Progress and warnings go to',
    'stderr (including one when the checkpoint was never fine-tuned on a sequence-to-sequence task).',
  ].join('\n'),
  options,
  async run(argv) {
    const { options: o, positionals } = parseArgs('summarize', argv, options);
    if (positionals.length) throw new UserError(`summarize: unexpected argument '${positionals[0]}' (input is read from stdin)`);
    const decode = decodeOptionsFrom(o, 'summarize');
    const translator = await loadTranslator(o, 'summarize');
    try {
      const lang = o.lang === undefined ? translator.langs[0]! : String(o.lang);
      translator.languageIndex(lang, 'summarization');
      let warned = false;
      await runOnStdin('summarize', Boolean(o.quiet), (lines, extra) =>
        translator.summarize(lines, {
          ...decode,
          ...extra,
          lang,
          // the "not fine-tuned" warning concerns the checkpoint, once, not every chunk
          onWarning: (message, index) => {
            if (index >= 0 || !warned) extra.onWarning?.(message, index);
            if (index < 0) warned = true;
          },
        }),
      );
    } finally {
      translator.dispose();
    }
  },
};
