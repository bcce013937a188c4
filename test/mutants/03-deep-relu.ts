/**
 * Kata 03's mutation cases (npm run check:mutants): wrong solutions, each
 * rejected by the test named in `failing`, and valid alternatives that pass
 * every test. The valid ones are also the calibration fixtures of
 * test/calibration/03-deep-relu.ts.
 */
import type { MutantCase } from './types';

export const cases: MutantCase[] = [
  // ---- valid alternatives -------------------------------------------------
  {
    name: 'plain-arrays-wide',
    kind: 'valid',
    why: '32 units, 40 epochs, inline cosine schedule, dead units found and recycled with plain-number arithmetic and a seeded generator',
    file: 'plain-arrays-wide.ts',
  },
  {
    name: 'glorot-step-schedule',
    kind: 'valid',
    why: "the answer's Glorot initialiser, 20 units, batch 200, step schedule, recycling every 2 epochs with the bias at minus the mean pre-activation",
    file: 'glorot-step-schedule.ts',
  },
  {
    name: 'width-24-seed-9',
    kind: 'valid',
    why: "issue 8's case: 24 units at seed 9, which ended with a dead unit when recycling stopped at 90% of the run",
    edits: [{ find: 'export const HIDDEN_UNITS = 16;', replace: 'export const HIDDEN_UNITS = 24;' }],
  },
  // ---- wrong solutions ----------------------------------------------------
  {
    name: 'scaler-on-all-data',
    kind: 'wrong',
    class: 'validation-leak',
    why: 'fits the scaler on training and validation data together',
    failing: 'task 2: the scaler returned is fitted on the training part only',
    edits: [
      {
        find: '    scaler = fitScaler(split.train);\n',
        replace: '    scaler = fitScaler({ x: tf.concat([split.train.x, split.validation.x]), y: tf.concat([split.train.y, split.validation.y]) });\n',
      },
    ],
  },
  {
    name: 'onepochend-ignored',
    kind: 'wrong',
    class: 'option-ignored',
    why: 'never calls options.onEpochEnd',
    failing: 'task 2: one loss and one validation loss per epoch',
    edits: [{ find: '=> options.onEpochEnd?.(epoch, logs ?? {})', replace: '=> void [epoch, logs]' }],
  },
  {
    name: 'fake-validation-losses',
    kind: 'wrong',
    class: 'hard-coded',
    why: 'returns the training losses as the validation losses',
    failing: "task 2: trained on scaled data, the returned network's validation RMSE",
    edits: [{ find: 'validationLosses: history.history.val_loss as number[],', replace: 'validationLosses: history.history.loss as number[],' }],
  },
  {
    name: 'under-trained',
    kind: 'wrong',
    class: 'plot',
    why: 'trains 4 epochs: the network is visibly off the parabola',
    failing: 'plot:',
    edits: [{ find: 'export const EPOCHS = 60;', replace: 'export const EPOCHS = 4;' }],
  },
  {
    name: 'loads-shipped-model',
    kind: 'wrong',
    class: 'borrowed-answer',
    why: 'returns the shipped lib/models/03-deep-relu network (unfolded to scaled units, with made-up losses) for a default run, and trains only short runs',
    failing: 'task 2: the trained network is your own',
    variant: 1,
    file: 'loads-shipped-model.ts',
  },
  {
    name: 'ignores-seed',
    kind: 'wrong',
    class: 'option-ignored',
    why: 'trainReluNetwork() trains with SEED whatever options.seed says',
    failing: 'task 2: the seed and recycle options',
    edits: [
      { find: '  const seed = options.seed ?? SEED;\n  const epochs = options.epochs ?? EPOCHS;', replace: '  const seed = SEED;\n  const epochs = options.epochs ?? EPOCHS;' },
      { find: '  const model = buildReluNetwork(options);', replace: '  const model = buildReluNetwork({ ...options, seed });' },
    ],
  },
  {
    name: 'ignores-recycle-false',
    kind: 'wrong',
    class: 'option-ignored',
    why: 'recycles dead units even with recycle: false',
    failing: 'task 2: the seed and recycle options',
    edits: [
      { find: 'if (options.recycle !== false && due)', replace: 'if (due)' },
      { find: '    if (options.recycle !== false) recycled +=', replace: '    recycled +=' },
    ],
  },
  {
    name: 'recycled-never-reported',
    kind: 'wrong',
    class: 'option-ignored',
    why: 'recycles but always reports recycled: 0',
    failing: 'task 2: the seed and recycle options',
    edits: [{ find: '      recycled,\n    };', replace: '      recycled: 0,\n    };' }],
  },
  {
    name: 'no-final-recycle',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'recycles only during the first 90% of training: a unit that dies later is returned dead',
    failing: 'task 2: the seed and recycle options',
    edits: [{ find: '    if (options.recycle !== false) recycled += recycleDeadUnits(model, train.x, seed * 1000 + epochs);\n', replace: '' }],
  },
  {
    name: 'leaks-scaled-data',
    kind: 'wrong',
    class: 'leak',
    why: 'never disposes the scaled training and validation tensors',
    failing: 'task 2: the seed and recycle options',
    edits: [{ find: '    tf.dispose([train.x, train.y, validation.x, validation.y]);\n  }\n}\n\n/** Task 3', replace: '  }\n}\n\n/** Task 3' }],
  },
  {
    name: 'predict-returns-squares',
    kind: 'wrong',
    class: 'hard-coded',
    why: 'predictOriginal() returns x² instead of asking the network',
    failing: 'task 3:',
    edits: [{ find: "  assertFiniteNumbers('xs', xs);\n  return tf.tidy(", replace: "  assertFiniteNumbers('xs', xs);\n  if (xs.length > 0) return xs.map((x) => x * x);\n  return tf.tidy(" }],
  },
  {
    name: 'predict-forgets-unscale',
    kind: 'wrong',
    class: 'wrong-logic',
    why: "predictOriginal() returns the network's scaled outputs",
    failing: 'task 3:',
    edits: [{ find: 'return Array.from(unscaleY(trained.model.predict(x) as Tensor2D, trained.scaler).dataSync());', replace: 'return Array.from((trained.model.predict(x) as Tensor2D).dataSync());' }],
  },
  {
    name: 'predict-leaks',
    kind: 'wrong',
    class: 'leak',
    why: 'predictOriginal() without tf.tidy leaves its tensors behind',
    failing: 'tasks 1, 3, 4 and 5 leave no tensor behind',
    edits: [
      {
        find: "  return tf.tidy(() => {\n    const x = scaleX(tf.tensor2d(xs, [xs.length, 1]), trained.scaler);\n    return Array.from(unscaleY(trained.model.predict(x) as Tensor2D, trained.scaler).dataSync());\n  });",
        replace: "  const x = scaleX(tf.tensor2d(xs, [xs.length, 1]), trained.scaler);\n  return Array.from(unscaleY(trained.model.predict(x) as Tensor2D, trained.scaler).dataSync());",
      },
    ],
  },
  {
    name: 'dead-means-zero-somewhere',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'counts a unit as dead when it outputs 0 for SOME input (min instead of max)',
    failing: 'task 4:',
    edits: [{ find: 'const peaks = h.max(0).dataSync();', replace: 'const peaks = h.min(0).dataSync();' }],
  },
  {
    name: 'dead-counts-hard-coded',
    kind: 'wrong',
    class: 'hard-coded',
    why: "countDeadUnits() answers the README's 4-4 network with [2, 1] and anything else with zeros",
    failing: 'task 4:',
    variant: 3,
    edits: [
      {
        find: 'export function countDeadUnits(model: LayersModel, x: Tensor2D): number[] {\n',
        replace: 'export function countDeadUnits(model: LayersModel, x: Tensor2D): number[] {\n  void x;\n  return model.layers[0]?.getConfig().units === 4 ? [2, 1] : [0, 0];\n',
      },
    ],
  },
  {
    name: 'recycle-keeps-outgoing-weights',
    kind: 'wrong',
    class: 'wrong-logic',
    why: "revives dead units but leaves their outgoing weights, so the output jumps",
    failing: 'task 5:',
    edits: [{ find: 'next.setWeights([nextRows, nextBias]);', replace: 'next.setWeights([nextKernel, nextBias]); void nextRows;' }],
  },
  {
    name: 'recycle-counts-layers',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'reports the number of layers with dead units instead of the number of units',
    failing: 'task 5:',
    edits: [{ find: '    recycled += units.length;', replace: '    recycled += 1;' }],
  },
  {
    name: 'few-many-same-examples',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'the misconception "few examples are as good": trains the many-examples arm on the 21 points too',
    failing: 'task 6:',
    edits: [{ find: 'const manyRun = await train(many);', replace: 'const manyRun = await train(few);' }],
  },
  {
    name: 'few-many-measured-on-training-points',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'measures each network on its own training examples, where the 21 points look fitted, not on the fine grid',
    failing: 'task 6:',
    edits: [{ find: 'trainReluNetwork({ train: data, validation: grid }, { seed, epochs })', replace: 'trainReluNetwork({ train: data, validation: data }, { seed, epochs })' }],
  },
  {
    name: 'few-many-different-networks',
    kind: 'wrong',
    class: 'wrong-logic',
    why: 'a 2-unit network for the 21 points and a 64-unit one for the 10,000 samples: the comparison then measures the networks, not the examples (found by an adversarial review)',
    failing: 'task 6:',
    edits: [
      { find: 'const train = (data: typeof few) => trainReluNetwork({ train: data, validation: grid }, { seed, epochs });', replace: 'const train = (data: typeof few) => trainReluNetwork({ train: data, validation: grid }, { seed, epochs, units: data === few ? 2 : 64 });' },
    ],
  },
];
