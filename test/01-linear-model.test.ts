import {
  adamStepBound,
  buildLinearModel,
  EPOCHS,
  leastSquaresLine,
  measureBiasTravel,
  trainLinearModel,
} from '@kata/01-linear-model/linear-model';
import type { LayersModel } from '@tensorflow/tfjs';
import { tf } from '../lib/tf';
import { integerRange } from '../lib/metrics';
import { disposeModel, predictValues } from '../lib/predict';
import { withTimeLimit } from '../lib/time-limit';
import { EMPTY, expectInputError, expectNoTensorLeak } from './support/kata-calls';
import { describeLoss, isMeanSquaredError } from './support/mse-loss';
import { check, checkBetween, once } from './support/teach';
import { watchTraining } from './support/animate';
import { byVariant, integerIn, uniformIn, VARIANT } from './support/variant';
import { plotLinearModel, PLOT_NAME } from './plot-specs/01-linear-model';
import { mean, type Points, replayTraining, spread } from './support/linear-closed-forms';
import { testCompiles } from './support/type-check';

// ---------------------------------------------------------------------------
// Inputs. Variant 0 (what learners run) is the README's; KATA_VARIANT=n draws
// others of the same kind, so that an answer hard-coded to variant 0 fails.
// Every expected value below is a closed form of these inputs.
// ---------------------------------------------------------------------------

/** The seed's x = -10..10: symmetric, so mean(x) = 0 and slope and intercept decouple. */
const XS = integerRange(-10, 10);
const MEAN_X2 = 770 / 21; // mean(x²) over -10..10
const MEAN_X4 = 50666 / 21; // mean(x⁴)
/** Labels a·x² + c·x on the seed's x: the lesson's x² (a = 1, c = 0) at variant 0. */
const PARABOLA = byVariant('parabola', { a: 1, c: 0 }, (r) => ({ a: uniformIn(r, 1, 2), c: uniformIn(r, -1, 1) }));
const SQUARES = XS.map((x) => PARABOLA.a * x * x + PARABOLA.c * x);
// Closed forms (x symmetric, so x² is uncorrelated with x): the best line has slope c,
// intercept a·mean(x²) and MSE a²·(mean(x⁴) - mean(x²)²) ≈ 1068.2·a².
const FLOOR_SLOPE = PARABOLA.c;
const FLOOR_INTERCEPT = PARABOLA.a * MEAN_X2;
const FLOOR_MSE = PARABOLA.a ** 2 * (MEAN_X4 - MEAN_X2 ** 2);
/** Task 4's straight line y = m·x (m = 2 at variant 0). */
const LINE_SLOPE = byVariant('line slope', 2, (r) => (r() < 0.5 ? -1 : 1) * uniformIn(r, 0.5, 3));
const LINE = XS.map((x) => LINE_SLOPE * x);
/** Where task 3 and 4 ask for predictions. */
const PROBES = byVariant('probes', [4, 11, 20], (r) => [uniformIn(r, -20, -5), uniformIn(r, 0, 10), uniformIn(r, 12, 25)]);
/** Seeds the model's kernel initializer. */
const MODEL_SEED = byVariant('model seed', 1, (r) => integerIn(r, 1, 100_000));

/**
 * Task 2's asymmetric data, where mean(x) ≠ 0 and the points are not in order:
 * a slope that forgets to centre x, or one read off two end points, is wrong here.
 */
const ASYMMETRIC: Points[] = byVariant(
  'asymmetric data',
  [
    // Closed form: slope 11, intercept -22, MSE 52.8 (residuals 12, 4, -2, -6, -8, -8, -6, -2, 4, 12).
    { name: 'x = 1..10, y = x²', xs: integerRange(1, 10), ys: integerRange(1, 10).map((x) => x * x) },
    { name: 'six unordered points', xs: [3, -1, 7.5, 0.5, 12, 2], ys: [4, 6, 30, -2, 41, 9] },
  ],
  (r) => {
    const low = integerIn(r, 1, 8);
    const grid = integerRange(low, low + integerIn(r, 5, 15));
    const [q, k] = [integerIn(r, -6, 6), integerIn(r, -20, 20)];
    const n = integerIn(r, 7, 15);
    const xs = Array.from({ length: n }, () => Math.round(uniformIn(r, -4, 14) * 100) / 100);
    const ys = xs.map((x) => Math.round((0.5 * x * x - 2 * x + uniformIn(r, -8, 8)) * 100) / 100);
    return [
      { name: `x = ${grid[0]}..${grid.at(-1)}, y = x² + ${q}·x + ${k}`, xs: grid, ys: grid.map((x) => x * x + q * x + k) },
      { name: `${n} unordered points`, xs, ys },
    ];
  },
);

