/**
 * Valid alternative for kata 06: predictions and gaps from the coefficients in plain numbers.
 * Kata 06: the right feature. Give a single Dense unit x² as an input and it
 * fits exactly, and extrapolates.
 * Read katas/06-right-feature/README.md first.
 */
import type { LayersModel, Sequential } from '@tensorflow/tfjs';
import { linspace } from '../../lib/metrics';
import { predictValues } from '../../lib/predict';
import { tf } from '../../lib/tf';
import { assertFiniteNumbers, assertPairs, assertPositiveInteger } from '../../lib/validate';

/** Training data: 101 evenly spaced x in [-50, 50] (kata 02's range), labels x². */
export const TRAINING_RANGE = 50;
export const XS = linspace(-TRAINING_RANGE, TRAINING_RANGE, 101);
/**
 * The features are u = x / 50 and u², both within [-1, 1]: on raw x and x²
 * (up to 2,500) plain SGD would need a learning rate below 1e-7 and forever.
 * Scaled, the loss is a well-conditioned quadratic (curvatures 0.16 to 2.2)
 * and full-batch SGD at 0.5 shrinks the error by at least 8% a step: a few
 * hundred steps reach float32 precision.
 */
export const LEARNING_RATE = 0.6;
export const EPOCHS = 250;

export interface Coefficients {
  /** y ≈ square · x² + linear · x + bias, in original units. */
  square: number;
  linear: number;
  bias: number;
}

export interface TrainOptions {
  /** Raw x (default XS). */
  xs?: number[];
  /** Raw labels, one per x (default x² for each x). */
  ys?: number[];
  /** Full-batch epochs (default EPOCHS). */
  epochs?: number;
}

/** Task 1: one row [u, u²] per x, with u = x / TRAINING_RANGE. */
export function featurize(xs: number[]): number[][] {
  assertFiniteNumbers('xs', xs);
  return xs.map((x) => {
    const u = x / TRAINING_RANGE;
    return [u, u * u];
  });
}

/** Task 2: a single Dense unit reading the two features, compiled with SGD and MSE. */
export function buildFeatureModel(): Sequential {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'zeros' })],
  });
  model.compile({ optimizer: tf.train.sgd(LEARNING_RATE), loss: 'meanSquaredError' });
  return model;
}

/** Task 3: train on (xs, ys), labels scaled by 1 / TRAINING_RANGE² like the features. */
export async function trainFeatureModel(options: TrainOptions = {}): Promise<{ model: LayersModel; losses: number[] }> {
  const { xs = XS, epochs = EPOCHS } = options;
  const ys = options.ys ?? xs.map((x) => x * x);
  assertPairs(xs, ys);
  assertPositiveInteger('epochs', epochs);
  const model = buildFeatureModel();
  const features = tf.tensor2d(featurize(xs), [xs.length, 2]);
  const labels = tf.tensor2d(ys.map((y) => y / TRAINING_RANGE ** 2), [ys.length, 1]);
  try {
    const history = await model.fit(features, labels, { epochs, batchSize: xs.length, shuffle: false, verbose: 0 });
    return { model, losses: history.history.loss as number[] };
  } finally {
    tf.dispose([features, labels]);
  }
}

/**
 * Task 4: the fitted function in original units. With u = x / R and y = R² · (w1 u + w2 u² + b):
 * square = w2, linear = R · w1, bias = R² · b.
 */
export function readCoefficients(model: LayersModel): Coefficients {
  const [kernel, bias] = model.getWeights();
  const [w1, w2] = Array.from(kernel?.dataSync() ?? []) as [number, number];
  const b = bias?.dataSync()[0] ?? NaN;
  return { square: w2, linear: TRAINING_RANGE * w1, bias: TRAINING_RANGE ** 2 * b };
}

/** Task 5: predictions for raw xs in original units. */
export function predictWithFeature(model: LayersModel, xs: number[]): number[] {
  assertFiniteNumbers('xs', xs);
  const { square, linear, bias } = readCoefficients(model);
  return xs.map((x) => square * x * x + linear * x + bias);
}

/**
 * Task 6: f(x) - f(-x) for each x, for the feature model and for a network
 * reading raw x. x² gives 0; the feature model gives 2 · linear · x, which
 * training drives to 0; a network gives whatever its weights happen to make.
 */
export function mirrorGaps(featureModel: LayersModel, network: LayersModel, xs: number[]): { feature: number[]; network: number[] } {
  assertFiniteNumbers('xs', xs);
  // f(x) - f(-x) of square·x² + linear·x + bias is 2·linear·x.
  const { linear } = readCoefficients(featureModel);
  const right = predictValues(network, xs);
  const left = predictValues(network, xs.map((x) => -x));
  return { feature: xs.map((x) => 2 * linear * x), network: right.map((value, i) => value - (left[i] as number)) };
}
