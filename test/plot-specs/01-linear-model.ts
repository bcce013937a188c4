/** Kata 01's plot, drawn from a trained model: shared by its test and its calibration. */
import type { LayersModel } from '@tensorflow/tfjs';
import { integerRange, linspace } from '../../lib/metrics';
import { COLOURS, renderPlot } from '../../lib/plot';
import { predictValues } from '../../lib/predict';

export const PLOT_NAME = '01-linear-model';

/** The README's data, whatever the variant: the baseline is the reference's plot of them. */
export const PLOT_XS = integerRange(-10, 10);

export function plotLinearModel(model: LayersModel): Buffer {
  const grid = linspace(-10, 10, 101);
  return renderPlot({
    title: 'Kata 01: the best a straight line can do on x²',
    xLabel: 'x',
    yLabel: 'y',
    xRange: [-10, 10],
    yRange: [-10, 110],
    series: [
      { label: 'training data (x, x²)', xs: PLOT_XS, ys: PLOT_XS.map((x) => x * x), style: 'points', colour: COLOURS.data, pointRadius: 4 },
      { label: 'true x²', xs: grid, ys: grid.map((x) => x * x), style: 'line', colour: COLOURS.truth },
      { label: 'trained Dense(1)', xs: grid, ys: predictValues(model, grid), style: 'line', colour: COLOURS.model },
    ],
  });
}