// ---------------------------------------------------------------------------
// Bounds, each with where it comes from.
// ---------------------------------------------------------------------------

/**
 * Task 2, float32: a learner may compute the line in tensors. float32 keeps 24
 * bits (eps 6e-8); sums of up to 21 products of numbers up to 400·20, then one
 * cancellation (Σxy - n·mean(x)·mean(y)), lose about 3 decimal digits. Measured
 * (test/calibration/01-linear-model.ts, tensor alternative, variants 0-20):
 * largest error 3e-6 of the scale below; the mistakes it must catch (uncentred
 * slope, end-point slope, MSE over n - 1) are off by 1e-2 or more.
 */
const LINE_TOLERANCE = 1e-4;
/**
 * Task 3: "reaches the floor" means within 0.1% of it. Measured: the reference and
 * the three valid alternatives end 1e-7 above it (test/calibration/01-linear-model.ts,
 * seeds 1-5). 0.1% allows the bias 1.0 away from the floor line, where the plot
 * still matches its baseline pixel for pixel (see PLOT_TOLERANCE); 28 epochs of
 * SGD(0.02) stop 13% above it.
 */
const FLOOR_TOLERANCE = 0.001;
/** The returned model's MSE is computed here in float64 from float32 predictions: it can sit below the floor by rounding only. */
const BELOW_FLOOR_ROUNDING = 1e-5;
/** Task 4: y = m·x is exactly linear; the reference reaches MSE below 1e-9 in 200 epochs. */
const LINEAR_MSE_MAX = 1e-3;
/**
 * Task 3, the recipe check: a few steps of full-batch SGD or Adam replayed
 * here in float64 from the model's initial weights. tfjs runs them in float32
 * (relative error 6e-8 per operation); measured agreement 1e-6 or better over
 * 3 steps. A step taken with another learning rate, optimizer, batch or
 * starting point is off by 1e-2 or more. Backends: 2.8e-6 at most on cpu and on
 * wasm alike (measured with the reference, variants 0, 3 and 11: docs/maintainers.md, "Backends"); a few float32 steps cannot differ by more than some 1e-6.
 */
const REPLAY_TOLERANCE = 1e-4;
/** The seed's recipe (task 5): Adam, learning rate 1e-4, 50,000 epochs of one step each. */
const SEED_LEARNING_RATE = 1e-4;
const SEED_EPOCHS = 50_000;
/** Task 5: a short run of the seed's optimizer; 500 steps train in well under a second. */
const SHORT_RUN_EPOCHS = 500;
/**
 * On the seed's data the bias gradient keeps its sign, so Adam's step stays close to
 * the learning rate: measured 0.997·lr per step over 500 and 50,000 steps (tfjs, cpu).
 * 0.9 leaves room for other backends while still proving the bias crawls.
 */
const SHORT_RUN_MIN_SPEED = 0.9;
/**
 * Task 5, measureBiasTravel() on a run where the bias overshoots (lr large enough
 * to reach the intercept): replayed here in float64. Measured agreement with the
 * reference: 1e-5 relative or better over 21 variants; "epochs × lr" is off by 50% or more.
 * Backends: 3.6e-6 at most on cpu and on wasm alike (measured with the reference, variants 0, 3 and 11: docs/maintainers.md, "Backends").
 */
const TRAVEL_REPLAY_TOLERANCE = 1e-3;
/**
 * Every call into the kata is stopped after this long with a message naming it.
 * The reference's slowest call (task 5's 500 Adam steps) takes about 0.3 s; 20 s
 * is a recipe problem (tens of thousands of epochs), not a slow machine.
 */
const TRAINING_SECONDS = 20;
/**
 * The plot's comparison: at most 0.25% of the pixels may differ after the blur.
 * Measured (test/calibration/01-linear-model.ts and hand-set lines): the
 * reference at seeds 1-5 and the valid alternatives 0%; a line 1 unit off the
 * floor line 0%, 1.7 off 0.45% (beyond task 3's band); the wrong plots kept as
 * mutation cases: line missing (NaN predictions) 1.03%, line stopped at 25
 * 1.90%, slope 1.5 instead of 0 far more. The default 0.5% let the missing
 * line through by a factor of 2 only.
 */
const PLOT_TOLERANCE = { failureThreshold: 0.0025 };

// ---------------------------------------------------------------------------
// Closed forms computed here, never by the kata.
// ---------------------------------------------------------------------------

