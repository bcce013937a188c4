'use strict';
/**
 * Makes TensorFlow.js' WebAssembly backend ready synchronously, so that
 * `lib/tf.ts` stays usable at import time on every backend (katas and tests
 * use `tf` without awaiting tf.ready()).
 *
 * @tensorflow/tfjs-backend-wasm registers 'wasm' with an async factory: it
 * awaits feature flags and WebAssembly.instantiate. In Node nothing of that
 * needs to wait: the .wasm file is on disk and V8 compiles it synchronously
 * (new WebAssembly.Module). This builds the same Emscripten module the
 * package's own init() builds (its wasm-out/ factory, SIMD binary when V8
 * has SIMD, single-threaded as the package itself is in Node), hands the
 * instance over through Emscripten's documented `instantiateWasm` hook, and
 * registers the package's BackendWasm with a factory that returns at once;
 * tfjs' engine then switches backends synchronously, as it does for cpu.
 * Plain JavaScript: lib/load-tf.js loads it outside jest's sandbox.
 */
const fs = require('node:fs');
const path = require('node:path');

/** wasm-feature-detect's SIMD probe, the one tfjs' WASM_HAS_SIMD_SUPPORT flag uses. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11]);

/** Emscripten adds process listeners that rethrow every uncaught error; tfjs removes them only on dispose. */
function withoutNewProcessListeners(build) {
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = Object.fromEntries(events.map((event) => [event, process.listeners(event)]));
  try {
    return build();
  } finally {
    for (const event of events) for (const listener of process.listeners(event)) if (!before[event].includes(listener)) process.removeListener(event, listener);
  }
}

/** The Emscripten module of tfjs-backend-wasm, instantiated synchronously; what its init() resolves to. */
function wasmModule() {
  const factoryFile = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.js');
  const binary = path.join(path.dirname(factoryFile), WebAssembly.validate(SIMD_PROBE) ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm');
  const factory = require(factoryFile);
  const emscripten = {
    instantiateWasm(imports, receiveInstance) {
      const compiled = new WebAssembly.Module(fs.readFileSync(binary));
      const instance = new WebAssembly.Instance(compiled, imports);
      receiveInstance(instance, compiled);
      return instance.exports;
    },
  };
  let aborted;
  emscripten.onAbort = (what) => (aborted = what);
  withoutNewProcessListeners(() => factory(emscripten));
  if (aborted !== undefined || typeof emscripten.cwrap !== 'function') throw new Error(`the WebAssembly module did not start (${String(aborted ?? 'no runtime')})`);
  // The bridge tfjs-backend-wasm's init() adds (same names, same signatures).
  emscripten.tfjs = {
    init: emscripten.cwrap('init', null, []),
    initWithThreadsCount: emscripten.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: emscripten.cwrap('get_threads_count', 'number', []),
    registerTensor: emscripten.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: emscripten.cwrap('dispose_data', null, ['number']),
    dispose: emscripten.cwrap('dispose', null, []),
  };
  return emscripten;
}

/** Switches `tf` (the @tensorflow/tfjs namespace) to the wasm backend, synchronously; throws if it cannot. */
function useWasmBackend(tf) {
  const { BackendWasm } = require('@tensorflow/tfjs-backend-wasm');
  const backend = new BackendWasm(wasmModule());
  // Before the backend is set up: training's products with a transposed operand through XNNPACK (lib/wasm-matmul.js).
  require('./wasm-matmul').routeTransposedMatMulsToXnnpack(tf);
  if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => backend, 2);
  void tf.setBackend('wasm');
  if (tf.getBackend() !== 'wasm') throw new Error('tfjs did not switch to the wasm backend');
}

module.exports = { useWasmBackend };
