import { buildTanhNetwork, KEEP_BEST, lossSpread, trainRestarts, trainTanhNetwork, XS } from '@kata/04-tanh-restarts/tanh-restarts';
import { linspace, meanSquaredError } from '../lib/metrics';
import { disposeModel, predictValues } from '../lib/predict';
import { COLOURS, renderPlot, type Series } from '../lib/plot';
import { withTimeLimit } from '../lib/time-limit';
import { expectKataError, expectNoTensorLeak } from './support/kata-calls';
import { check, checkBetween, once } from './support/teach';

const SQUARES = XS.map((x) => x * x);
/** How many restarts the test trains; the spread below is calibrated for 8. */
const RESTARTS = 8;
/** The answer's best of 20 restarts: MSE 2.33. The reference recipe's best of 8 is 0.44. */
const MAX_BEST_MSE = 2.5;
/**
 * The lesson: the random start matters. Worst / best final MSE over 8 restarts
 * measured 5.6 for the reference recipe (15 over 20 restarts; the answer's own
 * recipe: 80.9 / 2.33 = 35 over 20, and 25.7 / 0.66 = 39 over 20 in tfjs,
 * npm run bench -- --kata 04 --full). A recipe whose restarts all end alike has
 * stopped showing it; 2 leaves room below the reference's 5.6.
 */
const MIN_SPREAD_RATIO = 2;
/** The reference trains 8 restarts in about 2.5 s. */
const TRAINING_SECONDS = 60;

const restarts = once(() => withTimeLimit(trainRestarts(RESTARTS, KEEP_BEST), TRAINING_SECONDS, 'kata 04, task 3: trainRestarts()'));

afterAll(async () => {
  const result = await restarts().catch(() => undefined);
  result?.best.forEach((r) => disposeModel(r.model));
});

