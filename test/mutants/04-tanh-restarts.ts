/**
 * Kata 04's mutation cases (npm run check:mutants): wrong solutions, each one
 * mistake or trick, that a named test must reject, and valid alternatives
 * (whole files in 04-tanh-restarts/) that must pass every test under every
 * variant. Edits apply to solutions/04-tanh-restarts/tanh-restarts.ts.
 */
import type { MutantCase } from './types';

const FIT = 'await model.fit(x, y, { epochs, batchSize: XS.length, shuffle: false, verbose: 0 });';
const RETURN_RESTART = 'return { seed, model, finalMse: rawMse(model) };';
const FOLD = 'foldScaling(model, { xOffset: 0, xScale, yOffset: 0, yScale });';
const TRAIN_EACH = 'for (let seed = 1; seed <= count; seed++) restarts.push(await trainTanhNetwork(seed, options));';
const KEEP_RETURN = 'return { best: restarts.slice(0, keep), allMse: restarts.map((r) => r.finalMse) };';
const RAW_RUN = 'const raw = await finalMseOf(false);';
const COMPARE_RETURN = 'return { seed, epochs, rawMse, scaledMse: scaled, ratio: rawMse / scaled };';

export const cases: MutantCase[] = [
  // Task 1
  {
    name: 'zero-hidden-biases',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'Hidden biases start at 0 (the Keras default), not uniform as PyTorch does: every tanh is centred on x = 0.',
    failing: 'task 1:',
    edits: [{ find: 'biasInitializer: uniform(1, 2)', replace: "biasInitializer: 'zeros'" }],
  },
  {
    name: 'output-limit-without-fan-in',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'The output kernel is uniform in ±1 instead of ±1/√10: fan_in ignored.',
    failing: 'task 1:',
    edits: [{ find: 'kernelInitializer: uniform(HIDDEN_UNITS, 3)', replace: 'kernelInitializer: uniform(1, 3)' }],
  },
  // Task 2
  {
    name: 'last-logged-loss',
    kind: 'wrong',
    class: 'wrong-logic',
    why: "finalMse is the last loss tfjs logged (times Y_SCALE²), measured before the last update: not the returned model's MSE.",
    failing: 'task 2:',
    edits: [
      { find: FIT, replace: 'const history = await model.fit(x, y, { epochs, batchSize: XS.length, shuffle: false, verbose: 0 });' },
      { find: RETURN_RESTART, replace: 'return { seed, model, finalMse: ((history.history.loss as number[]).at(-1) ?? NaN) * yScale * yScale };' },
    ],
  },
  {
    name: 'mse-in-scaled-units',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'finalMse is reported in scaled units (not multiplied by Y_SCALE²).',
    failing: 'task 2:',
    edits: [{ find: RETURN_RESTART, replace: 'return { seed, model, finalMse: rawMse(model) / (yScale * yScale) };' }],
  },
  {
    name: 'not-folded',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'The scaling is not folded back: the returned model takes x / 10 and answers x² / 100; finalMse computed in original units before returning it.',
    failing: 'task 2:',
    edits: [
      { find: FOLD, replace: '' },
      {
        find: RETURN_RESTART,
        replace:
          'const scaledAnswers = predictValues(model, XS.map((v) => v / xScale));\n    return { seed, model, finalMse: XS.reduce((sum, v, i) => sum + ((scaledAnswers[i] as number) * yScale - v * v) ** 2, 0) / XS.length };',
      },
    ],
  },
  {
    name: 'optimizer-option-ignored',
    kind: 'wrong',
    class: 'option-ignored',
    why: 'options.optimizer is ignored: every run uses Adam(LEARNING_RATE).',
    failing: 'task 2:',
    edits: [{ find: 'optimizer: options.optimizer ?? tf.train.adam(LEARNING_RATE)', replace: 'optimizer: tf.train.adam(LEARNING_RATE)' }],
  },
  {
    name: 'scaled-option-ignored',
    kind: 'wrong',
    class: 'option-ignored',
    why: 'scaled: false is ignored: every run scales.',
    failing: 'task 2:',
    edits: [{ find: "options.scaled === false ? [1, 1] : [X_SCALE, Y_SCALE]", replace: '[X_SCALE, Y_SCALE]' }],
  },
  {
    name: 'training-tensors-leak',
    kind: 'wrong',
    class: 'leak',
    why: 'The x and y tensors made for fit are never disposed.',
    failing: 'task 2:',
    edits: [{ find: 'tf.dispose([x, y]);', replace: '' }],
  },
  // Task 3
  {
    name: 'hard-coded-restart-mses',
    kind: 'wrong',
    class: 'hard-coded',
    why: "Reports the reference's eight MSEs of seeds 1..8 as constants instead of the models' own.",
    failing: 'task 3:',
    edits: [
      {
        find: KEEP_RETURN,
        replace:
          'const table = [0.44, 0.52, 0.71, 0.93, 1.23, 1.77, 2.01, 2.48]; restarts.forEach((r, i) => { r.finalMse = table[i] ?? r.finalMse; });\n  ' + KEEP_RETURN,
      },
    ],
  },
  {
    name: 'restarts-not-retrained',
    kind: 'wrong',
    class: 'hard-coded',
    why: 'Trains seed 1 once and reports it under every seed, with a made-up spread of MSEs.',
    failing: 'task 3:',
    edits: [
      {
        find: TRAIN_EACH,
        replace: 'const once = await trainTanhNetwork(1, options);\n  for (let seed = 1; seed <= count; seed++) restarts.push({ seed, model: seed === 1 ? once.model : (await trainTanhNetwork(1, { ...options, epochs: 1 })).model, finalMse: once.finalMse * seed });',
      },
    ],
  },
  {
    name: 'seeds-from-zero',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'Trains seeds 0..count-1 instead of 1..count.',
    failing: 'task 3: trainRestarts(count',
    edits: [{ find: TRAIN_EACH, replace: 'for (let seed = 0; seed < count; seed++) restarts.push(await trainTanhNetwork(seed, options));' }],
  },
  {
    name: 'restart-options-dropped',
    kind: 'wrong',
    class: 'option-ignored',
    why: "trainRestarts() does not pass its options to the restarts: they train the default epochs.",
    failing: 'task 3: trainRestarts(count',
    edits: [{ find: TRAIN_EACH, replace: 'for (let seed = 1; seed <= count; seed++) restarts.push(await trainTanhNetwork(seed));' }],
  },
  {
    name: 'count-and-keep-hard-coded',
    kind: 'wrong',
    class: 'hard-coded',
    why: 'trainRestarts() always keeps the first 2 of 4, whatever count and keep are (the variant-0 small run).',
    failing: 'task 3: trainRestarts(count',
    variant: 5,
    edits: [{ find: KEEP_RETURN, replace: 'return { best: restarts.slice(0, Math.min(keep, 2)), allMse: restarts.slice(0, 4).map((r) => r.finalMse) };' }],
  },
  {
    name: 'borrowed-shipped-model',
    kind: 'wrong',
    class: 'borrowed-answer',
    why: "The best restart is the network shipped in lib/models/04-tanh-restarts, labelled seed 1, with the reference's MSE.",
    failing: 'task 3:',
    edits: [
      {
        find: KEEP_RETURN,
        replace:
          "const shipped = await (await import('../../lib/model-files')).loadModel((await import('../../lib/model-files')).referenceModelDir('04-tanh-restarts'));\n  if (count === RESTARTS) { disposeModel(restarts[0]!.model); restarts[0] = { seed: 1, model: shipped, finalMse: rawMse(shipped) }; restarts.sort((a, b) => a.finalMse - b.finalMse); } else disposeModel(shipped);\n  " +
          KEEP_RETURN,
      },
    ],
  },
  {
    name: 'dropped-restarts-leak',
    kind: 'wrong',
    class: 'leak',
    why: 'The restarts that are not kept are never disposed.',
    failing: 'task 3: trainRestarts(count',
    edits: [{ find: 'restarts.slice(keep).forEach((r) => disposeModel(r.model));', replace: '' }],
  },
  // Task 4
  {
    name: 'median-upper-middle',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'With an even count the median is the upper middle value, not the mean of the two.',
    failing: 'task 4:',
    edits: [{ find: '((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2', replace: '(sorted[middle] as number)' }],
  },
  {
    name: 'spread-of-three-hard-coded',
    kind: 'wrong',
    class: 'hard-coded',
    why: "lossSpread() of three values returns the README example's answer.",
    failing: 'task 4:',
    variant: 4,
    edits: [{ find: "const sorted = [...losses].sort((a, b) => a - b);", replace: 'if (losses.length === 3) return { best: 1, median: 3, worst: 5, ratio: 5 };\n  const sorted = [...losses].sort((a, b) => a - b);' }],
  },
  // Task 5 (issue 12, claim 3: "use a smaller range of values: it makes the optimisation easier")
  {
    name: 'scaling-does-not-matter',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'The misconception: both runs train on the same (scaled) numbers, so scaling appears to change nothing (ratio 1).',
    failing: 'task 5:',
    edits: [{ find: RAW_RUN, replace: 'const raw = await finalMseOf(true);' }],
  },
  {
    name: 'scaling-never-applied',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'The misconception in the recipe: trainTanhNetwork() trains on raw numbers whatever scaled says, so raw and scaled runs agree and the ratio is 1 (the ratio bound, not a consistency check, rejects it).',
    failing: 'task 5:',
    edits: [{ find: "options.scaled === false ? [1, 1] : [X_SCALE, Y_SCALE]", replace: '[1, 1]' }],
  },
  {
    name: 'compare-ignores-epochs',
    kind: 'wrong',
    class: 'option-ignored',
    why: 'compareScaling() trains both runs for the default epochs whatever epochs it is given, and echoes the argument back (found by an adversarial review).',
    failing: 'task 5:',
    edits: [{ find: 'const run = await trainTanhNetwork(seed, { epochs, scaled });', replace: 'const run = await trainTanhNetwork(seed, { scaled });' }],
  },
  {
    name: 'scaling-ratio-hard-coded',
    kind: 'wrong',
    class: 'hard-coded',
    why: 'compareScaling() reports a ratio of 100 and a raw MSE made from it, without training on raw numbers.',
    failing: 'task 5:',
    edits: [
      { find: RAW_RUN, replace: 'const raw = NaN;' },
      { find: COMPARE_RETURN, replace: 'void rawMse; return { seed, epochs, rawMse: 100 * scaled, scaledMse: scaled, ratio: 100 };' },
    ],
  },
  {
    name: 'raw-run-other-budget',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'The raw run trains a tenth of the epochs: not the same budget.',
    failing: 'task 5:',
    edits: [{ find: 'const run = await trainTanhNetwork(seed, { epochs, scaled });', replace: 'const run = await trainTanhNetwork(seed, { epochs: scaled ? epochs : Math.max(1, Math.round(epochs / 10)), scaled });' }],
  },
  {
    name: 'comparison-models-leak',
    kind: 'wrong',
    class: 'leak',
    why: 'compareScaling() never disposes the two models it trains.',
    failing: 'task 5:',
    edits: [{ find: '    disposeModel(run.model);\n    return run.finalMse;', replace: '    return run.finalMse;' }],
  },
  // Plot
  {
    name: 'kept-restarts-in-scaled-units',
    kind: 'wrong',
    class: 'plot',
    why: 'The kept restarts after the best are returned unfolded (answering in scaled units), so four of the five curves lie near 0; their finalMse still the folded one.',
    failing: 'plot:',
    edits: [
      {
        find: KEEP_RETURN,
        replace:
          "restarts.slice(1, keep).forEach((r) => foldScaling(r.model, { xOffset: 0, xScale: options.scaled === false ? 1 : 1 / X_SCALE, yOffset: 0, yScale: options.scaled === false ? 1 : 1 / Y_SCALE }));\n  " +
          KEEP_RETURN,
      },
    ],
  },
  // Bad input (issue 18): any KataInputError naming the argument and value passes; anything else fails.
  {
    name: 'keep-plain-error',
    kind: 'wrong',
    class: 'bad-input',
    why: 'refuses keep > count with a plain Error, not a KataInputError',
    failing: 'task 3: trainRestarts() refuses',
    message: /trainRestarts\(3, 5\) threw Error[\s\S]*not a KataInputError/,
    edits: [{ find: 'if (keep > count) throw new KataInputError(`keep (${keep}) cannot exceed count (${count}).`);', replace: 'if (keep > count) throw new Error(`keep (${keep}) cannot exceed count (${count}).`);' }],
  },
  {
    name: 'keep-unchecked',
    kind: 'wrong',
    class: 'bad-input',
    why: 'does not check keep > count: trains 3 restarts and returns them all',
    failing: 'task 3: trainRestarts() refuses',
    message: /trainRestarts\(3, 5\) returned .* instead of throwing/,
    edits: [{ find: 'if (keep > count) throw new KataInputError(`keep (${keep}) cannot exceed count (${count}).`);', replace: '' }],
  },
  // Errors from inside tfjs, explained (issue 18).
  {
    name: 'shared-adam',
    kind: 'wrong',
    class: 'shared-state',
    why: "one Adam optimizer made at module level and shared by every restart: disposing a dropped restart disposes it, and the next fit fails with tfjs' \"Cannot read properties of undefined (reading 'backend')\"",
    failing: 'task 2: trainTanhNetwork() returns',
    message: /kata 04, task 2: TensorFlow.js threw "TypeError: Cannot read properties of undefined \(reading 'backend'\)"[\s\S]*Checked: while this test file ran, one Adam optimizer trained \d+ models[\s\S]*create a fresh optimizer for every model/,
    edits: [
      { find: 'export const RESTARTS = 8;', replace: 'export const RESTARTS = 8;\nconst SHARED_ADAM = tf.train.adam(LEARNING_RATE);' },
      { find: 'optimizer: options.optimizer ?? tf.train.adam(LEARNING_RATE)', replace: 'optimizer: options.optimizer ?? SHARED_ADAM' },
    ],
  },
  {
    name: 'under-trained-restarts',
    kind: 'wrong',
    class: 'wrong-logic',
    why: "issue 18's under-trained recipe: Adam(0.01) for 30 epochs, every restart still on its way (worst / best 1.75); the old message blamed the seeds, which were distinct",
    failing: 'task 4: lossSpread() reports',
    message: /Trained twice as long \(60 epochs\), seeds \d+ and \d+ reach .* your recipe stops before training has run its course/,
    edits: [
      { find: 'export const EPOCHS = 200;', replace: 'export const EPOCHS = 30;' },
      { find: 'export const LEARNING_RATE = 0.07;', replace: 'export const LEARNING_RATE = 0.01;' },
    ],
  },
  {
    name: 'train-ignores-epochs',
    kind: 'wrong',
    class: 'option-ignored',
    why: 'trainTanhNetwork() always trains EPOCHS epochs, whatever options.epochs says (trainRestarts and compareScaling then agree with it)',
    failing: 'task 2: trainTanhNetwork() returns',
    message: /It is 200 epochs of that training, your EPOCHS: train options.epochs epochs when it is given/,
    edits: [{ find: '  const epochs = options.epochs ?? EPOCHS;\n  assertPositiveInteger', replace: '  const epochs = EPOCHS;\n  void options.epochs;\n  assertPositiveInteger' }],
  },
  // Valid alternatives
  { name: 'adam-slow-tensor-mse', kind: 'valid', why: 'Adam(0.03) for 400 epochs, other initialiser seeds, the final MSE computed with tensors.', file: 'adam-slow-tensor-mse.ts' },
  { name: 'half-scale-evaluate', kind: 'valid', why: 'x / 5 and x² / 50, the final MSE from model.evaluate before folding, restarts kept by partial selection.', file: 'half-scale-evaluate.ts' },
  { name: 'momentum-plain-init', kind: 'valid', why: 'SGD with momentum (0.2, 0.9) for 400 epochs, initial weights drawn as plain numbers and set with setWeights.', file: 'momentum-plain-init.ts' },
  { name: 'adam-slow-tensor-mse-variant-7', kind: 'valid', why: 'The Adam(0.03) alternative under another variant.', file: 'adam-slow-tensor-mse.ts', variant: 7 },
  { name: 'half-scale-evaluate-variant-13', kind: 'valid', why: 'The half-scale alternative under another variant.', file: 'half-scale-evaluate.ts', variant: 13 },
  { name: 'momentum-plain-init-variant-19', kind: 'valid', why: 'The momentum alternative under another variant.', file: 'momentum-plain-init.ts', variant: 19 },
  {
    name: 'own-error-wording',
    kind: 'valid',
    why: "issue 18's learner: refuses bad input with messages of its own wording (KataInputError, naming the argument and the value)",
    edits: [
      { find: 'if (keep > count) throw new KataInputError(`keep (${keep}) cannot exceed count (${count}).`);', replace: 'if (keep > count) throw new KataInputError(`keep (${keep}) is more than count (${count}): cannot keep more restarts than were trained.`);' },
      { find: "if (losses.length === 0) throw new KataInputError('losses is empty: train at least one restart.');", replace: "if (losses.length === 0) throw new KataInputError('lossSpread() needs losses to compare; got losses = [].');" },
      {
        find: "  const epochs = options.epochs ?? EPOCHS;\n  assertPositiveInteger('epochs', epochs);",
        replace: "  const epochs = options.epochs ?? EPOCHS;\n  if (!Number.isInteger(epochs) || epochs <= 0) throw new KataInputError(`trainTanhNetwork: options.epochs = ${epochs}, but it must count whole epochs (1 or more).`);",
      },
    ],
  },
];
