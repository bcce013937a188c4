/**
 * Kata 06: the right feature. Give a single Dense unit x² as an input and it
 * fits exactly, and extrapolates.
 * Read katas/06-right-feature/README.md first; hints are in hints.md.
 * Run only this kata with: npm test -- 06
 */
import type { LayersModel, Sequential } from '@tensorflow/tfjs';
import { linspace } from '../../lib/metrics';
import { predictValues } from '../../lib/predict';
import { tf } from '../../lib/tf';
import { todo } from '../../lib/todo';
import { assertFiniteNumbers, assertPairs, assertPositiveInteger } from '../../lib/validate';

const KATA = '06-right-feature';

/** Training data: 101 evenly spaced x in [-50, 50] (kata 02's range), labels x². */
export const TRAINING_RANGE = 50;
export const XS = linspace(-TRAINING_RANGE, TRAINING_RANGE, 101);

// TODO: choose your recipe (task 3).
export const LEARNING_RATE = 0;
export const EPOCHS = 0;

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

/**
 * Task 1: one row [u, u²] per x, with u = x / TRAINING_RANGE.
 * Example: featurize([50, -25]) -> [[1, 1], [-0.5, 0.25]]
 */
export function featurize(xs: number[]): number[][] {
  assertFiniteNumbers('xs', xs);
  // TODO
  return todo(KATA, 1, 'featurize()');
}

/** Task 2: a single Dense unit reading the two features, seeded, compiled with MSE (and SGD). */
export function buildFeatureModel(): Sequential {
  // TODO
  return todo(KATA, 2, 'buildFeatureModel()');
}

/**
 * Task 3: train a fresh buildFeatureModel() on (xs, ys), features featurize(xs)
 * and labels y / TRAINING_RANGE², one full batch per epoch. Returns the model
 * and one loss per epoch.
 */
export async function trainFeatureModel(options: TrainOptions = {}): Promise<{ model: LayersModel; losses: number[] }> {
  const { xs = XS, epochs = EPOCHS } = options;
  const ys = options.ys ?? xs.map((x) => x * x);
  assertPairs(xs, ys);
  // TODO: choose EPOCHS above and refuse a bad one here (assertPositiveInteger('epochs', epochs)),
  // then train; dispose the tensors you make here once fit() is done.
  return todo(KATA, 3, 'trainFeatureModel()');
}

/**
 * Task 4: the fitted function in original units, from the weights.
 * With u = x / R and y = R² · (w1 u + w2 u² + b): square = w2, linear = R · w1, bias = R² · b.
 */
export function readCoefficients(model: LayersModel): Coefficients {
  // TODO: model.getWeights() gives [kernel (2 x 1), bias (1)].
  return todo(KATA, 4, 'readCoefficients()');
}

/** Task 5: predictions for raw xs, in original units. */
export function predictWithFeature(model: LayersModel, xs: number[]): number[] {
  // TODO
  return todo(KATA, 5, 'predictWithFeature()');
}

/**
 * Task 6: f(x) - f(-x) for each x, for the feature model (through
 * predictWithFeature) and for a network that reads raw x (kata 03's: use
 * predictValues). For x² the answer is 0 at every x.
 */
export function mirrorGaps(featureModel: LayersModel, network: LayersModel, xs: number[]): { feature: number[]; network: number[] } {
  assertFiniteNumbers('xs', xs);
  // TODO
  return todo(KATA, 6, 'mirrorGaps()');
}

// Used by the finished kata; kept here so your imports are ready.
void [linspace, tf, predictValues];
