import {
  buildGatedModel,
  buildProductModel,
  buildSquareUnitModel,
  EPOCHS,
  fitSquares,
  inputSlopes,
} from '@kata/07-products-and-gates/products-and-gates';
import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { integerRange, linspace, meanSquaredError } from '../lib/metrics';
import { COLOURS, renderPlot } from '../lib/plot';
import { disposeModel, predictValues } from '../lib/predict';
import { tf } from '../lib/tf';
import { withTimeLimit } from '../lib/time-limit';
import { handBuiltModel } from './support/hand-built-models';
import { EMPTY, expectInputError, expectNoTensorLeak } from './support/kata-calls';
import { describeLoss, isMeanSquaredError } from './support/mse-loss';
import { check, checkBetween, type Measured, once } from './support/teach';
import { byVariant, integerIn, uniformIn, VARIANT } from './support/variant';
import { testCompiles } from './support/type-check';

/*
 * Inputs. Variant 0 is what the README shows: the seed's 21 points -10..10,
 * probes at ±100. Other variants train on -R..R for another R and probe
 * elsewhere, 5 to 20 times out. The training points stay symmetric, as the
 * seed's are: off-centre, the product's two biases must trade off along a
 * valley where the loss is quartic, and Adam crawls (measured on -11..9: MSE
 * still 0.1 after 400 epochs), a lesson about optimisation, not products.
 * Hand-set weights (tasks 1, 4, 5) are what checks the biases.
 */
const TRAIN_XS = byVariant('training xs', integerRange(-10, 10), (r) => {
  const range = integerIn(r, 7, 13);
  return integerRange(-range, range);
});
const SEED = byVariant('seed', 1, (r) => integerIn(r, 1, 10_000));
const OTHER_SEED = SEED + 1;
const FAR_X = byVariant('far x', 100, (r) => Math.round(uniformIn(r, 60, 150)));
/** Hand-set product weights: (a·x + b)·(c·x + d), none of them 0 or 1. */
const [A, B, C, D] = byVariant('product weights', [2, -3, 0.5, 1.5], (r) =>
  Array.from({ length: 4 }, (_, i) => (i % 2 === 0 ? 1 : -1) * uniformIn(r, 0.3, 3)),
) as [number, number, number, number];
/** Hand-set square unit: (w·x + b)². */
const [W, BIAS] = byVariant('square weights', [-1.5, 2], (r) => [uniformIn(r, -3, -0.3), uniformIn(r, 0.3, 3)]) as [number, number];
const PROBES = byVariant('probes', [-7, -2.5, 0, 4, 13], (r) => Array.from({ length: 5 }, () => uniformIn(r, -20, 20)));

const SQUARES = TRAIN_XS.map((x) => x * x);
const LOW = Math.min(...TRAIN_XS);
const HIGH = Math.max(...TRAIN_XS);
/** The fine grid "inside the training range" is measured on. */
const INSIDE = linspace(LOW, HIGH, 201);

/*
 * Bounds. Measured with `npm run calibrate -- 07 --seeds 1-20` (the reference
 * and the valid cases of test/mutants/07-products-and-gates.ts, which share the
 * README's recipe; odd seeds on -10..10, even ones on -R..R, R = 7..13, cpu
 * backend), with three other recipes over seeds 1-10 (16 gates, Adam(0.05),
 * 300 epochs; 4 gates, Adam(0.15), He init; random product biases, 400
 * epochs), and under KATA_VARIANT 0-20 (npm run check:variants -- --kata 07).
 */
/**
 * "Near zero": the product and square models' MSE on the training points.
 * x² is in reach exactly; measured at most 4.7e-4 (product) and 1.1e-4 (square
 * unit) over every recipe and seed. The README's recipe on each backend
 * (KATA_BACKEND=cpu|wasm npm run calibrate -- 07 --seeds 1-10, four implementations):
 * product 5.8e-7 on cpu, 1.0e-3 on wasm (2.3e-3 over 210 starts: seeds 1-30, ranges ±7 to ±13), whose sums leave the product's biases
 * some rounding to undo; square unit 3.1e-6 on both. 1e-2 is an RMSE of 0.1 on labels
 * up to 169, far below anything without x² in reach (the best straight line: 1068 on -10..10).
 */
