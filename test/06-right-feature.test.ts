import type { LayersModel } from '@tensorflow/tfjs';
import {
  buildFeatureModel,
  EPOCHS,
  featurize,
  mirrorGaps,
  predictWithFeature,
  readCoefficients,
  trainFeatureModel,
  TRAINING_RANGE,
} from '@kata/06-right-feature/right-feature';
import { linspace } from '../lib/metrics';
import { loadModel, referenceModelDir } from '../lib/model-files';
import { disposeModel } from '../lib/predict';
import { withTimeLimit } from '../lib/time-limit';
import { FEATURE_XS, PLOT_NAME, rightFeaturePlot } from './calibration/06-right-feature/plot';
import { closeInFloat32 } from './support/float32';
import { handBuiltModel } from './support/hand-built-models';
import { expectInputError, expectNoTensorLeak } from './support/kata-calls';
import { describeLoss, isMeanSquaredError } from './support/mse-loss';
import { check, checkBetween, type Measured, once } from './support/teach';
import { byVariant, integerIn, uniformIn } from './support/variant';
import { testCompiles } from './support/type-check';

const R = TRAINING_RANGE;

/*
 * Coefficients after training, in scaled units: the model computes
 * y / R² = w1 u + w2 u² + b with u = x / R, so an error of e in a weight is an
 * error of e·R^k in the coefficient of x^(2-k). The loss is a quadratic with
 * curvatures 0.16 to 2.2 (closed form from the features' moments), so any
 * converging recipe ends at the least-squares weights up to float32 rounding.
 * Largest weight error measured (npm run calibrate -- 06 --seeds 1-3, quadratic
 * and x² data): reference SGD 0.5 x 300 5.6e-7; SGD 0.8 x 150 2.6e-7; float32
 * tensors and plain numbers (SGD 0.6 x 250) 5.6e-7; Adam 0.02 x 600 1.7e-5, the slowest
 * to settle. WEIGHT_TOLERANCE is 1e-4, six times Adam's: square within 1e-4,
 * linear within 5e-3, bias within 0.25, a ten-thousandth of the labels' range.
 * An unconverged run (SGD 0.5 x 40) is off by 1e-2; unscaled labels by R² - 1 times the weights.
 */
const WEIGHT_TOLERANCE = 1e-4;
const COEFFICIENT_TOLERANCE = { square: WEIGHT_TOLERANCE, linear: WEIGHT_TOLERANCE * R, bias: WEIGHT_TOLERANCE * R * R };
/** The largest weight error measured over every valid recipe (Adam's), as a range around a coefficient's exact value. */
const WEIGHT_ERROR_MEASURED = 1.7e-5;
const coefficientMeasured = (name: keyof typeof COEFFICIENT_TOLERANCE, exact: number): Measured => {
  const error = (WEIGHT_ERROR_MEASURED * COEFFICIENT_TOLERANCE[name]) / WEIGHT_TOLERANCE;
  return { range: [exact - error, exact + error], over: 'SGD, Adam, float32 tensors and plain numbers, seeds 1-3 (npm run calibrate -- 06 --seeds 1-3)' };
};
/** Ten times the training range: the reference is off by 3e-7 relative; the ReLU network of kata 03 by 86-87%. */
const FAR_X = 10 * R;
const FAR_RELATIVE_TOLERANCE = 1e-3;
/** Each training run; the reference measured 0.8 to 8 s on this busy 2-core machine (npm run calibrate -- 06). */
const TRAINING_SECONDS = 30;
/*
 * Task 6. Mean |f(x) - f(-x)| over 50 x in (0, R]: the shipped ReLU network of
 * kata 03 measured 4.06 (3.08 at x = 4: 17.60 vs 14.52, as in the answer's
 * 16.63 vs 15.03). A network trained on x² is symmetric only by accident; its
 * gaps are of the size of its error (RMSE several units), so 0.5 leaves an
 * eightfold margin. The feature model's gap is exactly 2·linear·x, so its bound
 * follows from task 3's: mean |gap| <= 2 · 5e-3 · mean |x| (about 0.26);
 * measured 0 to 3e-7 over every valid recipe (npm run calibrate -- 06).
 */
const MIN_NETWORK_MEAN_GAP = 0.5;
/*
 * Plot: only your feature model's markers depend on your code. Measured
 * (npm run calibrate -- 06, and the plot cases of test/mutants/06-right-feature.ts):
 * every valid recipe differs from the baseline by 0% of the pixels; the
 * whole feature series missing (NaN) 0.50%; the markers on 1.02·x² + 1000
 * 1.37%. The limit is 0.1%: a missing or wrong series fails by 5 times it.
 */
