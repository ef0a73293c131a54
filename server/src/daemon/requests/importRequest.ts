/**
 * mass/importCheckpoint: a reference .pth (microsoft/MASS or XLM, either torch format) becomes one of
 * our models next to it (or where the client says), then answers translate/summarize as after
 * mass/loadCheckpoint. Every path is confined to the workspace; an existing model file is replaced
 * only when the client says so; a broken .pth writes nothing.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import * as protocol from '../../protocol.js';
import { UserError } from '../../engine/errors.js';
import { validateParams } from './params.js';
import { requestShapes } from './requestShapes.js';
import { workspacePath, type RequestContext } from './requestContext.js';

const METHOD = 'mass/importCheckpoint';
const failed = (message: string) => new ResponseError(LSPErrorCodes.RequestFailed, message);
const invalid = (message: string) => new ResponseError(ErrorCodes.InvalidParams, message);

const isFile = (p: string) =>
  stat(p).then(
    (s) => s.isFile(),
    () => false,
  );

/** `dir/mass_enfr_1024.pth` → `dir/mass_enfr_1024.safetensors`. */
export function defaultImportPath(pth: string): string {
  return join(dirname(pth), `${basename(pth, extname(pth))}.safetensors`);
}

export function registerImportRequest(ctx: RequestContext): void {
  ctx.connection.onRequest(protocol.importCheckpoint, async (raw) => {
    const p = validateParams(METHOD, raw, requestShapes.importCheckpoint);
    const path = workspacePath(ctx, METHOD, 'path', p.path);
    const codes = workspacePath(ctx, METHOD, 'codes', p.codes);
    const vocab = p.vocab === undefined ? undefined : workspacePath(ctx, METHOD, 'vocab', p.vocab);
    const out = workspacePath(ctx, METHOD, 'out', p.out ?? defaultImportPath(path));
    for (const [field, file] of [
      ['path', path],
      ['codes', codes],
      ['vocab', vocab],
    ] as const)
      if (file !== undefined && !(await isFile(file))) throw invalid(`${METHOD}: params.${field}: ${file}: no such file`);
    if (!out.endsWith('.safetensors')) throw invalid(`${METHOD}: params.out: ${out}: a model file ends in .safetensors`);
    if ([path, codes, vocab].includes(out)) throw invalid(`${METHOD}: params.out: ${out} is one of the inputs; write to another file`);
    const exists = await stat(out).then(
      () => true,
      () => false,
    );
    if (exists && !p.overwrite) throw failed(`${METHOD}: ${out} exists; choose another name or pass overwrite: true to replace it`);

    const progress = await ctx.progress(raw as { workDoneToken?: string | number });
    progress?.begin('MASS: importing reference checkpoint', undefined, basename(path));
    try {
      const { importCheckpoint } = await import('../../engine/checkpoint/convert.js');
      const r = await importCheckpoint(path, codes, out, vocab, { codes: 'params.codes:', vocab: 'params.vocab:' });
      progress?.report(`loading ${basename(out)}`);
      const checkpoint = await ctx.daemon.translators.describe(out);
      ctx.daemon.chooseCheckpoint(checkpoint);
      ctx.log(`imported ${path} (torch ${r.format} format: ${r.tensors} tensors, ${r.words} words, ${r.langs.join('-')}) → ${out}`);
      return { checkpoint, tensors: r.tensors, words: r.words, format: r.format };
    } catch (e) {
      if (e instanceof UserError) throw failed(`${METHOD}: ${e.message}`);
      throw e;
    } finally {
      progress?.done();
    }
  });
}