const EXACT_MSE_MAX = 1e-2;
/** Over what every range of this file was measured. */
const CALIBRATED = 'four recipes over seeds 1-10 and the reference with three other implementations over seeds 1-20 (npm run calibrate -- 07 --seeds 1-20)';
const EXACT_MSE_MEASURED: Measured = { range: [0, 2.3e-3], over: `${CALIBRATED}, on cpu and wasm; the README's recipe from 210 starts (seeds 1-30, ranges ±7 to ±13) on wasm: at most 2.3e-3` };
/** The issue's "within 1%" at ±FAR_X; measured at most 4.4e-4 relative, and for the README's recipe 1.6e-5 on cpu, 8.3e-4 on wasm (same calibration). */
const FAR_RELATIVE_TOLERANCE = 0.01;
const FAR_ERROR_MEASURED: Measured = { range: [0, 8.3e-4], over: `${CALIBRATED}, on cpu and wasm` };
/**
 * "Fits inside the range": the gated model's MSE on a fine grid of its training
 * range. 1% of the best straight line's 1068 on -10..10; measured 0.11-1.0 for
 * the README's recipe, 0.02-2.2 over all four recipes.
 */
const GATED_INSIDE_MSE_MAX = 10.7;
const GATED_INSIDE_MEASURED: Measured = { range: [0.02, 2.2], over: CALIBRATED };
/**
 * "Flattens outside": |slope at ±FAR_X| over the parabola's 2·FAR_X. A sum of
 * bounded gates has slopes that die off exponentially; measured 3e-4 to 0.004
 * for the README's recipe, at most 0.006 over all four recipes. A gate that
 * multiplies an unbounded branch keeps 0.08 (test/mutants: gate-multiplies-linear-branch);
 * a product added to the gates, 1.0.
 */
const GATED_SLOPE_RATIO_MAX = 0.03;
/** Calibration measures the largest ratio over the far probes (±60, ±100): each probe's is below it. */
const GATED_SLOPE_MEASURED: Measured = { range: [0, 0.006], over: `${CALIBRATED}; the largest over the probes ±60 and ±100` };
/** ... and its value there is far from x²: measured 86-94% low over all recipes. */
const GATED_FAR_ERROR_MIN = 0.5;
/** Calibration measures the smallest error over the far probes (±60, ±100): each probe's is above it, and a flat model stays below 1. */
const GATED_FAR_ERROR_MEASURED: Measured = { range: [0.86, 1], over: `${CALIBRATED}; the smallest over the probes ±60 and ±100 measured 0.86-0.94` };
/** float32: slopes agree with the closed form to 1e-5 of their scale; 1e-3 leaves room for another backend. Backends: 8.9e-8 on cpu and on wasm alike (measured with the reference, variants 0, 3 and 11: docs/maintainers.md, "Backends"). */
const SLOPE_RELATIVE_TOLERANCE = 1e-3;
/** The test's own central difference; for a model with a quadratic output it is exact up to float32 rounding. */
const DIFFERENCE_STEP = 0.5;
/** Training these models takes about a second each; this limit only stops a run that never ends. */
const TRAINING_SECONDS = 30;

const KATA = 'kata 07';
const square = (x: number) => x * x;
const relativeError = (value: number, truth: number) => Math.abs(value - truth) / Math.abs(truth);

/** Builds a model with `seed`, measures it, trains it with fitSquares() on xs and measures it again. */
async function trained(build: (seed: number) => unknown, what: string, seed = SEED, xs = TRAIN_XS, epochs?: number) {
  const model = (await build(seed)) as LayersModel;
  const labels = xs.map(square);
  const initialMse = meanSquaredError(predictValues(model, xs), labels);
  const { losses } = await withTimeLimit(() => fitSquares(model, xs, epochs === undefined ? {} : { epochs }), TRAINING_SECONDS, `${KATA}: fitSquares(${what}, xs)`);
  return { model, losses, initialMse, mse: meanSquaredError(predictValues(model, xs), labels) };
}

const product = once(() => trained(buildProductModel, 'buildProductModel()'));
const gated = once(() => trained(buildGatedModel, 'buildGatedModel()'));
const squareUnit = once(() => trained(buildSquareUnitModel, 'buildSquareUnitModel()'));
/**
 * The plot is always drawn from the README's inputs (seed 1, x = -10..10), so
 * that every variant compares with the one baseline; under variant 0 these are
 * the models the other tests trained.
 */
const README_XS = integerRange(-10, 10);
const plotted = once(async () =>
  VARIANT === 0
    ? { product: await product(), squareUnit: await squareUnit(), gated: await gated() }
    : {
        product: await trained(buildProductModel, 'buildProductModel()', 1, README_XS),
        squareUnit: await trained(buildSquareUnitModel, 'buildSquareUnitModel()', 1, README_XS),
        gated: await trained(buildGatedModel, 'buildGatedModel()', 1, README_XS),
      },
);

afterAll(async () => {
  const forPlot = VARIANT === 0 ? undefined : await plotted.ifStarted()?.catch(() => undefined);
  for (const run of [product.ifStarted(), gated.ifStarted(), squareUnit.ifStarted(), ...(forPlot ? Object.values(forPlot).map((r) => Promise.resolve(r)) : [])]) {
    const result = await run?.catch(() => undefined);
    if (result) disposeModel(result.model);
  }
});

