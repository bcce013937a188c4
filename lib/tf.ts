/**
 * The one place that loads TensorFlow.js.
 *
 * `@tensorflow/tfjs-node` (native libtensorflow) is an optional dependency:
 * its install step downloads libtensorflow, which fails on machines without
 * internet access, and npm then drops it. So we try it first and fall back
 * to `@tensorflow/tfjs` with the pure-JavaScript CPU backend, which every
 * test must pass on. Set KATA_BACKEND=cpu to force the fallback.
 */
import type * as TF from '@tensorflow/tfjs';
import { type BackendChoice, describeBackend, firstLine, nativeWanted } from './backend';

function load(): { tf: typeof TF; choice: BackendChoice } {
  let fallbackReason = 'KATA_BACKEND=cpu';
  if (nativeWanted()) {
    try {
      // require(), not import: the package may be absent or its binding missing.
      const tf = require('@tensorflow/tfjs-node') as typeof TF;
      tf.enableProdMode();
      return { tf, choice: { name: 'tensorflow' } };
    } catch (error) {
      fallbackReason = `@tensorflow/tfjs-node is not usable (${firstLine(error)})`;
    }
  }
  const tf = require('@tensorflow/tfjs') as typeof TF;
  // Prod mode silences tfjs' "install the node backend" banner, which would
  // otherwise print once per test file; the backend is reported once per run.
  tf.enableProdMode();
  void tf.setBackend('cpu'); // the CPU backend initialises synchronously
  return { tf, choice: { name: 'cpu', fallbackReason } };
}

const loaded = load();

export const tf: typeof TF = loaded.tf;
export const backend: BackendChoice = loaded.choice;
export const backendDescription = (): string => describeBackend(backend);
