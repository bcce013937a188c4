'use strict';
/**
 * Matrix products with a transposed operand, on the wasm backend, through XNNPACK.
 *
 * tfjs-backend-wasm 4.22 sends a BatchMatMul to XNNPACK's vectorised kernel only
 * when neither operand is transposed; with transposeA or transposeB it runs a scalar
 * triple loop (batch_mat_mul_impl.cc, slow_batch_matmul). Training asks for exactly
 * those: the gradients of y = x·W are dy·Wᵀ and xᵀ·dy. In a profile of kata 03's tests
 * the backward products took 1.2 s of CPU, the forward ones (XNNPACK) 0.06 s.
 * This kernel transposes the operand first (the backend's own Transpose, a copy) and
 * hands the plain product to the backend's own BatchMatMul, which then takes the
 * XNNPACK path. Same product, float32 sums in XNNPACK's order.
 * Plain JavaScript: lib/load-wasm.js installs it outside jest's sandbox.
 */

/** The last two axes swapped: the permutation Transpose takes. */
function swapLastTwo(rank) {
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}

/** 1 for a matrix or a batch of one matrix: the only case the backend hands XNNPACK. */
const batchSize = (shape) => shape.slice(0, -2).reduce((a, b) => a * b, 1);

/** Replaces the wasm backend's BatchMatMul kernel; call before the backend is set up. */
function routeTransposedMatMulsToXnnpack(tf) {
  const original = tf.getKernel('BatchMatMul', 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!original || !transpose || original.kernelFunc.routesTransposedToXnnpack) return;
  const transposed = (info, backend) => transpose.kernelFunc({ inputs: { x: info }, backend, attrs: { perm: swapLastTwo(info.shape.length) } });
  function kernelFunc({ inputs, backend, attrs }) {
    const { a, b } = inputs;
    const { transposeA, transposeB } = attrs;
    const plainCase =
      (!transposeA && !transposeB) ||
      a.dtype !== 'float32' || b.dtype !== 'float32' ||
      a.shape.length < 2 || b.shape.length < 2 ||
      batchSize(a.shape) !== 1 || batchSize(b.shape) !== 1 ||
      a.shape.includes(0) || b.shape.includes(0);
    // Anything else (batches, other types, empty or ill-shaped operands) as the backend does it, errors included.
    if (plainCase) return original.kernelFunc({ inputs, backend, attrs });
    const aPlain = transposeA ? transposed(a, backend) : a;
    const bPlain = transposeB ? transposed(b, backend) : b;
    try {
      return original.kernelFunc({ inputs: { a: aPlain, b: bPlain }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      // The copies are this kernel's own: the engine never sees them.
      if (aPlain !== a) backend.disposeData(aPlain.dataId);
      if (bPlain !== b) backend.disposeData(bPlain.dataId);
    }
  }
  kernelFunc.routesTransposedToXnnpack = true;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...original, kernelFunc });
}

/** Whether the wasm backend's BatchMatMul is this module's. */
const routesTransposedMatMuls = (tf) => Boolean(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc.routesTransposedToXnnpack);

module.exports = { routeTransposedMatMulsToXnnpack, routesTransposedMatMuls };
