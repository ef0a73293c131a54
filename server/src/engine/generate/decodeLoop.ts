/**
 * Decoding loops are generators that yield before each model step, so one loop serves both a plain
 * synchronous call (the trainer's back-translation) and a cancellable one that lets the event loop
 * run between steps (the daemon, the CLI). A step whose scores are read back asynchronously (webgpu)
 * yields its read as a promise ({@link stepOf}); only {@link runAsync} can wait for it.
 */
import type { StepDecoder, StepOutput } from './stepDecoder.js';

export type DecodeLoop<T> = Generator<Promise<unknown> | void, T, unknown>;

/** One decoder step inside a loop: `const out = yield* stepOf(decoder, …)`. */
export function* stepOf(decoder: StepDecoder, tokens: Int32Array, position: number, withLse = false): Generator<Promise<unknown>, StepOutput, unknown> {
  const out = decoder.step(tokens, position, withLse);
  if (!(out instanceof Promise)) return out;
  return (yield out) as StepOutput;
}

/** Runs a loop to its end; checks `signal` before each step (it can only fire from elsewhere). */
export function runSync<T>(loop: DecodeLoop<T>, signal?: AbortSignal): T {
  try {
    for (;;) {
      signal?.throwIfAborted();
      const r = loop.next();
      if (r.done) return r.value;
      if (r.value instanceof Promise) {
        r.value.catch(() => undefined);
        throw new Error('this backend reads decoder results only asynchronously: use the async decoding functions');
      }
    }
  } finally {
    loop.return(undefined as T);
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs a loop, yielding to the event loop between steps; an abort stops it before the next step. */
export async function runAsync<T>(loop: DecodeLoop<T>, signal?: AbortSignal): Promise<T> {
  try {
    let sent: unknown;
    for (;;) {
      signal?.throwIfAborted();
      const r = loop.next(sent);
      if (r.done) return r.value;
      if (r.value instanceof Promise) {
        // a step's read-back: waiting for it is the turn of the event loop
        sent = await r.value;
      } else {
        sent = undefined;
        await nextTurn();
      }
    }
  } finally {
    // Runs the loop's own `finally` (frees its tensors) when it stopped early.
    loop.return(undefined as T);
  }
}
