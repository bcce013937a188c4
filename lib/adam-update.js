'use strict';
/**
 * Adam's update in one pass over each variable's numbers, bit for bit the update
 * tfjs' AdamOptimizer computes, on the backends where that is verified (cpu, wasm).
 *
 * Why: tfjs' applyGradients spends about fifteen kernel calls per variable per step
 * (mul, add, square, div, sqrt, each with a scalar tensor made from a number), and
 * for the small networks of these katas each call costs far more in bookkeeping than
 * in arithmetic: in a profile of the suite it was 4.1 s of CPU out of 30. Here each
 * variable is read once, updated in a JavaScript loop, and written back with one
 * tensor per updated variable.
 *
 * Bit for bit: every step is one float32 operation rounded as IEEE 754 rounds it
 * (Math.fround of the double result, which for +, -, ×, ÷ and √ of float32 numbers is
 * the correctly rounded float32 result), in tfjs' order; test/tools/adam-update.test.ts
 * compares every variable, moment and accumulator with tfjs' own update on both
 * backends. Anything this does not cover (another backend, other dtypes or shapes,
 * a variable tfjs does not know) goes to tfjs' own applyGradients, errors included.
 * Plain JavaScript: lib/load-tf.js installs it outside jest's sandbox.
 */

/** Where the bit-for-bit equality is tested; a native backend's kernels may round otherwise. */
const VERIFIED_BACKENDS = new Set(['cpu', 'wasm']);

const f32 = Math.fround;

/** The variables' names and their gradients, as tfjs' applyGradients reads them (a list or a map). */
function namedGradients(variableGradients) {
  return Array.isArray(variableGradients)
    ? variableGradients.map((v) => ({ name: v.name, gradient: v.tensor }))
    : Object.keys(variableGradients).map((name) => ({ name, gradient: variableGradients[name] }));
}

const sameShape = (a, b) => a.length === b.length && a.every((d, i) => d === b[i]);
const isNumber = (x) => typeof x === 'number';

function installAdamUpdate(tf) {
  const proto = tf.AdamOptimizer.prototype;
  const original = proto.applyGradients;
  if (original.updatesInOnePass) return;

  /** Whether this call is one this module computes exactly; otherwise tfjs does. */
  function covered(optimizer, entries) {
    if (!VERIFIED_BACKENDS.has(tf.getBackend())) return false;
    if (![optimizer.learningRate, optimizer.beta1, optimizer.beta2, optimizer.epsilon].every(isNumber)) return false;
    // A disposed optimizer (shared by models, one of them disposed): tfjs' own error, which the katas' messages recognise.
    const state = [optimizer.accBeta1, optimizer.accBeta2, ...[...optimizer.accumulatedFirstMoment, ...optimizer.accumulatedSecondMoment].map((m) => m?.variable)];
    if (state.some((tensor) => tensor !== undefined && tensor.isDisposed)) return false;
    const variables = tf.engine().registeredVariables;
    return entries.every(({ name, gradient }) => {
      const value = variables[name];
      if (!value || value.isDisposed || value.dtype !== 'float32') return false;
      return gradient == null || (!gradient.isDisposed && gradient.dtype === 'float32' && sameShape(gradient.shape, value.shape));
    });
  }

  function applyGradients(variableGradients) {
    const entries = namedGradients(variableGradients);
    if (!covered(this, entries)) return original.call(this, variableGradients);
    const variables = tf.engine().registeredVariables;
    const beta1 = f32(this.beta1);
    const beta2 = f32(this.beta2);
    // tfjs multiplies by the scalars 1 - beta, -learningRate and adds epsilon, each made float32 from a double.
    const keep1 = f32(1 - this.beta1);
    const keep2 = f32(1 - this.beta2);
    const epsilon = f32(this.epsilon);
    const step = f32(-this.learningRate);
    const accBeta1 = this.accBeta1.dataSync()[0];
    const accBeta2 = this.accBeta2.dataSync()[0];
    const unbias1 = f32(1 - accBeta1);
    const unbias2 = f32(1 - accBeta2);
    tf.tidy(() => {
      entries.forEach(({ name, gradient }, i) => {
        const value = variables[name];
        // The moments as tfjs makes them: zeros, not trainable, named after the variable.
        this.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        this.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        if (gradient == null) return;
        const firstMoment = this.accumulatedFirstMoment[i].variable;
        const secondMoment = this.accumulatedSecondMoment[i].variable;
        const g = gradient.dataSync();
        const m = firstMoment.dataSync();
        const v = secondMoment.dataSync();
        const w = value.dataSync();
        const n = w.length;
        const newM = new Float32Array(n);
        const newV = new Float32Array(n);
        const newW = new Float32Array(n);
        for (let k = 0; k < n; k++) {
          // add(mul(m, beta1), mul(g, 1 - beta1)), add(mul(v, beta2), mul(square(g), 1 - beta2))
          const mk = f32(f32(m[k] * beta1) + f32(g[k] * keep1));
          const vk = f32(f32(v[k] * beta2) + f32(f32(g[k] * g[k]) * keep2));
          // add(mul(div(m / (1 - accBeta1), add(sqrt(v / (1 - accBeta2)), epsilon)), -learningRate), value)
          const mHat = f32(mk / unbias1);
          const vHat = f32(vk / unbias2);
          newM[k] = mk;
          newV[k] = vk;
          newW[k] = f32(f32(f32(mHat / f32(f32(Math.sqrt(vHat)) + epsilon)) * step) + w[k]);
        }
        firstMoment.assign(tf.tensor(newM, value.shape, 'float32'));
        secondMoment.assign(tf.tensor(newV, value.shape, 'float32'));
        value.assign(tf.tensor(newW, value.shape, 'float32'));
      });
      this.accBeta1.assign(tf.scalar(f32(accBeta1 * beta1)));
      this.accBeta2.assign(tf.scalar(f32(accBeta2 * beta2)));
    });
    this.incrementIterations();
  }
  applyGradients.updatesInOnePass = true;
  // tfjs' own, for the test that compares the two.
  applyGradients.tfjsApplyGradients = original;
  proto.applyGradients = applyGradients;
}

/** Puts tfjs' own update back (the benchmark's unit of speed must be the same work whatever this repository speeds up). */
function uninstallAdamUpdate(tf) {
  const proto = tf.AdamOptimizer.prototype;
  if (proto.applyGradients.updatesInOnePass) proto.applyGradients = proto.applyGradients.tfjsApplyGradients;
}

/** Whether tf's Adam updates through this module. */
const adamUpdatesInOnePass = (tf) => Boolean(tf.AdamOptimizer.prototype.applyGradients.updatesInOnePass);

module.exports = { installAdamUpdate, uninstallAdamUpdate, adamUpdatesInOnePass };