const insideMse = (model: LayersModel) => meanSquaredError(predictValues(model, INSIDE), INSIDE.map(square));

/** The largest |number| any Dense layer of `model` reads over the training range: about 1 when x is scaled before the gates. */
function largestDenseInput(model: LayersModel): number {
  let largest = 0;
  for (const layer of model.layers.filter((l) => l.getClassName() === 'Dense')) {
    try {
      const reads = tf.model({ inputs: model.inputs, outputs: layer.input as SymbolicTensor });
      largest = Math.max(largest, ...tf.tidy(() => Array.from((reads.predict(tf.tensor2d(INSIDE, [INSIDE.length, 1])) as Tensor).abs().dataSync())));
    } catch {
      // A layer used twice has no single input to read: it says nothing here.
    }
  }
  return largest;
}

/**
 * Why the gated model misses x² inside its range: checks too few epochs (the same start trained twice as
 * long) and the input scaling (what the gates read), names what holds, and otherwise lists the candidates.
 */
async function gatedInsideCause(model: LayersModel): Promise<string> {
  const reads = largestDenseInput(model);
  const scaled = reads <= 1.5;
  const readsText = `its Dense layers read numbers up to ${reads.toFixed(2)} over the training range`;
  const longer = await trained(buildGatedModel, 'buildGatedModel()', SEED, TRAIN_XS, 2 * EPOCHS);
  const longerMse = insideMse(longer.model);
  disposeModel(longer.model);
  if (longerMse <= GATED_INSIDE_MSE_MAX) {
    return (
      `Trained twice as long (${2 * EPOCHS} epochs), the same start reaches MSE ${longerMse.toFixed(2)} inside the range: the gates need more epochs than EPOCHS = ${EPOCHS} (checked). ` +
      `Train longer or with a larger learning rate (one recipe for all three models).${scaled ? ` The input scaling is right (${readsText}).` : ''}`
    );
  }
  if (!scaled) {
    return `Checked: ${readsText}, so the gates start saturated: scale x into [-1, 1] before them (tf.layers.rescaling({ scale: 1 / ${10} })). Trained twice as long it still measures ${longerMse.toFixed(2)}.`;
  }
  return (
    `Measured: ${readsText} (x is scaled), and trained twice as long (${2 * EPOCHS} epochs) it still measures ${longerMse.toFixed(2)}. Possible causes: no output scale after the readout ` +
    '(the readout alone must grow to about 100), a learning rate too small or too large, or too few gates.'
  );
}

/** Sets a model's weights, in getWeights() order, to the given numbers. */
function setWeights(model: LayersModel, values: number[]): void {
  const shapes = model.getWeights().map((w) => w.shape);
  check(shapes.length === values.length && shapes.every((s) => s.reduce((n, d) => n * d, 1) === 1), () =>
    `The model's weights have shapes ${JSON.stringify(shapes)}; expected ${values.length} single numbers (kernel, bias per Dense(1) unit).`);
  const tensors = values.map((v, i) => tf.fill(shapes[i] as number[], v));
  model.setWeights(tensors);
  tf.dispose(tensors);
}

function checkComputes(model: LayersModel, formula: (x: number) => number, described: string): void {
  const got = predictValues(model, PROBES);
  PROBES.forEach((x, i) => {
    const want = formula(x);
    check(Math.abs((got[i] as number) - want) <= 1e-4 * Math.max(1, Math.abs(want)), () =>
      `With its weights set by hand the model gives ${String(got[i])} at x = ${x}, where ${described} is ${want}.`);
  });
}

/** The test's own dy/dx, by tfjs' automatic differentiation, to hold inputSlopes() against. */
function autodiffSlopes(model: LayersModel, xs: number[]): number[] {
  return tf.tidy(() => Array.from(tf.grad((x: Tensor) => (model.apply(x) as Tensor).sum())(tf.tensor2d(xs, [xs.length, 1])).dataSync()));
}

/**
 * Two hand-set models on which no difference of predictions passes for a derivative
 * in float32, whatever its step:
 * - y = KINK_SLOPE · relu(x − 1), probed 2^-16 and 2^-10 either side of its kink:
 *   tf.grad gives exactly KINK_SLOPE or 0; a difference with a step over 2^-16
 *   straddles the kink and lands in between.
 * - y = tanh(STEEP_W · x), probed where STEEP_W·x is about ±1, where float32
 *   rounding (6e-8 of y, divided by the step) and truncation (step²·y'''/6) leave
 *   a difference quotient far off: a 2-point central difference at the best single
 *   step is 8.8e-6 of the slope off (measured over steps 2^-30..2^-5).
 *   tf.grad agrees with the closed form to 6e-8..1.3e-7 of it.
 * Measured by scanning 2-point and 4-point central differences over steps
 * 2^-28..2^-2: only the 2-point one at 2^-16 passes the hand-set product (task 5's
 * first check) and the kink together, and it is 8e-5 off on the steep one.
 */
