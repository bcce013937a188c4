/**
 * lib/adam-update.js: Adam's update in one pass per variable is tfjs' own update, bit
 * for bit, on the backends it is installed for (cpu, wasm), and hands everything else to
 * tfjs. Checked in a child process per backend, whatever KATA_BACKEND says: variables,
 * both moments and the accumulated betas after many steps of both updates from the same
 * start (gradients large and small, default and other hyperparameters, a learning rate
 * changed between steps as the katas' schedules do, gradients as a map and as a list,
 * a variable without a gradient), model.fit's losses and weights, no tensor left behind,
 * and tfjs' own errors for a variable it does not know and for a disposed optimizer.
 */
import { childReport } from './support/child-report';

const CHILD = `
const { loadTf } = require('./lib/load-tf');
const { adamUpdatesInOnePass } = require('./lib/adam-update');
const { tf } = loadTf();
const ours = tf.AdamOptimizer.prototype.applyGradients;
const theirs = ours.tfjsApplyGradients;
let seed = 3;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
const bits = (values) => Buffer.from(new Float32Array(values).buffer).toString('base64');
let names = 0;

/** Many steps of one update from a fixed start: every number the optimizer and its variables hold, as bits. */
function steps(update, { learningRate, beta1, beta2, epsilon, asList }) {
  seed = 3;
  const shapes = [[32, 32], [32], [1, 1], [5, 7], [3]];
  const variables = shapes.map((shape) => {
    const start = tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, random), shape);
    const variable = tf.variable(start, true, 'v' + names++);
    start.dispose();
    return variable;
  });
  const optimizer = tf.train.adam(learningRate, beta1, beta2, epsilon);
  for (let step = 0; step < 80; step++) {
    if (step === 40) optimizer.learningRate = learningRate / 3;
    const scale = step % 7 === 0 ? 1e3 : step % 5 === 0 ? 1e-6 : 1;
    // The last variable gets no gradient every third step: its moments are made, not updated.
    const given = variables.filter((v, i) => i !== variables.length - 1 || step % 3 !== 0);
    const gradients = given.map((v) => ({ name: v.name, tensor: tf.tensor(Array.from({ length: v.size }, () => random() * scale), v.shape) }));
    update.call(optimizer, asList ? gradients : Object.fromEntries(gradients.map((g) => [g.name, g.tensor])));
    tf.dispose(gradients.map((g) => g.tensor));
  }
  const held = [
    ...variables.map((v) => v.dataSync()),
    ...optimizer.accumulatedFirstMoment.map((m) => m.variable.dataSync()),
    ...optimizer.accumulatedSecondMoment.map((m) => m.variable.dataSync()),
    optimizer.accBeta1.dataSync(),
    optimizer.accBeta2.dataSync(),
    [optimizer.iterations],
  ].map(bits);
  tf.dispose(variables);
  optimizer.dispose();
  return held;
}

/** A small ReLU network fitted with Adam: the losses of every epoch and the final weights, as bits. */
async function fitted(update) {
  const saved = tf.AdamOptimizer.prototype.applyGradients;
  tf.AdamOptimizer.prototype.applyGradients = update;
  try {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 16, activation: 'relu', inputShape: [1], kernelInitializer: tf.initializers.heNormal({ seed: 5 }) }), tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.heNormal({ seed: 6 }) })] });
    model.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError' });
    const xs = tf.tidy(() => tf.linspace(-1, 1, 200).reshape([200, 1]));
    const ys = xs.square();
    const history = await model.fit(xs, ys, { epochs: 15, batchSize: 32, shuffle: false, verbose: 0 });
    const result = [bits(history.history.loss), ...model.getWeights().map((w) => bits(w.dataSync()))];
    tf.dispose([xs, ys]);
    model.optimizer.dispose();
    model.dispose();
    return result;
  } finally {
    tf.AdamOptimizer.prototype.applyGradients = saved;
  }
}

(async () => {
  const settings = [{ learningRate: 0.02 }, { learningRate: 0.07, beta1: 0.8, beta2: 0.95, epsilon: 1e-4 }, { learningRate: 1e-3, asList: true }];
  const before = tf.memory().numTensors;
  const comparisons = settings.map((setting) => {
    const a = steps(theirs, setting), b = steps(ours, setting);
    return { setting: JSON.stringify(setting), numbers: a.length, differing: a.filter((x, i) => x !== b[i]).length };
  });
  const [a, b] = [await fitted(theirs), await fitted(ours)];
  comparisons.push({ setting: 'model.fit', numbers: a.length, differing: a.filter((x, i) => x !== b[i]).length });
  const leaked = tf.memory().numTensors - before;
  let unknown;
  try { tf.train.adam(0.1).applyGradients({ 'no such variable': tf.scalar(1) }); } catch (error) { unknown = String(error.message); }
  // An optimizer used again after its disposal (shared by models, one disposed): tfjs' own error, which kata 04's message recognises.
  const afterDisposal = [theirs, ours].map((update) => {
    const variable = tf.variable(tf.zeros([3]));
    const gradient = tf.ones([3]);
    const optimizer = tf.train.adam(0.1);
    update.call(optimizer, { [variable.name]: gradient });
    optimizer.dispose();
    try { update.call(optimizer, { [variable.name]: gradient }); return 'no error'; } catch (error) { return String(error); } finally { tf.dispose([variable, gradient]); }
  });
  console.log(JSON.stringify({ backend: tf.getBackend(), installed: adamUpdatesInOnePass(tf), comparisons, leaked, unknown, afterDisposal }));
})();
`;

interface ChildReport {
  backend: string;
  installed: boolean;
  comparisons: { setting: string; numbers: number; differing: number }[];
  leaked: number;
  unknown?: string;
  /** tfjs' own update, then this one, called on a disposed optimizer: what each threw. */
  afterDisposal: [string, string];
}

const runChild = (backend: string) => childReport<ChildReport>(CHILD, backend, 120_000);

describe.each(['cpu', 'wasm'])("Adam's one-pass update on the %s backend", (backend) => {
  let report: ChildReport;
  beforeAll(() => {
    report = runChild(backend);
  });

  test('is installed', () => {
    expect(report.backend).toBe(backend);
    expect(report.installed).toBe(true);
  });

  test("leaves every variable, moment and accumulator bit for bit where tfjs' own update does, model.fit included", () => {
    expect(report.comparisons.map((c) => c.setting)).toEqual(expect.arrayContaining(['model.fit']));
    for (const comparison of report.comparisons) expect(comparison.numbers).toBeGreaterThan(2);
    expect(report.comparisons.filter((c) => c.differing > 0)).toEqual([]);
  });

  test('leaves no tensor behind', () => {
    expect(report.leaked).toBe(0);
  });

  test("a variable tfjs does not know gets tfjs' own error", () => {
    expect(report.unknown).toBeDefined();
  });

  test("a disposed optimizer gets tfjs' own error", () => {
    const [theirs, ours] = report.afterDisposal;
    expect(theirs).not.toBe('no error');
    expect(ours).toBe(theirs);
  });
});
