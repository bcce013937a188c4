/**
 * Kata 05's calibration (npm run calibrate -- 05 --seeds 1-5): for one
 * implementation, the quantities test/05-extrapolation.test.ts bounds on the
 * shipped networks. The seed picks the far probes and steps, as a
 * KATA_VARIANT does; nothing trains.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { loadModel, referenceModelDir } from '../../lib/model-files';
import { disposeModel } from '../../lib/predict';
import { seededRandom } from '../../lib/random';
import { plotDifference } from '../support/plot-difference';
import { ERROR_PANEL_XS, extrapolationPlot, PLOT_NAME } from './05-extrapolation/plot';

type Kata = {
  RELU_TRAINING_RANGE: number;
  TANH_TRAINING_RANGE: number;
  relativeErrors(model: LayersModel, xs: number[]): number[];
  relativeErrorBand(model: LayersModel, from: number, to: number): { min: number; max: number };
  secondDifference(model: LayersModel, x: number, h: number): number;
  centralSlope(model: LayersModel, x: number, h: number): number;
};

export async function measure(module: Record<string, unknown>, seed: number): Promise<Record<string, number>> {
  const kata = module as unknown as Kata;
  const random = seededRandom(`calibration-05:${seed}`);
  const [R, T] = [kata.RELU_TRAINING_RANGE, kata.TANH_TRAINING_RANGE];
  const relu = await loadModel(referenceModelDir('03-deep-relu'));
  const tanh = await loadModel(referenceModelDir('04-tanh-restarts'));
  const h = (0.05 + 0.15 * random()) * R;
  const far = Array.from({ length: 6 }, (_, i) => (i < 3 ? 1 : -1) * (2 + 2 * random()) * R);
  const tanhStep = (0.025 + 0.075 * random()) * T;
  const slopeFraction = Math.max(...[1, -1].map((side) => Math.abs(kata.centralSlope(tanh, side * 2 * T, tanhStep)) / (4 * T)));
  const metrics = {
    'ReLU inside max': kata.relativeErrorBand(relu, 0.2 * R, R).max,
    'tanh inside max': kata.relativeErrorBand(tanh, 0.2 * T, T).max,
    'ReLU outside min': kata.relativeErrorBand(relu, 1.8 * R, 2 * R).min,
    'tanh outside min': kata.relativeErrorBand(tanh, 1.8 * T, 2 * T).min,
    'ReLU |Δ²f| / 2h² far': Math.max(...far.map((x) => Math.abs(kata.secondDifference(relu, x, h)) / (2 * h * h))),
    'tanh slope / 2x at 2R': slopeFraction,
    'plot difference %':
      100 *
      plotDifference(
        await extrapolationPlot(
          { name: 'ReLU (kata 03)', model: relu, range: R, relativeErrors: kata.relativeErrors(relu, ERROR_PANEL_XS.map((d) => d * R)) },
          { name: 'tanh (kata 04)', model: tanh, range: T, relativeErrors: kata.relativeErrors(tanh, ERROR_PANEL_XS.map((d) => d * T)) },
        ),
        PLOT_NAME,
      ),
  };
  [relu, tanh].forEach(disposeModel);
  return metrics;
}