const KINK_SLOPE = 3;
const KINK_PROBES = [1 + 2 ** -16, 1 - 2 ** -16, 1 + 2 ** -10, 1 - 2 ** -10];
const STEEP_W = 1000;
const STEEP_PROBES = [1 / STEEP_W, -0.8 / STEEP_W, 1.2 / STEEP_W];
/** Backends: tf.grad is 1.3e-7 off on cpu and on wasm alike (measured with the reference, variants 0, 3 and 11: docs/maintainers.md, "Backends"), a 38-fold margin. */
const STEEP_RELATIVE_TOLERANCE = 5e-6;

async function checkSlopesNotDifferences(): Promise<void> {
  const kink = handBuiltModel(1, [{ kernel: [[1]], bias: [-1], activation: 'relu' }, { kernel: [[KINK_SLOPE]], bias: [0] }]);
  const steep = handBuiltModel(1, [{ kernel: [[STEEP_W]], bias: [0], activation: 'tanh' }]);
  try {
    const kinkSlopes = await inputSlopes(kink, KINK_PROBES);
    KINK_PROBES.forEach((x, i) => {
      const want = x > 1 ? KINK_SLOPE : 0;
      check(Math.abs((kinkSlopes[i] as number) - want) <= 1e-5 * KINK_SLOPE, () =>
        `For y = ${KINK_SLOPE}·relu(x − 1), inputSlopes() gives ${String(kinkSlopes[i])} at x = 1 ${x > 1 ? '+' : '−'} ${Math.abs(x - 1).toExponential(2)}, where the slope is ${want}. ` +
        'A difference of predictions straddles the kink at x = 1: differentiate the model with tf.grad.');
    });
    const steepSlopes = await inputSlopes(steep, STEEP_PROBES);
    STEEP_PROBES.forEach((x, i) => {
      const u = STEEP_W * Math.fround(x);
      const want = STEEP_W * (1 - Math.tanh(u) ** 2);
      check(Math.abs((steepSlopes[i] as number) - want) <= STEEP_RELATIVE_TOLERANCE * want, () =>
        `For y = tanh(${STEEP_W}·x), inputSlopes() gives ${String(steepSlopes[i])} at x = ${x}, where the slope is ${want.toFixed(4)} ` +
        `(off by ${(Math.abs((steepSlopes[i] as number) - want) / want).toExponential(1)} of it; tf.grad is within 2e-7). In float32 no difference of predictions gets this close: differentiate the model with tf.grad.`);
    });
  } finally {
    disposeModel(kink);
    disposeModel(steep);
  }
}

function firstWeights(model: LayersModel): number[] {
  return model.getWeights().flatMap((w) => Array.from(w.dataSync()));
}

async function checkSeeded(build: (seed: number) => unknown, what: string): Promise<void> {
  const [a, b, c] = (await Promise.all([build(SEED), build(SEED), build(OTHER_SEED)])) as LayersModel[];
  try {
    const [wa, wb, wc] = [a, b, c].map((m) => firstWeights(m as LayersModel));
    check(JSON.stringify(wa) === JSON.stringify(wb), () => `${what} gave two different starts for seed ${SEED}: seed every kernel initialiser from the seed argument.`);
    check(JSON.stringify(wa) !== JSON.stringify(wc), () => `${what} gave the same start for seeds ${SEED} and ${OTHER_SEED}: the seed argument must choose the initial weights.`);
  } finally {
    [a, b, c].forEach((m) => disposeModel(m as LayersModel));
  }
}

function checkOneInputOneOutput(model: LayersModel, params: number, what: string): void {
  expect(model.inputs.map((i) => i.shape)).toEqual([[null, 1]]);
  expect(model.outputs.map((o) => o.shape)).toEqual([[null, 1]]);
  check(model.countParams() === params, () => `${what} has ${model.countParams()} parameters; it should have ${params}.`);
  check(isMeanSquaredError(model.loss), () => `${what} is compiled with the loss ${describeLoss(model.loss)}; use the mean squared error.`);
}

/**
 * fitSquares() must leave the model where model.fit leaves it. The test trains a
 * twin (same builder, same seed: checkSeeded) with model.fit itself and the twin's
 * compiled optimizer, and compares weights and losses. Measured: bit-identical for
 * the reference, with and without shuffling, seeds 1-6, 2 and 200 epochs. The
 * product's honest weights end near a = 1/c, not at a = c = 1 (e.g. 0.89 and 1.12
 * for seed 1), so weights set to the answer after training are told apart.
 * Backends: bit-identical on cpu and on wasm too (measured with the reference, variants 0, 3 and 11: docs/maintainers.md, "Backends"): the twin runs the same
 * float32 operations in the same order on the same backend.
 */
