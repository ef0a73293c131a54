/**
 * mass/translate and mass/summarize: answered while a job trains (the training loop yields between
 * updates and decoding yields between steps, so both make progress), cancellable, with work-done
 * progress over the lines.
 */
import { ErrorCodes, LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import * as protocol from '../../protocol.js';
import { UserError } from '../../engine/errors.js';
import { validateParams } from './params.js';
import { requestShapes } from './requestShapes.js';
import { workspacePath, type RequestContext } from './requestContext.js';
import type { Lease } from '../jobs/translators.js';
import { plural } from '../../engine/util/plural.js';
import { bundledModel } from '../../engine/checkpoint/bundledModels.js';

const MAX_LINES = 10000;

function signalOf(token: CancellationToken): AbortSignal {
  const c = new AbortController();
  if (token.isCancellationRequested) c.abort();
  else token.onCancellationRequested(() => c.abort());
  return c.signal;
}

async function pickModel(ctx: RequestContext, method: string, checkpoint: string | undefined): Promise<Lease> {
  const { daemon } = ctx;
  try {
    if (checkpoint) return await daemon.translators.checkpoint(workspacePath(ctx, method, 'checkpoint', checkpoint));
    const chosen = daemon.chosenCheckpoint();
    if (chosen) return await daemon.translators.checkpoint(chosen.path);
    const live = await daemon.translators.liveRun(daemon.liveRun());
    if (live) return live;
    await ctx.workspaceReady();
    const newest = await daemon.newestCheckpoint(ctx.configs.paths(), ctx.roots);
    if (newest) return await daemon.translators.checkpoint(newest.path);
    // No model of the user's own: the one shipped with the extension, for what it was trained for.
    const bundled = bundledModel(method === 'mass/summarize' ? 'summarization' : 'translation');
    if (bundled) return await daemon.translators.checkpoint(bundled.path);
  } catch (e) {
    if (e instanceof UserError)
      throw new ResponseError(
        checkpoint ? ErrorCodes.InvalidParams : LSPErrorCodes.RequestFailed,
        `${method}: ${checkpoint ? 'params.checkpoint: ' : ''}${e.message}`,
      );
    throw e;
  }
  throw new ResponseError(LSPErrorCodes.RequestFailed, `${method}: no model yet: pre-train one (mass/pretrain), or choose a checkpoint (mass/loadCheckpoint)`);
}

function cancelledOr(e: unknown, token: CancellationToken, method: string): never {
  if (token.isCancellationRequested || (e as Error)?.name === 'AbortError') throw new ResponseError(LSPErrorCodes.RequestCancelled, `${method}: cancelled`);
  if (e instanceof UserError) throw new ResponseError(LSPErrorCodes.RequestFailed, `${method}: ${e.message}`);
  throw e;
}

/**
 * The part both requests share: pick the model, report work-done progress over the lines, release the
 * model, and turn cancellation and engine errors into LSP errors.
 */
async function generate<T>(
  ctx: RequestContext,
  method: string,
  raw: unknown,
  token: CancellationToken,
  p: { text: string[]; checkpoint?: string },
  title: string,
  run: (
    lease: Lease,
    common: { signal: AbortSignal; onProgress: (done: number, total: number) => void; onWarning: (m: string, i: number) => void },
  ) => Promise<T>,
): Promise<T & { checkpoint: string; live: boolean; ms: number }> {
  if (p.text.length > MAX_LINES)
    throw new ResponseError(ErrorCodes.InvalidParams, `${method}: params.text: at most ${MAX_LINES} lines per request, got ${p.text.length}`);
  const started = performance.now();
  const lease = await pickModel(ctx, method, p.checkpoint);
  const progress = p.text.length > 1 ? await ctx.progress(raw as { workDoneToken?: string | number }) : undefined;
  try {
    progress?.begin(title, 0, plural(p.text.length, 'line'), true);
    const result = await run(lease, {
      signal: signalOf(token),
      onProgress: (done, total) => progress?.report(Math.floor((100 * done) / total)),
      onWarning: (m, i) => ctx.log(`${method}: ${i >= 0 ? `line ${i + 1}: ` : ''}${m}`),
    });
    return { ...result, checkpoint: lease.source, live: lease.live, ms: Math.round(performance.now() - started) };
  } catch (e) {
    if (e instanceof ResponseError) throw e;
    return cancelledOr(e, token, method);
  } finally {
    progress?.done();
    lease.release();
  }
}

export function registerGenerateRequests(ctx: RequestContext): void {
  ctx.connection.onRequest(protocol.translate, async (raw, token) => {
    const method = 'mass/translate';
    const p = validateParams(method, raw, requestShapes.translate);
    return generate(ctx, method, raw, token, p, 'MASS: translating', async (lease, common) => {
      for (const [field, lang] of [
        ['src', p.src],
        ['tgt', p.tgt],
      ] as const) {
        try {
          lease.translator.languageIndex(lang, field === 'src' ? 'source' : 'target');
        } catch (e) {
          throw new ResponseError(ErrorCodes.InvalidParams, `${method}: params.${field}: ${(e as Error).message}`);
        }
      }
      return {
        translations: await lease.translator.translate(p.text, p.src, p.tgt, {
          beam: p.beam ?? 1,
          minLen: p.minLen,
          noRepeatNgram: p.noRepeatNgram,
          ...common,
        }),
      };
    });
  });

  ctx.connection.onRequest(protocol.summarize, async (raw, token) => {
    const method = 'mass/summarize';
    const p = validateParams(method, raw, requestShapes.summarize);
    return generate(ctx, method, raw, token, p, 'MASS: summarizing', async (lease, common) => {
      const tasks = lease.translator.info().tasks;
      const task = p.task ?? 'summarization';
      if (p.task && tasks.length > 0 && !tasks.includes(task)) {
        throw new ResponseError(
          ErrorCodes.InvalidParams,
          `${method}: params.task: ${lease.source} was not fine-tuned for '${task}' (it knows: ${tasks.join(', ')})`,
        );
      }
      return { summaries: await lease.translator.summarize(p.text, { beam: p.beam ?? 1, minLen: p.minLen, noRepeatNgram: p.noRepeatNgram, ...common }) };
    });
  });
}
