/**
 * Kata 05's plot, drawn the same way by its test and by its calibration: each
 * shipped network and x² over twice its training range, and their relative
 * errors (your relativeErrors) against x in units of each training range.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { linspace } from '../../../lib/metrics';
import { COLOURS, renderPanels, type PlotSpec } from '../../../lib/plot';
import { predictValues } from '../../../lib/predict';

export const PLOT_NAME = '05-extrapolation';
/** x / R where the error panel is drawn: 160 points, so x = 0 is not among them. */
export const ERROR_PANEL_XS = linspace(-2, 2, 160);

export interface Network {
  name: string;
  model: LayersModel;
  range: number;
  /** relativeErrors(model, ERROR_PANEL_XS · range), from the code under test. */
  relativeErrors: number[];
}

function networkPanel({ name, model, range }: Network): PlotSpec {
  const grid = linspace(-2 * range, 2 * range, 161);
  return {
    title: `${name} network, trained on [-${range}, ${range}]`,
    xLabel: 'x',
    yLabel: 'y',
    xRange: [-2 * range, 2 * range],
    yRange: [-0.1 * 4 * range * range, 4.2 * range * range],
    shadeX: { from: -range, to: range, label: 'training range' },
    series: [
      { label: 'x²', xs: grid, ys: grid.map((x) => x * x), style: 'line', colour: COLOURS.truth },
      { label: 'network', xs: grid, ys: predictValues(model, grid), style: 'line', colour: COLOURS.model },
    ],
  };
}

export function extrapolationPlot(relu: Network, tanh: Network): Promise<Buffer> {
  const errorPanel: PlotSpec = {
    title: 'Relative error (f(x) - x²) / x²',
    xLabel: 'x / R (R: the training range)',
    yLabel: 'relative error',
    xRange: [-2, 2],
    yRange: [-0.8, 0.2],
    shadeX: { from: -1, to: 1, label: 'training range' },
    series: [
      { label: 'ReLU', xs: ERROR_PANEL_XS, ys: relu.relativeErrors, style: 'line', colour: COLOURS.model },
      { label: 'tanh', xs: ERROR_PANEL_XS, ys: tanh.relativeErrors, style: 'line', colour: COLOURS.second },
    ],
  };
  return renderPanels([networkPanel(relu), networkPanel(tanh), errorPanel]);
}
