/**
 * Kata 01, a valid alternative written apart from the reference: the line in
 * float32 tensors, training by a hand-written loop of optimizer.minimize.
 */
import type { LayersModel, Optimizer, Sequential, Tensor, Scalar } from '@tensorflow/tfjs';
import { tf } from '../../lib/tf';
import { assertPairs, assertPositiveInteger } from '../../lib/validate';

export const LEARNING_RATE = 0.01;
export const EPOCHS = 400;

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  seed?: number;
  optimizer?: Optimizer;
}

export interface TrainedModel {
  model: LayersModel;
  losses: number[];
}

export interface LeastSquaresLine {
  slope: number;
  intercept: number;
  mse: number;
}

export function buildLinearModel(options: TrainOptions = {}): Sequential {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: options.seed ?? 3 }) })],
  });
  model.compile({ loss: 'meanSquaredError', optimizer: options.optimizer ?? tf.train.sgd(options.learningRate ?? LEARNING_RATE) });
  return model;
}

export function leastSquaresLine(xs: number[], ys: number[]): LeastSquaresLine {
  assertPairs(xs, ys);
  return tf.tidy(() => {
    const x = tf.tensor1d(xs);
    const y = tf.tensor1d(ys);
    const dx = x.sub(x.mean());
    const dy = y.sub(y.mean());
    const varX = dx.square().sum();
    const slope = varX.dataSync()[0] === 0 ? tf.scalar(0) : dx.mul(dy).sum().div(varX);
    const intercept = y.mean().sub(slope.mul(x.mean()));
    const mse = x.mul(slope).add(intercept).sub(y).square().mean();
    return { slope: slope.dataSync()[0]!, intercept: intercept.dataSync()[0]!, mse: mse.dataSync()[0]! };
  });
}

export async function trainLinearModel(xs: number[], ys: number[], options: TrainOptions = {}): Promise<TrainedModel> {
  assertPairs(xs, ys);
  const epochs = options.epochs ?? EPOCHS;
  assertPositiveInteger('epochs', epochs);
  const model = buildLinearModel(options);
  const optimizer = model.optimizer;
  const x = tf.tensor2d(xs, [xs.length, 1]);
  const y = tf.tensor2d(ys, [ys.length, 1]);
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const cost = optimizer.minimize(() => tf.losses.meanSquaredError(y, model.apply(x) as Tensor) as Scalar, true) as Scalar;
    losses.push(cost.dataSync()[0]!);
    cost.dispose();
  }
  tf.dispose([x, y]);
  return { model, losses };
}

export function adamStepBound(learningRate: number, beta1 = 0.9, beta2 = 0.999): number {
  const ratio = (1 - beta1) / Math.sqrt(1 - beta2);
  if (ratio > 1) return learningRate * ratio;
  return learningRate;
}

export async function measureBiasTravel(xs: number[], ys: number[], options: { epochs: number; learningRate: number; seed?: number }): Promise<number> {
  const { model } = await trainLinearModel(xs, ys, { epochs: options.epochs, seed: options.seed ?? 3, optimizer: tf.train.adam(options.learningRate) });
  const bias = (model.layers[0]!.getWeights()[1] as Tensor).dataSync()[0]!;
  const optimizer = model.optimizer;
  model.dispose();
  optimizer.dispose();
  return Math.abs(bias - 0);
}
