/** Kata 02's plot, drawn from the split x values: shared by its test and its calibration. */
import { COLOURS, renderPlot } from '../../lib/plot';

export const PLOT_NAME = '02-training-data';
/** The README's sample, whatever the variant: the baseline is the reference's plot of it. */
export const PLOT_SAMPLE = { n: 10_000, seed: 42 } as const;

/** x against row number; every 4th row keeps the plot light. */
export function plotSplit(trainXs: number[], validationXs: number[]): Buffer {
  const every4th = (xs: number[], offset: number) => ({
    rows: xs.flatMap((_, i) => (i % 4 === 0 ? [i + offset] : [])),
    xs: xs.filter((_, i) => i % 4 === 0),
  });
  const train = every4th(trainXs, 0);
  const validation = every4th(validationXs, trainXs.length);
  return renderPlot({
    title: 'Kata 02: 10,000 seeded samples, the last 20% held out',
    xLabel: 'row',
    yLabel: 'x',
    xRange: [0, PLOT_SAMPLE.n],
    yRange: [-50, 50],
    series: [
      { label: 'training rows', xs: train.rows, ys: train.xs, style: 'points', colour: COLOURS.data, pointRadius: 1.2 },
      { label: 'validation rows', xs: validation.rows, ys: validation.xs, style: 'points', colour: COLOURS.model, pointRadius: 1.2 },
    ],
  });
}
