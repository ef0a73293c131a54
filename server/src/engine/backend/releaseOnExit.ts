/**
 * What must be released before the process can exit on its own (a GPU device keeps Node's event loop
 * alive). The backend that holds such a thing registers it here; the CLI and the daemon call
 * {@link releaseBackendResources} when they finish. No imports: calling it does not load TensorFlow.js.
 */
const releasers = new Set<() => void>();

/** Registers `release` (run once, at the next {@link releaseBackendResources}); returns an unregister. */
export function releaseOnExit(release: () => void): () => void {
  releasers.add(release);
  return () => releasers.delete(release);
}

export function releaseBackendResources(): void {
  const all = [...releasers];
  releasers.clear();
  for (const r of all) {
    try {
      r();
    } catch {
      // shutting down: a failed release must not stop the others
    }
  }
}
