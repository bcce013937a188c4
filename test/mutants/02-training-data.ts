import type { MutantCase } from './types';

const DRAW = "const x = tf.randomUniform([n, 1], low, high, 'float32', options.seed) as Tensor2D;";
const TRAIN_SIZE = 'const trainSize = Math.floor(n * (1 - fraction));';

/** Kata 02's wrong solutions (each rejected by the named test) and valid alternatives (each passing every test). */
export const cases: MutantCase[] = [
  // --- wrong: task 1 ---------------------------------------------------------------------------------
  {
    name: 'x-rounded',
    kind: 'wrong',
    class: 'hidden-by-data',
    why: 'x rounded to whole numbers: 101 distinct values, still uniform-looking',
    failing: 'task 1: generateSquares() draws',
    edits: [{ find: DRAW, replace: "const x = tf.randomUniform([n, 1], low, high, 'float32', options.seed).round() as Tensor2D;" }],
  },
  {
    name: 'x-normal',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'a normal sample clipped to [low, high] instead of a uniform one',
    failing: 'task 1: generateSquares() draws',
    edits: [{ find: DRAW, replace: "const x = tf.truncatedNormal([n, 1], (low + high) / 2, (high - low) / 4, 'float32', options.seed).clipByValue(low, high) as Tensor2D;" }],
  },
  {
    name: 'seed-ignored',
    kind: 'wrong',
    class: 'option-ignored',
    why: 'draws without the seed',
    failing: 'task 1: generateSquares() draws',
    edits: [{ find: DRAW, replace: "const x = tf.randomUniform([n, 1], low, high, 'float32') as Tensor2D;" }],
  },
  {
    name: 'range-ignored',
    kind: 'wrong',
    class: 'option-ignored',
    why: 'always draws from [-50, 50]',
    failing: 'task 1: generateSquares() draws',
    edits: [{ find: DRAW, replace: "const x = tf.randomUniform([n, 1], LOW, HIGH, 'float32', options.seed) as Tensor2D;" }],
  },
  {
    name: 'labels-from-another-draw',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'y is the square of a second draw, not of x',
    failing: 'task 1: generateSquares() draws',
    edits: [{ find: 'return { x, y: tf.square(x) };', replace: "return { x, y: tf.square(tf.randomUniform([n, 1], low, high, 'float32', options.seed + 1)) };" }],
  },
  // --- wrong: task 2 ---------------------------------------------------------------------------------
  {
    name: 'validation-first',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'holds out the FIRST rows instead of the last',
    failing: 'task 2: splitValidation() holds out the LAST fraction',
    edits: [
      {
        find: '    train: { x: rows(data.x, 0, trainSize), y: rows(data.y, 0, trainSize) },\n    validation: { x: rows(data.x, trainSize, n - trainSize), y: rows(data.y, trainSize, n - trainSize) },',
        replace: '    train: { x: rows(data.x, n - trainSize, trainSize), y: rows(data.y, n - trainSize, trainSize) },\n    validation: { x: rows(data.x, 0, n - trainSize), y: rows(data.y, 0, n - trainSize) },',
      },
    ],
  },
  {
    name: 'split-rounded',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'Math.round instead of floor: 7 rows split 6 / 1',
    failing: 'task 2: splitValidation() holds out the LAST fraction',
    edits: [{ find: TRAIN_SIZE, replace: 'const trainSize = Math.round(n * (1 - fraction));' }],
  },
  {
    name: 'fraction-ignored',
    kind: 'wrong',
    class: 'option-ignored',
    why: 'always holds out 20%',
    failing: 'task 2: splitValidation() holds out the LAST fraction',
    edits: [{ find: TRAIN_SIZE, replace: 'const trainSize = Math.floor(n * (1 - VALIDATION_FRACTION));' }],
  },
  {
    name: 'split-hard-coded',
    kind: 'wrong',
    class: 'hard-coded',
    why: "8,000 / 2,000 for the README's 10,000 rows and 5 / 2 for 7, whatever the data",
    failing: 'task 2: splitValidation() holds out the LAST fraction',
    variant: 4,
    edits: [{ find: TRAIN_SIZE, replace: 'const trainSize = n === 10_000 ? 8_000 : n === 7 ? 5 : n === 103 ? 72 : Math.floor(n * 0.8);' }],
  },
  {
    name: 'labels-misaligned',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'the validation labels are taken from the first rows',
    failing: 'task 2: splitValidation() holds out the LAST fraction',
    edits: [{ find: 'y: rows(data.y, trainSize, n - trainSize) },', replace: 'y: rows(data.y, 0, n - trainSize) },' }],
  },
  // --- wrong: task 3 ---------------------------------------------------------------------------------
  {
    name: 'scaler-sees-validation',
    kind: 'wrong',
    class: 'validation-leak',
    why: 'splitValidation remembers the whole data set and fitScaler fits on it',
    failing: 'task 3: fitScaler() maps the training part',
    edits: [
      { find: '  const trainSize = Math.floor', replace: '  lastWhole = data;\n  const trainSize = Math.floor' },
      { find: 'export function fitScaler(train: Dataset): Scaler {\n', replace: 'let lastWhole: Dataset | undefined;\nexport function fitScaler(train: Dataset): Scaler {\n  if (lastWhole && !lastWhole.x.isDisposed) train = lastWhole;\n' },
    ],
  },
  {
    name: 'scaler-hard-coded',
    kind: 'wrong',
    class: 'hard-coded',
    why: 'returns the README\'s scaler for x in [-50, 50] (0, 50, 1250, 1250)',
    failing: 'task 3: fitScaler() maps the training part',
    variant: 2,
    edits: [{ find: '  const x = minMax(train.x);\n', replace: '  if (train.x.shape[0] > 0) return { xOffset: 0, xScale: 50, yOffset: 1250, yScale: 1250 };\n  const x = minMax(train.x);\n' }],
  },
  {
    name: 'standard-scaling',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'mean and standard deviation instead of the README\'s min-max scaling',
    failing: 'task 3: fitScaler() maps the training part',
    edits: [
      {
        find: '  const [min, max] = tf.tidy(() => [t.min().dataSync()[0] as number, t.max().dataSync()[0] as number]);',
        replace: '  const { mean, variance } = tf.tidy(() => { const m = tf.moments(t); return { mean: m.mean.dataSync()[0]!, variance: m.variance.dataSync()[0]! }; });\n  const [min, max] = [mean - Math.sqrt(variance), mean + Math.sqrt(variance)];',
      },
    ],
  },
  {
    name: 'scale-y-with-x-parameters',
    kind: 'wrong',
    class: 'wrong-logic',
    why: "scaleY uses the scaler's x offset and scale",
    failing: 'task 3: scaleX, scaleY, unscaleY',
    edits: [{ find: 'y.sub(scaler.yOffset).div(scaler.yScale)', replace: 'y.sub(scaler.xOffset).div(scaler.xScale)' }],
  },
  {
    name: 'unscale-wrong-order',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'unscaleY adds the offset before multiplying',
    failing: 'task 3: scaleX, scaleY, unscaleY',
    edits: [{ find: 'y.mul(scaler.yScale).add(scaler.yOffset)', replace: 'y.add(scaler.yOffset).mul(scaler.yScale)' }],
  },
  // --- wrong: leaks ------------------------------------------------------------------------------------
  {
    name: 'fit-scaler-leaks',
    kind: 'wrong',
    class: 'leak',
    why: 'reads min() and max() without disposing them: four scalars per call (the old reference)',
    failing: 'tensors are disposed',
    edits: [{ find: 'tf.tidy(() => [t.min().dataSync()[0] as number, t.max().dataSync()[0] as number]);', replace: '[t.min().dataSync()[0] as number, t.max().dataSync()[0] as number];' }],
  },
  {
    name: 'scale-x-leaks',
    kind: 'wrong',
    class: 'leak',
    why: 'scaleX without tf.tidy keeps the intermediate x - offset',
    failing: 'tensors are disposed',
    edits: [{ find: 'return tf.tidy(() => x.sub(scaler.xOffset).div(scaler.xScale));', replace: 'return x.sub(scaler.xOffset).div(scaler.xScale);' }],
  },
  // --- wrong: plots ----------------------------------------------------------------------------------------
  {
    name: 'plot-another-seed',
    kind: 'wrong',
    class: 'plot',
    why: 'draws with seed + 1: every statistical check passes, the points are not the README\'s',
    failing: 'plot:',
    edits: [{ find: DRAW, replace: "const x = tf.randomUniform([n, 1], low, high, 'float32', options.seed + 1) as Tensor2D;" }],
  },
  {
    name: 'plot-sorted-rows',
    kind: 'wrong',
    class: 'plot',
    why: 'sorts the rows by x: the validation rows are the largest x only',
    failing: 'plot:',
    edits: [{ find: DRAW, replace: "const x = tf.reshape(tf.topk(tf.randomUniform([n], low, high, 'float32', options.seed), n).values.reverse(), [n, 1]) as Tensor2D;" }],
  },
  {
    name: 'plot-validation-missing',
    kind: 'wrong',
    class: 'plot',
    why: 'the validation part is one row: the second series is missing from the plot',
    failing: 'plot:',
    edits: [{ find: TRAIN_SIZE, replace: 'const trainSize = n === 10_000 ? n - 1 : Math.floor(n * (1 - fraction));' }],
  },
  // --- valid alternatives -----------------------------------------------------------------------------------
  {
    name: 'plain-numbers',
    kind: 'valid',
    why: 'labels, split and scaling computed on plain numbers (dataSync) and turned back into tensors',
    file: 'plain-numbers.ts',
  },
  {
    name: 'tensor-formulas',
    kind: 'valid',
    why: 'tf.split for the split, offset and scale computed in float32 tensors, scaling as x · (1/scale) - offset/scale',
    file: 'tensor-formulas.ts',
  },
  {
    name: 'ceil-of-validation',
    kind: 'valid',
    why: 'train size as n - ceil(n · fraction), labels as x · x',
    edits: [
      { find: TRAIN_SIZE, replace: 'const trainSize = n - Math.ceil(n * fraction);' },
      { find: 'return { x, y: tf.square(x) };', replace: 'return { x, y: x.mul<Tensor2D>(x) };' },
    ],
  },
  {
    name: 'plain-numbers-variant-7',
    kind: 'valid',
    why: 'the plain-numbers alternative under KATA_VARIANT=7: honest solutions pass every variant',
    file: 'plain-numbers.ts',
    variant: 7,
  },
  {
    name: 'tensor-formulas-variant-7',
    kind: 'valid',
    why: 'the tensor-formulas alternative under KATA_VARIANT=7: honest solutions pass every variant',
    file: 'tensor-formulas.ts',
    variant: 7,
  },
  // --- bad input (issue 18): any KataInputError naming the argument and value passes; anything else fails --------
  {
    name: 'own-error-wording',
    kind: 'valid',
    why: 'refuses bad arguments with messages of its own wording (KataInputError, naming the argument and the value)',
    edits: [
      { find: "  assertPositiveInteger('n', n);", replace: "  if (!Number.isInteger(n) || n < 1) throw new KataInputError(`generateSquares: n = ${n} is not a count of samples (1, 2, 3, ...).`);" },
      { find: "  assertInterval('[low, high]', low, high);", replace: "  if (!(low < high)) throw new KataInputError(`Cannot draw from low = ${low} to high = ${high}: low must be below high.`);" },
      { find: "  assertFraction('fraction', fraction);", replace: "  if (!(fraction > 0 && fraction < 1)) throw new KataInputError(`splitValidation: fraction ${fraction} is outside (0, 1).`);" },
      { find: 'throw new KataInputError(`${n} examples split at ${fraction} leave one part empty: use more examples or another fraction.`);', replace: 'throw new KataInputError(`Splitting ${n} row(s) at ${fraction} would leave train or validation without rows.`);' },
    ],
  },
  {
    name: 'fraction-names-nothing',
    kind: 'wrong',
    class: 'bad-input',
    why: 'refuses a bad fraction with a message that shows neither the argument nor the value',
    failing: 'task 2: splitValidation() names bad arguments',
    message: /its message does not contain fraction or 0/,
    edits: [{ find: "  assertFraction('fraction', fraction);", replace: "  if (!(fraction > 0 && fraction < 1)) throw new KataInputError('Invalid split.');" }],
  },
];
