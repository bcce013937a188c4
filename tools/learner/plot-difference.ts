/**
 * A readable picture of where two plots differ: the reference faded to a
 * light grey, and every pixel that differs painted over it: red where your
 * plot has ink the reference lacks or differs in colour, blue where the
 * reference has ink yours lacks. Unblurred, full size (the plot test blurs
 * before comparing, which is right for a tolerance and wrong for the eye).
 */
import fs from 'node:fs';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

export interface PlotDifference {
  /** How many pixels differ, and out of how many. */
  differing: number;
  total: number;
  /** The highlight image, as PNG. */
  png: Buffer;
}

/** pixelmatch's per-pixel colour threshold, as the plot test uses it (test/support/plot-snapshot.ts). */
const COLOUR_THRESHOLD = 0.1;

/** undefined when the two images do not have the same size (then there is nothing to overlay). */
export function plotDifference(referenceFile: string, yoursFile: string): PlotDifference | undefined {
  const reference = PNG.sync.read(fs.readFileSync(referenceFile));
  const yours = PNG.sync.read(fs.readFileSync(yoursFile));
  if (reference.width !== yours.width || reference.height !== yours.height) return undefined;
  const out = new PNG({ width: reference.width, height: reference.height });
  const differing = pixelmatch(reference.data, yours.data, out.data, reference.width, reference.height, {
    threshold: COLOUR_THRESHOLD,
    alpha: 0.25,
    includeAA: true,
    // Lighter in yours than in the reference: ink only the reference has.
    diffColor: [0, 90, 220],
    // Darker in yours: ink only yours has.
    diffColorAlt: [220, 0, 0],
  });
  return { differing, total: reference.width * reference.height, png: PNG.sync.write(out) };
}
