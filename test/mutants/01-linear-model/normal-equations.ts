/**
 * Kata 01, a valid alternative written apart from the reference: the line
 * from the sums of the normal equations, training through model.fit with
 * tfjs' default batch size (32 > 21 points: still one batch per epoch).
 */
import type { LayersModel, Optimizer, Sequential } from '@tensorflow/tfjs';
import { tf } from '../../lib/tf';
import { assertPairs, assertPositiveInteger } from '../../lib/validate';

export const LEARNING_RATE = 0.025;
export const EPOCHS = 100;

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

export function buildLinearModel({ seed = 11, optimizer, learningRate = LEARNING_RATE }: TrainOptions = {}): Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [1], units: 1, kernelInitializer: tf.initializers.glorotNormal({ seed }) }));
  model.compile({ optimizer: optimizer ?? tf.train.sgd(learningRate), loss: 'meanSquaredError' });
  return model;
}

export function leastSquaresLine(xs: number[], ys: number[]): LeastSquaresLine {
  assertPairs(xs, ys);
  const n = xs.length;
  let [sx, sy, sxx, sxy] = [0, 0, 0, 0];
  xs.forEach((x, i) => {
    const y = ys[i]!;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  });
  const denominator = n * sxx - sx * sx;
  const slope = denominator === 0 ? 0 : (n * sxy - sx * sy) / denominator;
  const intercept = (sy - slope * sx) / n;
  let sse = 0;
  xs.forEach((x, i) => (sse += (ys[i]! - intercept - slope * x) ** 2));
  return { slope, intercept, mse: sse / n };
}

export async function trainLinearModel(xs: number[], ys: number[], options: TrainOptions = {}): Promise<TrainedModel> {
  assertPairs(xs, ys);
  const epochs = options.epochs ?? EPOCHS;
  assertPositiveInteger('epochs', epochs);
  const model = buildLinearModel(options);
  const [x, y] = [tf.tensor2d(xs.map((v) => [v])), tf.tensor2d(ys.map((v) => [v]))];
  try {
    const history = await model.fit(x, y, { epochs, verbose: 0 });
    return { model, losses: (history.history.loss ?? []).map(Number) };
  } finally {
    tf.dispose([x, y]);
  }
}

export function adamStepBound(learningRate: number, beta1 = 0.9, beta2 = 0.999): number {
  return Math.max(learningRate, (learningRate * (1 - beta1)) / Math.sqrt(1 - beta2));
}

export async function measureBiasTravel(xs: number[], ys: number[], options: { epochs: number; learningRate: number; seed?: number }): Promise<number> {
  const optimizer = tf.train.adam(options.learningRate);
  const { model } = await trainLinearModel(xs, ys, { epochs: options.epochs, optimizer, ...(options.seed === undefined ? {} : { seed: options.seed }) });
  const [, bias] = model.getWeights();
  const travel = Math.abs(bias!.dataSync()[0]!);
  model.dispose();
  optimizer.dispose();
  return travel;
}
