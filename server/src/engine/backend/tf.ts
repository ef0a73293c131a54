/**
 * The one place engine code gets TensorFlow.js from.
 *
 * The CommonJS build of tfjs-core (what Node and our esbuild bundles load) registers no gradients,
 * so `tf.grad` fails with "gradient function not found". The ES-module registration file below
 * writes into tfjs's registries, which live on the global object and are therefore shared with the
 * CommonJS copy. Only functional ops are available (chained `x.sum()` methods are not registered in
 * a core-only build).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';

export { tf };
export type { Scalar, Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Variable, Rank, NamedTensorMap } from '@tensorflow/tfjs-core';
