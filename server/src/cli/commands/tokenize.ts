import { UserError } from '../../engine/errors.js';
import { MOSES_STAGES, type MosesStage, hasPrefixList, mosesPreprocess, mosesTokenize } from '../../engine/text/moses/index.js';
import { parseArgs } from '../args.js';
import type { Command } from '../command.js';
import { filterLines } from '../lineFilter.js';

/** A language code as Moses takes it after -l (en, fr, tdt, pt-BR ...). */
export function parseLanguage(raw: unknown, command: string): string {
  if (raw === undefined) throw new UserError(`${command}: --lang is required (e.g. --lang en)`);
  const lang = String(raw);
  if (!/^[A-Za-z]{2,3}([_-][A-Za-z0-9]{1,8})*$/.test(lang)) {
    throw new UserError(`${command}: --lang expects a language code such as en, fr, de or ro, got '${lang}'`);
  }
  return lang;
}

function parseStage(raw: string): MosesStage {
  const byNumber = /^[1-4]$/.test(raw) ? MOSES_STAGES[Number(raw) - 1] : undefined;
  const stage = byNumber ?? MOSES_STAGES.find((s) => s === raw);
  if (!stage) throw new UserError(`tokenize: --stage must be 1-4 or one of ${MOSES_STAGES.join(', ')}, got '${raw}'`);
  return stage;
}

export const tokenizeCommand: Command = {
  name: 'tokenize',
  summary: 'Moses-tokenize text as XLM/MASS do before BPE (stdin → stdout)',
  usage: '--lang L [FILE] [options]',
  description: [
    'Reads FILE (.gz too) or stdin line by line and writes one line per input line, byte for byte what',
    "XLM's pipeline of Moses scripts writes:",
    '  1 replace-unicode-punctuation.perl   2 normalize-punctuation.perl -l L',
    '  3 remove-non-printing-char.perl      4 tokenizer.perl -l L -no-escape',
    'Languages with specific Moses rules: en, fr, it, ga, ca, fi, sv, so, tdt, cs, de, es; any other',
    "code gets the generic rules. A code without a Moses prefix list uses English's, as Moses does.",
    'Lines can end in a space (a rule of tokenizer.perl); keep them. Invalid UTF-8 is an error',
    'naming the line.',
  ].join('\n'),
  options: [
    { name: 'lang', short: 'l', type: 'string', help: 'language code of the text (required)' },
    { name: 'stage', type: 'string', default: 'tokenize', help: `stop after this stage: 1-4 or ${MOSES_STAGES.join(', ')}` },
    { name: 'no-normalize', type: 'boolean', help: 'run tokenizer.perl alone (skip stages 1-3)' },
    { name: 'escape', type: 'boolean', help: 'escape & | < > \' " [ ] as tokenizer.perl does without -no-escape' },
    { name: 'aggressive', short: 'a', type: 'boolean', help: 'split hyphens inside words into @-@ (tokenizer.perl -a)' },
  ],
  async run(argv) {
    const { options, positionals } = parseArgs('tokenize', argv, this.options);
    const lang = parseLanguage(options.lang, 'tokenize');
    if (positionals.length > 1) throw new UserError(`tokenize: one input FILE at most, got ${positionals.length}`);
    const stage = parseStage(String(options.stage));
    const tokenizeOnly = options['no-normalize'] === true;
    const escape = options.escape === true;
    const aggressive = options.aggressive === true;
    if (tokenizeOnly && stage !== 'tokenize') throw new UserError('tokenize: --no-normalize runs the tokenizer alone; it cannot stop at an earlier --stage');
    if ((escape || aggressive) && stage !== 'tokenize') throw new UserError('tokenize: --escape and --aggressive are tokenizer options; drop --stage');
    if (stage === 'tokenize' && !hasPrefixList(lang)) {
      process.stderr.write(`tokenize: no Moses non-breaking prefixes for '${lang}', using the English ones\n`);
    }
    const transform =
      tokenizeOnly || escape || aggressive
        ? (line: string): string => mosesTokenize(tokenizeOnly ? line : mosesPreprocess(line, lang, 'remove-non-printing'), lang, { escape, aggressive })
        : (line: string): string => mosesPreprocess(line, lang, stage);
    const file = positionals[0];
    await filterLines(file ?? process.stdin, process.stdout, transform, file);
  },
};
