/**
 * The one place katas, solutions and tests get TensorFlow.js from.
 * lib/load-tf.js picks the backend; under jest, test/support/tf-environment.js
 * has already loaded it outside the sandbox and handed it over as __KATA_TF__.
 */
import { describeBackend, type LoadedTf, loadTf } from './load-tf';
import { withSeededMathRandom } from './random';

const handedOver = (globalThis as { __KATA_TF__?: LoadedTf }).__KATA_TF__;
const loaded: LoadedTf = handedOver ?? loadTf();

export const tf = loaded.tf;
export const backend = loaded.choice;
export const backendDescription = (): string => describeBackend(backend);

/** Parses JSON into objects tfjs accepts as its own (see LoadedTf.hostJson). */
export function parseJsonForTf(text: string): unknown {
  return loaded.hostJson.parse(text) as unknown;
}

/**
 * Runs `fn` (a model.fit) with tfjs' Math.random seeded, so that fit's
 * `shuffle: true` repeats from run to run. tfjs offers no seed for it.
 */
export function withSeededShuffling<T>(seed: number | string, fn: () => Promise<T>): Promise<T> {
  return withSeededMathRandom(seed, fn, loaded.hostMath);
}
