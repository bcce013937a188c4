/**
 * Seeded randomness. Every random number in this project comes from here or
 * from a tfjs initializer given an explicit seed: same seed, same numbers.
 */
import seedrandom from 'seedrandom';

/** A generator of floats in [0, 1). `alea` is fast and seedrandom's recommended PRNG. */
export type Random = () => number;

export function seededRandom(seed: number | string): Random {
  const prng = seedrandom.alea(String(seed));
  return () => prng.double();
}

/**
 * Runs `fn` with Math.random replaced by a seeded generator, then restores it.
 *
 * tfjs' `model.fit({ shuffle: true })` shuffles with Math.random and offers no
 * seed; this makes its shuffling reproducible. Await the returned promise
 * before starting another seeded run: Math.random is shared process state.
 */
export async function withSeededMathRandom<T>(seed: number | string, fn: () => Promise<T>): Promise<T> {
  const original = Math.random;
  Math.random = seededRandom(`math-random:${String(seed)}`);
  try {
    return await fn();
  } finally {
    Math.random = original;
  }
}
