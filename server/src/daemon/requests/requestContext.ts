/**
 * What a request handler gets (the daemon, the connection, the workspace, the session's services), and
 * the one check every path from a client goes through. Its own module so that requests.ts and
 * generateRequests.ts both import it without importing each other.
 */
import { isAbsolute, resolve } from 'node:path';
import { ErrorCodes, ResponseError, type Connection, type WorkDoneProgressReporter } from 'vscode-languageserver';
import type * as protocol from '../../protocol.js';
import type { ConfigService } from '../configs/configService.js';
import type { CorpusService } from '../corpora/corpusService.js';
import type { Daemon } from '../connection/daemon.js';
import type { WorkspaceRoots } from '../connection/workspaceRoots.js';

export interface RequestContext {
  daemon: Daemon;
  connection: Connection;
  roots: WorkspaceRoots;
  configs: ConfigService;
  corpora: CorpusService;
  /** Work-done progress for a request: the client's token, or one the daemon creates when the client supports it. */
  progress(params: { workDoneToken?: string | number }): Promise<WorkDoneProgressReporter | undefined>;
  /** Resolves once the first workspace walk is done (configs found). */
  workspaceReady(): Promise<void>;
  /** A job this session started (for its work-done progress). */
  jobStarted(job: protocol.JobInfo): void;
  log(message: string): void;
}

const invalid = (message: string) => new ResponseError(ErrorCodes.InvalidParams, message);

/** A path from a client: absolute, or relative to the first workspace folder; must be in the workspace. */
export function workspacePath(ctx: RequestContext, method: string, field: string, p: string): string {
  const roots = ctx.roots.roots();
  const abs = isAbsolute(p) ? resolve(p) : roots[0] ? resolve(roots[0], p) : undefined;
  if (!abs) throw invalid(`${method}: params.${field}: '${p}' is relative, and there is no workspace folder to resolve it against`);
  if (!ctx.roots.contains(abs))
    throw invalid(`${method}: params.${field}: ${abs} is outside the workspace (${ctx.roots.describe()}); the daemon reads and writes only inside it`);
  return abs;
}
