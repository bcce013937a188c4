/**
 * Kata 02: generate lots of training data.
 * Read katas/02-training-data/README.md first; hints are in hints.md.
 * Run only this kata with: npm test -- 02
 */
import type { Tensor2D } from '@tensorflow/tfjs';
import { tf } from '../../lib/tf';
import { todo } from '../../lib/todo';
import { assertFraction, assertInterval, assertPositiveInteger, KataInputError } from '../../lib/validate';

const KATA = '02-training-data';

/** The answer's recipe: 10,000 x uniform in [-50, 50], the last 20% held out. */
export const N_SAMPLES = 10_000;
export const LOW = -50;
export const HIGH = 50;
export const VALIDATION_FRACTION = 0.2;

/** Examples as two [n, 1] tensors: inputs x and labels y = x². */
export interface Dataset {
  x: Tensor2D;
  y: Tensor2D;
}

export interface Split {
  train: Dataset;
  validation: Dataset;
}

/** Maps v to (v - offset) / scale; fitted so the training part spans [-1, 1]. */
export interface Scaler {
  xOffset: number;
  xScale: number;
  yOffset: number;
  yScale: number;
}

/**
 * Task 1: n samples x uniform in [low, high) with labels x², from a seed.
 * Same seed, same data; another seed, other data.
 * Example: generateSquares(3, { seed: 1 }).x.shape is [3, 1].
 */
export function generateSquares(n: number, options: { seed: number; low?: number; high?: number }): Dataset {
  // TODO: check n, [low, high] and the seed (lib/validate.ts has helpers), then
  // draw x with tf.randomUniform([n, 1], low, high, 'float32', seed) and square it.
  return todo(KATA, 1, 'generateSquares()');
}

/**
 * Task 2: hold out the LAST `fraction` of the rows, as Keras' validation_split
 * does: train gets the first floor(n · (1 - fraction)) rows, in order.
 */
export function splitValidation(data: Dataset, fraction: number = VALIDATION_FRACTION): Split {
  // TODO: check the fraction, then slice the rows of x and y.
  return todo(KATA, 2, 'splitValidation()');
}

/**
 * Task 3: min-max scaling fitted on the TRAINING part only, so that its x and
 * its y each span [-1, 1]: offset = (max + min) / 2, scale = (max - min) / 2.
 */
export function fitScaler(train: Dataset): Scaler {
  // TODO
  return todo(KATA, 3, 'fitScaler()');
}

/** Task 3: (x - xOffset) / xScale. */
export function scaleX(x: Tensor2D, scaler: Scaler): Tensor2D {
  // TODO
  return todo(KATA, 3, 'scaleX()');
}

/** Task 3: (y - yOffset) / yScale. */
export function scaleY(y: Tensor2D, scaler: Scaler): Tensor2D {
  // TODO
  return todo(KATA, 3, 'scaleY()');
}

/** Task 3: the inverse of scaleY: predictions back in original units. */
export function unscaleY(y: Tensor2D, scaler: Scaler): Tensor2D {
  // TODO
  return todo(KATA, 3, 'unscaleY()');
}

/** Task 3: both columns of a dataset, scaled. */
export function scaleDataset(data: Dataset, scaler: Scaler): Dataset {
  // TODO
  return todo(KATA, 3, 'scaleDataset()');
}

// Used by the finished kata; kept here so your imports are ready.
void [tf, assertFraction, assertInterval, assertPositiveInteger, KataInputError];