function weightsOf(model: LayersModel): [number, number] {
  const [kernel, bias] = model.getWeights();
  return [kernel?.dataSync()[0] ?? NaN, bias?.dataSync()[0] ?? NaN];
}

function modelMse(model: LayersModel, xs: number[], ys: number[]): number {
  const predictions = predictValues(model, xs);
  return mean(predictions.map((p, i) => (p - (ys[i] as number)) ** 2));
}

const close = (value: number, expected: number, tolerance: number) => Math.abs(value - expected) <= tolerance * Math.max(1, Math.abs(expected));
const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(4) : v.toFixed(4));

/** Runs a kata call under the time limit, naming it in the message. */
function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  return withTimeLimit(work, TRAINING_SECONDS, `kata 01: ${what}`);
}

const ANIMATION = { title: 'Kata 01: Dense(1) learning x²', xRange: [-10, 10] as [number, number], yRange: [-10, 110] as [number, number], data: { xs: XS, ys: SQUARES } };
const fitOnSquares = once(() =>
  timed('task 3: trainLinearModel(xs, x²)', () => watchTraining('01-linear-model', ANIMATION, () => trainLinearModel(XS, SQUARES, { seed: MODEL_SEED }))),
);
/** The plot always shows the README's run (x², seed 1), whatever the variant: its baseline is that run. */
const fitForPlot =
  VARIANT === 0
    ? fitOnSquares
    : once(() => timed('plot: trainLinearModel(xs, x²)', () => trainLinearModel(XS, XS.map((x) => x * x), { seed: 1 })));

afterAll(async () => {
  const runs = await Promise.all([fitOnSquares, fitForPlot].map((run) => run.ifStarted()?.catch(() => undefined)));
  new Set(runs.map((trained) => trained?.model)).forEach((model) => model && disposeModel(model));
});

