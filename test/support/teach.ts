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

/** Fails unless low <= value <= high; `tooLow` / `tooHigh` say what each side means. */
export function checkBetween(
  name: string,
  value: number,
  [low, high]: [number, number],
  why: { tooLow?: string; tooHigh?: string; notANumber?: string } = {},
): void {
  logMetric(name, value, low, high);
  check(Number.isFinite(value), () => `${name} is ${String(value)}. ${why.notANumber ?? 'Training diverged or returned nothing: try a smaller learning rate.'}`);
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
