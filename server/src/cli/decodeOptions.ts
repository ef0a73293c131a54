import { BACKEND_CHOICES, initBackend, type BackendChoice } from '../engine/backend/selectBackend.js';
import { UserError } from '../engine/errors.js';
import { DECODER_KINDS, type DecoderKind } from '../engine/generate/startDecoder.js';
import type { TranslateOptions } from '../engine/generate/translator.js';
import { Translator } from '../engine/generate/translator.js';
import type { OptionSpec, ParsedArgs } from './args.js';
import { generateLines } from './generateLines.js';
import { plural } from '../engine/util/plural.js';

/** Decoding flags shared by `mass translate` and `mass summarize` (defaults differ per command). */
export function decodeOptionSpecs(defaults: { beam: number; minLen: number; noRepeatNgram: number }): OptionSpec[] {
  return [
    {
      name: 'model',
      short: 'm',
      type: 'string',
      help: 'checkpoint written by mass train or mass pack (.safetensors); translate: default, the bundled en↔fr model',
    },
    { name: 'beam', type: 'integer', default: defaults.beam, help: 'beam size (1: greedy decoding)' },
    { name: 'length_penalty', type: 'number', default: 1, help: 'beam scores are log-prob / length^length_penalty (>1 favours longer output)' },
    { name: 'early_stopping', type: 'boolean', help: "stop a sentence's beam search once it has --beam finished hypotheses" },
    { name: 'min_len', type: 'integer', default: defaults.minLen, help: 'at least this many subword tokens per output' },
    { name: 'no_repeat_ngram', type: 'integer', default: defaults.noRepeatNgram, help: 'never repeat an n-gram of this many subword tokens (0: off)' },
    { name: 'max_len_a', type: 'number', default: 1.5, help: 'output limit per line: a · source tokens + b (tokens, both </s> included)' },
    { name: 'max_len_b', type: 'number', default: 10, help: 'see --max_len_a' },
    { name: 'batch_tokens', type: 'integer', default: 2500, help: 'token budget per batch (lines × padded source length × beam)' },
    { name: 'backend', type: 'string', default: 'auto', help: `compute backend: ${BACKEND_CHOICES.join(', ')}` },
    { name: 'decoder', type: 'string', default: 'auto', help: `decoding implementation: ${DECODER_KINDS.join(', ')} (auto: fastest available)` },
    { name: 'quiet', short: 'q', type: 'boolean', help: 'no progress or warnings on stderr' },
  ];
}

function nonNegativeInt(o: ParsedArgs['options'], name: string, command: string, min = 0): number {
  const v = o[name] as number;
  if (!Number.isInteger(v) || v < min) throw new UserError(`${command}: --${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

/** Checks the shared flags and turns them into translator options. */
export function decodeOptionsFrom(o: ParsedArgs['options'], command: string): TranslateOptions {
  const decoder = String(o.decoder) as DecoderKind;
  if (!DECODER_KINDS.includes(decoder)) throw new UserError(`${command}: --decoder must be one of ${DECODER_KINDS.join(', ')}, got '${decoder}'`);
  const a = o.max_len_a as number;
  if (!(a >= 0)) throw new UserError(`${command}: --max_len_a must be >= 0, got ${a}`);
  return {
    beam: nonNegativeInt(o, 'beam', command, 1),
    lengthPenalty: o.length_penalty as number,
    earlyStopping: Boolean(o.early_stopping),
    minLen: nonNegativeInt(o, 'min_len', command),
    noRepeatNgram: nonNegativeInt(o, 'no_repeat_ngram', command),
    maxLenA: a,
    maxLenB: o.max_len_b as number,
    batchTokens: nonNegativeInt(o, 'batch_tokens', command, 1),
    decoder,
  };
}

/** Initialises the backend and loads the checkpoint named by --model. */
/** The translator of --model, or of `fallback` (a bundled model) when --model is not given. */
export async function loadTranslator(o: ParsedArgs['options'], command: string, fallback?: { path: string; why: string }): Promise<Translator> {
  if (o.model === undefined && !fallback) throw new UserError(`${command}: --model CHECKPOINT is required`);
  if (o.model === undefined && fallback && !o.quiet) process.stderr.write(`${command}: ${fallback.why}\n`);
  await initBackend(String(o.backend) as BackendChoice);
  return Translator.load(o.model === undefined ? fallback!.path : String(o.model));
}

/**
 * stdin → `call` in chunks → stdout, progress and per-line warnings on stderr (unless quiet).
 * Interruption (Ctrl-C) stops between decoding steps; lines already written stay written.
 */
export async function runOnStdin(
  command: string,
  quiet: boolean,
  call: (lines: string[], opts: Pick<TranslateOptions, 'onWarning' | 'signal'>) => Promise<string[]>,
): Promise<void> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  const say = (text: string) => {
    if (!quiet) process.stderr.write(text);
  };
  try {
    const n = await generateLines(
      process.stdin,
      process.stdout,
      '<stdin>',
      (lines, lineNos) =>
        call(lines, {
          signal: controller.signal,
          onWarning: (message, index) => say(`${command}: ${index >= 0 ? `<stdin>:${lineNos[index]}: ` : ''}warning: ${message}\n`),
        }),
      {
        warn: (lineNo, message) => say(`${command}: <stdin>:${lineNo}: warning: ${message}\n`),
        progress: (done, ms) => say(`${command}: ${plural(done, 'line')} (${((1000 * done) / Math.max(ms, 1)).toFixed(1)} lines/s)\n`),
      },
    );
    say(`${command}: done, ${plural(n, 'line')}\n`);
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw new UserError(`${command}: interrupted`);
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
  }
}
