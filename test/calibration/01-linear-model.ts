/**
 * Kata 01's calibration (npm run calibrate -- 01): the quantities behind the
 * bounds of test/01-linear-model.test.ts, measured on a kata module (the
 * reference or a valid alternative) for one seed. Each metric names the bound
 * it calibrates.
 */
import type { LayersModel, Optimizer } from '@tensorflow/tfjs';
import { integerRange } from '../../lib/metrics';
import { disposeModel, predictValues } from '../../lib/predict';
import { seededRandom } from '../../lib/random';
import { tf } from '../../lib/tf';
import { mean, normalEquations, type Points, replayTraining, spread } from '../support/linear-closed-forms';
import { plotLinearModel, PLOT_NAME } from '../plot-specs/01-linear-model';
import { plotDifference } from '../support/plot-difference';

interface LinearKata {
  buildLinearModel(options: { seed?: number }): LayersModel;
  leastSquaresLine(xs: number[], ys: number[]): { slope: number; intercept: number; mse: number };
  trainLinearModel(xs: number[], ys: number[], options: { seed?: number; epochs?: number; learningRate?: number; optimizer?: Optimizer }): Promise<{ model: LayersModel; losses: number[] }>;
  measureBiasTravel(xs: number[], ys: number[], options: { epochs: number; learningRate: number; seed?: number }): Promise<number>;
}

const XS = integerRange(-10, 10);
const SQUARES = XS.map((x) => x * x);
const FLOOR = 50666 / 21 - (770 / 21) ** 2;

function weights(model: LayersModel): [number, number] {
  const [kernel, bias] = model.getWeights();
  return [kernel?.dataSync()[0] ?? NaN, bias?.dataSync()[0] ?? NaN];
}

const relative = (value: number, expected: number) => Math.abs(value - expected) / Math.max(1, Math.abs(expected));

/** Asymmetric data like the test's variants, from this seed. */
function asymmetric(seed: number): Points {
  const random = seededRandom(`calibration-01:${seed}`);
  const n = 7 + Math.floor(random() * 30);
  const xs = Array.from({ length: n }, () => Math.round((-4 + 18 * random()) * 100) / 100);
  return { name: 'asymmetric', xs, ys: xs.map((x) => Math.round((0.5 * x * x - 2 * x + 16 * random() - 8) * 100) / 100) };
}

export async function measure(kata: Record<string, unknown>, seed: number): Promise<Record<string, number>> {
  const k = kata as unknown as LinearKata;
  // LINE_TOLERANCE: the line's errors, in the units the test scales them by.
  const points = asymmetric(seed);
  const line = await k.leastSquaresLine(points.xs, points.ys);
  const best = normalEquations(points);
  const [sx, sy] = [spread(points.xs), spread(points.ys)];
  const residuals = points.xs.map((x, i) => line.slope * x + line.intercept - (points.ys[i] as number));
  const metrics: Record<string, number> = {
    'LINE_TOLERANCE: slope error / (sd y / sd x)': Math.abs(line.slope - best.slope) / (sy / sx),
    'LINE_TOLERANCE: mean residual / sd y': Math.abs(mean(residuals)) / sy,
    'LINE_TOLERANCE: MSE relative error': Math.abs(line.mse - best.mse) / best.mse,
  };

  // FLOOR_TOLERANCE and LINEAR_MSE_MAX: the returned models' MSE.
  const onSquares = await k.trainLinearModel(XS, SQUARES, { seed });
  const predictions = predictValues(onSquares.model, XS);
  metrics['FLOOR_TOLERANCE: model MSE / floor - 1'] = mean(predictions.map((p, i) => (p - (SQUARES[i] as number)) ** 2)) / FLOOR - 1;
  // The plot's tolerance: this seed's plot against the reference's baseline (seed 1).
  metrics['plot: differing pixel ratio'] = plotDifference(plotLinearModel(onSquares.model), PLOT_NAME);
  disposeModel(onSquares.model);
  const line2x = XS.map((x) => 2 * x);
  const onLine = await k.trainLinearModel(XS, line2x, { seed });
  metrics['LINEAR_MSE_MAX: model MSE on 2x'] = mean(predictValues(onLine.model, XS).map((p, i) => (p - (line2x[i] as number)) ** 2));
  disposeModel(onLine.model);

  // REPLAY_TOLERANCE: a few steps against their float64 replay.
  const fresh = k.buildLinearModel({ seed });
  const start = weights(fresh);
  disposeModel(fresh);
  for (const [name, steps, options, replay] of [
    ['SGD', 3, { learningRate: 0.004 }, { sgd: 0.004 }],
    ['Adam', 2, { optimizer: tf.train.adam(0.05) }, { adam: 0.05 }],
  ] as const) {
    const run = await k.trainLinearModel(XS, SQUARES, { seed, epochs: steps, ...options });
    const expected = replayTraining(start, XS, SQUARES, steps, replay);
    const got = weights(run.model);
    disposeModel(run.model);
    metrics[`REPLAY_TOLERANCE: ${name} weights relative error`] = Math.max(...got.map((w, i) => relative(w, expected.weights[i] as number)));
  }

  // SHORT_RUN_MIN_SPEED and TRAVEL_REPLAY_TOLERANCE.
  metrics['SHORT_RUN_MIN_SPEED: bias travel / (500 · 1e-4)'] = (await k.measureBiasTravel(XS, SQUARES, { epochs: 500, learningRate: 1e-4, seed })) / (500 * 1e-4);
  const travelFresh = k.buildLinearModel({ seed: seed + 7 });
  const travelStart = weights(travelFresh);
  disposeModel(travelFresh);
  const epochs = 100 + (seed % 101);
  const learningRate = 0.35 + 0.25 * ((seed * 0.618) % 1);
  const travel = await k.measureBiasTravel(XS, SQUARES, { epochs, learningRate, seed: seed + 7 });
  const expectedTravel = Math.abs(replayTraining(travelStart, XS, SQUARES, epochs, { adam: learningRate }).weights[1] - travelStart[1]);
  metrics['TRAVEL_REPLAY_TOLERANCE: relative error'] = relative(travel, expectedTravel);
  metrics['TRAVEL_REPLAY_TOLERANCE: epochs × lr / travel - 1'] = (epochs * learningRate) / expectedTravel - 1;
  return metrics;
}
