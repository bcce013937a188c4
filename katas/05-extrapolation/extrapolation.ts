/**
 * Kata 05: every network above fails outside the range it saw.
 * Read katas/05-extrapolation/README.md first; hints are in hints.md.
 * Run only this kata with: npm test -- 05
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { linspace } from '../../lib/metrics';
import { predictValues } from '../../lib/predict';
import { todo } from '../../lib/todo';
import { assertFiniteNumbers, KataInputError } from '../../lib/validate';

const KATA = '05-extrapolation';

/**
 * The ranges the reference networks were trained on: |x| <= these. The
 * networks themselves are the reference solutions of katas 03 and 04, shipped
 * in lib/models/ (npm run models makes them): you need not have solved 03 or 04.
 */
export const RELU_TRAINING_RANGE = 50;
export const TANH_TRAINING_RANGE = 10;

/**
 * Task 1: (f(x) - x²) / x² for each x: -0.4 means 40% too low.
 * x = 0 has no relative error: reject it with an error naming its index.
 */
export function relativeErrors(model: LayersModel, xs: number[]): number[] {
  assertFiniteNumbers('xs', xs);
  // TODO: predictValues(model, xs) from lib/predict.ts gives f(x).
  return todo(KATA, 1, 'relativeErrors()');
}

/**
 * Task 2: the smallest and largest |relative error| over |x| in [from, to], on
 * both sides of 0. Example: relativeErrorBand(model, 90, 100) -> { min: 0.31, max: 0.41 }.
 */
export function relativeErrorBand(model: LayersModel, from: number, to: number): { min: number; max: number } {
  // TODO: reject bands without 0 < from <= to; sample with linspace().
  return todo(KATA, 2, 'relativeErrorBand()');
}

/** Task 3: f(x + h) - 2 f(x) + f(x - h). For x² it is 2h² everywhere; for a straight line, 0. */
export function secondDifference(model: LayersModel, x: number, h: number): number {
  // TODO
  return todo(KATA, 3, 'secondDifference()');
}

/** Task 4: (f(x + h) - f(x - h)) / 2h, the slope. For x² it is 2x; for a saturated tanh, near 0. */
export function centralSlope(model: LayersModel, x: number, h: number): number {
  // TODO
  return todo(KATA, 4, 'centralSlope()');
}

// Used by the finished kata; kept here so your imports are ready.
void [linspace, predictValues, KataInputError];
