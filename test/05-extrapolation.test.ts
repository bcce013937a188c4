import {
  centralSlope,
  relativeErrorBand,
  relativeErrors,
  RELU_TRAINING_RANGE,
  secondDifference,
  TANH_TRAINING_RANGE,
} from '@kata/05-extrapolation/extrapolation';
import { linspace } from '../lib/metrics';
import { loadModel, referenceModelDir } from '../lib/model-files';
import { disposeModel, predictValues } from '../lib/predict';
import { COLOURS, renderPanels, type PlotSpec } from '../lib/plot';
import { expectKataError, expectNoTensorLeak } from './support/kata-calls';
import { check, checkBetween, once } from './support/teach';

/*
 * Bounds measured on the shipped reference models (lib/models/, npm run models),
 * 50 points per side (npm run bench -- --kata 05):
 *                       inside: max |rel. error|, |x| in [0.2R, R]   outside: min |rel. error|, |x| in [1.8R, 2R]
 *   ReLU (R = 50)       0.036                                          0.31
 *   tanh (R = 10)       0.037                                          0.44
 * Inside must stay under 0.08 (twice the worst measured), outside over 0.2
 * (two thirds of the best measured). Below 0.2R the truth x² is near 0 and
 * relative errors mean little.
 */
const MAX_INSIDE = 0.08;
const MIN_OUTSIDE = 0.2;
/** A ReLU network beyond its last kink is a straight line: measured |Δ²f| <= 1e-3 where x² gives 2h² = 50 (h = 5). */
const STRAIGHT_LINE_FRACTION = 1e-3;
/** A saturated tanh network is flat: measured slope at ±2R = 3.5% and 5.9% of the parabola's 2x. */
const SATURATED_SLOPE_FRACTION = 0.15;

/** The reference networks of katas 03 and 04 (lib/models/, made by npm run models). */
const models = once(async () => ({
  relu: await loadModel(referenceModelDir('03-deep-relu')),
  tanh: await loadModel(referenceModelDir('04-tanh-restarts')),
}));
afterAll(async () => {
  const loaded = await models().catch(() => undefined);
  if (loaded) [loaded.relu, loaded.tanh].forEach(disposeModel);
});

