import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Repository root (tests run from it). */
export const ROOT = resolve(import.meta.dirname, '..', '..');
/** Real corpora bundled with the repository (data/corpora/README.md gives sources and licences). */
export const CORPORA = join(ROOT, 'data', 'corpora');
/**
 * Reference fixtures (outputs of the Moses/fastBPE tools and of the reference model) bundled under
 * test/fixtures; the environment variables point the same tests at another fixture of the same layout.
 */
export const NLP_PARITY = resolve(ROOT, process.env.NLP_PARITY_FIXTURE ?? join('test', 'fixtures', 'nlp-parity'));
export const MASS_PARITY = resolve(ROOT, process.env.MASS_PARITY_FIXTURE ?? join('test', 'fixtures', 'mass-parity'));
/** Bundled sample data (committed, small, real). */
export const SAMPLE = join(ROOT, 'data', 'sample');

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'mass-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
