/**
 * Decoding loops are generators that yield before each model step, so one loop serves both a plain
 * synchronous call (the trainer's back-translation) and a cancellable one that lets the event loop
 * run between steps (the daemon, the CLI).
 */
export type DecodeLoop<T> = Generator<void, T, void>;

/** Runs a loop to its end; checks `signal` before each step (it can only fire from elsewhere). */
export function runSync<T>(loop: DecodeLoop<T>, signal?: AbortSignal): T {
  try {
    for (;;) {
      signal?.throwIfAborted();
      const r = loop.next();
      if (r.done) return r.value;
    }
  } finally {
    loop.return(undefined as T);
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs a loop, yielding to the event loop between steps; an abort stops it before the next step. */
export async function runAsync<T>(loop: DecodeLoop<T>, signal?: AbortSignal): Promise<T> {
  try {
    for (;;) {
      signal?.throwIfAborted();
      const r = loop.next();
      if (r.done) return r.value;
      await nextTurn();
    }
  } finally {
    // Runs the loop's own `finally` (frees its tensors) when it stopped early.
    loop.return(undefined as T);
  }
}
