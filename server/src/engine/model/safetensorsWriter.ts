/**
 * Writes a safetensors file one tensor at a time: each tensor's values are asked for only when its
 * turn comes and dropped after, so a model of 1.3 GB (the published MASS size) is written without
 * holding all its float32 copies, nor the whole file, in memory. Atomic: the file appears complete or
 * not at all.
 */
import { AtomicFileWriter } from '../text/atomicFile.js';
import { safetensorsHeader, tensorBytes } from './safetensors.js';

export interface LazyF32Entry {
  shape: number[];
  /** Float32 values in row-major order; called once, when the tensor is written. */
  values(): Float32Array;
  dtype?: 'F32' | 'F16';
}

export async function writeSafetensorsStreaming(path: string, tensors: [string, LazyF32Entry][], metadata: Record<string, string> = {}): Promise<void> {
  const { head } = safetensorsHeader(
    tensors.map(([name, t]) => ({ name, shape: t.shape, dtype: t.dtype ?? 'F32' })),
    metadata,
  );
  const out = new AtomicFileWriter(path);
  try {
    await out.write(head);
    for (const [name, t] of tensors) await out.write(tensorBytes(name, t.shape, t.values(), t.dtype));
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
}
