/**
 * Kata 06's mutation cases (npm run check:mutants -- --kata 06): wrong
 * solutions, each rejected by the test named in `failing`, and valid
 * alternatives that pass everything, under several variants.
 */
import type { MutantCase } from './types';

const readLine = "  return { square: w2, linear: TRAINING_RANGE * w1, bias: TRAINING_RANGE ** 2 * b };";
const predictBody = `  const features = featurize(xs);
  return tf.tidy(() => {
    const scaled = model.predict(tf.tensor2d(features, [xs.length, 2])) as Tensor;
    return Array.from(scaled.mul(TRAINING_RANGE ** 2).dataSync());
  });`;
const labelsLine = 'const labels = tf.tensor2d(ys.map((y) => y / TRAINING_RANGE ** 2), [ys.length, 1]);';
const networkGaps = 'network: gaps((values) => predictValues(network, values))';

const wrong: MutantCase[] = [
  // ---- wrong: task 1
  { name: 'featurize-square-unscaled', kind: 'wrong', class: 'wrong-logic', failing: 'task 1:', why: 'the second feature is x² / R instead of (x / R)²', edits: [{ find: 'return [u, u * u];', replace: 'return [u, (x * x) / TRAINING_RANGE];' }] },
  { name: 'featurize-swapped', kind: 'wrong', class: 'wrong-logic', failing: 'task 1:', why: 'rows are [u², u]', edits: [{ find: 'return [u, u * u];', replace: 'return [u * u, u];' }] },
  // ---- wrong: task 2
  { name: 'build-relu', kind: 'wrong', class: 'wrong-logic', failing: 'task 2:', why: 'a relu activation: cannot output a negative value', edits: [{ find: "units: 1, inputShape: [2],", replace: "units: 1, inputShape: [2], activation: 'relu'," }] },
  { name: 'build-unseeded', kind: 'wrong', class: 'wrong-logic', failing: 'task 2:', why: 'the initializer has no seed: two builds differ', edits: [{ find: 'glorotUniform({ seed: 6 })', replace: 'glorotUniform({})' }] },
  // ---- wrong: task 3
  { name: 'train-hard-coded', kind: 'wrong', class: 'hard-coded', failing: 'task 3:', why: 'returns the x² answer without training', edits: [{ find: '    const history = await model.fit(features, labels, { epochs, batchSize: xs.length, shuffle: false, verbose: 0 });\n    return { model, losses: history.history.loss as number[] };', replace: "    model.setWeights([tf.tensor2d([[0], [1]]), tf.tensor1d([0])]);\n    return { model, losses: Array.from({ length: epochs }, (_, i) => 1 / (i + 1)) };" }] },
  { name: 'train-hard-coded-variant-0', kind: 'wrong', class: 'hard-coded', failing: 'task 3:', variant: 3, why: "sets the README's quadratic (0.5x² - 20x + 300) whenever labels are given: right at variant 0 only", edits: [{ find: '    const history = await model.fit(features, labels, { epochs, batchSize: xs.length, shuffle: false, verbose: 0 });\n    return { model, losses: history.history.loss as number[] };', replace: "    const given = options.ys !== undefined;\n    model.setWeights([tf.tensor2d(given ? [[-0.4], [0.5]] : [[0], [1]]), tf.tensor1d([given ? 0.12 : 0])]);\n    return { model, losses: Array.from({ length: epochs }, (_, i) => 1 / (i + 1)) };" }] },
  { name: 'train-ignores-labels', kind: 'wrong', class: 'hidden-by-data', failing: 'task 3:', why: 'always trains on x², whatever ys it is given', edits: [{ find: labelsLine, replace: 'const labels = tf.tensor2d(xs.map((x) => (x * x) / TRAINING_RANGE ** 2), [ys.length, 1]);' }] },
  { name: 'train-ignores-epochs', kind: 'wrong', class: 'option-ignored', failing: 'task 3:', why: 'always trains EPOCHS epochs', edits: [{ find: '{ epochs, batchSize: xs.length', replace: '{ epochs: EPOCHS, batchSize: xs.length' }] },
  { name: 'train-labels-unscaled', kind: 'wrong', class: 'wrong-logic', failing: 'task 3:', why: 'labels are raw y while the features are scaled: the weights come out R² too big', edits: [{ find: labelsLine, replace: 'const labels = tf.tensor2d(ys, [ys.length, 1]);' }] },
  { name: 'train-too-short', kind: 'wrong', class: 'wrong-logic', failing: 'task 3:', why: '40 epochs: stops before the weights converge', edits: [{ find: 'export const EPOCHS = 300;', replace: 'export const EPOCHS = 40;' }] },
  { name: 'train-leaks', kind: 'wrong', class: 'leak', failing: 'task 3:', why: 'never disposes the feature and label tensors', edits: [{ find: '    tf.dispose([features, labels]);', replace: '    void labels;' }] },
  // ---- wrong: task 4
  { name: 'read-linear-unscaled', kind: 'wrong', class: 'hidden-by-data', failing: 'task 4:', why: 'linear = w1, forgetting the factor R (zero on x² data)', edits: [{ find: readLine, replace: '  return { square: w2, linear: w1, bias: TRAINING_RANGE ** 2 * b };' }] },
  { name: 'read-bias-unscaled', kind: 'wrong', class: 'hidden-by-data', failing: 'task 4:', why: 'bias = b, forgetting the factor R² (zero on x² data)', edits: [{ find: readLine, replace: '  return { square: w2, linear: TRAINING_RANGE * w1, bias: b };' }] },
  { name: 'read-hard-coded', kind: 'wrong', class: 'hard-coded', failing: 'task 4:', why: 'returns x²\'s coefficients 1, 0, 0', edits: [{ find: readLine, replace: '  void [w1, w2, b];\n  return { square: 1, linear: 0, bias: 0 };' }] },
  // ---- wrong: task 5
  { name: 'predict-hard-coded', kind: 'wrong', class: 'hard-coded', failing: 'task 5:', why: 'returns x·x', edits: [{ find: predictBody, replace: '  void [model, tf];\n  return xs.map((x) => x * x);' }] },
  { name: 'predict-no-unscale', kind: 'wrong', class: 'wrong-logic', failing: 'task 5:', why: 'forgets to multiply by R²', edits: [{ find: 'scaled.mul(TRAINING_RANGE ** 2).dataSync()', replace: 'scaled.dataSync()' }] },
  { name: 'predict-raw-features', kind: 'wrong', class: 'wrong-logic', failing: 'task 5:', why: 'feeds [x, x²] instead of [u, u²]', edits: [{ find: '  const features = featurize(xs);\n  return tf.tidy', replace: '  const features = xs.map((x) => [x, x * x]);\n  return tf.tidy' }] },
  { name: 'predict-leaks', kind: 'wrong', class: 'leak', failing: 'task 5:', why: 'predicts outside tf.tidy and never disposes', edits: [{ find: predictBody, replace: '  const scaled = model.predict(tf.tensor2d(featurize(xs), [xs.length, 2])) as Tensor;\n  return Array.from(scaled.mul(TRAINING_RANGE ** 2).dataSync());' }] },
  // ---- wrong: task 6 (issue 12, claim 2: a network does not know that f(4) = f(-4))
  { name: 'mirror-network-knows-symmetry', kind: 'wrong', class: 'wrong-logic', failing: 'task 6:', why: 'the misconception: evaluates the network at |x| on both sides, as if it knew f(-x) = f(x)', edits: [{ find: networkGaps, replace: 'network: gaps((values) => predictValues(network, values.map(Math.abs)))' }] },
  { name: 'mirror-zeros', kind: 'wrong', class: 'hard-coded', failing: 'task 6:', why: 'returns 0 gaps: x² is symmetric, so the models must be', edits: [{ find: networkGaps, replace: 'network: xs.map(() => 0)' }] },
  { name: 'mirror-sum', kind: 'wrong', class: 'wrong-logic', failing: 'task 6:', why: 'f(x) + f(-x) instead of the difference', edits: [{ find: 'return right.map((value, i) => value - (left[i] as number));', replace: 'return right.map((value, i) => value + (left[i] as number));' }] },
  // ---- wrong: plot (gamed: only the plot asks for exactly these 31 points)
  { name: 'plot-missing-series', kind: 'wrong', class: 'plot', failing: 'plot:', why: 'the feature model\'s series is missing (NaN) from the plot', edits: [{ find: '  const features = featurize(xs);\n  return tf.tidy', replace: '  if (xs.length === 31) return xs.map(() => NaN);\n  const features = featurize(xs);\n  return tf.tidy' }] },
  { name: 'plot-wrong-curve', kind: 'wrong', class: 'plot', failing: 'plot:', why: 'the plotted feature model is off by 2% of x², a curve only the plot sees', edits: [{ find: '  const features = featurize(xs);\n  return tf.tidy', replace: '  if (xs.length === 31) return xs.map((x) => 1.02 * x * x + 1000);\n  const features = featurize(xs);\n  return tf.tidy' }] },

];

