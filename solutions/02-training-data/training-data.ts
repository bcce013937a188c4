/**
 * Kata 02: generate lots of training data.
 * Read katas/02-training-data/README.md first.
 */
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { tf } from '../../lib/tf';
import { assertFraction, assertInterval, assertPositiveInteger, KataInputError } from '../../lib/validate';

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
 */
export function generateSquares(n: number, options: { seed: number; low?: number; high?: number }): Dataset {
  assertPositiveInteger('n', n);
  const low = options.low ?? LOW;
  const high = options.high ?? HIGH;
  assertInterval('[low, high]', low, high);
  if (!Number.isFinite(options.seed)) throw new KataInputError(`seed must be a finite number, got ${String(options.seed)}.`);
  return tf.tidy(() => {
    // tfjs' seeded generator: the same on every backend.
    const x = tf.randomUniform([n, 1], low, high, 'float32', options.seed) as Tensor2D;
    return { x, y: tf.square(x) };
  });
}

/**
 * Task 2: hold out the LAST `fraction` of the examples, as Keras'
 * validation_split does (before any shuffling): train gets the first
 * floor(n · (1 - fraction)) rows.
 */
export function splitValidation(data: Dataset, fraction: number = VALIDATION_FRACTION): Split {
  assertFraction('fraction', fraction);
  const n = data.x.shape[0];
  if (data.y.shape[0] !== n) {
    throw new KataInputError(`x has ${n} rows but y has ${data.y.shape[0]}: each x needs exactly one label.`);
  }
  const trainSize = Math.floor(n * (1 - fraction));
  if (trainSize === 0 || trainSize === n) {
    throw new KataInputError(`${n} examples split at ${fraction} leave one part empty: use more examples or another fraction.`);
  }
  const rows = (t: Tensor2D, start: number, size: number) => t.slice([start, 0], [size, 1]);
  return {
    train: { x: rows(data.x, 0, trainSize), y: rows(data.y, 0, trainSize) },
    validation: { x: rows(data.x, trainSize, n - trainSize), y: rows(data.y, trainSize, n - trainSize) },
  };
}

function minMax(t: Tensor): { offset: number; scale: number } {
  // tidy frees the two scalars min() and max() make; only plain numbers leave it.
  const [min, max] = tf.tidy(() => [t.min().dataSync()[0] as number, t.max().dataSync()[0] as number]);
  // A constant column: any scale maps it to 0; 1 keeps the inverse finite.
  const scale = max > min ? (max - min) / 2 : 1;
  return { offset: (max + min) / 2, scale };
}

/**
 * Task 3: fit the scaling on the TRAINING part only: the validation set stands
 * for data the model has never seen, so nothing may be learned from it.
 */
export function fitScaler(train: Dataset): Scaler {
  const x = minMax(train.x);
  const y = minMax(train.y);
  return { xOffset: x.offset, xScale: x.scale, yOffset: y.offset, yScale: y.scale };
}

export function scaleX(x: Tensor2D, scaler: Scaler): Tensor2D {
  return tf.tidy(() => x.sub(scaler.xOffset).div(scaler.xScale));
}

export function scaleY(y: Tensor2D, scaler: Scaler): Tensor2D {
  return tf.tidy(() => y.sub(scaler.yOffset).div(scaler.yScale));
}

/** The inverse of scaleY: predictions back in original units. */
export function unscaleY(y: Tensor2D, scaler: Scaler): Tensor2D {
  return tf.tidy(() => y.mul(scaler.yScale).add(scaler.yOffset));
}

export function scaleDataset(data: Dataset, scaler: Scaler): Dataset {
  return { x: scaleX(data.x, scaler), y: scaleY(data.y, scaler) };
}
