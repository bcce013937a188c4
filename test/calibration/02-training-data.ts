/**
 * Kata 02's calibration (npm run calibrate -- 02): the quantities behind the
 * bounds of test/02-training-data.test.ts, measured on a kata module (the
 * reference or a valid alternative) for one seed.
 */
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { ksDistanceFromUniform } from '../../lib/metrics';
import { tf } from '../../lib/tf';
import { plotSplit, PLOT_NAME, PLOT_SAMPLE } from '../plot-specs/02-training-data';
import { plotDifference } from '../support/plot-difference';

interface Dataset {
  x: Tensor2D;
  y: Tensor2D;
}
interface Scaler {
  xOffset: number;
  xScale: number;
  yOffset: number;
  yScale: number;
}
interface TrainingDataKata {
  generateSquares(n: number, options: { seed: number; low?: number; high?: number }): Dataset;
  splitValidation(data: Dataset, fraction?: number): { train: Dataset; validation: Dataset };
  fitScaler(train: Dataset): Scaler;
  scaleY(y: Tensor2D, scaler: Scaler): Tensor2D;
  unscaleY(y: Tensor2D, scaler: Scaler): Tensor2D;
}

const values = (t: Tensor) => Array.from(t.dataSync());

export async function measure(kata: Record<string, unknown>, seed: number): Promise<Record<string, number>> {
  const k = kata as unknown as TrainingDataKata;
  const n = 10_000;
  const data = await k.generateSquares(n, { seed, low: -50, high: 50 });
  const xs = values(data.x);
  const scaler = await k.fitScaler(data);
  const scaled = await k.scaleY(data.y, scaler);
  const back = await k.unscaleY(scaled, scaler);
  const ys = values(data.y);
  const roundTrip = values(back).reduce((worst, y, i) => Math.max(worst, Math.abs(y - (ys[i] as number)) / (Math.abs(ys[i] as number) + Math.abs(scaler.yOffset) + 1)), 0);
  tf.dispose([data.x, data.y, scaled, back]);
  const metrics: Record<string, number> = {
    'KS_ALPHA_0001: KS distance · sqrt(n)': ksDistanceFromUniform(xs, -50, 50) * Math.sqrt(n),
    'MAX_REPEATED_FRACTION: repeated x share': (n - new Set(xs).size) / n,
    'SCALING_RELATIVE: unscaleY(scaleY(y)) relative error': roundTrip,
  };
  // The plot's tolerance: the README's sample (seed 42) against the reference's baseline.
  const sample = await k.generateSquares(PLOT_SAMPLE.n, { seed: PLOT_SAMPLE.seed });
  const { train, validation } = await k.splitValidation(sample, 0.2);
  metrics['plot: differing pixel ratio'] = plotDifference(plotSplit(values(train.x), values(validation.x)), PLOT_NAME);
  tf.dispose([sample.x, sample.y, train.x, train.y, validation.x, validation.y]);
  return metrics;
}
