import type { MutantCase } from './types';

/** Kata 01's wrong solutions (each rejected by the named test) and valid alternatives (each passing every test). */
export const cases: MutantCase[] = [
  // --- wrong: mistakes the seed's symmetric data would hide --------------------------------
  {
    name: 'uncentred-variance',
    kind: 'wrong',
    class: 'hidden-by-data',
    why: 'divides by Σx² instead of Σ(x - mean x)²: right only when mean(x) = 0',
    failing: 'task 2: leastSquaresLine() is the least-squares line on asymmetric',
    edits: [{ find: 'varX += dx * dx;', replace: 'varX += (xs[i] as number) ** 2;' }],
  },
  {
    name: 'end-point-slope',
    kind: 'wrong',
    class: 'hidden-by-data',
    why: 'the slope of the line through the first and last points',
    failing: 'task 2: leastSquaresLine() is the least-squares line on asymmetric',
    edits: [
      {
        find: 'const slope = varX === 0 ? 0 : covXY / varX;',
        replace: 'const slope = varX === 0 ? 0 : ((ys[n - 1] as number) - (ys[0] as number)) / ((xs[n - 1] as number) - (xs[0] as number));',
      },
    ],
  },
  {
    name: 'intercept-is-mean-y',
    kind: 'wrong',
    class: 'hidden-by-data',
    why: 'intercept = mean(y), forgetting - slope · mean(x)',
    failing: 'task 2: leastSquaresLine() is the least-squares line on asymmetric',
    edits: [{ find: 'const intercept = meanY - slope * meanX;', replace: 'const intercept = meanY;' }],
  },
  {
    name: 'mse-over-n-minus-1',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'the sample variance of the residuals (n - 1) instead of their mean square',
    failing: 'task 2: leastSquaresLine() on the seed data',
    edits: [{ find: ', 0) / n;\n  return { slope, intercept, mse };', replace: ', 0) / (n - 1);\n  return { slope, intercept, mse };' }],
  },
  // --- wrong: hard-coded answers -----------------------------------------------------------
  {
    name: 'hard-coded-floor',
    kind: 'wrong',
    class: 'hard-coded',
    why: "returns 0, 770/21 and 1068.2 for the seed's 21 points, computes otherwise",
    failing: 'task 2: leastSquaresLine() on the seed data',
    variant: 3,
    edits: [
      {
        find: '  assertPairs(xs, ys);\n  const n = xs.length;',
        replace: '  assertPairs(xs, ys);\n  if (xs.length === 21 && ys[0] !== -2 * xs[0]!) return { slope: 0, intercept: 770 / 21, mse: 50666 / 21 - (770 / 21) ** 2 };\n  const n = xs.length;',
      },
    ],
  },
  {
    name: 'closed-form-instead-of-training',
    kind: 'wrong',
    class: 'hard-coded',
    why: 'sets the weights to the least-squares line and reports its MSE for every epoch, without training',
    failing: 'task 3: trainLinearModel() trains buildLinearModel(options)',
    edits: [
      {
        find: '    const history = await model.fit(x, y, { epochs, batchSize: xs.length, shuffle: false, verbose: 0 });\n    return { model, losses: history.history.loss as number[] };',
        replace:
          '    const line = leastSquaresLine(xs, ys);\n    model.setWeights([tf.tensor2d([line.slope], [1, 1]), tf.tensor1d([line.intercept])]);\n' +
          '    return { model, losses: Array.from({ length: epochs }, () => line.mse) };',
      },
    ],
  },
  {
    name: 'bias-travel-without-training',
    kind: 'wrong',
    class: 'hard-coded',
    why: 'returns epochs × learningRate, what the bias travel is on the seed data, without training',
    failing: 'task 5: measureBiasTravel() trains',
    edits: [{ find: '): Promise<number> {\n', replace: '): Promise<number> {\n  if (options.epochs > 0) return 0.997 * options.epochs * options.learningRate;\n' }],
  },
  {
    name: 'adam-bound-constant',
    kind: 'wrong',
    class: 'hard-coded',
    why: 'lr × 3.1623, the ratio for the default betas only',
    failing: "task 5: Adam's step is bounded",
    edits: [{ find: 'return learningRate * Math.max(1, (1 - beta1) / Math.sqrt(1 - beta2));', replace: 'return learningRate * 3.16227766 + 0 * beta1 * beta2;' }],
  },
  // --- wrong: plain mistakes ------------------------------------------------------------------
  {
    name: 'adam-bound-one-case',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'lr · (1 - beta1) / sqrt(1 - beta2) in both of the paper\'s cases',
    failing: "task 5: Adam's step is bounded",
    edits: [{ find: 'return learningRate * Math.max(1, (1 - beta1) / Math.sqrt(1 - beta2));', replace: 'return (learningRate * (1 - beta1)) / Math.sqrt(1 - beta2);' }],
  },
  {
    name: 'bias-travel-with-sgd',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'measures the bias travel with SGD(learningRate) instead of Adam',
    failing: "task 5: Adam's step is bounded",
    edits: [{ find: '    optimizer: tf.train.adam(options.learningRate),\n', replace: '    learningRate: options.learningRate,\n' }],
  },
  {
    name: 'too-few-epochs',
    kind: 'wrong',
    class: 'wrong-logic',
    why: '20 epochs of SGD(0.02): the bias is still far from the floor',
    failing: 'task 3: trained on x², the returned model reaches the floor',
    edits: [{ find: 'export const EPOCHS = 200;', replace: 'export const EPOCHS = 20;' }],
  },
  {
    name: 'last-loss-only',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'returns only the final loss instead of one per epoch',
    failing: 'task 3: trained on x², the returned model reaches the floor',
    edits: [{ find: 'return { model, losses: history.history.loss as number[] };', replace: 'return { model, losses: (history.history.loss as number[]).slice(-1) };' }],
  },
  {
    name: 'one-epoch-extra',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'fits epochs + 1 epochs',
    failing: 'task 3: trainLinearModel() trains buildLinearModel(options)',
    edits: [{ find: 'await model.fit(x, y, { epochs, ', replace: 'await model.fit(x, y, { epochs: epochs + 1, ' }],
  },
  {
    name: 'small-batches',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'batches of 4 points: several steps per epoch, not the seed\'s one full batch',
    failing: 'task 3: trainLinearModel() trains buildLinearModel(options)',
    edits: [{ find: 'batchSize: xs.length, shuffle: false', replace: 'batchSize: 4, shuffle: false' }],
  },
  // --- wrong: documented options ignored ----------------------------------------------------------
  {
    name: 'seed-ignored',
    kind: 'wrong',
    class: 'option-ignored',
    why: 'the kernel initializer always gets seed 1',
    failing: 'task 1:',
    edits: [{ find: 'glorotUniform({ seed: options.seed ?? 1 })', replace: 'glorotUniform({ seed: 1 })' }],
  },
  {
    name: 'optimizer-ignored',
    kind: 'wrong',
    class: 'option-ignored',
    why: 'always compiles with SGD, whatever options.optimizer says',
    failing: 'task 3: trainLinearModel() trains buildLinearModel(options)',
    edits: [{ find: 'optimizer: options.optimizer ?? tf.train.sgd(', replace: 'optimizer: tf.train.sgd(' }],
  },
  {
    name: 'learning-rate-ignored',
    kind: 'wrong',
    class: 'option-ignored',
    why: 'SGD with LEARNING_RATE, whatever options.learningRate says',
    failing: 'task 3: trainLinearModel() trains buildLinearModel(options)',
    edits: [{ find: 'tf.train.sgd(options.learningRate ?? LEARNING_RATE)', replace: 'tf.train.sgd(LEARNING_RATE)' }],
  },
  {
    name: 'trains-another-seed',
    kind: 'wrong',
    class: 'option-ignored',
    why: 'trainLinearModel passes seed + 1 on to buildLinearModel: training does not start where buildLinearModel(options) does',
    failing: 'task 3: trainLinearModel() trains buildLinearModel(options)',
    edits: [{ find: 'const model = buildLinearModel(options);', replace: 'const model = buildLinearModel({ ...options, seed: (options.seed ?? 1) + 1 });' }],
  },
  // --- wrong: leaks ------------------------------------------------------------------------------
  {
    name: 'training-tensors-kept',
    kind: 'wrong',
    class: 'leak',
    why: 'never disposes the x and y tensors it makes for fit',
    failing: 'tensors are disposed',
    edits: [{ find: '    x.dispose();\n    y.dispose();\n', replace: '' }],
  },
  {
    name: 'bias-travel-model-kept',
    kind: 'wrong',
    class: 'leak',
    why: 'measureBiasTravel never disposes the model it trained',
    failing: 'tensors are disposed',
    edits: [{ find: '  disposeModel(trained.model);\n  return Math.abs(bias);', replace: '  return Math.abs(bias);' }],
  },
  // --- wrong: plots --------------------------------------------------------------------------------
  {
    name: 'plot-line-missing',
    kind: 'wrong',
    class: 'plot',
    why: 'the returned model predicts NaN: the trained line is missing from the plot',
    failing: 'plot:',
    edits: [{ find: '    return { model, losses: history.history.loss as number[] };', replace: '    model.setWeights([tf.tensor2d([NaN], [1, 1]), tf.tensor1d([NaN])]);\n    return { model, losses: history.history.loss as number[] };' }],
  },
  {
    name: 'plot-line-undertrained',
    kind: 'wrong',
    class: 'plot',
    why: '28 epochs: the trained line sits at about 25 instead of 36.7',
    failing: 'plot:',
    edits: [{ find: 'export const EPOCHS = 200;', replace: 'export const EPOCHS = 28;' }],
  },
  {
    name: 'plot-line-tilted',
    kind: 'wrong',
    class: 'plot',
    why: 'the returned model has slope 1.5 instead of the flat floor line',
    failing: 'plot:',
    edits: [{ find: '    return { model, losses: history.history.loss as number[] };', replace: '    const [, bias] = model.getWeights();\n    model.setWeights([tf.tensor2d([1.5], [1, 1]), bias!]);\n    return { model, losses: history.history.loss as number[] };' }],
  },
  // --- valid alternatives ---------------------------------------------------------------------------
  {
    name: 'tensor-arithmetic',
    kind: 'valid',
    why: 'float32 tensors for the line, a hand-written loop with optimizer.minimize, SGD(0.01) for 400 epochs, seeded randomUniform initializer',
    file: 'tensor-arithmetic.ts',
  },
  {
    name: 'normal-equations',
    kind: 'valid',
    why: 'sums formula (nΣxy - ΣxΣy) / (nΣx² - (Σx)²), SGD(0.025) for 100 epochs through model.fit with default batch size, glorotNormal initializer',
    file: 'normal-equations.ts',
  },
  {
    name: 'near-stability-edge',
    kind: 'valid',
    why: 'the reference with SGD(0.026), just under the 0.027 stability limit, for 90 epochs, and default seed 7',
    edits: [
      { find: 'export const LEARNING_RATE = 0.02;', replace: 'export const LEARNING_RATE = 0.026;' },
      { find: 'export const EPOCHS = 200;', replace: 'export const EPOCHS = 90;' },
      { find: 'glorotUniform({ seed: options.seed ?? 1 })', replace: 'glorotUniform({ seed: options.seed ?? 7 })' },
    ],
  },
  {
    name: 'tensor-arithmetic-variant-7',
    kind: 'valid',
    why: 'the tensor-arithmetic alternative under KATA_VARIANT=7: honest solutions pass every variant',
    file: 'tensor-arithmetic.ts',
    variant: 7,
  },
  {
    name: 'normal-equations-variant-7',
    kind: 'valid',
    why: 'the normal-equations alternative under KATA_VARIANT=7: honest solutions pass every variant',
    file: 'normal-equations.ts',
    variant: 7,
  },
  // --- bad input (issue 18): any KataInputError naming the argument and value passes; anything else fails --------
  {
    name: 'own-error-wording',
    kind: 'valid',
    why: 'refuses bad input with messages of its own wording (KataInputError, naming the argument and the value)',
    edits: [
      {
        find: 'export function leastSquaresLine(xs: number[], ys: number[]): LeastSquaresLine {\n  assertPairs(xs, ys);',
        replace: `export function leastSquaresLine(xs: number[], ys: number[]): LeastSquaresLine {
  if (xs.length === 0) throw new KataInputError('leastSquaresLine needs points: xs = [] and ys = [].');
  if (xs.length !== ys.length) throw new KataInputError(\`got \${xs.length} xs for \${ys.length} ys; pass one y per x.\`);
  xs.forEach((x, i) => { if (!Number.isFinite(x)) throw new KataInputError(\`x number \${i} of xs is \${x}, which is not finite.\`); });
  ys.forEach((y, i) => { if (!Number.isFinite(y)) throw new KataInputError(\`bad label in ys at position \${i}: \${y}\`); });`,
      },
      { find: "  assertPositiveInteger('epochs', epochs);", replace: "  if (!(Number.isInteger(epochs) && epochs >= 1)) throw new KataInputError(`options.epochs is ${epochs}; train at least one whole epoch.`);" },
      { find: "import { assertPairs, assertPositiveInteger } from '../../lib/validate';", replace: "import { assertPairs, KataInputError } from '../../lib/validate';" },
    ],
  },
  {
    name: 'epochs-plain-error',
    kind: 'wrong',
    class: 'bad-input',
    why: 'refuses epochs: 0 with a plain Error, not the KataInputError the README asks for',
    failing: 'task 3: trainLinearModel() names bad input',
    message: /threw Error: "epochs must be at least 1, got 0"[\s\S]*not a KataInputError/,
    edits: [{ find: "  assertPositiveInteger('epochs', epochs);", replace: "  if (epochs < 1) throw new Error(`epochs must be at least 1, got ${epochs}`);" }],
  },
  {
    name: 'epochs-unchecked',
    kind: 'wrong',
    class: 'bad-input',
    why: 'does not check epochs: tfjs trains 0 epochs and returns no losses',
    failing: 'task 3: trainLinearModel() names bad input',
    message: /trainLinearModel\(\[1, 2\], \[1, 4\], \{ epochs: 0 \}\) returned .* instead of throwing a KataInputError/,
    edits: [{ find: "  assertPositiveInteger('epochs', epochs);", replace: '  void assertPositiveInteger;' }],
  },
  // --- options (issue 18): every option changes what it says it changes --------------------------------------
  {
    name: 'build-ignores-learning-rate',
    kind: 'wrong',
    class: 'option-ignored',
    why: 'buildLinearModel() compiles SGD with LEARNING_RATE whatever options.learningRate says (trainLinearModel recompiles, so training looks right)',
    failing: 'task 1:',
    message: /buildLinearModel\(\{ learningRate: [\d.]+ \}\) is compiled with SGD at learning rate/,
    edits: [{ find: 'optimizer: options.optimizer ?? tf.train.sgd(options.learningRate ?? LEARNING_RATE),', replace: 'optimizer: options.optimizer ?? tf.train.sgd(LEARNING_RATE),' }],
  },
  {
    name: 'bias-travel-ignores-seed',
    kind: 'wrong',
    class: 'option-ignored',
    why: 'measureBiasTravel() trains from buildLinearModel() without options.seed: invisible on x = -10..10, where the bias path does not depend on the slope',
    failing: 'task 5: measureBiasTravel() trains',
    message: /It is the travel from buildLinearModel\(\)'s start without a seed/,
    edits: [{ find: '    seed: options.seed ?? 1,\n', replace: '' }],
  },
];
