import type { MutantCase } from './types';

const PRODUCT_MERGE = 'const y = tf.layers.multiply().apply([f, g]) as SymbolicTensor;';
const SQUARE_MERGE = 'const y = tf.layers.multiply().apply([h, h]) as SymbolicTensor;';
const GATE = "const gate = tf.layers.dense({ units, activation: 'sigmoid', kernelInitializer: seeded(seed, 1) }).apply(u) as SymbolicTensor;";
const GATED_OUTPUT = 'const y = tf.layers.rescaling({ scale: TRAINING_RANGE ** 2 }).apply(readout) as SymbolicTensor;';
const SLOPES = `    const slope = tf.grad((x: Tensor) => (model.apply(x) as Tensor).sum())(tf.tensor2d(xs, [xs.length, 1]));
    return Array.from(slope.dataSync());`;
/** inputSlopes() as a central difference of predictions with step h (a wrong solution). */
const DIFFERENCE = (h: number) => `    const at = (shift: number) => (model.predict(tf.tensor2d(xs.map((x) => x + shift), [xs.length, 1])) as Tensor).dataSync();
    const [up, down] = [at(${h}), at(-${h})];
    return xs.map((_, i) => ((up[i] as number) - (down[i] as number)) / (2 * ${h}));`;

export const cases: MutantCase[] = [
  // Task 1: the product model.
  {
    name: 'sum-not-product', kind: 'wrong', class: 'wrong-logic', failing: 'task 1:',
    why: 'adds the two branches (tf.layers.add) instead of multiplying them: a straight line',
    edits: [{ find: PRODUCT_MERGE, replace: 'const y = tf.layers.add().apply([f, g]) as SymbolicTensor;' }],
  },
  {
    name: 'seed-ignored', kind: 'wrong', class: 'option-ignored', failing: 'task 1:',
    why: 'builds the product model from the fixed SEED whatever seed it is given',
    edits: [{ find: 'export function buildProductModel(seed: number = SEED): LayersModel {', replace: 'export function buildProductModel(_seed: number = SEED): LayersModel {\n  const seed = SEED;' }],
  },
  {
    name: 'product-starts-at-answer', kind: 'wrong', class: 'hard-coded', failing: 'task 1:',
    why: 'initialises the product model at a = c = 1, b = d = 0: x·x before any training, the same for every seed',
    edits: [{ find: 'const positive = (seed: number, branch: number) => tf.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: seed * 10 + branch });', replace: 'const positive = (_seed: number, _branch: number) => tf.initializers.ones();' }],
  },
  // Task 2: training.
  {
    name: 'too-few-epochs', kind: 'wrong', class: 'wrong-logic', failing: 'task 2: fitSquares() trains the product model',
    why: 'stops after 20 epochs, before the product has found x²',
    message: /EPOCHS = 20 is too few \(checked\)|Possible causes: labels other than x²/,
    edits: [{ find: 'export const EPOCHS = 200;', replace: 'export const EPOCHS = 20;' }],
  },
  {
    name: 'labels-not-squares', kind: 'wrong', class: 'wrong-logic', failing: 'task 2: fitSquares() trains the product model',
    why: 'trains on |x|·x instead of x·x, the sign lost',
    edits: [{ find: 'xs.map((x) => x * x), [xs.length, 1]', replace: 'xs.map((x) => x * Math.abs(x)), [xs.length, 1]' }],
  },
  {
    name: 'fit-sets-answer', kind: 'wrong', class: 'hard-coded', failing: 'task 2: fitSquares() trains the product model',
    why: 'sets the weights to x·x instead of training and reports zero losses',
    edits: [{
      find: '  const inputs = tf.tensor2d(xs, [xs.length, 1]);\n',
      replace: "  model.setWeights(model.getWeights().map((w, i) => tf.fill(w.shape, i % 2 === 0 ? 1 : 0)));\n  if (epochs > 2) return { losses: new Array<number>(epochs).fill(0) };\n  const inputs = tf.tensor2d(xs, [xs.length, 1]);\n",
    }],
  },
  {
    name: 'trains-on-readme-points', kind: 'wrong', class: 'hard-coded', failing: 'task 2: fitSquares() trains the product model', variant: 2,
    why: "ignores the xs it is given and trains on the README's -10..10: right under variant 0, caught under another",
    edits: [{ find: '  const inputs = tf.tensor2d(xs, [xs.length, 1]);\n  const labels = tf.tensor2d(xs.map((x) => x * x), [xs.length, 1]);', replace: '  const inputs = tf.tensor2d(XS, [XS.length, 1]);\n  const labels = tf.tensor2d(XS.map((x) => x * x), [XS.length, 1]);' }, { find: 'batchSize: xs.length,', replace: 'batchSize: XS.length,' }],
  },
  {
    name: 'epochs-ignored', kind: 'wrong', class: 'option-ignored', failing: 'task 2: fitSquares() honours',
    why: 'always trains EPOCHS epochs, whatever options.epochs says',
    edits: [{ find: 'const epochs = options.epochs ?? EPOCHS;', replace: 'const epochs = EPOCHS;' }],
  },
  {
    name: 'on-epoch-end-ignored', kind: 'wrong', class: 'option-ignored', failing: 'task 2: fitSquares() honours',
    why: 'never calls onEpochEnd',
    edits: [{ find: '      callbacks: { onEpochEnd: async (epoch, logs) => options.onEpochEnd?.(epoch, logs?.loss ?? NaN) },\n', replace: '' }],
  },
  {
    name: 'fit-leaks', kind: 'wrong', class: 'leak', failing: 'task 2: fitSquares() honours',
    why: 'never disposes the input and label tensors',
    edits: [{ find: '    tf.dispose([inputs, labels]);', replace: '    void labels;' }],
  },
  {
    name: 'fit-unchecked-input', kind: 'wrong', class: 'bad-input', failing: 'task 2: fitSquares() refuses',
    message: /fitSquares\(model, \[\]\) threw [\s\S]*(from inside TensorFlow.js|not a KataInputError)/,
    why: 'does not check xs, so empty data fails deep inside tfjs',
    edits: [{ find: "export async function fitSquares(model: LayersModel, xs: number[], options: FitOptions = {}): Promise<{ losses: number[] }> {\n  assertFiniteNumbers('xs', xs);", replace: 'export async function fitSquares(model: LayersModel, xs: number[], options: FitOptions = {}): Promise<{ losses: number[] }> {' }],
  },
  // Task 3: the gated model.
  {
    name: 'relu-gate', kind: 'wrong', class: 'wrong-logic', failing: 'task 3: buildGatedModel()',
    why: 'an unbounded ReLU where the sigmoid gate belongs',
    edits: [{ find: GATE, replace: GATE.replace("'sigmoid'", "'relu'") }],
  },
  {
    name: 'gated-without-output-scale', kind: 'wrong', class: 'wrong-logic', failing: 'task 3: buildGatedModel()',
    why: 'forgets the output scale: the readout cannot grow to 100 in the epochs given',
    edits: [{ find: GATED_OUTPUT, replace: 'const y = readout;' }],
  },
  {
    name: 'gate-multiplies-linear-branch', kind: 'wrong', class: 'wrong-logic', failing: 'task 3: outside its range',
    why: 'the sigmoid gate multiplies an unsquashed linear branch (the tanh layer is there but feeds the readout beside it): unbounded',
    edits: [{
      find: 'const h = tf.layers.multiply().apply([gate, candidate]) as SymbolicTensor;\n  const readout = tf.layers.dense({ units: 1, kernelInitializer: seeded(seed, 3) }).apply(h) as SymbolicTensor;',
      replace: "const linear = tf.layers.dense({ units, kernelInitializer: seeded(seed, 4) }).apply(u) as SymbolicTensor;\n  const h = tf.layers.concatenate().apply([tf.layers.multiply().apply([gate, linear]) as SymbolicTensor, candidate]) as SymbolicTensor;\n  const readout = tf.layers.dense({ units: 1, kernelInitializer: seeded(seed, 3) }).apply(h) as SymbolicTensor;",
    }],
  },
  {
    name: 'gated-plus-product', kind: 'wrong', class: 'hard-coded', failing: 'task 3: outside its range',
    why: 'adds an unbounded product of two linear branches to the gates, so the "gated" model is really x·x',
    edits: [{
      find: GATED_OUTPUT,
      replace: `const gates = tf.layers.rescaling({ scale: TRAINING_RANGE ** 2 }).apply(readout) as SymbolicTensor;
  const f = tf.layers.dense({ units: 1, kernelInitializer: seeded(seed, 4) }).apply(x) as SymbolicTensor;
  const g = tf.layers.dense({ units: 1, kernelInitializer: seeded(seed, 5) }).apply(x) as SymbolicTensor;
  const y = tf.layers.add().apply([gates, tf.layers.multiply().apply([f, g]) as SymbolicTensor]) as SymbolicTensor;`,
    }],
  },
  // Task 4: the square unit.
  {
    name: 'square-unit-relu', kind: 'wrong', class: 'wrong-logic', failing: 'task 4: buildSquareUnitModel()',
    why: 'a ReLU unit instead of the activation x·x',
    edits: [{ find: 'const h = tf.layers.dense({ units: 1, kernelInitializer: seeded(seed, 1) }).apply(x) as SymbolicTensor;\n  const y = tf.layers.multiply().apply([h, h]) as SymbolicTensor;', replace: "const y = tf.layers.dense({ units: 1, activation: 'relu', kernelInitializer: seeded(seed, 1) }).apply(x) as SymbolicTensor;" }],
  },
  {
    name: 'square-the-input', kind: 'wrong', class: 'wrong-logic', failing: 'task 4: buildSquareUnitModel()',
    why: 'squares the input and feeds a linear unit, w·x² + b (kata 06\'s feature), not the activation (w·x + b)²',
    edits: [{ find: 'const h = tf.layers.dense({ units: 1, kernelInitializer: seeded(seed, 1) }).apply(x) as SymbolicTensor;\n  const y = tf.layers.multiply().apply([h, h]) as SymbolicTensor;', replace: 'const squared = tf.layers.multiply().apply([x, x]) as SymbolicTensor;\n  const y = tf.layers.dense({ units: 1, kernelInitializer: seeded(seed, 1) }).apply(squared) as SymbolicTensor;' }],
  },
  {
    name: 'square-unit-is-product', kind: 'wrong', class: 'wrong-logic', failing: 'task 4: buildSquareUnitModel()',
    why: 'returns the four-parameter product model instead of one unit',
    edits: [{ find: 'export function buildSquareUnitModel(seed: number = SEED): LayersModel {', replace: 'export function buildSquareUnitModel(seed: number = SEED): LayersModel {\n  if (seed > -1) return buildProductModel(seed);' }],
  },
  // Task 5: slopes.
  {
    name: 'slopes-of-parabola', kind: 'wrong', class: 'hard-coded', failing: 'task 5:',
    why: "returns x²'s slope 2x instead of the model's",
    edits: [{ find: SLOPES, replace: '    return xs.map((x) => 2 * x);' }],
  },
  {
    name: 'slopes-by-differences', kind: 'wrong', class: 'wrong-logic', failing: 'task 5:',
    why: 'central differences with h = 1 instead of automatic differentiation: exact on a quadratic, off where the gated model bends',
    edits: [{ find: SLOPES, replace: '    const at = (d: number) => (model.predict(tf.tensor2d(xs.map((x) => x + d), [xs.length, 1])) as Tensor).dataSync();\n    const [right, left] = [at(1), at(-1)];\n    return xs.map((_, i) => ((right[i] as number) - (left[i] as number)) / 2);' }],
  },
  {
    name: 'slopes-leak', kind: 'wrong', class: 'leak', failing: 'task 5:',
    why: 'computes the slopes outside tf.tidy and leaves the tensors behind',
    edits: [{ find: '  return tf.tidy(() => {\n    const slope = tf.grad', replace: '  return (() => {\n    const slope = tf.grad' }, { find: '    return Array.from(slope.dataSync());\n  });', replace: '    return Array.from(slope.dataSync());\n  })();' }],
  },
  // Valid alternatives.
  // Found by an adversarial review (helper, 2026-11-28): each passed the tests before.
  {
    name: 'fit-then-sets-answer', kind: 'wrong', class: 'hard-coded', failing: 'task 2: fitSquares() trains the product model',
    why: 'trains and returns the real losses, then overwrites the weights with the exact answer (a = c = 1, b = d = 0, or w = 1, b = 0)',
    edits: [{
      find: '    return { losses: history.history.loss as number[] };',
      replace: `    const n = model.countParams();
    if (n === 4 || n === 2) {
      const exact = model.getWeights().map((w, i) => tf.fill(w.shape as number[], i % 2 === 0 ? 1 : 0));
      model.setWeights(exact);
      tf.dispose(exact);
    }
    return { losses: history.history.loss as number[] };`,
    }],
  },
  {
    name: 'slopes-by-careful-difference', kind: 'wrong', class: 'wrong-logic', failing: 'task 5:',
    why: 'a central difference of predictions with a step of 0.01, close enough on smooth models but not a derivative (the README asks for tf.grad)',
    edits: [{ find: SLOPES, replace: DIFFERENCE(0.01) }],
  },
  {
    name: 'slopes-by-tiny-difference', kind: 'wrong', class: 'wrong-logic', failing: 'task 5:',
    why: 'a central difference with a step of 2^-20, exact on piecewise-linear models, swamped by float32 rounding on steep ones',
    edits: [{ find: SLOPES, replace: DIFFERENCE(2 ** -20) }],
  },
  {
    name: 'epoch-end-after-fit', kind: 'wrong', class: 'option-ignored', failing: 'task 2: fitSquares() honours',
    why: 'calls onEpochEnd once per epoch but only after fit returns, with the epoch number where the loss belongs',
    edits: [
      { find: '      callbacks: { onEpochEnd: async (epoch, logs) => options.onEpochEnd?.(epoch, logs?.loss ?? NaN) },\n', replace: '' },
      { find: '    return { losses: history.history.loss as number[] };', replace: '    (history.history.loss as number[]).forEach((_, epoch) => options.onEpochEnd?.(epoch, epoch));\n    return { losses: history.history.loss as number[] };' },
    ],
  },
  {
    name: 'gated-ignores-units', kind: 'wrong', class: 'option-ignored', failing: 'task 3: buildGatedModel()',
    why: 'always builds GATE_UNITS gates, whatever units it is given',
    edits: [{ find: '  assertPositiveInteger(\'units\', units);\n', replace: '  assertPositiveInteger(\'units\', units);\n  units = GATE_UNITS;\n' }],
  },
  {
    name: 'gate-frozen-open', kind: 'wrong', class: 'wrong-logic', failing: 'task 3: buildGatedModel()',
    why: 'the sigmoid gate frozen fully open (zero kernel, bias 20, not trainable): nothing is gated, the tanh branch alone fits',
    edits: [{ find: GATE, replace: "const gate = tf.layers.dense({ units, activation: 'sigmoid', kernelInitializer: 'zeros', biasInitializer: tf.initializers.constant({ value: 20 }), trainable: false }).apply(u) as SymbolicTensor;" }],
  },
  {
    name: 'loss-function', kind: 'valid',
    why: "compiled with tfjs' own function tf.losses.meanSquaredError instead of the name 'meanSquaredError' (rejected before: the test matched the loss's source text)",
    edits: [{ find: "model.compile({ optimizer: tf.train.adam(LEARNING_RATE), loss: 'meanSquaredError' });", replace: 'model.compile({ optimizer: tf.train.adam(LEARNING_RATE), loss: tf.losses.meanSquaredError });' }],
  },
  {
    name: 'dot-product', kind: 'valid',
    why: 'multiplies the branches with tf.layers.dot (axes 1), which for two [n, 1] tensors is their product',
    edits: [{ find: PRODUCT_MERGE, replace: 'const y = tf.layers.dot({ axes: 1 }).apply([f, g]) as SymbolicTensor;' }],
  },
  {
    name: 'activation-layers', kind: 'valid',
    why: 'linear Dense layers followed by tf.layers.activation for the sigmoid and the tanh, the Keras way of writing Dense(activation=f)',
    edits: [
      { find: GATE, replace: "const gate = tf.layers.activation({ activation: 'sigmoid' }).apply(tf.layers.dense({ units, kernelInitializer: seeded(seed, 1) }).apply(u)) as SymbolicTensor;" },
      {
        find: "const candidate = tf.layers.dense({ units, activation: 'tanh', kernelInitializer: seeded(seed, 2) }).apply(u) as SymbolicTensor;",
        replace: "const candidate = tf.layers.activation({ activation: 'tanh' }).apply(tf.layers.dense({ units, kernelInitializer: seeded(seed, 2) }).apply(u)) as SymbolicTensor;",
      },
    ],
  },
  {
    name: 'independent', kind: 'valid',
    file: 'independent.ts',
    why: 'written apart from the reference, same recipe: a registered custom Square layer, losses collected in onEpochEnd, inputs validated by hand, slopes with tf.grad on model.predict',
  },
  {
    name: 'own-error-wording',
    kind: 'valid',
    why: 'refuses bad xs and epochs with messages of its own wording (KataInputError, naming the argument and the value)',
    edits: [
      {
        find: "export async function fitSquares(model: LayersModel, xs: number[], options: FitOptions = {}): Promise<{ losses: number[] }> {\n  assertFiniteNumbers('xs', xs);\n  const epochs = options.epochs ?? EPOCHS;\n  assertPositiveInteger('epochs', epochs);",
        replace: `export async function fitSquares(model: LayersModel, xs: number[], options: FitOptions = {}): Promise<{ losses: number[] }> {
  if (xs.length === 0) throw new KataInputError('fitSquares got no points to fit: xs = [].');
  const bad = xs.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new KataInputError(\`Point \${bad} of xs is \${xs[bad]}; fitSquares needs finite numbers.\`);
  const epochs = options.epochs ?? EPOCHS;
  if (!Number.isInteger(epochs) || epochs < 1) throw new KataInputError(\`Cannot train for epochs = \${epochs}.\`);`,
      },
      { find: "import { assertFiniteNumbers, assertPositiveInteger } from '../../lib/validate';", replace: "import { assertFiniteNumbers, assertPositiveInteger, KataInputError } from '../../lib/validate';" },
    ],
  },
  {
    name: 'gated-too-few-epochs', kind: 'wrong', class: 'wrong-logic', failing: 'task 3: buildGatedModel()',
    why: "issue 18's case: 30 epochs, too few for the gates (MSE 33 inside); the old message led with 'scale x into [-1, 1]', though the scaling was right",
    message: /Trained twice as long \(60 epochs\), the same start reaches MSE [\d.]+ inside the range: the gates need more epochs than EPOCHS = 30 \(checked\)[\s\S]*The input scaling is right/,
    edits: [{ find: 'export const EPOCHS = 200;', replace: 'export const EPOCHS = 30;' }],
  },
];
