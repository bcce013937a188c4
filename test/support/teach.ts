import { backend } from '../../lib/tf';
import { logMetric } from './metrics-log';

/**
 * Checks whose failure messages teach (Kaggle learntools style): each names
 * the quantity, the bound, the value found and what it means.
 */

export class KataCheckError extends Error {
  override name = 'KataCheckError';
}

/** Numbers differ in their last digits from one backend to another: a failure says which one computed them, for a report. */
const BACKEND_NOTE = ` (TensorFlow.js backend: ${backend.name})`;

export function check(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new KataCheckError(`${message()}${BACKEND_NOTE}`);
}

const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4));

/**
 * What calibration measured for a checked quantity on valid recipes: the range, and over what
 * (implementations, seeds, the command that measures it again). Kept as data beside each bound,
 * so that a value that passes but falls outside it can say so (lib/metric-records.ts).
 */
export interface Measured {
  range: [number, number];
  over: string;
}

/** "2.6-5.8": a measured range as the messages quote it. */
export const measuredText = (m: Measured) => `${fmtRange(m.range[0])}-${fmtRange(m.range[1])}`;
const fmtRange = (v: number) => String(Number(v.toPrecision(3)));

/** Fails unless low <= value <= high; `tooLow` / `tooHigh` say what each side means; `measured` is the calibrated range. */
export function checkBetween(
  name: string,
  value: number,
  [low, high]: [number, number],
  why: { tooLow?: string; tooHigh?: string; notANumber?: string; measured?: Measured } = {},
): void {
  logMetric(name, value, low, high, why.measured);
  // An infinite value is a value: it passes an open bound (a raw run that diverged has an infinite MSE ratio).
  const number = typeof value === 'number' && !Number.isNaN(value) && (Number.isFinite(value) || value === low || value === high);
  check(number, () =>
    `${name} is ${typeof value === 'string' ? `the string "${value}"` : String(value)}. ${why.notANumber ?? 'Possible causes: a training that diverged (its losses are NaN or infinite: try a smaller learning rate), or a value never computed.'}`);
  check(value >= low, () => `${name} ${fmt(value)} is below ${fmt(low)}. ${why.tooLow ?? ''}`.trim());
  check(value <= high, () => `${name} ${fmt(value)} is above ${fmt(high)}. ${why.tooHigh ?? ''}`.trim());
}

/**
 * Caches the first call of a slow async step (a training run) for the tests that share it.
 * `ifStarted()` gives it only if a test has started it: cleanup must not train what no test ran.
 */
export function once<T>(make: () => Promise<T>): (() => Promise<T>) & { ifStarted(): Promise<T> | undefined } {
  let promise: Promise<T> | undefined;
  return Object.assign(() => (promise ??= make()), { ifStarted: () => promise });
}
