'use strict';
/**
 * Loads TensorFlow.js once per process: `@tensorflow/tfjs-node` (native
 * libtensorflow) when it is installed and works, else `@tensorflow/tfjs` with
 * the pure-JavaScript CPU backend. KATA_BACKEND=cpu forces the fallback.
 *
 * Plain JavaScript on purpose: jest's test environment
 * (test/support/tf-environment.js) loads it OUTSIDE the test sandbox. Jest 30
 * routes every global lookup made inside the sandbox through a Proxy, which
 * made tfjs' CPU kernels about 6 times slower (kata 03 trained in 33 s instead of 5 s).
 */

/** @type {import('./load-tf').LoadedTf | undefined} */
let loaded;

function firstLine(error) {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}

/** @returns {import('./load-tf').LoadedTf} */
function loadTf() {
  if (loaded) return loaded;
  let fallbackReason = 'KATA_BACKEND=cpu';
  if (process.env.KATA_BACKEND !== 'cpu') {
    try {
      const tf = require('@tensorflow/tfjs-node');
      tf.enableProdMode();
      loaded = { tf, choice: { name: 'tensorflow' }, hostMath: Math, hostJson: JSON };
      return loaded;
    } catch (error) {
      fallbackReason = `@tensorflow/tfjs-node is not usable (${firstLine(error)})`;
    }
  }
  const tf = require('@tensorflow/tfjs');
  // Prod mode silences tfjs' "install the node backend" banner; the backend
  // is reported once per run instead (test/support/global-setup.ts).
  tf.enableProdMode();
  void tf.setBackend('cpu'); // the CPU backend initialises synchronously
  loaded = { tf, choice: { name: 'cpu', fallbackReason }, hostMath: Math, hostJson: JSON };
  return loaded;
}

/** @param {import('./load-tf').BackendChoice} choice */
function describeBackend(choice) {
  return choice.name === 'tensorflow'
    ? 'TensorFlow.js backend: tensorflow (native libtensorflow via @tensorflow/tfjs-node)'
    : `TensorFlow.js backend: cpu (pure JavaScript; ${choice.fallbackReason}). ` +
        'README, "Backends", says how to get the native one.';
}

module.exports = { loadTf, describeBackend };
