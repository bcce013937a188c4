/**
 * Kata 01: a linear model cannot learn x².
 * Read katas/01-linear-model/README.md first.
 */
import type { LayersModel, Optimizer, Sequential } from '@tensorflow/tfjs';
import { disposeModel } from '../../lib/predict';
import { tf } from '../../lib/tf';
import { assertPairs, assertPositiveInteger } from '../../lib/validate';

/** Plain SGD is enough for one Dense unit; it is stable below 2 / (2·mean(x²)) ≈ 0.027 on x = -10..10. */
export const LEARNING_RATE = 0.02;
/** Enough epochs for the bias to come within 0.5% of the least-squares floor (about 50 would do). */
export const EPOCHS = 200;

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  /** Seeds the kernel initializer: same seed, same run. */
  seed?: number;
  /** Another optimizer than SGD(learningRate), e.g. the seed's Adam(1e-4) in task 5. */
  optimizer?: Optimizer;
}

export interface TrainedModel {
  model: LayersModel;
  /** The training loss (MSE) after each epoch. */
  losses: number[];
}

export interface LeastSquaresLine {
  slope: number;
  intercept: number;
  /** The mean squared error of that line on the data: no linear model can do better. */
  mse: number;
}

/**
 * Task 1: one Dense unit on a one-number input, compiled with MSE loss.
 * @param options.seed seeds the kernel initializer
 * @param options.optimizer defaults to SGD with options.learningRate
 */
export function buildLinearModel(options: TrainOptions = {}): Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      units: 1,
      inputShape: [1],
      kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed ?? 1 }),
    }),
  );
  model.compile({
    optimizer: options.optimizer ?? tf.train.sgd(options.learningRate ?? LEARNING_RATE),
    loss: 'meanSquaredError',
  });
  return model;
}

/**
 * Task 2: the closed-form least-squares line through (xs, ys).
 * slope = cov(x, y) / var(x), intercept = mean(y) - slope · mean(x).
 */
export function leastSquaresLine(xs: number[], ys: number[]): LeastSquaresLine {
  assertPairs(xs, ys);
  const n = xs.length;
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let covXY = 0;
  let varX = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - meanX;
    covXY += dx * ((ys[i] as number) - meanY);
    varX += dx * dx;
  }
  // All x equal: any slope fits as well as any other; take the flat line.
  const slope = varX === 0 ? 0 : covXY / varX;
  const intercept = meanY - slope * meanX;
  const mse = ys.reduce((sum, y, i) => sum + (slope * (xs[i] as number) + intercept - y) ** 2, 0) / n;
  return { slope, intercept, mse };
}

/**
 * Tasks 3 and 4: train a fresh linear model on (xs, ys).
 * @param xs inputs, one number per example (becomes a [n, 1] tensor)
 * @param ys labels, same length
 */
export async function trainLinearModel(xs: number[], ys: number[], options: TrainOptions = {}): Promise<TrainedModel> {
  assertPairs(xs, ys);
  const epochs = options.epochs ?? EPOCHS;
  assertPositiveInteger('epochs', epochs);
  const model = buildLinearModel(options);
  const x = tf.tensor2d(xs, [xs.length, 1]);
  const y = tf.tensor2d(ys, [ys.length, 1]);
  try {
    // One batch of all 21 points per epoch, as in the seed (Keras' default batch of 32).
    const history = await model.fit(x, y, { epochs, batchSize: xs.length, shuffle: false, verbose: 0 });
    return { model, losses: history.history.loss as number[] };
  } finally {
    x.dispose();
    y.dispose();
  }
}

/**
 * Task 5a: the most Adam can move one weight in one step.
 * Kingma & Ba (2015), section 2.1: |step| <= lr · (1 - beta1) / sqrt(1 - beta2)
 * when (1 - beta1) > sqrt(1 - beta2), else |step| <= lr. Whatever the gradient.
 */
export function adamStepBound(learningRate: number, beta1 = 0.9, beta2 = 0.999): number {
  return learningRate * Math.max(1, (1 - beta1) / Math.sqrt(1 - beta2));
}

/**
 * Task 5b: train with the seed's Adam(learningRate) for `epochs` epochs
 * and report how far the bias moved.
 */
export async function measureBiasTravel(
  xs: number[],
  ys: number[],
  options: { epochs: number; learningRate: number; seed?: number },
): Promise<number> {
  const trained = await trainLinearModel(xs, ys, {
    epochs: options.epochs,
    seed: options.seed ?? 1,
    optimizer: tf.train.adam(options.learningRate),
  });
  const bias = trained.model.getWeights()[1]?.dataSync()[0] ?? NaN;
  disposeModel(trained.model);
  return Math.abs(bias); // Dense biases start at zero, so this is how far it went
}
