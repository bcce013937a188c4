/**
 * The share of pixels toMatchPlotBaseline counts as different, measured the
 * way jest-image-snapshot does it (blur both, then pixelmatch), so that a
 * kata's plot tolerance can be calibrated from kata outputs without jest.
 */
import fs from 'node:fs';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { BASELINE_DIR, PLOT_TOLERANCE, type PlotTolerance } from '../support/plot-snapshot';

// Untyped CommonJS packages that jest-image-snapshot itself uses.
interface Image {
  width: number;
  height: number;
  data: Buffer;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const glur = require('glur') as (data: Buffer, width: number, height: number, radius: number) => void;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as { PNG: { sync: { read(png: Buffer): Image } } };

/** Differing pixels / all pixels: the number failureThreshold bounds (0.005 is 0.5%). */
export function plotDifferenceRatio(png: Buffer, name: string, tolerance: Partial<PlotTolerance> = {}): number {
  const { blur, colourThreshold } = { ...PLOT_TOLERANCE, ...tolerance };
  const received = PNG.sync.read(png);
  const baseline = PNG.sync.read(fs.readFileSync(path.join(BASELINE_DIR, `${name}.png`)));
  const { width, height } = baseline;
  if (received.width !== width || received.height !== height) return 1;
  glur(received.data, width, height, blur);
  glur(baseline.data, width, height, blur);
  return pixelmatch(received.data, baseline.data, null, width, height, { threshold: colourThreshold }) / (width * height);
}
