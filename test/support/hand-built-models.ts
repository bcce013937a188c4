/**
 * Models with weights set by hand, so that a test knows their answers in
 * closed form (a Dense unit with kernel k and bias b computes k·x + b) and can
 * pick weights a hard-coded solution cannot know in advance.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { tf } from '../../lib/tf';

export interface HandLayer {
  /** kernel[i][j]: from input i to unit j. */
  kernel: number[][];
  bias: number[];
  activation?: 'linear' | 'relu' | 'tanh';
}

/** A Sequential stack of Dense layers with exactly these weights (stored as float32). */
export function handBuiltModel(inputs: number, layers: HandLayer[]): LayersModel {
  const model = tf.sequential();
  layers.forEach((layer, i) => {
    model.add(tf.layers.dense({ units: layer.bias.length, activation: layer.activation ?? 'linear', ...(i === 0 ? { inputShape: [inputs] } : {}) }));
  });
  model.layers.forEach((layer, i) => {
    const { kernel, bias } = layers[i] as HandLayer;
    const values = [tf.tensor2d(kernel), tf.tensor1d(bias)];
    layer.setWeights(values); // copies into the layer's variables
    tf.dispose(values);
  });
  return model;
}
