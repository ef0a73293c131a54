import { tf, type Tensor2D, type Tensor3D } from '../backend/tf.js';
import type { MassModel } from '../model/model.js';
import { addLayerNormStep, embedRows, encoderAttend, geluStep } from './decodeKernels.js';
import { project, type InferenceWeights } from './inferenceWeights.js';
import type { SourceBatch } from './source.js';

/**
 * The encoder in eval mode (encoder.ts `encode`) with host kernels and pre-transposed weights:
 * 7 kernels per layer. Rows at padding positions are left as computed (decoder.ts's encoder zeroes
 * them); nothing reads them: cross-attention hides keys beyond each source length.
 */
export function encodeFast(model: MassModel, w: InferenceWeights, src: SourceBatch): Tensor3D {
  const { bs, len } = src;
  const d = model.config.emb_dim;
  return tf.tidy(() => {
    const positions = new Int32Array(bs * len);
    for (let i = 0; i < positions.length; i++) positions[i] = i % len;
    let x = embedRows(w.encoderEmbed, src.tokens, positions, src.langs);
    for (const l of w.encoderLayers) {
      x = addLayerNormStep(x, project(encoderAttend(project(x, l.qkv), len, src.lengths, w.heads), l.out), l.ln1[0], l.ln1[1]);
      const h = project(x, l.ffn1);
      x = addLayerNormStep(x, project(model.config.gelu_activation ? geluStep(h) : (tf.relu(h) as Tensor2D), l.ffn2), l.ln2[0], l.ln2[1]);
    }
    return tf.reshape(x, [bs, len, d]) as Tensor3D;
  });
}