describe('kata 01: a linear model cannot learn x²', () => {
  test('task 1: buildLinearModel() is one Dense unit on a one-number input, compiled with MSE, seeded', async () => {
    const model = await buildLinearModel({ seed: MODEL_SEED });
    const again = await buildLinearModel({ seed: MODEL_SEED });
    const other = await buildLinearModel({ seed: MODEL_SEED + 1 });
    try {
      check(model.layers.length === 1, () => `The model has ${model.layers.length} layers; kata 01 is about one Dense layer.`);
      const dense = model.layers[0];
      check(dense?.getClassName() === 'Dense', () => `The layer is a ${dense?.getClassName()}, not a Dense layer.`);
      expect(model.inputs[0]?.shape).toEqual([null, 1]);
      expect(model.outputs[0]?.shape).toEqual([null, 1]);
      check(model.countParams() === 2, () => `The model has ${model.countParams()} parameters; one Dense unit has 2 (a slope and a bias).`);
      check(model.optimizer !== undefined, () => 'The model is not compiled: call model.compile({ optimizer, loss }).');
      check(isMeanSquaredError(model.loss), () => `The loss is ${describeLoss(model.loss)}; the seed uses the mean squared error.`);
      const [w, b] = weightsOf(model);
      check(b === 0, () => `The bias starts at ${b}; a Dense layer's bias starts at 0 (task 5 measures how far it moves from there).`);
      const [wAgain] = weightsOf(again);
      const [wOther] = weightsOf(other);
      check(wAgain === w, () => `Two models built with seed ${MODEL_SEED} start at slopes ${w} and ${wAgain}: pass options.seed to the kernel initializer.`);
      check(wOther !== w, () => `Seeds ${MODEL_SEED} and ${MODEL_SEED + 1} both start at slope ${w}: the kernel initializer ignores options.seed.`);
    } finally {
      [model, again, other].forEach(disposeModel);
    }
    // The other two options: options.learningRate sets SGD's rate; options.optimizer replaces SGD.
    const rate = byVariant('build rate', 0.0123, (r) => uniformIn(r, 0.001, 0.05));
    const withRate = await buildLinearModel({ seed: MODEL_SEED, learningRate: rate });
    const withAdam = await buildLinearModel({ seed: MODEL_SEED, optimizer: tf.train.adam(0.05) });
    try {
      const [sgdName, sgdRate] = [withRate.optimizer?.getClassName(), Number((withRate.optimizer?.getConfig() as { learningRate?: unknown } | undefined)?.learningRate)];
      check(sgdName === 'SGD' && Math.abs(sgdRate - rate) <= 1e-9 * rate, () =>
        `buildLinearModel({ learningRate: ${rate} }) is compiled with ${sgdName ?? 'no optimizer'} at learning rate ${sgdRate}: without options.optimizer, compile with tf.train.sgd(options.learningRate).`);
      const adamName = withAdam.optimizer?.getClassName();
      check(adamName === 'Adam', () => `buildLinearModel({ optimizer: tf.train.adam(0.05) }) is compiled with ${adamName ?? 'no optimizer'}: compile with options.optimizer when it is given.`);
    } finally {
      [withRate, withAdam].forEach(disposeModel);
    }
  });

  test('task 2: leastSquaresLine() on the seed data gives the floor no line can go under', async () => {
    const line = await leastSquaresLine(XS, SQUARES);
    const shown = VARIANT === 0 ? 'x² on x = -10..10' : `${PARABOLA.a.toFixed(3)}·x² + ${PARABOLA.c.toFixed(3)}·x on x = -10..10`;
    const scale = Math.sqrt(FLOOR_MSE);
    checkBetween(`slope for ${shown}`, line.slope, [FLOOR_SLOPE - LINE_TOLERANCE, FLOOR_SLOPE + LINE_TOLERANCE], {
      tooLow: 'x is symmetric about 0, so the x² part adds nothing to the slope: the best slope is the coefficient of x.',
      tooHigh: 'x is symmetric about 0, so the x² part adds nothing to the slope: the best slope is the coefficient of x.',
    });
    const why = 'With mean(x) = 0 the best intercept is mean(y).';
    checkBetween(`intercept for ${shown}`, line.intercept, [FLOOR_INTERCEPT - LINE_TOLERANCE * scale, FLOOR_INTERCEPT + LINE_TOLERANCE * scale], { tooLow: why, tooHigh: why });
    const mseWhy = 'It is the mean of (slope·x + intercept - y)² over the 21 points.';
    checkBetween(`MSE of the best line for ${shown}`, line.mse, [FLOOR_MSE * (1 - LINE_TOLERANCE), FLOOR_MSE * (1 + LINE_TOLERANCE)], { tooLow: mseWhy, tooHigh: mseWhy });
    const exact = await leastSquaresLine(XS, LINE);
    check(
      close(exact.slope, LINE_SLOPE, LINE_TOLERANCE) && Math.abs(exact.intercept) <= LINE_TOLERANCE && exact.mse <= LINE_TOLERANCE,
      () => `For y = ${LINE_SLOPE}·x the line is exact: slope ${LINE_SLOPE}, intercept 0, MSE 0; got slope ${exact.slope}, intercept ${exact.intercept}, MSE ${exact.mse}.`,
    );
  });

  test('task 2: leastSquaresLine() is the least-squares line on asymmetric, unordered data too', async () => {
    for (const points of ASYMMETRIC) {
      const line = await leastSquaresLine(points.xs, points.ys);
      const [sx, sy, mx] = [spread(points.xs), spread(points.ys), mean(points.xs)];
      const residuals = points.xs.map((x, i) => line.slope * x + line.intercept - (points.ys[i] as number));
      const data = `(${points.name}: xs = [${points.xs.join(', ')}], ys = [${points.ys.join(', ')}])`;
      // The normal equations: the residuals of the best line sum to 0 and are orthogonal to x.
      const meanResidual = mean(residuals);
      const meanResidualTimesX = mean(residuals.map((r, i) => r * ((points.xs[i] as number) - mx)));
      check(
        Math.abs(meanResidualTimesX) <= LINE_TOLERANCE * sx * sy,
        () =>
          `On ${data} the residuals of your line (slope ${fmt(line.slope)}) are correlated with x: mean((residual)·(x - mean x)) = ${fmt(meanResidualTimesX)}, ` +
          'but for the least-squares line it is 0. The slope is cov(x, y) / var(x), with x and y centred on their means: ' +
          'a slope from Σxy / Σx² or from two points is right only when mean(x) = 0 or the points are on a line.',
      );
      check(
        Math.abs(meanResidual) <= LINE_TOLERANCE * (sy + Math.abs(mx) * (sy / sx)),
        () =>
          `On ${data} the residuals of your line (intercept ${fmt(line.intercept)}) have mean ${fmt(meanResidual)}, but for the least-squares line they sum to 0: ` +
          'the line passes through (mean x, mean y), so intercept = mean(y) - slope·mean(x).',
      );
      const mseOfLine = mean(residuals.map((r) => r * r));
      check(
        Math.abs(line.mse - mseOfLine) <= LINE_TOLERANCE * Math.max(mseOfLine, sy * sy * LINE_TOLERANCE),
        () => `On ${data} your line's MSE is ${fmt(mseOfLine)} (the mean of its squared residuals over all ${points.xs.length} points), but leastSquaresLine() reports ${fmt(line.mse)}.`,
      );
    }
  });

  test('task 2: leastSquaresLine() names bad input instead of returning NaN', async () => {
    // The stub checks its input already; the test is about a function that both works and refuses bad input.
    const example = await leastSquaresLine([0, 1, 2], [1, 3, 5]);
    check(
      Math.abs(example.slope - 2) < 1e-9 && Math.abs(example.intercept - 1) < 1e-9,
      () => `leastSquaresLine([0, 1, 2], [1, 3, 5]) gave slope ${example.slope} and intercept ${example.intercept}; the README's example is slope 2, intercept 1.`,
    );
    await expectInputError('leastSquaresLine([], [])', () => leastSquaresLine([], []), { names: 'xs', shows: [EMPTY] });
    await expectInputError('leastSquaresLine([1, 2, 3], [1, 4])', () => leastSquaresLine([1, 2, 3], [1, 4]), { names: ['xs', 'ys'], shows: ['3', '2'] });
    await expectInputError('leastSquaresLine([1, NaN], [1, 4])', () => leastSquaresLine([1, NaN], [1, 4]), { names: 'xs', shows: ['NaN'] });
    await expectInputError('leastSquaresLine([1, 2], [1, Infinity])', () => leastSquaresLine([1, 2], [1, Infinity]), { names: 'ys', shows: ['Infinity'] });
  });

  test('task 3: trained on x², the returned model reaches the floor and no further, with one loss per epoch', async () => {
    const { model, losses } = await fitOnSquares();
    check(
      losses.length === EPOCHS,
      () => `trainLinearModel() without options.epochs returned ${losses.length} losses, but EPOCHS is ${EPOCHS}: train EPOCHS epochs and return history.history.loss (one loss per epoch).`,
    );
    const mse = modelMse(model, XS, SQUARES);
    checkBetween('MSE of the returned model on x²', mse, [FLOOR_MSE * (1 - BELOW_FLOOR_ROUNDING), FLOOR_MSE * (1 + FLOOR_TOLERANCE)], {
      tooLow: `No straight line has an MSE below ${FLOOR_MSE.toFixed(1)} on these points (task 2), so the returned model is not one Dense unit: return the model you trained.`,
      tooHigh: `The returned model is more than ${FLOOR_TOLERANCE * 100}% above the least-squares floor: train more epochs or with a larger learning rate (SGD is stable below about 0.027 here).`,
    });
    const lastLoss = losses.at(-1) ?? NaN;
    checkBetween('last reported loss on x²', lastLoss, [FLOOR_MSE * (1 - BELOW_FLOOR_ROUNDING), FLOOR_MSE * (1 + FLOOR_TOLERANCE)], {
      tooLow: `The returned model's MSE is ${fmt(mse)}, at the floor, but the reported loss is below it: report the losses the training computed.`,
      tooHigh: `The returned model's MSE is ${fmt(mse)}, at the floor, but the last reported loss is above it: report the losses of this training run.`,
    });
    // Within FLOOR_TOLERANCE of the floor, |Δb + Δw·x| ≤ sqrt(FLOOR_TOLERANCE·floor·(1 + x²/mean(x²))) (Cauchy-Schwarz): the line is near the floor line.
    const predictions = predictValues(model, PROBES);
    PROBES.forEach((x, i) => {
      const onFloor = FLOOR_SLOPE * x + FLOOR_INTERCEPT;
      const slack = Math.sqrt(FLOOR_TOLERANCE * FLOOR_MSE * (1 + (x * x) / MEAN_X2));
      checkBetween(`prediction at x = ${fmt(x)}`, predictions[i] ?? NaN, [onFloor - slack, onFloor + slack], {
        tooLow: 'At the floor the model is the least-squares line of task 2.',
        tooHigh: 'At the floor the model is the least-squares line of task 2.',
      });
    });
  });

  test('task 3: trainLinearModel() trains buildLinearModel(options) one full batch per epoch, with options.seed, epochs, learningRate and optimizer', async () => {
    const learningRate = byVariant('sgd rate', 0.004, (r) => uniformIn(r, 0.002, 0.01));
    const adamRate = byVariant('adam rate', 0.05, (r) => uniformIn(r, 0.01, 0.2));
    const runs = [
      { what: `{ seed: ${MODEL_SEED}, epochs: 3, learningRate: ${fmt(learningRate)} }`, steps: 3, options: { learningRate }, replay: { sgd: learningRate } },
      { what: `{ seed: ${MODEL_SEED}, epochs: 2, optimizer: tf.train.adam(${fmt(adamRate)}) }`, steps: 2, options: { optimizer: tf.train.adam(adamRate) }, replay: { adam: adamRate } },
    ] as const;
    const fresh = await buildLinearModel({ seed: MODEL_SEED });
    const start = weightsOf(fresh);
    disposeModel(fresh);
    for (const run of runs) {
      const trained = await timed(`trainLinearModel(xs, ys, ${run.what})`, () => trainLinearModel(XS, SQUARES, { seed: MODEL_SEED, epochs: run.steps, ...run.options }));
      const weights = weightsOf(trained.model);
      disposeModel(trained.model);
      const call = `trainLinearModel(xs, ys, ${run.what})`;
      check(trained.losses.length === run.steps, () => `${call} returned ${trained.losses.length} losses; one per epoch is ${run.steps}.`);
      const expected = replayTraining(start, XS, SQUARES, run.steps, run.replay);
      const sameAs = (list: number[]) => list.every((loss, i) => close(trained.losses[i] ?? NaN, loss, REPLAY_TOLERANCE));
      check(
        sameAs(expected.before) || sameAs(expected.after),
        () =>
          `${call} reported losses [${trained.losses.map(fmt).join(', ')}], but ${run.steps} full-batch steps from the initial weights of buildLinearModel({ seed: ${MODEL_SEED} }) ` +
          `(slope ${fmt(start[0])}, bias ${fmt(start[1])}) have losses [${expected.before.map(fmt).join(', ')}] before each step. ` +
          'Start from buildLinearModel(options), one batch of all the points per epoch, with the optimizer the options ask for.',
      );
      check(
        weights.every((w, i) => close(w, expected.weights[i] as number, REPLAY_TOLERANCE)),
        () =>
          `After ${call} the model's slope and bias are ${fmt(weights[0])}, ${fmt(weights[1])}; ${run.steps} full-batch steps of that optimizer from ` +
          `buildLinearModel({ seed: ${MODEL_SEED} })'s weights give ${fmt(expected.weights[0])}, ${fmt(expected.weights[1])}. Return the model you trained.`,
      );
    }
    const again = await timed('trainLinearModel(xs, ys, { seed, epochs: 3 })', () => trainLinearModel(XS, SQUARES, { seed: MODEL_SEED, epochs: 3, learningRate }));
    const other = await timed('trainLinearModel(xs, ys, { seed + 1, epochs: 3 })', () => trainLinearModel(XS, SQUARES, { seed: MODEL_SEED + 1, epochs: 3, learningRate }));
    disposeModel(again.model);
    disposeModel(other.model);
    check(again.losses[0] !== other.losses[0], () => `Seeds ${MODEL_SEED} and ${MODEL_SEED + 1} gave the same first loss ${again.losses[0]}: pass options.seed on to buildLinearModel().`);
  });

  test('task 3: trainLinearModel() names bad input before it reaches tfjs', async () => {
    await expectInputError('trainLinearModel([1, 2, 3], [1, 4])', () => trainLinearModel([1, 2, 3], [1, 4]), { names: ['xs', 'ys'], shows: ['3', '2'] });
    await expectInputError('trainLinearModel([1, Infinity], [1, 4])', () => trainLinearModel([1, Infinity], [1, 4]), { names: 'xs', shows: ['Infinity'] });
    await expectInputError('trainLinearModel([], [])', () => trainLinearModel([], []), { names: 'xs', shows: [EMPTY] });
    await expectInputError('trainLinearModel([1, 2], [1, 4], { epochs: 0 })', () => trainLinearModel([1, 2], [1, 4], { epochs: 0 }), { names: 'epochs', shows: ['0'] });
  });

  test('task 4: trained on a straight line y = m·x, the same model is right', async () => {
    const { model, losses } = await timed(`task 4: trainLinearModel(xs, ${LINE_SLOPE}·x)`, () => trainLinearModel(XS, LINE, { seed: MODEL_SEED }));
    try {
      const mse = modelMse(model, XS, LINE);
      checkBetween(`MSE of the model trained on y = ${fmt(LINE_SLOPE)}·x`, mse, [0, LINEAR_MSE_MAX], {
        tooHigh: 'A straight line is what one Dense unit computes, so it can fit it exactly: train longer.',
      });
      check(losses.length === EPOCHS, () => `${losses.length} losses for EPOCHS = ${EPOCHS} epochs.`);
      const predictions = predictValues(model, PROBES);
      PROBES.forEach((x, i) => {
        const slack = Math.sqrt(LINEAR_MSE_MAX * (1 + (x * x) / MEAN_X2));
        checkBetween(`prediction at x = ${fmt(x)} on y = ${fmt(LINE_SLOPE)}·x`, predictions[i] ?? NaN, [LINE_SLOPE * x - slack, LINE_SLOPE * x + slack]);
      });
    } finally {
      disposeModel(model);
    }
  });

  test("task 5: Adam's step is bounded, so the seed's 50,000 epochs at 1e-4 cannot reach the floor", async () => {
    const bound = await adamStepBound(SEED_LEARNING_RATE);
    // Kingma & Ba's bound for beta1 = 0.9, beta2 = 0.999: lr · 0.1 / sqrt(0.001) ≈ 3.16 · lr.
    const expectedBound = (lr: number, beta1: number, beta2: number) => lr * Math.max(1, (1 - beta1) / Math.sqrt(1 - beta2));
    checkBetween('Adam step bound for lr = 1e-4', bound, [expectedBound(1e-4, 0.9, 0.999) * (1 - 1e-9), expectedBound(1e-4, 0.9, 0.999) * (1 + 1e-9)], {
      tooLow: 'With beta1 = 0.9 and beta2 = 0.999, (1 - beta1) / sqrt(1 - beta2) ≈ 3.16 > 1.',
      tooHigh: 'With beta1 = 0.9 and beta2 = 0.999, (1 - beta1) / sqrt(1 - beta2) ≈ 3.16 > 1.',
    });
    const cases = byVariant(
      'adam betas',
      [
        { lr: 1e-3, beta1: 0.9, beta2: 0.999 },
        { lr: 0.01, beta1: 0.5, beta2: 0.99 },
        { lr: 0.2, beta1: 0.95, beta2: 0.9 },
      ],
      (r) => [
        { lr: uniformIn(r, 1e-4, 0.1), beta1: uniformIn(r, 0.8, 0.95), beta2: uniformIn(r, 0.99, 0.9999) },
        { lr: uniformIn(r, 1e-4, 0.1), beta1: uniformIn(r, 0.3, 0.7), beta2: uniformIn(r, 0.9, 0.99) },
        { lr: uniformIn(r, 1e-4, 0.1), beta1: uniformIn(r, 0.9, 0.99), beta2: uniformIn(r, 0.5, 0.9) },
      ],
    );
    for (const { lr, beta1, beta2 } of cases) {
      const value = await adamStepBound(lr, beta1, beta2);
      const expected = expectedBound(lr, beta1, beta2);
      const ratio = (1 - beta1) / Math.sqrt(1 - beta2);
      check(
        close(value, expected, 1e-9) && Math.abs(value - expected) <= 1e-9 * expected,
        () =>
          `adamStepBound(${lr}, ${beta1}, ${beta2}) is ${value}. Here (1 - beta1) / sqrt(1 - beta2) = ${ratio.toFixed(4)}, ` +
          `${ratio > 1 ? 'above 1: the bound is lr times that ratio' : 'at most 1: the bound is lr itself'} (Kingma & Ba 2015, section 2.1).`,
      );
    }
    const travel = await timed('task 5: measureBiasTravel()', () =>
      measureBiasTravel(XS, XS.map((x) => x * x), { epochs: SHORT_RUN_EPOCHS, learningRate: SEED_LEARNING_RATE }),
    );
    checkBetween(`bias travel in ${SHORT_RUN_EPOCHS} Adam steps at lr 1e-4`, travel, [SHORT_RUN_MIN_SPEED * SHORT_RUN_EPOCHS * SEED_LEARNING_RATE, SHORT_RUN_EPOCHS * bound], {
      tooLow: 'On this data the bias gradient keeps its sign, so Adam moves the bias by about one learning rate per step.',
      tooHigh: 'No Adam step can be larger than adamStepBound().',
    });
    // Over the seed's 50,000 steps the bias cannot pass 50,000 · bound ≈ 15.8, so the loss
    // stays at least (770/21 - 15.8)² above the floor: ≥ 1503, 40% above it.
    const furthestBias = SEED_EPOCHS * bound;
    const seedFloor = MEAN_X4 - MEAN_X2 ** 2;
    const lossAtLeast = seedFloor + (MEAN_X2 - furthestBias) ** 2;
    check(lossAtLeast > seedFloor * 1.4, () => `After ${SEED_EPOCHS} steps the loss is at least ${lossAtLeast.toFixed(0)}.`);
  });

  test('task 5: measureBiasTravel() trains with Adam(learningRate) from buildLinearModel({ seed }) and measures the bias it reached', async () => {
    // A run fast enough to reach the intercept and overshoot it: "epochs × learning rate" is far off here.
    const epochs = byVariant('travel epochs', 150, (r) => integerIn(r, 100, 200));
    const learningRate = byVariant('travel rate', 0.5, (r) => uniformIn(r, 0.35, 0.6));
    const seed = MODEL_SEED + 7;
    const fresh = await buildLinearModel({ seed });
    const start = weightsOf(fresh);
    disposeModel(fresh);
    const travel = await timed('task 5: measureBiasTravel()', () => measureBiasTravel(XS, SQUARES, { epochs, learningRate, seed }));
    const expected = Math.abs(replayTraining(start, XS, SQUARES, epochs, { adam: learningRate }).weights[1] - start[1]);
    check(
      close(travel, expected, TRAVEL_REPLAY_TOLERANCE),
      () =>
        `measureBiasTravel(xs, ys, { epochs: ${epochs}, learningRate: ${fmt(learningRate)}, seed: ${seed} }) is ${fmt(travel)}, but ${epochs} full-batch Adam steps ` +
        `from buildLinearModel({ seed: ${seed} })'s weights move the bias by ${fmt(expected)}` +
        (close(travel, epochs * learningRate, 1e-6) ? ' (you returned epochs × learningRate: train and read the bias instead).' : '. Train with tf.train.adam(learningRate) for `epochs` epochs and return |bias|.'),
    );
    // On x = -10..10 the bias moves the same whatever the slope (mean(x) = 0): on asymmetric data the start, and so options.seed, shows.
    const { xs: lopsidedXs, ys: lopsidedYs } = ASYMMETRIC[0] as Points;
    const lopsided = await timed('task 5: measureBiasTravel()', () => measureBiasTravel(lopsidedXs, lopsidedYs, { epochs, learningRate, seed }));
    const lopsidedExpected = Math.abs(replayTraining(start, lopsidedXs, lopsidedYs, epochs, { adam: learningRate }).weights[1] - start[1]);
    if (!close(lopsided, lopsidedExpected, TRAVEL_REPLAY_TOLERANCE)) {
      // Name the cause only if it reproduces the number: a start from buildLinearModel() without the seed.
      const unseeded = await buildLinearModel({});
      const unseededStart = weightsOf(unseeded);
      disposeModel(unseeded);
      const fromUnseeded = Math.abs(replayTraining(unseededStart, lopsidedXs, lopsidedYs, epochs, { adam: learningRate }).weights[1] - unseededStart[1]);
      check(false, () =>
        `On ${ASYMMETRIC[0]?.name}, measureBiasTravel(xs, ys, { epochs: ${epochs}, learningRate: ${fmt(learningRate)}, seed: ${seed} }) is ${fmt(lopsided)}, ` +
        `but ${epochs} Adam steps from buildLinearModel({ seed: ${seed} })'s weights move the bias by ${fmt(lopsidedExpected)}. ` +
        (close(lopsided, fromUnseeded, TRAVEL_REPLAY_TOLERANCE)
          ? `It is the travel from buildLinearModel()'s start without a seed (${fmt(fromUnseeded)}): pass options.seed on to buildLinearModel.`
          : 'Here mean(x) ≠ 0, so the bias path depends on the start: train buildLinearModel({ seed }) on the xs and ys given.'),
      );
    }
  });

  test('plot: the data, the trained line and the true x² match the reference plot', async () => {
    const { model } = await fitForPlot();
    expect(plotLinearModel(model)).toMatchPlotBaseline(PLOT_NAME, PLOT_TOLERANCE);
  });

  test('tensors are disposed: every exported function leaks nothing', async () => {
    await expectNoTensorLeak('buildLinearModel()', async () => disposeModel(await buildLinearModel({ seed: 2 })));
    await expectNoTensorLeak('leastSquaresLine()', async () => leastSquaresLine(ASYMMETRIC[1]?.xs ?? [], ASYMMETRIC[1]?.ys ?? []));
    await expectNoTensorLeak('trainLinearModel() and predicting with its model', async () => {
      const { model } = await trainLinearModel(XS, LINE, { seed: 2, epochs: 5 });
      predictValues(model, [1, 2]);
      disposeModel(model);
    });
    await expectNoTensorLeak('trainLinearModel() with an Adam optimizer', async () => {
      const { model } = await trainLinearModel(XS, LINE, { seed: 2, epochs: 5, optimizer: tf.train.adam(0.01) });
      disposeModel(model);
    });
    await expectNoTensorLeak('adamStepBound()', async () => adamStepBound(1e-3));
    await expectNoTensorLeak('measureBiasTravel()', () => measureBiasTravel(XS, LINE, { epochs: 5, learningRate: 1e-3 }));
  });
});

testCompiles(__filename);
