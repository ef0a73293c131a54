import { tf } from './tf.js';

interface TapeState {
  gradientDepth: number;
  activeTape: { saved?: { dispose(): void }[] }[] | null;
}

/**
 * After an error inside the forward pass of `tf.variableGrads`, tfjs leaves the gradient tape in place
 * with the tensors it saved for the backward pass (kept, so no scope frees them) until the next
 * gradient computation replaces it. Releases them so a failed step does not leak.
 */
export function releaseAbandonedTape(): void {
  const state = tf.engine().state as unknown as TapeState;
  if (state.gradientDepth !== 0 || !state.activeTape) return;
  for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
  state.activeTape = null;
}
