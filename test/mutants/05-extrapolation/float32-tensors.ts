/**
 * Kata 05: every network above fails outside the range it saw.
 * Read katas/05-extrapolation/README.md first.
 */
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { linspace } from '../../lib/metrics';
import { tf } from '../../lib/tf';
import { assertFiniteNumbers, KataInputError } from '../../lib/validate';

/**
 * The ranges the reference networks were trained on: |x| <= these. The
 * networks themselves are the reference solutions of katas 03 and 04, shipped
 * in lib/models/ (npm run models makes them): you need not have solved 03 or 04.
 */
export const RELU_TRAINING_RANGE = 50;
export const TANH_TRAINING_RANGE = 10;

/** Points per sign in an error band: enough to catch a bad patch, cheap to predict. */
const BAND_POINTS = 50;

/**
 * Task 1: (f(x) - x²) / x² for each x: -0.4 means 40% too low.
 * x = 0 has no relative error: reject it.
 */
export function relativeErrors(model: LayersModel, xs: number[]): number[] {
  assertFiniteNumbers('xs', xs);
  const zero = xs.indexOf(0);
  if (zero >= 0) throw new KataInputError(`xs[${zero}] is 0: the relative error of x² is undefined there.`);
  return tf.tidy(() => {
    const x = tf.tensor2d(xs, [xs.length, 1]);
    const truth = x.square();
    return Array.from((model.predict(x) as Tensor).sub(truth).div(truth).dataSync());
  });
}

/**
 * Task 2: the smallest and largest |relative error| over |x| in [from, to],
 * on both sides of 0 (BAND_POINTS evenly spaced values per side).
 */
export function relativeErrorBand(model: LayersModel, from: number, to: number): { min: number; max: number } {
  if (!(from > 0 && to >= from)) throw new KataInputError(`The band needs 0 < from <= to, got [${from}, ${to}].`);
  const positive = linspace(from, to, BAND_POINTS);
  const sizes = relativeErrors(model, [...positive, ...positive.map((x) => -x)]).map(Math.abs);
  return { min: Math.min(...sizes), max: Math.max(...sizes) };
}

/** Task 3: f(x + h) - 2 f(x) + f(x - h). For x² it is 2h² everywhere; for a straight line, 0. */
export function secondDifference(model: LayersModel, x: number, h: number): number {
  return tf.tidy(() => (model.predict(tf.tensor2d([x - h, x, x + h], [3, 1])) as Tensor).reshape([3]).mul(tf.tensor1d([1, -2, 1])).sum().dataSync()[0] as number);
}

/** Task 4: (f(x + h) - f(x - h)) / 2h, the slope. For x² it is 2x; for a saturated tanh, near 0. */
export function centralSlope(model: LayersModel, x: number, h: number): number {
  return tf.tidy(() => (model.predict(tf.tensor2d([x - h, x + h], [2, 1])) as Tensor).reshape([2]).mul(tf.tensor1d([-1, 1])).sum().div(2 * h).dataSync()[0] as number);
}
