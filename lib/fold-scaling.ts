/**
 * Turns a model trained on scaled numbers into one that takes raw x and
 * answers in raw y, by rewriting its first and last layers:
 *   x' = (x - xOffset) / xScale  →  first kernel / xScale, first bias - kernel · xOffset / xScale
 *   y  = y' · yScale + yOffset   →  last kernel · yScale, last bias · yScale + yOffset
 * Same function, other units: no scaler has to travel with the model.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { tf } from './tf';

export interface Scaling {
  xOffset: number;
  xScale: number;
  yOffset: number;
  yScale: number;
}

export function foldScaling(model: LayersModel, scaling: Scaling): void {
  const first = model.layers[0];
  const last = model.layers[model.layers.length - 1];
  if (!first || !last || first === last) throw new Error('foldScaling needs a model with at least two Dense layers.');
  tf.tidy(() => {
    const [kernel, bias] = first.getWeights() as [Tensor, Tensor];
    const scaledKernel = kernel.div(scaling.xScale);
    first.setWeights([scaledKernel, bias.sub(scaledKernel.sum(0).mul(scaling.xOffset))]);
    const [outKernel, outBias] = last.getWeights() as [Tensor, Tensor];
    last.setWeights([outKernel.mul(scaling.yScale), outBias.mul(scaling.yScale).add(scaling.yOffset)]);
  });
}