describe('kata 05: every network fails outside the range it saw', () => {
  test('task 1: relativeErrors() is (f(x) - x²) / x², and refuses x = 0', async () => {
    const { relu } = await models();
    const xs = [10, -25, 100];
    const predictions = predictValues(relu, xs);
    const errors = await relativeErrors(relu, xs);
    errors.forEach((e, i) => expect(e).toBeCloseTo(((predictions[i] as number) - (xs[i] as number) ** 2) / (xs[i] as number) ** 2, 10));
    await expectKataError(() => relativeErrors(relu, [1, 0]), /xs\[1\] is 0/);
    await expectKataError(() => relativeErrors(relu, [NaN]), /NaN/);
    await expectNoTensorLeak('relativeErrors()', async () => relativeErrors(relu, xs));
  });

  test(`task 2: inside their training range both networks are within ${MAX_INSIDE * 100}%; at twice the range both are off by over ${MIN_OUTSIDE * 100}%`, async () => {
    const { relu, tanh } = await models();
    for (const [name, model, range] of [['ReLU', relu, RELU_TRAINING_RANGE], ['tanh', tanh, TANH_TRAINING_RANGE]] as const) {
      const inside = await relativeErrorBand(model, 0.2 * range, range);
      checkBetween(`${name} network: largest |relative error| for |x| in [${0.2 * range}, ${range}]`, inside.max, [0, MAX_INSIDE]);
      const outside = await relativeErrorBand(model, 1.8 * range, 2 * range);
      checkBetween(`${name} network: smallest |relative error| for |x| in [${1.8 * range}, ${2 * range}]`, outside.min, [MIN_OUTSIDE, Infinity], {
        tooLow: 'Far outside its training range a network should be badly wrong: is the band measured on both sides, as |relative error|?',
      });
    }
    await expectKataError(() => relativeErrorBand(relu, 0, 10), /0 < from <= to/);
    await expectKataError(() => relativeErrorBand(relu, 20, 10), /0 < from <= to/);
    await expectNoTensorLeak('relativeErrorBand()', async () => relativeErrorBand(relu, 10, 20));
  });

  test('task 3: far out, the ReLU network is a straight line: its second difference vanishes', async () => {
    const { relu } = await models();
    const h = RELU_TRAINING_RANGE / 10;
    expect(await secondDifference(relu, 0, 1)).toBeCloseTo(predictValues(relu, [-1])[0]! - 2 * predictValues(relu, [0])[0]! + predictValues(relu, [1])[0]!, 6);
    for (const x of [1.5, 1.75, 2, -1.5, -1.75, -2].map((f) => f * RELU_TRAINING_RANGE)) {
      checkBetween(`|second difference| of the ReLU network at x = ${x} (x² gives ${2 * h * h})`, Math.abs(await secondDifference(relu, x, h)), [0, STRAIGHT_LINE_FRACTION * 2 * h * h], {
        tooHigh: 'Beyond its last kink a ReLU network is linear, so f(x+h) - 2f(x) + f(x-h) should be 0 up to rounding.',
      });
    }
    await expectNoTensorLeak('secondDifference()', async () => secondDifference(relu, 10, 1));
  });

  test('task 4: far out, the tanh network saturates: its slope falls towards 0 while the parabola\'s grows', async () => {
    const { tanh, relu } = await models();
    expect(await centralSlope(relu, 10, 0.5)).toBeCloseTo((predictValues(relu, [10.5])[0]! - predictValues(relu, [9.5])[0]!) / 1, 6);
    const h = TANH_TRAINING_RANGE / 20;
    for (const sign of [1, -1]) {
      const slopes: number[] = [];
      for (const f of [1.2, 1.5, 2]) slopes.push(Math.abs(await centralSlope(tanh, sign * f * TANH_TRAINING_RANGE, h)));
      check(slopes[0]! > slopes[1]! && slopes[1]! > slopes[2]!, () => `The tanh network's |slope| at ${sign * 1.2 * TANH_TRAINING_RANGE}, ${sign * 1.5 * TANH_TRAINING_RANGE}, ${sign * 2 * TANH_TRAINING_RANGE} is ${slopes.map((s) => s.toFixed(2)).join(', ')}: it should shrink as tanh saturates.`);
      const x = sign * 2 * TANH_TRAINING_RANGE;
      checkBetween(`|slope| of the tanh network at x = ${x} as a fraction of the parabola's ${Math.abs(2 * x)}`, slopes[2]! / Math.abs(2 * x), [0, SATURATED_SLOPE_FRACTION]);
    }
    // The ReLU network does not saturate: its slope far out is constant, not falling to 0.
    const far = [await centralSlope(relu, 1.5 * RELU_TRAINING_RANGE, RELU_TRAINING_RANGE / 10), await centralSlope(relu, 2 * RELU_TRAINING_RANGE, RELU_TRAINING_RANGE / 10)];
    await expectNoTensorLeak('centralSlope()', async () => centralSlope(relu, 10, 0.5));
    checkBetween('ReLU slope at 2R / slope at 1.5R', far[1]! / far[0]!, [0.999, 1.001], { tooLow: 'A ReLU network far out is a straight line: the same slope at 1.5R and 2R.', tooHigh: 'A ReLU network far out is a straight line: the same slope at 1.5R and 2R.' });
  });

  test('plot: both networks on twice their training range, and their relative errors, the range shaded', async () => {
    const { relu, tanh } = await models();
    const panel = (name: string, model: typeof relu, range: number): PlotSpec => {
      const grid = linspace(-2 * range, 2 * range, 161);
      return {
        title: `${name} network, trained on [-${range}, ${range}]`,
        xLabel: 'x',
        yLabel: 'y',
        xRange: [-2 * range, 2 * range],
        yRange: [-0.1 * 4 * range * range, 4.2 * range * range],
        shadeX: { from: -range, to: range, label: 'training range' },
        series: [
          { label: 'x²', xs: grid, ys: grid.map((x) => x * x), style: 'line', colour: COLOURS.truth },
          { label: 'network', xs: grid, ys: predictValues(model, grid), style: 'line', colour: COLOURS.model },
        ],
      };
    };
    // The error as a function of distance, in units of each training range R (your relativeErrors()).
    const distance = linspace(-2, 2, 160); // 160 points: x = 0 is not among them
    const errorPanel: PlotSpec = {
      title: 'Relative error (f(x) - x²) / x²',
      xLabel: 'x / R (R: the training range)',
      yLabel: 'relative error',
      xRange: [-2, 2],
      yRange: [-0.8, 0.2],
      shadeX: { from: -1, to: 1, label: 'training range' },
      series: [
        { label: 'ReLU', xs: distance, ys: await relativeErrors(relu, distance.map((d) => d * RELU_TRAINING_RANGE)), style: 'line', colour: COLOURS.model },
        { label: 'tanh', xs: distance, ys: await relativeErrors(tanh, distance.map((d) => d * TANH_TRAINING_RANGE)), style: 'line', colour: COLOURS.second },
      ],
    };
    const png = await renderPanels([
      panel('ReLU (kata 03)', relu, RELU_TRAINING_RANGE),
      panel('tanh (kata 04)', tanh, TANH_TRAINING_RANGE),
      errorPanel,
    ]);
    expect(png).toMatchPlotBaseline('05-extrapolation');
  });
});