const valid: MutantCase[] = [
  { name: 'sgd-fast', kind: 'valid', why: 'SGD 0.8 (near the stability limit 2 / 2.25) for 150 epochs', edits: [{ find: 'export const LEARNING_RATE = 0.5;', replace: 'export const LEARNING_RATE = 0.8;' }, { find: 'export const EPOCHS = 300;', replace: 'export const EPOCHS = 150;' }] },
  { name: 'adam', kind: 'valid', file: 'adam.ts', why: 'Adam(0.02), 600 epochs, glorotNormal seeded otherwise' },
  { name: 'float32-tensors', kind: 'valid', file: 'float32-tensors.ts', why: 'every computation in float32 tensors: features, coefficients, predictions, gaps' },
  { name: 'plain-numbers', kind: 'valid', file: 'plain-numbers.ts', why: 'predictions and gaps from the coefficients in plain numbers; zero-initialised kernel' },
];

/** Each valid alternative passes at variant 0 and under two others. */
export const cases: MutantCase[] = [
  ...wrong,
  ...valid.flatMap((c) => [c, ...[5, 13].map((variant) => ({ ...c, name: `${c.name}-variant-${variant}`, variant }))]),
  {
    name: 'mirror-gaps-absolute',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'returns |f(x) - f(-x)|: the sizes of the gaps without their signs (passed the learner run while both hand-set gaps were positive; found by an adversarial review)',
    failing: 'task 6:',
    edits: [{ find: 'return right.map((value, i) => value - (left[i] as number));', replace: 'return right.map((value, i) => Math.abs(value - (left[i] as number)));' }],
  },
  {
    name: 'own-error-wording',
    kind: 'valid',
    why: 'refuses mismatched data and bad epochs with messages of its own wording (KataInputError, naming the argument and the value)',
    edits: [
      {
        find: "  assertPairs(xs, ys);\n  assertPositiveInteger('epochs', epochs);",
        replace: "  if (xs.length !== ys.length) throw new KataInputError(`trainFeatureModel: ${xs.length} xs but ${ys.length} ys.`);\n  if (!(Number.isInteger(epochs) && epochs > 0)) throw new KataInputError(`epochs = ${epochs}: pass a whole number of epochs, at least 1.`);",
      },
      { find: "import { assertFiniteNumbers, assertPairs, assertPositiveInteger } from '../../lib/validate';", replace: "import { assertFiniteNumbers, KataInputError } from '../../lib/validate';" },
    ],
  },
  {
    name: 'epochs-unchecked',
    kind: 'wrong',
    class: 'bad-input',
    why: 'does not check epochs: epochs 0 trains nothing and returns a model without a loss',
    failing: 'task 3: trainFeatureModel() refuses',
    message: /trainFeatureModel\(\{ epochs: 0 \}\) returned .* instead of throwing a KataInputError/,
    edits: [{ find: "  assertPositiveInteger('epochs', epochs);\n", replace: '' }],
  },
];
