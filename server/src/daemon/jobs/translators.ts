/**
 * The models translate/summarize run on: checkpoints loaded once and kept (the two most recent), and
 * the running job's live weights. Which one a request gets: the checkpoint it names; else the one the
 * user chose (mass/loadCheckpoint); else the running job's current weights; else the newest
 * checkpoint a job of this daemon wrote or found in the workspace.
 */
import { stat } from 'node:fs/promises';
import type { Translator } from '../../engine/generate/translator.js';
import type { TrainingRun } from '../../engine/train/runTraining.js';
import type { BackendName, CheckpointInfo } from '../../protocol.js';
import { checkpointInfo } from '../connection/toWire.js';

interface Loaded {
  translator: Translator;
  inUse: number;
  loadedAt: number;
  /** The file's modification time when loaded. */
  mtime: number;
  /** Replaced by a newer load of the same file while in use: disposed when released. */
  stale?: boolean;
}

const KEEP = 2;

export interface Lease {
  translator: Translator;
  /** Checkpoint path, or the live run's experiment folder. */
  source: string;
  live: boolean;
  release(): void;
}

export class Translators {
  private readonly loaded = new Map<string, Loaded>();
  private readonly loading = new Map<string, Promise<Loaded>>();
  private live: { run: TrainingRun; translator: Translator } | undefined;

  constructor(private readonly backend: () => BackendName | 'auto' | undefined) {}

  private async load(path: string): Promise<Loaded> {
    const mtime = await stat(path).then(
      (st) => st.mtimeMs,
      () => -1,
    );
    const have = this.loaded.get(path);
    if (have && have.mtime === mtime) return have;
    if (have) {
      // rewritten since (a job saved it again): load the new weights; the old ones go once unused
      this.loaded.delete(path);
      if (have.inUse === 0) have.translator.dispose();
      else have.stale = true;
    }
    let p = this.loading.get(path);
    if (!p) {
      p = (async () => {
        const [{ Translator }, { currentBackend, initBackend }] = await Promise.all([
          import('../../engine/generate/translator.js'),
          import('../../engine/backend/selectBackend.js'),
        ]);
        if (!currentBackend()) await initBackend(this.backend() ?? 'auto');
        const entry: Loaded = { translator: await Translator.load(path), inUse: 0, loadedAt: Date.now(), mtime };
        this.loaded.set(path, entry);
        this.evict();
        return entry;
      })().finally(() => this.loading.delete(path));
      this.loading.set(path, p);
    }
    return p;
  }

  private evict(): void {
    const idle = [...this.loaded.entries()].filter(([, e]) => e.inUse === 0).sort((a, b) => a[1].loadedAt - b[1].loadedAt);
    while (this.loaded.size > KEEP && idle.length > 0) {
      const [path, e] = idle.shift()!;
      this.loaded.delete(path);
      e.translator.dispose();
    }
  }

  /** A checkpoint's translator, held until `release()`. */
  async checkpoint(path: string): Promise<Lease> {
    const e = await this.load(path);
    e.inUse++;
    e.loadedAt = Date.now();
    let released = false;
    return {
      translator: e.translator,
      source: path,
      live: false,
      release: () => {
        if (released) return;
        released = true;
        e.inUse--;
        if (e.stale && e.inUse === 0) e.translator.dispose();
        this.evict();
      },
    };
  }

  /** The running job's weights, when it has set up its model. */
  async liveRun(run: TrainingRun | undefined): Promise<Lease | undefined> {
    const live = run?.live();
    if (!run || !live) {
      // the run is over: forget its translator (the run disposes its model)
      if (this.live && this.live.run !== run) this.live = undefined;
      return undefined;
    }
    // held from now: the run may end while the translator is being built or used
    const release = live.hold();
    try {
      if (this.live?.run !== run) {
        const [{ Translator }, { codesFromText, vocabularyFromText }] = await Promise.all([
          import('../../engine/generate/translator.js'),
          import('../../engine/generate/textCodec.js'),
        ]);
        const { bpeVocab } = vocabularyFromText(live.data.vocab, `${live.data.dataPath}/vocab`);
        const codes = codesFromText(live.data.codes, `${live.data.dataPath}/codes`);
        this.live = { run, translator: Translator.fromModel(live.model, live.data.dictionary, codes, bpeVocab, live.langs) };
      }
      return { translator: this.live.translator, source: live.experimentDir, live: true, release };
    } catch (e) {
      release();
      throw e;
    }
  }

  /** What mass/loadCheckpoint reports: the checkpoint's description, once it loaded. */
  async describe(path: string): Promise<CheckpointInfo> {
    const lease = await this.checkpoint(path);
    try {
      const i = lease.translator.info();
      const savedAt = (await stat(path)).mtime.toISOString();
      return checkpointInfo({
        path,
        kind: i.kind ?? 'unknown',
        experiment: i.experiment ?? '',
        epoch: i.epoch ?? -1,
        step: i.updates ?? -1,
        langs: i.langs,
        tasks: i.tasks,
        scores: i.scores ?? {},
        savedAt,
      });
    } finally {
      lease.release();
    }
  }
}
