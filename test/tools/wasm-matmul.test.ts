/**
 * lib/wasm-matmul.js: on the wasm backend, matrix products with a transposed operand go
 * through XNNPACK (the backend's own kernel for plain products) instead of its scalar
 * loop. Checked in a child process on the wasm backend whatever KATA_BACKEND says: the
 * route is installed, every combination of transposes and shapes gives the product
 * (float64 reference, float32 rounding), gradients included, errors stay tfjs' own, and
 * nothing is left allocated.
 */
import { childReport } from './support/child-report';

/** Runs in the child: products and gradients on wasm against float64, and the backend's allocations. */
const CHILD = `
const { loadTf } = require('./lib/load-tf');
const { routesTransposedMatMuls } = require('./lib/wasm-matmul');
const { tf } = loadTf();
let seed = 7;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
const filled = (shape) => Array.from({ length: shape.reduce((a, b) => a * b, 1) }, random);
/** C = op(A)·op(B) for one matrix each, float64; rows-major arrays. */
function product(a, [ar, ac], ta, b, [br, bc], tb) {
  const at = (i, k) => (ta ? a[k * ac + i] : a[i * ac + k]);
  const bt = (k, j) => (tb ? b[j * bc + k] : b[k * bc + j]);
  const m = ta ? ac : ar, n = tb ? br : bc, inner = ta ? ar : ac;
  const out = [], scale = [];
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let sum = 0, size = 0;
    for (let k = 0; k < inner; k++) { sum += at(i, k) * bt(k, j); size += Math.abs(at(i, k) * bt(k, j)); }
    out.push(sum); scale.push(size);
  }
  return { out, scale };
}
/** Worst |wasm - float64| relative to the sum of |terms| (float32 rounding: about inner · 6e-8). */
function worst(got, { out, scale }) {
  let w = 0;
  out.forEach((v, i) => (w = Math.max(w, Math.abs(got[i] - v) / Math.max(scale[i], 1e-30))));
  return w;
}
const backend = tf.engine().backend;
const before = { tensors: tf.memory().numTensors, data: backend.numDataIds() };
const cases = [];
for (const [ar, ac, br, bc] of [[256, 32, 32, 16], [1, 7, 7, 5], [300, 1, 1, 32], [5, 300, 300, 3]]) {
  for (const ta of [false, true]) for (const tb of [false, true]) {
    const aShape = ta ? [ac, ar] : [ar, ac], bShape = tb ? [bc, br] : [br, bc];
    const a = filled(aShape), b = filled(bShape);
    const expected = product(a, aShape, ta, b, bShape, tb);
    const got = tf.tidy(() => tf.matMul(tf.tensor2d(a, aShape), tf.tensor2d(b, bShape), ta, tb).dataSync());
    // The batched form of the same matrices: rank 3, batch of one, goes through the route too.
    const got3 = tf.tidy(() => tf.matMul(tf.tensor3d(a, [1, ...aShape]), tf.tensor3d(b, [1, ...bShape]), ta, tb).dataSync());
    cases.push({ what: aShape + (ta ? 'ᵀ' : '') + ' · ' + bShape + (tb ? 'ᵀ' : ''), error: Math.max(worst(got, expected), worst(got3, expected)) });
  }
}
// A batch of two (the backend's own loop, untouched) and the gradients of y = x·W (dy·Wᵀ, xᵀ·dy).
{
  const a = filled([2, 3, 4]), b = filled([2, 5, 4]);
  const got = tf.tidy(() => tf.matMul(tf.tensor3d(a, [2, 3, 4]), tf.tensor3d(b, [2, 5, 4]), false, true).dataSync());
  let error = 0;
  for (let batch = 0; batch < 2; batch++) error = Math.max(error, worst(got.slice(batch * 15, batch * 15 + 15), product(a.slice(batch * 12, batch * 12 + 12), [3, 4], false, b.slice(batch * 20, batch * 20 + 20), [5, 4], true)));
  cases.push({ what: 'batch of two, Bᵀ', error });
}
{
  const x = filled([64, 8]), w = filled([8, 3]), dy = filled([64, 3]);
  const [dx, dw] = tf.tidy(() => tf.grads((xs, ws) => tf.matMul(xs, ws))([tf.tensor2d(x, [64, 8]), tf.tensor2d(w, [8, 3])], tf.tensor2d(dy, [64, 3])).map((g) => g.dataSync()));
  cases.push({ what: 'gradient dy·Wᵀ', error: worst(dx, product(dy, [64, 3], false, w, [8, 3], true)) });
  cases.push({ what: 'gradient xᵀ·dy', error: worst(dw, product(x, [64, 8], true, dy, [64, 3], false)) });
}
let mismatch;
try { tf.tidy(() => tf.matMul(tf.ones([3, 4]), tf.ones([3, 4]), true, true)); } catch (error) { mismatch = String(error.message); }
const after = { tensors: tf.memory().numTensors, data: backend.numDataIds() };
console.log(JSON.stringify({ backend: tf.getBackend(), routed: routesTransposedMatMuls(tf), cases, mismatch, before, after }));
`;

interface ChildReport {
  backend: string;
  routed: boolean;
  cases: { what: string; error: number }[];
  mismatch?: string;
  before: { tensors: number; data: number };
  after: { tensors: number; data: number };
}

const runChild = () => childReport<ChildReport>(CHILD, 'wasm', 60_000);

/** float32 rounding of the inputs and of sums of up to 300 terms, relative to the sum of the terms' magnitudes: measured at most 2.4e-7 (2026-12-07). */
const MAX_RELATIVE_ERROR = 1e-5;

describe('matrix products on the wasm backend', () => {
  let report: ChildReport;
  beforeAll(() => {
    report = runChild();
  });

  test('the backend is wasm and its BatchMatMul is the route to XNNPACK', () => {
    expect(report.backend).toBe('wasm');
    expect(report.routed).toBe(true);
  });

  test('every combination of transposes, shapes and batches gives the product, gradients included', () => {
    expect(report.cases.length).toBe(4 * 4 + 3);
    const wrong = report.cases.filter((c) => !(c.error <= MAX_RELATIVE_ERROR));
    expect(wrong).toEqual([]);
  });

  test("mismatched shapes still get tfjs' own error", () => {
    expect(report.mismatch).toMatch(/inner shapes/i);
  });

  test('nothing is left allocated: no tensor, no backend data', () => {
    expect(report.after).toEqual(report.before);
  });
});
