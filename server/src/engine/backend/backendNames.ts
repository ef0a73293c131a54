/**
 * The backend names, in the order `auto` tries them: the one list (the config schema, the CLI, the
 * daemon's settings and selectBackend.ts read it; protocol.ts's `BackendName` is checked against it in
 * daemon/connection/toWire.ts, and package.json's `mass.backend` enum in test/unit/client/manifest.test.ts).
 * No imports: reading it does not load TensorFlow.js.
 */
export const BACKEND_CHOICES = ['auto', 'webgpu', 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
export type BackendName = Exclude<BackendChoice, 'auto'>;

/** What `auto` tries, fastest first. */
export const BACKEND_ORDER: readonly BackendName[] = BACKEND_CHOICES.filter((b): b is BackendName => b !== 'auto');

export function isBackendChoice(s: unknown): s is BackendChoice {
  return typeof s === 'string' && (BACKEND_CHOICES as readonly string[]).includes(s);
}
