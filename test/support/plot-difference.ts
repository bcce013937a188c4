/**
 * The fraction of pixels by which a plot differs from its baseline, computed
 * exactly as the plot tests' comparison does (jest-image-snapshot: blur both
 * images, then count pixelmatch's differing pixels), for calibration scripts
 * that need the number on both sides of a kata's tolerance.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BASELINE_DIR, PLOT_TOLERANCE, type PlotTolerance } from './plot-snapshot';

interface Image { data: Buffer; width: number; height: number }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as { PNG: { sync: { read(buffer: Buffer): Image } } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const glur = require('glur') as (data: Buffer, width: number, height: number, radius: number) => void;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pixelmatch = require('pixelmatch') as (a: Buffer, b: Buffer, out: Buffer | null, width: number, height: number, options: { threshold: number }) => number;

export function plotDifference(png: Buffer, baselineName: string, tolerance: Partial<PlotTolerance> = {}): number {
  const { blur, colourThreshold } = { ...PLOT_TOLERANCE, ...tolerance };
  const received = PNG.sync.read(png);
  const baseline = PNG.sync.read(fs.readFileSync(path.join(BASELINE_DIR, `${baselineName}.png`)));
  if (received.width !== baseline.width || received.height !== baseline.height) return 1;
  glur(received.data, received.width, received.height, blur);
  glur(baseline.data, baseline.width, baseline.height, blur);
  return pixelmatch(received.data, baseline.data, null, received.width, received.height, { threshold: colourThreshold }) / (received.width * received.height);
}
