/** Run a trained model on plain numbers, without leaking tensors. */
import { tf } from './tf';
import { assertFiniteNumbers } from './validate';
import type { LayersModel } from '@tensorflow/tfjs';

export function predictValues(model: LayersModel, xs: ArrayLike<number>): number[] {
  assertFiniteNumbers('xs', xs);
  return tf.tidy(() => {
    const output = model.predict(tf.tensor2d(Array.from(xs), [xs.length, 1])) as import('@tensorflow/tfjs').Tensor;
    return Array.from(output.dataSync());
  });
}

/**
 * Frees a model's weights and its optimizer's state. model.dispose() alone
 * keeps an optimizer that was passed in as an object (tfjs only disposes
 * optimizers it created from a name).
 */
export function disposeModel(model: LayersModel): void {
  const optimizer = model.optimizer;
  model.dispose();
  optimizer?.dispose();
  // tfjs 4.22's MomentumOptimizer.dispose() keeps the learning-rate scalar it
  // inherits from SGD (field `c`): without this a learner using momentum would fail the leak checks.
  if (optimizer && optimizer instanceof tf.MomentumOptimizer) (optimizer as unknown as { c?: { dispose(): void } }).c?.dispose();
}