const REPLAY_RELATIVE_TOLERANCE = 1e-4;

async function checkTrainedByFit(build: (seed: number) => unknown, model: LayersModel, losses: number[], what: string): Promise<void> {
  const twin = (await build(SEED)) as LayersModel;
  const x = tf.tensor2d(TRAIN_XS, [TRAIN_XS.length, 1]);
  const y = tf.tensor2d(SQUARES, [TRAIN_XS.length, 1]);
  try {
    const history = await withTimeLimit(() => twin.fit(x, y, { epochs: losses.length, batchSize: TRAIN_XS.length, shuffle: false, verbose: 0 }), TRAINING_SECONDS, `${KATA}: the test's own model.fit of ${what}`);
    const replayed = history.history.loss as number[];
    const [ours, theirs] = [firstWeights(twin), firstWeights(model)];
    const close = (a: number, b: number) => Math.abs(a - b) <= REPLAY_RELATIVE_TOLERANCE * Math.max(1, Math.abs(a));
    check(ours.length === theirs.length && ours.every((w, i) => close(w, theirs[i] as number)), () =>
      `After fitSquares() the ${what}'s weights are [${theirs.map((w) => w.toFixed(5)).join(', ')}], but the same start trained by ` +
      `model.fit(x, x², { epochs: ${losses.length}, batchSize: ${TRAIN_XS.length} }) with its compiled optimizer ends at [${ours.map((w) => w.toFixed(5)).join(', ')}]. ` +
      'fitSquares() must train the model with model.fit and nothing else: no weights set by hand, no extra training.');
    check(replayed.every((loss, i) => close(loss, losses[i] as number)), () =>
      `fitSquares() returned losses that model.fit of the same start does not log (first differing epoch ${replayed.findIndex((loss, i) => !close(loss, losses[i] as number))}): return the losses tfjs logged.`);
  } finally {
    tf.dispose([x, y]);
    disposeModel(twin);
  }
}

