import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Repository root (tests run from it). */
export const ROOT = resolve(import.meta.dirname, '..', '..');
/** The steering repo's shared folder: real corpora and reference fixtures. */
export const SHARED = resolve(ROOT, '..', 'shared');
export const CORPORA = join(SHARED, 'corpora');
export const NLP_PARITY = resolve(ROOT, process.env.NLP_PARITY_FIXTURE ?? join('..', 'shared', 'fixtures', 'nlp-parity'));
export const MASS_PARITY = resolve(ROOT, process.env.MASS_PARITY_FIXTURE ?? join('..', 'shared', 'fixtures', 'mass-parity'));
/** Bundled sample data (committed, small, real). */
export const SAMPLE = join(ROOT, 'data', 'sample');

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'mass-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
