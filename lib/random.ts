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
 * Runs `fn` with `math.random` replaced by a seeded generator, then restores it.
 * Await the returned promise before starting another seeded run: Math.random
 * is shared process state. (lib/tf.ts uses this to seed tfjs' shuffling.)
 */
export async function withSeededMathRandom<T>(seed: number | string, fn: () => Promise<T>, math: Math = Math): Promise<T> {
  const original = math.random;
  math.random = seededRandom(`math-random:${String(seed)}`);
  try {
    return await fn();
  } finally {
    math.random = original;
  }
}
