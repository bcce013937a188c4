'use strict';
/**
 * Loads TensorFlow.js once per process, on the backend KATA_BACKEND names:
 *   tensorflow  native libtensorflow (@tensorflow/tfjs-node, optional: its
 *               install downloads libtensorflow)
 *   wasm        WebAssembly (@tensorflow/tfjs-backend-wasm, the .wasm inside the package)
 *   cpu         pure JavaScript (@tensorflow/tfjs)
 *   auto        (the default) the first of those that loads, in that order
 * A backend named explicitly that cannot load is an error, never a silent
 * fallback: its numbers would not be the ones asked for. Every backend is
 * ready when this returns (the wasm one too: lib/load-wasm.js), so code
 * that imports lib/tf.ts never has to await tf.ready().
 *
 * Plain JavaScript on purpose: jest's test environment
 * (test/support/tf-environment.js) loads it OUTSIDE the test sandbox. Jest 30
 * routes every global lookup made inside the sandbox through a Proxy, which
 * made tfjs' CPU kernels about 6 times slower (kata 03 trained in 33 s instead of 5 s).
 */

/** Fastest first: the order `auto` tries (npm run bench -- --suite --backends cpu,wasm measures it). */
const BACKENDS = ['tensorflow', 'wasm', 'cpu'];

const WHAT = {
  tensorflow: 'native libtensorflow, @tensorflow/tfjs-node',
  wasm: 'WebAssembly, @tensorflow/tfjs-backend-wasm',
  cpu: 'pure JavaScript, @tensorflow/tfjs',
};

const LOADERS = {
  tensorflow() {
    // Importing it registers and selects its backend, 'tensorflow'.
    return require('@tensorflow/tfjs-node');
  },
  wasm() {
    const tf = require('@tensorflow/tfjs');
    require('./load-wasm').useWasmBackend(tf);
    return tf;
  },
  cpu() {
    const tf = require('@tensorflow/tfjs');
    void tf.setBackend('cpu'); // the CPU backend initialises synchronously
    return tf;
  },
};

/** @type {import('./load-tf').LoadedTf | undefined} */
let loaded;

function firstLine(error) {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}

/** @returns {import('./load-tf').BackendRequest} */
function requestedBackend(value = process.env.KATA_BACKEND) {
  const name = (value ?? '').trim().toLowerCase() || 'auto';
  if (name !== 'auto' && !BACKENDS.includes(name)) {
    throw new Error(`KATA_BACKEND=${value} is not a TensorFlow.js backend here: use ${BACKENDS.join(', ')} or auto (README, "Backends").`);
  }
  return name;
}

/** @returns {import('./load-tf').LoadedTf} */
function loadTf() {
  if (loaded) return loaded;
  const requested = requestedBackend();
  const candidates = requested === 'auto' ? BACKENDS : [requested];
  const skipped = [];
  for (const name of candidates) {
    let tf;
    try {
      tf = LOADERS[name]();
    } catch (error) {
      if (requested !== 'auto') {
        throw new Error(`KATA_BACKEND=${name}: the ${name} backend (${WHAT[name]}) does not load here: ${firstLine(error)}. README, "Backends", lists the others.`);
      }
      skipped.push(`${name}: ${firstLine(error)}`);
      continue;
    }
    // Prod mode silences tfjs' "install the node backend" banner and its debug
    // checks; the backend is reported once per run instead (describeBackend).
    tf.enableProdMode();
    // Adam's update in one pass per variable, bit for bit tfjs' own (lib/adam-update.js): a third less CPU for training.
    require('./adam-update').installAdamUpdate(tf);
    const why = requested === 'auto' ? (skipped.length ? `auto, the first that loads; skipped ${skipped.join('; ')}` : 'auto, the first that loads') : `KATA_BACKEND=${name}`;
    loaded = { tf, choice: { name, requested, why }, hostMath: Math, hostJson: JSON };
    return loaded;
  }
  throw new Error(`No TensorFlow.js backend loads here (${skipped.join('; ')}): run npm run setup again.`);
}

/** One line for the start of a run: which backend and why. */
function describeBackend(choice) {
  return `TensorFlow.js backend: ${choice.name} (${WHAT[choice.name]}; ${choice.why}). README, "Backends", says how to choose.`;
}

module.exports = { loadTf, describeBackend, requestedBackend, BACKENDS };
