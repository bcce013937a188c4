/**
 * Kata 06's plot, drawn the same way by its test and by its calibration:
 * x², the feature model's predictions (your predictWithFeature) and kata
 * 03's shipped ReLU network over [-150, 150], three times the training range.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { linspace } from '../../../lib/metrics';
import { COLOURS, renderPlot } from '../../../lib/plot';
import { predictValues } from '../../../lib/predict';

export const PLOT_NAME = '06-right-feature';
export const PLOT_RANGE = 150;
const GRID = linspace(-PLOT_RANGE, PLOT_RANGE, 121);
/** Where the feature model is drawn: every 4th grid point, 31 markers. */
export const FEATURE_XS = GRID.filter((_, i) => i % 4 === 0);

export function rightFeaturePlot(featurePredictions: number[], relu: LayersModel, trainingRange: number): Buffer {
  return renderPlot({
    title: 'Kata 06: the right feature extrapolates, the ReLU network does not',
    xLabel: `x (both trained on [-${trainingRange}, ${trainingRange}])`,
    yLabel: 'y',
    xRange: [-PLOT_RANGE, PLOT_RANGE],
    yRange: [-1000, 23000],
    shadeX: { from: -trainingRange, to: trainingRange, label: 'training range' },
    series: [
      { label: 'x²', xs: GRID, ys: GRID.map((x) => x * x), style: 'line', colour: COLOURS.truth },
      { label: 'Dense(1) on [x, x²]', xs: FEATURE_XS, ys: featurePredictions, style: 'points', colour: COLOURS.second, pointRadius: 4 },
      { label: 'ReLU network (kata 03)', xs: GRID, ys: predictValues(relu, GRID), style: 'line', colour: COLOURS.model },
    ],
  });
}