describe('kata 04: a small tanh network on few points, and how much the random start matters', () => {
  test('task 1: buildTanhNetwork() is Dense(10, tanh) → Dense(1), and the seed decides its start', async () => {
    const a = await buildTanhNetwork(1);
    const b = await buildTanhNetwork(1);
    const c = await buildTanhNetwork(2);
    try {
      expect(a.layers.map((l) => l.getConfig().units)).toEqual([10, 1]);
      expect(a.layers.map((l) => l.getConfig().activation)).toEqual(['tanh', 'linear']);
      expect(a.inputs[0]?.shape).toEqual([null, 1]);
      const weights = (m: typeof a) => m.getWeights().map((w) => Array.from(w.dataSync()));
      expect(weights(b)).toEqual(weights(a));
      check(JSON.stringify(weights(c)) !== JSON.stringify(weights(a)), () => 'Seeds 1 and 2 gave the same start: seed every initialiser.');
      const firstBias = weights(a)[1] ?? [];
      check(firstBias.some((v) => v !== 0), () => "The hidden biases all start at 0: every tanh is then centred on x = 0. Initialise them as PyTorch does (the answer's code).");
    } finally {
      [a, b, c].forEach(disposeModel);
    }
    await expectNoTensorLeak('buildTanhNetwork() then disposeModel()', async () => disposeModel(await buildTanhNetwork(1)));
  });

  test('task 2: trainTanhNetwork() returns a model on raw numbers whose MSE is the one it reports', async () => {
    const first = await withTimeLimit(trainTanhNetwork(3), TRAINING_SECONDS, 'kata 04, task 2: trainTanhNetwork()');
    const again = await withTimeLimit(trainTanhNetwork(3), TRAINING_SECONDS, 'kata 04, task 2: trainTanhNetwork()');
    try {
      const measured = meanSquaredError(predictValues(first.model, XS), SQUARES);
      checkBetween('MSE of the returned model on the 21 points', measured, [first.finalMse * 0.99 - 1e-3, first.finalMse * 1.01 + 1e-3], {
        tooLow: 'The reported finalMse is not the returned model\'s: report the loss in original units (times Y_SCALE²).',
        tooHigh: 'The returned model does not answer in original units: fold the scaling back into its weights (lib/fold-scaling.ts).',
      });
      expect(again.finalMse).toBe(first.finalMse);
      await expectKataError(() => trainTanhNetwork(1, { epochs: 0 }), /epochs must be a positive whole number/);
    } finally {
      disposeModel(first.model);
      disposeModel(again.model);
    }
    await expectNoTensorLeak('trainTanhNetwork() then disposeModel()', async () => disposeModel((await trainTanhNetwork(1, { epochs: 2 })).model));
  });

  test(`task 3: trainRestarts() keeps the best ${KEEP_BEST} of ${RESTARTS}, best first, and the best MSE is at most ${MAX_BEST_MSE}`, async () => {
    const { best, allMse } = await restarts();
    check(allMse.length === RESTARTS, () => `allMse has ${allMse.length} losses; want one per restart (${RESTARTS}).`);
    check(best.length === KEEP_BEST, () => `trainRestarts() kept ${best.length} networks; keep the best ${KEEP_BEST}.`);
    best.forEach((r, i) => check(i === 0 || (best[i - 1]?.finalMse ?? Infinity) <= r.finalMse, () => 'The kept restarts are not sorted best first.'));
    check(best[0]?.finalMse === Math.min(...allMse), () => 'The first kept restart is not the one with the lowest loss.');
    checkBetween('best final MSE', best[0]?.finalMse ?? NaN, [0, MAX_BEST_MSE], {
      tooHigh: "The answer's best of 20 reached 2.33. Scale the inputs and labels and use Adam (README), or train longer.",
    });
    await expectKataError(() => trainRestarts(3, 5), /keep \(5\) cannot exceed count \(3\)/);
    await expectNoTensorLeak('trainRestarts() then disposeModel() of the kept ones', async () =>
      (await trainRestarts(2, 1, { epochs: 2 })).best.forEach((r) => disposeModel(r.model)),
    );
  });

  test(`task 4: lossSpread() reports how much the start matters: worst / best at least ${MIN_SPREAD_RATIO}`, async () => {
    expect(await lossSpread([4, 1, 3, 2])).toEqual({ best: 1, median: 2.5, worst: 4, ratio: 4 });
    expect(await lossSpread([5, 1, 3])).toEqual({ best: 1, median: 3, worst: 5, ratio: 5 });
    await expectKataError(() => lossSpread([]), /empty/);
    await expectNoTensorLeak('lossSpread()', async () => lossSpread([3, 1, 2]));
    const spread = await lossSpread((await restarts()).allMse);
    checkBetween('worst / best final MSE over the restarts', spread.ratio, [MIN_SPREAD_RATIO, Infinity], {
      tooLow: 'Every restart ends alike: are the restarts really seeded differently (seeds 1..count)?',
    });
  });

  test('plot: the five best restarts over [-12, 12] as points, x² as a line', async () => {
    const { best, allMse } = await restarts();
    const spread = await lossSpread(allMse);
    const grid = linspace(-12, 12, 97);
    const colours = [COLOURS.model, COLOURS.second, COLOURS.third, '#E69F00', '#56B4E9'];
    const series: Series[] = [
      { label: 'x²', xs: grid, ys: grid.map((x) => x * x), style: 'line', colour: COLOURS.truth },
      ...best.map((r, i) => ({
        label: `seed ${r.seed}: MSE ${r.finalMse.toFixed(2)}`,
        xs: grid,
        ys: predictValues(r.model, grid),
        style: 'points' as const,
        colour: colours[i % colours.length] as string,
        pointRadius: 2,
      })),
    ];
    const png = renderPlot({
      title: `Kata 04: best ${best.length} of ${allMse.length} tanh restarts (MSE best ${spread.best.toFixed(2)}, median ${spread.median.toFixed(2)}, worst ${spread.worst.toFixed(2)})`,
      xLabel: 'x (trained on -10..10)',
      yLabel: 'y',
      xRange: [-12, 12],
      yRange: [-10, 150],
      shadeX: { from: -10, to: 10, label: 'training range' },
      series,
    });
    expect(png).toMatchPlotBaseline('04-tanh-restarts');
  });
});
