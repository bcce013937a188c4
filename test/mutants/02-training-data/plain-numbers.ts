/**
 * Kata 02, a valid alternative written apart from the reference: tfjs draws
 * the x; labels, split and scaling are computed on plain numbers.
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

const column = (values: number[]) => tf.tensor2d(values, [values.length, 1]);
const numbers = (t: Tensor2D) => Array.from(t.dataSync());

export function generateSquares(n: number, { seed, low = LOW, high = HIGH }: { seed: number; low?: number; high?: number }): Dataset {
  assertPositiveInteger('n', n);
  assertInterval('[low, high]', low, high);
  if (!Number.isFinite(seed)) throw new KataInputError(`seed must be a finite number, got ${seed}.`);
  const drawn = tf.randomUniform([n, 1], low, high, 'float32', seed) as Tensor2D;
  const xs = numbers(drawn);
  drawn.dispose();
  return { x: column(xs), y: column(xs.map((x) => x * x)) };
}

export function splitValidation(data: Dataset, fraction = VALIDATION_FRACTION): Split {
  assertFraction('fraction', fraction);
  const [xs, ys] = [numbers(data.x), numbers(data.y)];
  if (xs.length !== ys.length) throw new KataInputError(`x has ${xs.length} rows but y has ${ys.length}.`);
  const cut = Math.floor(xs.length * (1 - fraction));
  if (cut < 1 || cut >= xs.length) throw new KataInputError(`splitting ${xs.length} rows at ${fraction} leaves a part empty.`);
  return {
    train: { x: column(xs.slice(0, cut)), y: column(ys.slice(0, cut)) },
    validation: { x: column(xs.slice(cut)), y: column(ys.slice(cut)) },
  };
}

function span(t: Tensor2D): [number, number] {
  let [min, max] = [Infinity, -Infinity];
  for (const v of t.dataSync()) [min, max] = [Math.min(min, v), Math.max(max, v)];
  return [(max + min) / 2, max === min ? 1 : (max - min) / 2];
}

export function fitScaler(train: Dataset): Scaler {
  const [xOffset, xScale] = span(train.x);
  const [yOffset, yScale] = span(train.y);
  return { xOffset, xScale, yOffset, yScale };
}

export function scaleX(x: Tensor2D, s: Scaler): Tensor2D {
  return column(numbers(x).map((v) => (v - s.xOffset) / s.xScale));
}

export function scaleY(y: Tensor2D, s: Scaler): Tensor2D {
  return column(numbers(y).map((v) => (v - s.yOffset) / s.yScale));
}

export function unscaleY(y: Tensor2D, s: Scaler): Tensor2D {
  return column(numbers(y).map((v) => v * s.yScale + s.yOffset));
}

export function scaleDataset(data: Dataset, s: Scaler): Dataset {
  return { x: scaleX(data.x, s), y: scaleY(data.y, s) };
}
