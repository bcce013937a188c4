/**
 * Kata 03's calibration: what every bound of test/03-deep-relu.test.ts
 * measures, for one kata implementation (the reference or a valid
 * alternative of test/mutants/03-deep-relu.ts) and one seed. Seed s trains
 * with seed s on data seed 41 + s (seed 1: the README's data seed 42), so the
 * runs vary both, as KATA_VARIANT does.
 *   npm run calibrate -- 03 --seeds 1-6
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import pixelmatch from 'pixelmatch';
import { generateSquares, splitValidation } from '../../solutions/02-training-data/training-data';
import { linspace } from '../../lib/metrics';
import { renderPanels } from '../../lib/plot';
import { REPO_ROOT } from '../../lib/plot-files';
import { disposeModel } from '../../lib/predict';
import { tf } from '../../lib/tf';
import { PLOT_TOLERANCE } from '../support/plot-snapshot';
import { deadUnitCounts, type MinMaxScaler, predictThrough, reluPanels, rmse, worstError } from '../support/deep-relu';

interface Trained {
  model: LayersModel;
  scaler: MinMaxScaler;
  recycled: number;
  validationLosses: number[];
}
interface Kata {
  buildReluNetwork(options: { seed: number; units?: number }): LayersModel;
  trainReluNetwork(split: unknown, options: Record<string, unknown>): Promise<Trained>;
  trainOnFewAndMany(options: { seed: number; epochs: number }): Promise<{ few: Trained; many: Trained }>;
}

// jest-image-snapshot's own dependencies, which ship no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const glur = require('glur') as (data: Uint8Array, width: number, height: number, radius: number) => void;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as { PNG: { sync: { read(buffer: Buffer): { data: Uint8Array; width: number; height: number } } } };

const seconds = (start: number) => (performance.now() - start) / 1000;

/** The share of pixels the snapshot comparison counts as different, computed as jest-image-snapshot does (blur, then pixelmatch). */
export function plotDiffRatio(png: Buffer, baseline: Buffer, blur = PLOT_TOLERANCE.blur, threshold = PLOT_TOLERANCE.colourThreshold): number {
  const [a, b] = [PNG.sync.read(png), PNG.sync.read(baseline)];
  glur(a.data, a.width, a.height, blur);
  glur(b.data, b.width, b.height, blur);
  return pixelmatch(a.data, b.data, null, a.width, a.height, { threshold }) / (a.width * a.height);
}

export async function plotDiffOf(model: LayersModel, scaler: MinMaxScaler, trainX: number[]): Promise<number> {
  const fresh = generateSquares(1000, { seed: 2024 });
  const freshX = Array.from(fresh.x.dataSync());
  tf.dispose([fresh.x, fresh.y]);
  const png = await renderPanels(reluPanels(freshX, predictThrough(model, scaler, freshX), trainX.filter((_, i) => i % 4 === 0)));
  return plotDiffRatio(png, fs.readFileSync(path.join(REPO_ROOT, 'test', 'baselines', '03-deep-relu.png')));
}

export async function measure(module: Record<string, unknown>, seed: number): Promise<Record<string, number>> {
  const kata = module as unknown as Kata;
  const data = generateSquares(10_000, { seed: 41 + seed });
  const split = splitValidation(data, 0.2);
  const trainX = Array.from(split.train.x.dataSync());
  const validationX = Array.from(split.validation.x.dataSync());
  const metrics: Record<string, number> = {};
  try {
    let start = performance.now();
    const main = await kata.trainReluNetwork(split, { seed });
    metrics['main s'] = seconds(start);
    const scaled = trainX.map((x) => (x - main.scaler.xOffset) / main.scaler.xScale);
    metrics['validation RMSE'] = rmse(predictThrough(main.model, main.scaler, validationX), validationX);
    metrics['reported RMSE'] = Math.sqrt(main.validationLosses.at(-1) ?? NaN) * main.scaler.yScale;
    for (const reach of [20, 40]) {
      const grid = linspace(-reach, reach, 20 * reach + 1);
      metrics[`worst error [-${reach},${reach}]`] = worstError(predictThrough(main.model, main.scaler, grid), grid).error;
    }
    metrics['dead after'] = deadUnitCounts(main.model, scaled).reduce((a, b) => a + b, 0);
    metrics.recycled = main.recycled;
    metrics['plot diff %'] = 100 * (await plotDiffOf(main.model, main.scaler, trainX));
    disposeModel(main.model);

    // The short runs' seed: the first of seeds seed*100+1.. whose network starts with 2 dead units or more.
    let shortSeed = seed * 100;
    let deadAtStart = 0;
    while (deadAtStart < 2) {
      shortSeed += 1;
      const model = kata.buildReluNetwork({ seed: shortSeed });
      deadAtStart = deadUnitCounts(model, scaled).reduce((a, b) => a + b, 0);
      disposeModel(model);
    }
    metrics['short: seeds tried'] = shortSeed - seed * 100;
    start = performance.now();
    const off = await kata.trainReluNetwork(split, { seed: shortSeed, epochs: 2, recycle: false });
    const on = await kata.trainReluNetwork(split, { seed: shortSeed, epochs: 2 });
    metrics['short 2 runs s'] = seconds(start);
    metrics['short off: dead'] = deadUnitCounts(off.model, scaled).reduce((a, b) => a + b, 0);
    metrics['short on: recycled'] = on.recycled;
    metrics['short on: dead'] = deadUnitCounts(on.model, scaled).reduce((a, b) => a + b, 0);
    [off.model, on.model].forEach(disposeModel);

    start = performance.now();
    const fewMany = await kata.trainOnFewAndMany({ seed, epochs: 12 });
    metrics['few/many s'] = seconds(start);
    const fine = linspace(-10, 10, 2001);
    metrics['few RMSE'] = rmse(predictThrough(fewMany.few.model, fewMany.few.scaler, fine), fine);
    metrics['many RMSE'] = rmse(predictThrough(fewMany.many.model, fewMany.many.scaler, fine), fine);
    metrics['few/many ratio'] = (metrics['few RMSE'] as number) / (metrics['many RMSE'] as number);
    [fewMany.few.model, fewMany.many.model].forEach(disposeModel);
  } finally {
    tf.dispose([data.x, data.y, split.train.x, split.train.y, split.validation.x, split.validation.y]);
  }
  return metrics;
}
