import {
  buildFeatureModel,
  featurize,
  predictWithFeature,
  readCoefficients,
  trainFeatureModel,
  TRAINING_RANGE,
} from '@kata/06-right-feature/right-feature';
import { linspace } from '../lib/metrics';
import { loadModel, referenceModelDir } from '../lib/model-files';
import { disposeModel, predictValues } from '../lib/predict';
import { COLOURS, renderPlot } from '../lib/plot';
import { withTimeLimit } from '../lib/time-limit';
import { expectKataError, expectNoTensorLeak } from './support/kata-calls';
import { check, checkBetween, once } from './support/teach';

/** The model is exact in principle (y = 1·x² + 0·x + 0); the reference gets every coefficient within 3e-4. */
const COEFFICIENT_TOLERANCE = 1e-2;
/** Ten times the training range: the reference is off by 3e-7 relative; the ReLU network of kata 03 by 86-87%. */
const FAR_X = 500;
const FAR_RELATIVE_TOLERANCE = 1e-3;
const TRAINING_SECONDS = 30;

const trained = once(() => withTimeLimit(trainFeatureModel(), TRAINING_SECONDS, 'kata 06, task 3: trainFeatureModel()'));
afterAll(async () => {
  const result = await trained().catch(() => undefined);
  if (result) disposeModel(result.model);
});

describe('kata 06: the right feature fits exactly and extrapolates', () => {
  test('task 1: featurize() gives one row [x / R, (x / R)²] per x', async () => {
    expect(await featurize([0, TRAINING_RANGE, -TRAINING_RANGE / 2])).toEqual([[0, 0], [1, 1], [-0.5, 0.25]]);
    await expectKataError(() => featurize([1, NaN]), /xs\[1\] is NaN/);
    await expectNoTensorLeak('featurize()', async () => featurize([1, 2]));
  });

  test('task 2: buildFeatureModel() is a single Dense unit on two features, compiled with MSE', async () => {
    const model = await buildFeatureModel();
    try {
      check(model.layers.length === 1, () => `The model has ${model.layers.length} layers: the point is that ONE Dense unit is enough once it sees x².`);
      expect(model.inputs[0]?.shape).toEqual([null, 2]);
      expect(model.countParams()).toBe(3);
      check(/^(meanSquaredError|mse|mean_squared_error)$/.test(String(model.loss)), () => `The loss is ${String(model.loss)}; use the mean squared error.`);
    } finally {
      disposeModel(model);
    }
    await expectNoTensorLeak('buildFeatureModel() (then disposing the model)', async () => disposeModel(await buildFeatureModel()));
  });

  test(`task 3 and 4: trained, its coefficients are x²'s within ${COEFFICIENT_TOLERANCE}: 1·x² + 0·x + 0`, async () => {
    const { model } = await trained();
    const c = await readCoefficients(model);
    const why = 'With the right feature the exact answer is in reach: train until the loss stops moving (full batch, a learning rate near 0.5 for features in [-1, 1]), and check the unscaling in readCoefficients().';
    checkBetween('coefficient of x²', c.square, [1 - COEFFICIENT_TOLERANCE, 1 + COEFFICIENT_TOLERANCE], { tooLow: why, tooHigh: why });
    checkBetween('coefficient of x', c.linear, [-COEFFICIENT_TOLERANCE, COEFFICIENT_TOLERANCE], { tooLow: why, tooHigh: why });
    checkBetween('bias', c.bias, [-COEFFICIENT_TOLERANCE, COEFFICIENT_TOLERANCE], { tooLow: why, tooHigh: why });
    await expectNoTensorLeak('readCoefficients()', async () => readCoefficients(model));
    await expectNoTensorLeak('trainFeatureModel(2) (then disposing the model)', async () => disposeModel((await trainFeatureModel(2)).model));
  });

  test(`task 5: at x = ±${FAR_X}, ten times the training range, the prediction is within ${FAR_RELATIVE_TOLERANCE * 100}% of ${FAR_X ** 2}`, async () => {
    const { model } = await trained();
    const [right, left] = await predictWithFeature(model, [FAR_X, -FAR_X]);
    for (const prediction of [right, left]) {
      checkBetween(`prediction at ${FAR_X}`, prediction ?? NaN, [FAR_X ** 2 * (1 - FAR_RELATIVE_TOLERANCE), FAR_X ** 2 * (1 + FAR_RELATIVE_TOLERANCE)], {
        tooLow: 'Does predictWithFeature() featurize the raw x and scale the answer back by R²?',
        tooHigh: 'Does predictWithFeature() featurize the raw x and scale the answer back by R²?',
      });
    }
    await expectNoTensorLeak('predictWithFeature()', async () => predictWithFeature(model, [FAR_X]));
  });

  test("plot: the feature model against kata 03's ReLU network over [-150, 150]", async () => {
    const { model } = await trained();
    const relu = await loadModel(referenceModelDir('03-deep-relu'));
    const grid = linspace(-150, 150, 121);
    const sparse = grid.filter((_, i) => i % 4 === 0);
    const featurePredictions = await predictWithFeature(model, sparse);
    const png = renderPlot({
      title: 'Kata 06: the right feature extrapolates, the ReLU network does not',
      xLabel: 'x (both trained on [-50, 50])',
      yLabel: 'y',
      xRange: [-150, 150],
      yRange: [-1000, 23000],
      shadeX: { from: -TRAINING_RANGE, to: TRAINING_RANGE, label: 'training range' },
      series: [
        { label: 'x²', xs: grid, ys: grid.map((x) => x * x), style: 'line', colour: COLOURS.truth },
        { label: 'Dense(1) on [x, x²]', xs: sparse, ys: featurePredictions, style: 'points', colour: COLOURS.second, pointRadius: 4 },
        { label: 'ReLU network (kata 03)', xs: grid, ys: predictValues(relu, grid), style: 'line', colour: COLOURS.model },
      ],
    });
    disposeModel(relu);
    expect(png).toMatchPlotBaseline('06-right-feature');
  });
});
