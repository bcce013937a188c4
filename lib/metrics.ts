/** Error measures on plain arrays, in the units of the labels. */
import { assertPairs } from './validate';

export function meanSquaredError(predictions: ArrayLike<number>, targets: ArrayLike<number>): number {
  assertPairs(predictions, targets, ['predictions', 'targets']);
  let sum = 0;
  for (let i = 0; i < targets.length; i++) sum += ((predictions[i] as number) - (targets[i] as number)) ** 2;
  return sum / targets.length;
}

export function rootMeanSquaredError(predictions: ArrayLike<number>, targets: ArrayLike<number>): number {
  return Math.sqrt(meanSquaredError(predictions, targets));
}

/** `count` evenly spaced values from `low` to `high`, both included. */
export function linspace(low: number, high: number, count: number): number[] {
  if (count === 1) return [low];
  return Array.from({ length: count }, (_, i) => low + ((high - low) * i) / (count - 1));
}

/** The integers low..high, both included: the seed's x = -10..10. */
export function integerRange(low: number, high: number): number[] {
  return Array.from({ length: high - low + 1 }, (_, i) => low + i);
}

/** Kolmogorov-Smirnov distance of a sample from the uniform distribution on [low, high]. */
export function ksDistanceFromUniform(xs: ArrayLike<number>, low: number, high: number): number {
  const sorted = Array.from(xs).sort((a, b) => a - b);
  return sorted.reduce((d, x, i) => {
    const cdf = (x - low) / (high - low);
    return Math.max(d, Math.abs((i + 1) / sorted.length - cdf), Math.abs(cdf - i / sorted.length));
  }, 0);
}
