/**
 * Whether TensorFlow.js is loaded in this process. The daemon imports the engine only when a job or
 * a checkpoint needs it (it starts fast and answers config edits without it), and reports memory and
 * the backend only once it is there. tfjs-core creates its engine on the global object when its
 * module first runs (`getOrMakeEngine` sets `globalThis._tfengine`), whichever import path loaded it,
 * so this is read from the process itself rather than from a flag each caller must remember to set.
 */
export function engineLoaded(): boolean {
  return (globalThis as { _tfengine?: unknown })._tfengine != null;
}
