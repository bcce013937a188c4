/**
 * Kata 07's checked quantities, for `npm run calibrate -- 07 --seeds 1-20`:
 * each model built with the seed and trained by the implementation's own
 * fitSquares() and EPOCHS. Odd seeds train on the README's -10..10, even seeds
 * on -R..R for R from 7 to 13, like the test's variants, so the bounds hold
 * for both. Probes at ±100 and at ±60, the nearest a variant probes.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { integerRange, linspace, meanSquaredError } from '../../lib/metrics';
import { disposeModel, predictValues } from '../../lib/predict';

type Build = (seed: number) => LayersModel;
type Fit = (model: LayersModel, xs: number[]) => Promise<{ losses: number[] }>;

const FAR = [100, -100, 60, -60];
const square = (x: number) => x * x;

export async function measure(kata: Record<string, unknown>, seed: number): Promise<Record<string, number>> {
  const fit = kata.fitSquares as Fit;
  const range = seed % 2 === 1 ? 10 : 7 + ((seed / 2) % 7);
  const xs = integerRange(-range, range);
  const trained = async (build: Build) => {
    const model = build(seed);
    await fit(model, xs);
    return model;
  };
  const far = (model: LayersModel) => predictValues(model, FAR).map((y, i) => Math.abs(y - square(FAR[i] as number)) / square(FAR[i] as number));
  const metrics: Record<string, number> = {};
  for (const [name, build] of [['product', kata.buildProductModel], ['square', kata.buildSquareUnitModel]] as const) {
    const model = await trained(build as Build);
    metrics[`${name} MSE`] = meanSquaredError(predictValues(model, xs), xs.map(square));
    metrics[`${name} max far error`] = Math.max(...far(model));
    disposeModel(model);
  }
  const gated = await trained(kata.buildGatedModel as Build);
  const inside = linspace(Math.min(...xs), Math.max(...xs), 201);
  metrics['gated inside MSE'] = meanSquaredError(predictValues(gated, inside), inside.map(square));
  metrics['gated min far error'] = Math.min(...far(gated));
  metrics['gated max slope ratio'] = Math.max(
    ...FAR.map((x) => {
      const [left, right] = predictValues(gated, [x - 0.5, x + 0.5]) as [number, number];
      return Math.abs(right - left) / (2 * Math.abs(x));
    }),
  );
  disposeModel(gated);
  return metrics;
}