const PLOT_TOLERANCE = { failureThreshold: 0.001 };

// Inputs a hard-coded answer cannot know: README values at variant 0.
const sign = (random: () => number) => (random() < 0.5 ? -1 : 1);
const FEATURE_PROBES = byVariant('featurize probes', [0, R, -R / 2, 73, -130.5], (r) => Array.from({ length: 5 }, () => uniformIn(r, -3 * R, 3 * R)));
/** A hand-set feature model y = R² (w1 u + w2 u² + b): square w2, linear R·w1, bias R²·b. */
const HAND_WEIGHTS = byVariant('hand-set weights', { w1: 0.4, w2: 0.8, b: -0.3 }, (r) => ({
  w1: sign(r) * uniformIn(r, 0.2, 1),
  w2: uniformIn(r, 0.3, 1.5),
  b: sign(r) * uniformIn(r, 0.1, 0.5),
}));
const PREDICTION_PROBES = byVariant('prediction probes', [-437, -120, -3, 7, 64, 512], (r) => Array.from({ length: 6 }, () => uniformIn(r, -10 * R, 10 * R)));
/** The quadratic dataset of task 3: y = square·x² + linear·x + bias on `points` evenly spaced x in [-R, R]. */
const QUADRATIC = byVariant('quadratic dataset', { square: 0.5, linear: -20, bias: 300, points: 101 }, (r) => ({
  square: uniformIn(r, 0.5, 1.5),
  linear: sign(r) * uniformIn(r, 0.2, 0.8) * R,
  bias: sign(r) * uniformIn(r, 0.05, 0.5) * R * R,
  points: integerIn(r, 61, 141),
}));
/**
 * A hand-set network f(x) = a·relu(x - c) + d, kink at c < 0:
 * f(x) - f(-x) = a·(relu(x - c) - relu(-x - c)), which is 2a·x for |x| < -c and a·(x - c) beyond: never 0 for x > 0.
 * a < 0 by default: its gaps are negative, so gaps returned as |f(x) - f(-x)| fail in the learner's run too, not only under variants.
 */
const HAND_NETWORK = byVariant('hand-set network', { a: -30, c: -10, d: 5 }, (r) => ({ a: sign(r) * uniformIn(r, 5, 50), c: -uniformIn(r, 0.05, 0.5) * R, d: uniformIn(r, -100, 100) }));
const MIRROR_XS = byVariant('mirror xs', linspace(1, R, 50), (r) => Array.from({ length: 50 }, () => uniformIn(r, 0.02, 1) * R));

const quadraticData = () => {
  const xs = linspace(-R, R, QUADRATIC.points);
  return { xs, ys: xs.map((x) => QUADRATIC.square * x * x + QUADRATIC.linear * x + QUADRATIC.bias) };
};
const exactPolynomial = (c: { square: number; linear: number; bias: number }) => (x: number) => c.square * x * x + c.linear * x + c.bias;

/** What a feature model's weights mean in original units, read by the test itself. */
function coefficientsOf(model: LayersModel) {
  const [kernel, bias] = model.getWeights().map((w) => Array.from(w.dataSync()));
  const [w1, w2] = kernel as [number, number];
  const b = (bias as number[])[0] as number;
  return { w1, w2, b, square: w2, linear: R * w1, bias: R * R * b };
}
const handSetFeatureModel = () => {
  const { w1, w2, b } = HAND_WEIGHTS;
  return handBuiltModel(2, [{ kernel: [[w1], [w2]], bias: [b] }]);
};
const handSetNetwork = () => {
  const { a, c, d } = HAND_NETWORK;
  return handBuiltModel(1, [{ kernel: [[1]], bias: [-c], activation: 'relu' }, { kernel: [[a]], bias: [d] }]);
};
async function withModel<T>(make: () => LayersModel, use: (model: LayersModel) => Promise<T>): Promise<T> {
  const model = make();
  try {
    return await use(model);
  } finally {
    disposeModel(model);
  }
}

