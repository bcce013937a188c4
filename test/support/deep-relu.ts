/**
 * Kata 03's test-side arithmetic, shared by its test and its calibration
 * (test/calibration/03-deep-relu.ts): what a returned model and scaler
 * compute, which units are dead, and the plot. None of it calls the kata, so
 * a check built on it does not trust the code under test.
 */
import type { LayersModel, Tensor2D } from '@tensorflow/tfjs';
import { COLOURS, type PlotSpec } from '../../lib/plot';
import type { Random } from '../../lib/random';
import { tf } from '../../lib/tf';

export interface MinMaxScaler {
  xOffset: number;
  xScale: number;
  yOffset: number;
  yScale: number;
}

/** unscale(model(scale(xs))): what a network and its scaler predict, in original units. */
export function predictThrough(model: LayersModel, scaler: MinMaxScaler, xs: number[]): number[] {
  return tf.tidy(() => {
    const x = tf.tensor2d(xs, [xs.length, 1]).sub(scaler.xOffset).div(scaler.xScale);
    return Array.from((model.predict(x) as Tensor2D).mul(scaler.yScale).add(scaler.yOffset).dataSync());
  });
}

/** The raw network output for already scaled inputs (no unscaling). */
export function rawOutputs(model: LayersModel, xs: number[]): number[] {
  return tf.tidy(() => Array.from((model.predict(tf.tensor2d(xs, [xs.length, 1])) as Tensor2D).dataSync()));
}

/** Per hidden layer (every layer but the last), the units that output 0 for every row of x. */
export function deadUnits(model: LayersModel, xs: number[]): number[][] {
  return tf.tidy(() => {
    let h = tf.tensor2d(xs, [xs.length, 1]);
    return model.layers.slice(0, -1).map((layer) => {
      h = layer.apply(h) as Tensor2D;
      return Array.from(h.max(0).dataSync()).flatMap((peak, unit) => (peak <= 0 ? [unit] : []));
    });
  });
}

/** Per hidden layer, how many units output 0 for every row of x. */
export function deadUnitCounts(model: LayersModel, xs: number[]): number[] {
  return deadUnits(model, xs).map((units) => units.length);
}

/** The min-max scaler of kata 02 fitted on plain numbers: the closed form the kata's scaler must equal. */
export function minMaxScalerOf(xs: number[], ys: number[]): MinMaxScaler {
  const fit = (v: number[]) => {
    const [min, max] = [Math.min(...v), Math.max(...v)];
    return { offset: (max + min) / 2, scale: max > min ? (max - min) / 2 : 1 };
  };
  const [x, y] = [fit(xs), fit(ys)];
  return { xOffset: x.offset, xScale: x.scale, yOffset: y.offset, yScale: y.scale };
}

export function rmse(predictions: number[], xs: number[]): number {
  return Math.sqrt(xs.reduce((sum, x, i) => sum + ((predictions[i] ?? NaN) - x * x) ** 2, 0) / xs.length);
}

/** The largest |prediction - x²| and where it is. */
export function worstError(predictions: number[], xs: number[]): { error: number; x: number } {
  return xs.reduce(
    (worst, x, i) => {
      const error = Math.abs((predictions[i] ?? NaN) - x * x);
      return error > worst.error || Number.isNaN(error) ? { error, x } : worst;
    },
    { error: -1, x: NaN },
  );
}

/**
 * The answer's two panels: the network's predictions on new x in [-50, 50],
 * and the original data. `predictions` are the ones the test computed from
 * the returned model and scaler, so the picture shows the learner's network.
 */
export function reluPanels(freshX: number[], predictions: number[], trainX: number[]): PlotSpec[] {
  return [
    {
      title: 'Predictions on NEW data in [-50, 50]',
      xLabel: 'x',
      yLabel: 'prediction',
      xRange: [-50, 50],
      yRange: [-100, 2600],
      series: [{ label: 'ReLU network', xs: freshX, ys: predictions, style: 'points', colour: COLOURS.model, pointRadius: 1.5 }],
    },
    {
      title: 'Original data',
      xLabel: 'x',
      yLabel: 'y',
      xRange: [-50, 50],
      yRange: [-100, 2600],
      series: [{ label: 'training data (every 4th)', xs: trainX, ys: trainX.map((x) => x * x), style: 'points', colour: COLOURS.data, pointRadius: 1.5 }],
    },
  ];
}

/** [kernel, bias] of the two hidden layers of a hand-made network. */
export type DeadNetworkWeights = [[number[][], number[]], [number[][], number[]]];

/**
 * A 6-6 network for x in [-1, 1] with 1-3 units of layer 1 dead (bias below
 * -|w|) and random layer-2 weights, some of whose units die too; the expected
 * counts come from deadUnitCounts(), not from a list.
 */
export function randomDeadNetworkWeights(random: Random): DeadNetworkWeights {
  const uniform = (low: number, high: number) => low + (high - low) * random();
  const units = 6;
  const dead = 1 + Math.floor(3 * random());
  const w1 = Array.from({ length: units }, () => uniform(-1, 1));
  const b1 = w1.map((w, u) => (u < dead ? -Math.abs(w) - uniform(0.05, 0.5) : uniform(-0.5, 0.5) * Math.abs(w)));
  const w2 = Array.from({ length: units }, () => Array.from({ length: units }, () => uniform(-1, 1)));
  const b2 = Array.from({ length: units }, () => uniform(-0.3, 0.1));
  return [
    [[w1], b1],
    [w2, b2],
  ];
}
