/**
 * KATA_VARIANT: one switch that changes the inputs the kata tests use, where
 * the lesson allows it (data seeds, probe points, asymmetric datasets, step
 * sizes, the weights of hand-built models). 0, or unset, is what learners run:
 * the inputs their README shows. An instructor's grader picks another variant
 * per submission, so that a solution hard-coded to variant 0 fails.
 *
 * Rules for tests: expected values under a variant come from closed forms or
 * from the reference recipe's calibrated bounds, never from the code under
 * test; and a valid solution passes every variant.
 */
import { type Random, seededRandom } from '../../lib/random';

export function parseVariant(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return 0;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`KATA_VARIANT must be a whole number from 0 up (0 is what learners run), got "${text}".`);
  }
  return value;
}

/** The variant this run uses. */
export const VARIANT = parseVariant(process.env.KATA_VARIANT);

/** A seeded generator for one kind of input (name it: "probes", "data seed"): same variant, same numbers. */
export function variantRandom(stream: string): Random {
  return seededRandom(`kata-variant:${VARIANT}:${stream}`);
}

/** The variant-0 value the README shows, or `make`'s value for any other variant. */
export function byVariant<T>(stream: string, atZero: T, make: (random: Random, variant: number) => T): T {
  return VARIANT === 0 ? atZero : make(variantRandom(stream), VARIANT);
}

/** A float in [low, high). */
export function uniformIn(random: Random, low: number, high: number): number {
  return low + (high - low) * random();
}

/** A whole number in [low, high], both included. */
export function integerIn(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}
