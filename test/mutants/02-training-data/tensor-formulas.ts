/**
 * Kata 02, a valid alternative written apart from the reference: every
 * number stays a float32 tensor until the scaler is read out.
 */
import type { Tensor2D } from '@tensorflow/tfjs';
import { tf } from '../../lib/tf';
import { assertFraction, assertInterval, assertPositiveInteger, KataInputError } from '../../lib/validate';

export const N_SAMPLES = 10_000;
export const LOW = -50;
export const HIGH = 50;
export const VALIDATION_FRACTION = 0.2;

export interface Dataset {
  x: Tensor2D;
  y: Tensor2D;
}
export interface Split {
  train: Dataset;
  validation: Dataset;
}
export interface Scaler {
  xOffset: number;
  xScale: number;
  yOffset: number;
  yScale: number;
}

export function generateSquares(n: number, options: { seed: number; low?: number; high?: number }): Dataset {
  assertPositiveInteger('n', n);
  const { low = LOW, high = HIGH, seed } = options;
  assertInterval('[low, high]', low, high);
  if (Number.isNaN(seed) || !Number.isFinite(seed)) throw new KataInputError(`seed must be a finite number, not ${seed}.`);
  const x = tf.randomUniform([n, 1], low, high, 'float32', seed) as Tensor2D;
  return { x, y: tf.tidy(() => x.mul(x)) as Tensor2D };
}

export function splitValidation(data: Dataset, fraction = VALIDATION_FRACTION): Split {
  assertFraction('fraction', fraction);
  const n = data.x.shape[0];
  if (data.y.shape[0] !== n) throw new KataInputError(`x has ${n} rows but y has ${data.y.shape[0]}.`);
  const trainRows = Math.floor((1 - fraction) * n);
  if (trainRows <= 0 || trainRows >= n) throw new KataInputError(`${n} rows at ${fraction}: one part would be empty.`);
  const [trainX, validationX] = tf.split(data.x, [trainRows, n - trainRows]) as [Tensor2D, Tensor2D];
  const [trainY, validationY] = tf.split(data.y, [trainRows, n - trainRows]) as [Tensor2D, Tensor2D];
  return { train: { x: trainX, y: trainY }, validation: { x: validationX, y: validationY } };
}

function offsetAndScale(t: Tensor2D): [number, number] {
  return tf.tidy(() => {
    const [min, max] = [t.min(), t.max()];
    const offset = max.add(min).div(2);
    const half = max.sub(min).div(2);
    const scale = half.dataSync()[0] === 0 ? 1 : half.dataSync()[0]!;
    return [offset.dataSync()[0]!, scale];
  });
}

export function fitScaler(train: Dataset): Scaler {
  const [xOffset, xScale] = offsetAndScale(train.x);
  const [yOffset, yScale] = offsetAndScale(train.y);
  return { xOffset, xScale, yOffset, yScale };
}

const affine = (t: Tensor2D, multiply: number, add: number) => tf.tidy(() => t.mul(multiply).add(add)) as Tensor2D;

export function scaleX(x: Tensor2D, s: Scaler): Tensor2D {
  return affine(x, 1 / s.xScale, -s.xOffset / s.xScale);
}

export function scaleY(y: Tensor2D, s: Scaler): Tensor2D {
  return affine(y, 1 / s.yScale, -s.yOffset / s.yScale);
}

export function unscaleY(y: Tensor2D, s: Scaler): Tensor2D {
  return affine(y, s.yScale, s.yOffset);
}

export function scaleDataset(data: Dataset, s: Scaler): Dataset {
  return { x: scaleX(data.x, s), y: scaleY(data.y, s) };
}