const trainedOnSquares = once(() => withTimeLimit(async () => trainFeatureModel(), TRAINING_SECONDS, 'kata 06, task 3: trainFeatureModel() on x²'));
const trainedOnQuadratic = once(() => withTimeLimit(async () => trainFeatureModel(quadraticData()), TRAINING_SECONDS, 'kata 06, task 3: trainFeatureModel({ xs, ys }) on a quadratic'));
const relu = once(() => loadModel(referenceModelDir('03-deep-relu')));
afterAll(async () => {
  for (const run of [trainedOnSquares, trainedOnQuadratic]) {
    const result = await run.ifStarted()?.catch(() => undefined);
    if (result) disposeModel(result.model);
  }
  const network = await relu.ifStarted()?.catch(() => undefined);
  if (network) disposeModel(network);
});

const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4));
const polynomialText = (c: { square: number; linear: number; bias: number }) => `${fmt(c.square)}·x² + ${fmt(c.linear)}·x + ${fmt(c.bias)}`;

describe('kata 06: the right feature fits exactly and extrapolates', () => {
  test('task 1: featurize() gives one row [x / R, (x / R)²] per x', async () => {
    const rows = await featurize(FEATURE_PROBES);
    check(Array.isArray(rows) && rows.length === FEATURE_PROBES.length, () => `featurize() of ${FEATURE_PROBES.length} xs returned ${Array.isArray(rows) ? rows.length : typeof rows} rows: one row per x.`);
    FEATURE_PROBES.forEach((x, i) => {
      const u = x / R;
      const row = rows[i] ?? [];
      check(row.length === 2 && closeInFloat32(row[0] ?? NaN, u) && closeInFloat32(row[1] ?? NaN, u * u), () => `featurize([${x}]) gave [${row.join(', ')}]; with u = x / ${R} it is [u, u²] = [${u}, ${u * u}].`);
    });
    await expectNoTensorLeak('featurize()', async () => featurize([1, 2]));
    await expectInputError('featurize([1, NaN])', () => featurize([1, NaN]), { names: 'xs', shows: ['NaN'] });
  });

  test('task 2: buildFeatureModel() is one seeded linear Dense unit on two features, compiled with MSE', async () => {
    const [model, again] = [await buildFeatureModel(), await buildFeatureModel()];
    try {
      check(model.layers.length === 1, () => `The model has ${model.layers.length} layers: the point is that ONE Dense unit is enough once it sees x².`);
      const layer = model.layers[0]!;
      const activation = String((layer.getConfig() as { activation?: unknown }).activation ?? 'linear');
      check(layer.getClassName() === 'Dense' && activation === 'linear', () => `The layer is a ${layer.getClassName()} with activation ${activation}: it must be a Dense layer without activation, so that it computes w1·u + w2·u² + b.`);
      expect(model.inputs[0]?.shape).toEqual([null, 2]);
      check(model.countParams() === 3, () => `The model has ${model.countParams()} parameters: w1, w2 and the bias make 3.`);
      check(isMeanSquaredError(model.loss), () => `The loss is ${describeLoss(model.loss)}; use the mean squared error.`);
      const [first, second] = [model, again].map((m) => m.getWeights().flatMap((w) => Array.from(w.dataSync())));
      check(first!.every((w, i) => w === second![i]), () => `Two calls of buildFeatureModel() start from different weights (${first!.map(fmt).join(', ')} and ${second!.map(fmt).join(', ')}): seed the kernel initializer.`);
    } finally {
      disposeModel(model);
      disposeModel(again);
    }
    await expectNoTensorLeak('buildFeatureModel() (then disposing the model)', async () => disposeModel(await buildFeatureModel()));
  });

  test('task 3: trainFeatureModel() fits a quadratic it has not seen, y = a·x² + b·x + c, to float32 precision', async () => {
    const { model, losses } = await trainedOnQuadratic();
    check(Array.isArray(losses) && losses.length === EPOCHS, () => `trainFeatureModel() returned ${Array.isArray(losses) ? losses.length : 'no'} losses for EPOCHS = ${EPOCHS}: one loss per epoch.`);
    check(losses.every(Number.isFinite) && losses[losses.length - 1]! < losses[0]!, () => `The losses went from ${losses[0]} to ${losses[losses.length - 1]}: they should fall. Is the learning rate too high for features in [-1, 1]?`);
    const learned = coefficientsOf(model);
    for (const name of ['square', 'linear', 'bias'] as const) {
      const tolerance = COEFFICIENT_TOLERANCE[name];
      checkBetween(`trained on y = ${polynomialText(QUADRATIC)}: the model's ${name} coefficient (read from its weights)`, learned[name], [QUADRATIC[name] - tolerance, QUADRATIC[name] + tolerance], {
        measured: coefficientMeasured(name, QUADRATIC[name]),
        tooLow: `It should be ${fmt(QUADRATIC[name])} within ${fmt(tolerance)}: the model can represent this quadratic exactly. Train on featurize(xs) with labels y / ${R}², full batch, until the loss stops moving.`,
        tooHigh: `It should be ${fmt(QUADRATIC[name])} within ${fmt(tolerance)}: the model can represent this quadratic exactly. Train on featurize(xs) with labels y / ${R}², full batch, until the loss stops moving.`,
      });
    }
    let shortRun: number[] = [];
    await expectNoTensorLeak('trainFeatureModel({ epochs: 2 }) (then disposing the model)', async () => {
      const run = await trainFeatureModel({ epochs: 2 });
      shortRun = run.losses;
      disposeModel(run.model);
    });
    check(shortRun.length === 2, () => `trainFeatureModel({ epochs: 2 }) returned ${shortRun.length} losses: train for the epochs asked and return one loss per epoch.`);
  });

  test('task 3: trainFeatureModel() refuses xs and ys of different lengths, and epochs that is not a positive whole number', async () => {
    await expectInputError('trainFeatureModel({ xs: [1, 2], ys: [1] })', () => trainFeatureModel({ xs: [1, 2], ys: [1] }), { names: ['xs', 'ys'], shows: ['2', '1'] });
    await expectInputError('trainFeatureModel({ epochs: 0 })', () => trainFeatureModel({ epochs: 0 }), { names: 'epochs', shows: ['0'] });
  });

  test(`task 3 and 4: trained on the README's data x², readCoefficients() gives 1·x² + 0·x + 0`, async () => {
    const { model } = await trainedOnSquares();
    const c = await readCoefficients(model);
    const why = 'With the right feature the exact answer is in reach: train until the loss stops moving (full batch, a learning rate near 0.5 for features in [-1, 1]).';
    const truth = { square: 1, linear: 0, bias: 0 };
    const own = coefficientsOf(model);
    for (const name of ['square', 'linear', 'bias'] as const) {
      check(closeInFloat32(c[name], own[name]), () => `readCoefficients() gives ${name} = ${c[name]}, but the model's weights say ${own[name]} (task 4 is checked on a hand-set model below).`);
      checkBetween(`coefficient of ${name === 'square' ? 'x²' : name === 'linear' ? 'x' : '1 (bias)'}`, c[name], [truth[name] - COEFFICIENT_TOLERANCE[name], truth[name] + COEFFICIENT_TOLERANCE[name]], {
        tooLow: why,
        tooHigh: why,
        measured: coefficientMeasured(name, truth[name]),
      });
    }
  });

  test('task 4: readCoefficients() turns hand-set weights back into the coefficients of x², x and 1', async () => {
    await withModel(handSetFeatureModel, async (model) => {
      const { w1, w2, b, ...expected } = coefficientsOf(model);
      const c = await readCoefficients(model);
      const formula = { square: 'w2', linear: `${R} · w1`, bias: `${R}² · b` };
      for (const name of ['square', 'linear', 'bias'] as const) {
        check(closeInFloat32(c[name], expected[name]), () => `For weights w1 = ${w1}, w2 = ${w2}, b = ${b}, readCoefficients() gives ${name} = ${c[name]}; it is ${formula[name]} = ${expected[name]}. Substitute u = x / ${R} into ${R}² · (w1 u + w2 u² + b) and collect the powers of x.`);
      }
      await expectNoTensorLeak('readCoefficients()', async () => readCoefficients(model));
    });
  });

  test(`task 5: predictWithFeature() computes what the weights say, and at x = ±${FAR_X}, ten times the training range, stays within ${FAR_RELATIVE_TOLERANCE * 100}% of x²`, async () => {
    await withModel(handSetFeatureModel, async (model) => {
      const c = coefficientsOf(model);
      const predictions = await predictWithFeature(model, PREDICTION_PROBES);
      PREDICTION_PROBES.forEach((x, i) => {
        const expected = exactPolynomial(c)(x);
        const got = predictions[i] ?? NaN;
        check(closeInFloat32(got, expected, c.square * x * x, c.linear * x, c.bias), () => `For weights w1 = ${c.w1}, w2 = ${c.w2}, b = ${c.b}, predictWithFeature(model, [${x}]) gives ${got}; the model computes ${R}² · (w1 u + w2 u² + b) with u = x / ${R}, that is ${expected}. Featurize the raw x, predict, and multiply by ${R}².`);
      });
      await expectNoTensorLeak('predictWithFeature()', async () => predictWithFeature(model, [FAR_X]));
    });
    const { model } = await trainedOnSquares();
    const far = await predictWithFeature(model, [FAR_X, -FAR_X]);
    [FAR_X, -FAR_X].forEach((x, i) => {
      checkBetween(`prediction of the model trained on x² at ${x}`, far[i] ?? NaN, [FAR_X ** 2 * (1 - FAR_RELATIVE_TOLERANCE), FAR_X ** 2 * (1 + FAR_RELATIVE_TOLERANCE)], {
        tooLow: 'predictWithFeature() computes what the weights say (checked above on a hand-set model), so the trained weights are off: see task 3.',
        tooHigh: 'predictWithFeature() computes what the weights say (checked above on a hand-set model), so the trained weights are off: see task 3.',
      });
    });
  });

  test('task 6: a network does not know that f(4) = f(-4); the feature model does, up to its tiny linear coefficient', async () => {
    // What mirrorGaps() must compute, on hand-set models with known answers.
    await withModel(handSetFeatureModel, async (featureModel) => withModel(handSetNetwork, async (network) => {
      const xs = MIRROR_XS.slice(0, 8);
      const gaps = await mirrorGaps(featureModel, network, xs);
      const { linear, bias, square } = coefficientsOf(featureModel);
      const { a, c } = HAND_NETWORK;
      const relu = (v: number) => Math.max(0, v);
      xs.forEach((x, i) => {
        const featureGap = 2 * linear * x;
        check(closeInFloat32(gaps.feature[i] ?? NaN, featureGap, square * x * x, linear * x, bias), () => `mirrorGaps(): for a feature model with linear coefficient ${linear}, f(${x}) - f(${-x}) is 2 · ${linear} · ${x} = ${featureGap}, not ${gaps.feature[i]}.`);
        const networkGap = Math.fround(a) * (relu(x - Math.fround(c)) - relu(-x - Math.fround(c)));
        check(closeInFloat32(gaps.network[i] ?? NaN, networkGap, a * (Math.abs(x) + Math.abs(c)), HAND_NETWORK.d), () => `mirrorGaps(): for the network f(x) = ${a}·relu(x - ${c}) + ${HAND_NETWORK.d}, f(${x}) - f(${-x}) is ${networkGap}, not ${gaps.network[i]}. Evaluate the network at x and at -x: nothing makes it symmetric.`);
      });
      await expectNoTensorLeak('mirrorGaps()', async () => mirrorGaps(featureModel, network, [4]));
    }));
    // The lesson: the trained network is lopsided, the feature model is not.
    const { model } = await trainedOnSquares();
    const gaps = await mirrorGaps(model, await relu(), MIRROR_XS);
    const mean = (values: number[]) => values.reduce((sum, v) => sum + Math.abs(v), 0) / values.length;
    const example = MIRROR_XS.indexOf(4) >= 0 ? MIRROR_XS.indexOf(4) : 0;
    const at = `at x = ${fmt(MIRROR_XS[example]!)} the network gives a gap of ${fmt(gaps.network[example] ?? NaN)}`;
    checkBetween(`kata 03's ReLU network: mean |f(x) - f(-x)| over ${MIRROR_XS.length} x in (0, ${R}]`, mean(gaps.network), [MIN_NETWORK_MEAN_GAP, Infinity], {
      tooLow: `A trained network only approximates x²; it has no reason to give the same answer at x and -x (the answer's network: 16.63 at 4, 15.03 at -4), and ${at}. mirrorGaps() computes the network's gaps as on the hand-set network above, so they should be of the size of its error.`,
    });
    const maxFeatureGap = 2 * COEFFICIENT_TOLERANCE.linear * mean(MIRROR_XS);
    checkBetween(`your feature model trained on x²: mean |f(x) - f(-x)| over the same x`, mean(gaps.feature), [0, maxFeatureGap], {
      tooHigh: `Its gap is 2 · linear · x, so its linear coefficient (${fmt(coefficientsOf(model).linear)}) is not near 0: see task 3.`,
    });
  });

  test("plot: the feature model against kata 03's ReLU network over [-150, 150]", async () => {
    const { model } = await trainedOnSquares();
    const png = rightFeaturePlot(await predictWithFeature(model, FEATURE_XS), await relu(), R);
    expect(png).toMatchPlotBaseline(PLOT_NAME, PLOT_TOLERANCE);
  });
});

testCompiles(__filename);
