/**
 * Kata 05: every network above fails outside the range it saw.
 * Read katas/05-extrapolation/README.md first.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { linspace } from '../../lib/metrics';
import { predictValues } from '../../lib/predict';
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
  const output = model.predict(tf.tensor2d(xs, [xs.length, 1])) as import('@tensorflow/tfjs').Tensor;
  return Array.from(output.dataSync()).map((prediction, i) => {
    const truth = (xs[i] as number) ** 2;
    return (prediction - truth) / truth;
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
  const [left, middle, right] = predictValues(model, [x - h, x, x + h]) as [number, number, number];
  return left - 2 * middle + right;
}

/** Task 4: (f(x + h) - f(x - h)) / 2h, the slope. For x² it is 2x; for a saturated tanh, near 0. */
export function centralSlope(model: LayersModel, x: number, h: number): number {
  const [left, right] = predictValues(model, [x - h, x + h]) as [number, number];
  return (right - left) / (2 * h);
}
