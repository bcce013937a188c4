/**
 * Kata 06's calibration (npm run calibrate -- 06 --seeds 1-5): for one
 * implementation and seed, the quantities test/06-right-feature.test.ts bounds.
 * The seed picks the quadratic dataset, as a KATA_VARIANT does; the x² run is
 * the README's. Weight errors are in scaled units (see the test's WEIGHT_TOLERANCE).
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { linspace } from '../../lib/metrics';
import { loadModel, referenceModelDir } from '../../lib/model-files';
import { disposeModel } from '../../lib/predict';
import { seededRandom } from '../../lib/random';
import { plotDifference } from '../support/plot-difference';
import { FEATURE_XS, PLOT_NAME, rightFeaturePlot } from './06-right-feature/plot';

type Kata = {
  TRAINING_RANGE: number;
  trainFeatureModel(options?: { xs?: number[]; ys?: number[]; epochs?: number }): Promise<{ model: LayersModel; losses: number[] }>;
  predictWithFeature(model: LayersModel, xs: number[]): number[];
  mirrorGaps(featureModel: LayersModel, network: LayersModel, xs: number[]): { feature: number[]; network: number[] };
};

/** Largest |weight - exact weight| for data y = square·x² + linear·x + bias, in the model's scaled units. */
function weightError(model: LayersModel, R: number, exact: { square: number; linear: number; bias: number }): number {
  const [kernel, bias] = model.getWeights().map((w) => Array.from(w.dataSync()));
  return Math.max(Math.abs(kernel![0]! - exact.linear / R), Math.abs(kernel![1]! - exact.square), Math.abs(bias![0]! - exact.bias / (R * R)));
}

export async function measure(module: Record<string, unknown>, seed: number): Promise<Record<string, number>> {
  const kata = module as unknown as Kata;
  const R = kata.TRAINING_RANGE;
  const random = seededRandom(`calibration-06:${seed}`);
  const sign = () => (random() < 0.5 ? -1 : 1);
  const exact = { square: 0.5 + random(), linear: sign() * (0.2 + 0.6 * random()) * R, bias: sign() * (0.05 + 0.45 * random()) * R * R };
  const xs = linspace(-R, R, 61 + Math.floor(random() * 81));
  const started = performance.now();
  const quadratic = await kata.trainFeatureModel({ xs, ys: xs.map((x) => exact.square * x * x + exact.linear * x + exact.bias) });
  const trainSeconds = (performance.now() - started) / 1000;
  const squares = await kata.trainFeatureModel();
  const relu = await loadModel(referenceModelDir('03-deep-relu'));
  const gaps = kata.mirrorGaps(squares.model, relu, linspace(1, R, 50));
  const meanAbs = (values: number[]) => values.reduce((s, v) => s + Math.abs(v), 0) / values.length;
  const far = kata.predictWithFeature(squares.model, [10 * R])[0] ?? NaN;
  const metrics = {
    'weight error, quadratic': weightError(quadratic.model, R, exact),
    'weight error, x²': weightError(squares.model, R, { square: 1, linear: 0, bias: 0 }),
    'rel. error at 10R': Math.abs(far - 100 * R * R) / (100 * R * R),
    'feature mean gap': meanAbs(gaps.feature),
    'network mean gap': meanAbs(gaps.network),
    'plot difference %': 100 * plotDifference(rightFeaturePlot(kata.predictWithFeature(squares.model, FEATURE_XS), relu, R), PLOT_NAME),
    'train s (quadratic)': trainSeconds,
  };
  [quadratic.model, squares.model, relu].forEach(disposeModel);
  return metrics;
}