/** The MSE of the best straight line through (x, x²) on the training points: what a model stuck at a constant or a line gets. */
function lineFloor(xs: number[]): number {
  const n = xs.length;
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / n;
  const [mx, my] = [mean(xs), mean(xs.map(square))];
  const slope = xs.reduce((a, x) => a + (x - mx) * (square(x) - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return mean(xs.map((x) => (square(x) - my - slope * (x - mx)) ** 2));
}

async function checkFitsExactly(run: { mse: number; model: LayersModel }, what: string, build: (seed: number) => unknown): Promise<void> {
  const far = predictValues(run.model, [FAR_X, -FAR_X]);
  const farErrors = far.map((value, i) => relativeError(value, square(i === 0 ? FAR_X : -FAR_X)));
  const fails = !(run.mse <= EXACT_MSE_MAX) || farErrors.some((e) => !(e <= FAR_RELATIVE_TOLERANCE));
  const cause = fails ? await exactFitCause(run.mse, what, build) : '';
  checkBetween(`${what}: MSE on the training points`, run.mse, [0, EXACT_MSE_MAX], {
    measured: EXACT_MSE_MEASURED,
    tooHigh: `${what} can represent x² exactly, so training should take its loss to nearly 0. ${cause}`,
  });
  far.forEach((value, i) => {
    const x = i === 0 ? FAR_X : -FAR_X;
    checkBetween(`${what}: |relative error| at x = ${x}`, farErrors[i] as number, [0, FAR_RELATIVE_TOLERANCE], {
      measured: FAR_ERROR_MEASURED,
      tooHigh: `It fits the training points (MSE ${run.mse.toExponential(2)}) but is off at x = ${x} (${value.toFixed(1)}): the learned coefficients are not yet x²'s. ${cause}`,
    });
  });
}

/** Why an exact model did not fit: stuck on the line's saddle, or too few epochs (both checked), else the candidates. */
async function exactFitCause(mse: number, what: string, build: (seed: number) => unknown): Promise<string> {
  const floor = lineFloor(TRAIN_XS);
  if (Math.abs(mse - floor) < 0.01 * floor) {
    return `Its MSE is the best straight line's (${floor.toFixed(1)}): training stopped where the product is a line, a saddle; slopes that start with a·c > 0 (the README's recipe) get past it.`;
  }
  const longer = await trained(build, what, SEED, TRAIN_XS, 2 * EPOCHS);
  const far = predictValues(longer.model, [FAR_X, -FAR_X]).map((value, i) => relativeError(value, square(i === 0 ? FAR_X : -FAR_X)));
  disposeModel(longer.model);
  const fixed = longer.mse <= EXACT_MSE_MAX && far.every((e) => e <= FAR_RELATIVE_TOLERANCE);
  return fixed
    ? `Trained twice as long (${2 * EPOCHS} epochs), the same start fits (MSE ${longer.mse.toExponential(2)}, within ${FAR_RELATIVE_TOLERANCE * 100}% at ±${FAR_X}): EPOCHS = ${EPOCHS} is too few (checked). Train longer or with a larger learning rate.`
    : `Measured: trained twice as long (${2 * EPOCHS} epochs) it reaches MSE ${longer.mse.toExponential(2)}. Possible causes: labels other than x², a learning rate too small or too large (Adam around 0.1, one full batch per epoch), or weights that do not all train.`;
}

describe('kata 07: products and gates', () => {
  test('task 1: buildProductModel() multiplies two Dense(1) branches: with weights set by hand it computes (a·x + b)·(c·x + d)', async () => {
    const model = await buildProductModel(SEED);
    try {
      checkOneInputOneOutput(model, 4, 'The product model');
      setWeights(model, [A, B, C, D]);
      checkComputes(model, (x) => (A * x + B) * (C * x + D), `(${A.toFixed(3)}·x + ${B.toFixed(3)})·(${C.toFixed(3)}·x + ${D.toFixed(3)})`);
    } finally {
      disposeModel(model);
    }
    await checkSeeded(buildProductModel, 'buildProductModel()');
    await expectNoTensorLeak('buildProductModel()', async () => disposeModel(await buildProductModel(SEED)));
  });

  test(`task 2: fitSquares() trains the product model to near-zero loss, and it extrapolates to x = ±${FAR_X} within ${FAR_RELATIVE_TOLERANCE * 100}%`, async () => {
    const run = await product();
    check(run.losses.length === EPOCHS, () => `fitSquares() ran with its default epochs (EPOCHS = ${EPOCHS}) but returned ${run.losses.length} losses: one per epoch.`);
    // One full batch per epoch: the first logged loss is the untrained model's MSE.
    check(relativeError(run.losses[0] ?? NaN, run.initialMse) < 1e-3, () =>
      `The first loss is ${String(run.losses[0])} but the model given to fitSquares() had MSE ${run.initialMse.toFixed(3)} on those points: ` +
      'train the model you are given, on (x, x²) for the xs you are given, one full batch per epoch.');
    await checkFitsExactly(run, 'product model', buildProductModel);
    await checkTrainedByFit(buildProductModel, run.model, run.losses, 'product model');
  });

  test('task 2: fitSquares() honours epochs and onEpochEnd, and leaks no tensors', async () => {
    const model = await buildProductModel(SEED);
    try {
      const seen: { epoch: number; loss: number }[] = [];
      const { losses } = await fitSquares(model, TRAIN_XS, { epochs: 2, onEpochEnd: (epoch: number, loss: number) => seen.push({ epoch, loss }) });
      check(losses.length === 2, () => `fitSquares(model, xs, { epochs: 2 }) returned ${losses.length} losses; it must train exactly the epochs asked for.`);
      check(seen.length === 2, () => `onEpochEnd was called ${seen.length} times in a 2-epoch run; call it once per epoch.`);
      check(seen.every((call, i) => call.epoch === i && relativeError(call.loss, losses[i] as number) < 1e-6), () =>
        `onEpochEnd was called with (epoch, loss) ${JSON.stringify(seen)}, the losses returned are ${JSON.stringify(losses)}: pass each epoch's number and the loss tfjs logged for it.`);
    } finally {
      disposeModel(model);
    }
    await expectNoTensorLeak('fitSquares()', async () => {
      const fresh = await buildProductModel(SEED);
      await fitSquares(fresh, TRAIN_XS, { epochs: 2 });
      disposeModel(fresh);
    });
  });

  test('task 2: fitSquares() refuses empty xs, NaN and epochs: 0', async () => {
    const model = await buildProductModel(SEED);
    try {
      await expectInputError('fitSquares(model, [])', () => fitSquares(model, []), { names: 'xs', shows: [EMPTY] });
      await expectInputError('fitSquares(model, [1, NaN, 3])', () => fitSquares(model, [1, NaN, 3]), { names: 'xs', shows: ['NaN'] });
      await expectInputError('fitSquares(model, xs, { epochs: 0 })', () => fitSquares(model, TRAIN_XS, { epochs: 0 }), { names: 'epochs', shows: ['0'] });
    } finally {
      disposeModel(model);
    }
  });

  test('task 3: buildGatedModel() multiplies a logistic-sigmoid gate by a tanh branch and fits x² inside the training range', async () => {
    const fresh = await buildGatedModel(SEED);
    try {
      const activations = fresh.layers.map((l) => (l.getConfig() as { activation?: unknown }).activation);
      const classes = fresh.layers.map((l) => l.getClassName());
      check(activations.includes('sigmoid') && activations.includes('tanh'), () =>
        `The gated model's activations are ${JSON.stringify(activations.filter(Boolean))}: an LSTM's output gate is a logistic sigmoid times a tanh; use both.`);
      check(classes.includes('Multiply'), () => `The gated model has no Multiply layer (its layers: ${classes.join(', ')}): the gate multiplies the other branch.`);
      expect(fresh.inputs.map((i) => i.shape)).toEqual([[null, 1]]);
      // A gate frozen open (trainable: false) gates nothing: every weight must learn.
      check(fresh.trainableWeights.length === fresh.weights.length, () =>
        `${fresh.weights.length - fresh.trainableWeights.length} of the gated model's ${fresh.weights.length} weights are not trainable: a gate that cannot learn does not gate. Leave every layer trainable.`);
    } finally {
      disposeModel(fresh);
    }
    // Three gates against twelve: whatever the default, more gates are more parameters.
    const [few, more] = [await buildGatedModel(SEED, 3), await buildGatedModel(SEED, 12)] as LayersModel[];
    try {
      check((few as LayersModel).countParams() < (more as LayersModel).countParams(), () =>
        `buildGatedModel(seed, 3) has ${(few as LayersModel).countParams()} parameters and buildGatedModel(seed, 12) ${(more as LayersModel).countParams()}: the units argument must set the number of gates.`);
    } finally {
      disposeModel(few as LayersModel);
      disposeModel(more as LayersModel);
    }
    await checkSeeded(buildGatedModel, 'buildGatedModel()');
    const run = await gated();
    const mse = insideMse(run.model);
    checkBetween(`gated model: MSE on [${LOW}, ${HIGH}]`, mse, [0, GATED_INSIDE_MSE_MAX], {
      measured: GATED_INSIDE_MEASURED,
      tooHigh: mse > GATED_INSIDE_MSE_MAX ? await gatedInsideCause(run.model) : '',
    });
  });

  test('task 3: buildGatedModel() refuses a number of gates that is not a positive whole number', async () => {
    // A valid build first: the stub's pre-filled check alone must not pass this test.
    disposeModel((await buildGatedModel(SEED, 2)) as LayersModel);
    for (const units of [0, 2.5]) {
      await expectInputError(`buildGatedModel(${SEED}, ${units})`, () => buildGatedModel(SEED, units), { names: 'units', shows: [String(units)] });
    }
  });

  test(`task 3: outside its range the gated model flattens: its slope at ±${FAR_X} is under ${GATED_SLOPE_RATIO_MAX * 100}% of the parabola's`, async () => {
    const { model } = await gated();
    for (const x of [FAR_X, -FAR_X]) {
      const [left, centre, right] = predictValues(model, [x - DIFFERENCE_STEP, x, x + DIFFERENCE_STEP]) as [number, number, number];
      const slope = (right - left) / (2 * DIFFERENCE_STEP);
      checkBetween(`gated model: |slope| at x = ${x} / parabola's |2x| = ${2 * Math.abs(x)}`, Math.abs(slope) / (2 * Math.abs(x)), [0, GATED_SLOPE_RATIO_MAX], {
        measured: GATED_SLOPE_MEASURED,
        tooHigh: `Its slope at x = ${x} is ${slope.toFixed(3)}: bounded gates saturate far out and their slope dies away. Is one branch unbounded (no sigmoid or tanh on it)?`,
      });
      checkBetween(`gated model: |relative error| at x = ${x}`, relativeError(centre, square(x)), [GATED_FAR_ERROR_MIN, Infinity], {
        measured: GATED_FAR_ERROR_MEASURED,
        tooLow: `It predicts ${centre.toFixed(1)} at x = ${x}, close to x² = ${square(x)}: bounded gates cannot grow like x². Are both branches squashed?`,
      });
    }
  });

  test('task 4: buildSquareUnitModel() is one Dense unit with activation x·x: with w and b set by hand it computes (w·x + b)²', async () => {
    const model = await buildSquareUnitModel(SEED);
    try {
      checkOneInputOneOutput(model, 2, 'The square unit');
      setWeights(model, [W, BIAS]);
      checkComputes(model, (x) => (W * x + BIAS) ** 2, `(${W.toFixed(3)}·x + ${BIAS.toFixed(3)})²`);
    } finally {
      disposeModel(model);
    }
    await checkSeeded(buildSquareUnitModel, 'buildSquareUnitModel()');
    await expectNoTensorLeak('buildSquareUnitModel()', async () => disposeModel(await buildSquareUnitModel(SEED)));
  });

  test(`task 4: trained by fitSquares(), the square unit fits exactly as well and extrapolates to x = ±${FAR_X}`, async () => {
    const run = await squareUnit();
    check(relativeError(run.losses[0] ?? NaN, run.initialMse) < 1e-3, () =>
      `The first loss is ${String(run.losses[0])} but the untrained square unit had MSE ${run.initialMse.toFixed(3)}: fitSquares() must train the model it is given.`);
    await checkFitsExactly(run, 'square unit', buildSquareUnitModel);
  });

  test('task 5: inputSlopes() gives dy/dx by automatic differentiation: 2ac·x + (ad + bc) for a hand-set product model', async () => {
    const model = await buildProductModel(SEED);
    try {
      setWeights(model, [A, B, C, D]);
      const slopes = await inputSlopes(model, PROBES);
      check(slopes.length === PROBES.length, () => `inputSlopes() returned ${slopes.length} slopes for ${PROBES.length} xs.`);
      PROBES.forEach((x, i) => {
        const want = 2 * A * C * x + (A * D + B * C);
        check(Math.abs((slopes[i] as number) - want) <= SLOPE_RELATIVE_TOLERANCE * Math.max(1, Math.abs(want)), () =>
          `inputSlopes() gives ${String(slopes[i])} at x = ${x}; the model (${A.toFixed(3)}x + ${B.toFixed(3)})(${C.toFixed(3)}x + ${D.toFixed(3)}) has slope ${want.toFixed(4)} there.`);
      });
      // Where the trained gated model bends (the edges of its range), a finite difference is visibly off.
      const { model: gates } = await gated();
      const bends = [LOW - 5, LOW, 0, HIGH, HIGH + 5, FAR_X];
      const gateSlopes = await inputSlopes(gates, bends);
      const truth = autodiffSlopes(gates, bends);
      bends.forEach((x, i) => {
        check(Math.abs((gateSlopes[i] as number) - (truth[i] as number)) <= SLOPE_RELATIVE_TOLERANCE * Math.max(1, Math.abs(truth[i] as number)), () =>
          `On the trained gated model inputSlopes() gives ${String(gateSlopes[i])} at x = ${x}, where its derivative is ${(truth[i] as number).toFixed(4)}: differentiate the model (tf.grad), do not take differences of predictions.`);
      });
      await checkSlopesNotDifferences();
      await expectNoTensorLeak('inputSlopes()', () => Promise.resolve(inputSlopes(model, PROBES)));
    } finally {
      disposeModel(model);
    }
  });

  test('task 5: inputSlopes() refuses NaN and empty xs', async () => {
    // A hand-built line y = 3x + 1 first: the stub's pre-filled check alone must not pass this test.
    const line = handBuiltModel(1, [{ kernel: [[3]], bias: [1] }]);
    try {
      const [slope] = await inputSlopes(line, [2]);
      check(Math.abs((slope ?? NaN) - 3) < 1e-5, () => `inputSlopes() of the line y = 3x + 1 at x = 2 gives ${String(slope)}; its slope is 3 everywhere.`);
      await expectInputError('inputSlopes(model, [0, NaN])', () => inputSlopes(line, [0, NaN]), { names: 'xs', shows: ['NaN'] });
      await expectInputError('inputSlopes(model, [])', () => inputSlopes(line, []), { names: 'xs', shows: [EMPTY] });
    } finally {
      disposeModel(line);
    }
  });

  test('plot: the product, the square unit and the gated model against x² over [-30, 30]', async () => {
    const { product: p, squareUnit: s, gated: g } = await plotted();
    const grid = linspace(-30, 30, 121);
    const productXs = linspace(-30, 30, 31);
    const squareXs = linspace(-29, 29, 30);
    const png = renderPlot({
      title: 'Kata 07: products extrapolate, bounded gates flatten',
      xLabel: 'x (trained on -10..10)',
      yLabel: 'y',
      xRange: [-30, 30],
      yRange: [-100, 1000],
      shadeX: { from: -10, to: 10, label: 'training range' },
      series: [
        { label: 'x²', xs: grid, ys: grid.map(square), style: 'line', colour: COLOURS.truth },
        { label: '(a·x + b)·(c·x + d)', xs: productXs, ys: predictValues(p.model, productXs), style: 'points', colour: COLOURS.second, pointRadius: 5 },
        { label: 'Dense(1), activation x·x', xs: squareXs, ys: predictValues(s.model, squareXs), style: 'points', colour: COLOURS.third, pointRadius: 5 },
        { label: 'σ(·) ⊙ tanh(·) gates', xs: grid, ys: predictValues(g.model, grid), style: 'line', colour: COLOURS.model },
      ],
    });
    expect(png).toMatchPlotBaseline('07-products-and-gates');
  });
});

testCompiles(__filename);
