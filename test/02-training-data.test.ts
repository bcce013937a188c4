import {
  fitScaler,
  generateSquares,
  scaleDataset,
  scaleX,
  scaleY,
  splitValidation,
  unscaleY,
  type Dataset,
} from '@kata/02-training-data/training-data';
import type { Tensor } from '@tensorflow/tfjs';
import { tf } from '../lib/tf';
import { ksDistanceFromUniform } from '../lib/metrics';
import { COLOURS, renderPlot } from '../lib/plot';
import { expectKataError } from './support/kata-calls';
import { check, checkBetween } from './support/teach';

const N = 10_000;
const SEED = 42;
/**
 * Kolmogorov-Smirnov: for n uniform samples, sup |F_n(x) - F(x)| exceeds
 * 1.949 / sqrt(n) with probability 0.001 (the asymptotic critical value at
 * alpha = 0.001). For n = 10,000 that is 0.0195. The reference data give
 * D = 0.0048 (seed 42; 0.008-0.013 for seeds 1-3); a truncated normal sample
 * with the same range gives D = 0.106.
 */
const KS_CRITICAL = 1.949 / Math.sqrt(N);
/** float32 holds x² to about 7 significant digits. */
const FLOAT32_RELATIVE = 1e-6;

function values(t: Tensor): number[] {
  return Array.from(t.dataSync());
}

function dataset(xs: number[]): Dataset {
  return { x: tf.tensor2d(xs, [xs.length, 1]), y: tf.tensor2d(xs.map((x) => x * x), [xs.length, 1]) };
}

describe('kata 02: generate lots of training data', () => {
  test('task 1: generateSquares() draws n seeded x uniform in [-50, 50] with labels x², as [n, 1] tensors', async () => {
    const data = await generateSquares(N, { seed: SEED });
    expect(data.x.shape).toEqual([N, 1]);
    expect(data.y.shape).toEqual([N, 1]);
    const xs = values(data.x);
    const ys = values(data.y);
    check(Math.min(...xs) >= -50 && Math.max(...xs) <= 50, () => `x spans [${Math.min(...xs)}, ${Math.max(...xs)}]; the answer draws from [-50, 50].`);
    xs.forEach((x, i) => check(Math.abs((ys[i] as number) - x * x) <= FLOAT32_RELATIVE * Math.max(1, x * x), () => `y[${i}] = ${ys[i]} is not x² = ${x * x}.`));
    const d = ksDistanceFromUniform(xs, -50, 50);
    checkBetween('Kolmogorov-Smirnov distance from uniform [-50, 50]', d, [0, KS_CRITICAL], {
      tooHigh: 'The sample does not look uniform: use tf.randomUniform (or another uniform generator), not a normal one.',
    });
    const again = await generateSquares(N, { seed: SEED });
    expect(values(again.x)).toEqual(xs);
    const other = await generateSquares(N, { seed: SEED + 1 });
    check(values(other.x).some((x, i) => x !== xs[i]), () => 'Another seed gave the same data: is the seed passed to the generator?');
    const narrow = await generateSquares(100, { seed: 1, low: 2, high: 3 });
    check(values(narrow.x).every((x) => x >= 2 && x <= 3), () => 'generateSquares(100, { low: 2, high: 3 }) left [2, 3].');
    tf.dispose([data.x, data.y, again.x, again.y, other.x, other.y, narrow.x, narrow.y]);
  });

  test('task 1: generateSquares() names bad arguments', async () => {
    await expectKataError(() => generateSquares(0, { seed: 1 }), /n must be a positive whole number/);
    await expectKataError(() => generateSquares(-5, { seed: 1 }), /n must be a positive whole number/);
    await expectKataError(() => generateSquares(2.5, { seed: 1 }), /n must be a positive whole number/);
    await expectKataError(() => generateSquares(NaN, { seed: 1 }), /n must be a positive whole number/);
    await expectKataError(() => generateSquares(10, { seed: 1, low: 5, high: 5 }), /low < high/);
    await expectKataError(() => generateSquares(10, { seed: 1, low: 5, high: -5 }), /low < high/);
    await expectKataError(() => generateSquares(10, { seed: 1, low: NaN }), /low < high/);
    await expectKataError(() => generateSquares(10, { seed: NaN }), /seed/);
  });

  test('task 2: splitValidation() holds out the LAST fraction, as Keras validation_split does', async () => {
    const data = await generateSquares(N, { seed: SEED });
    const { train, validation } = await splitValidation(data, 0.2);
    expect(train.x.shape).toEqual([8000, 1]);
    expect(validation.x.shape).toEqual([2000, 1]);
    expect(validation.y.shape).toEqual([2000, 1]);
    const xs = values(data.x);
    check(
      values(train.x).every((x, i) => x === xs[i]),
      () => 'The training part is not the first 80% of the rows in order: Keras takes the last rows for validation, before any shuffling.',
    );
    expect(values(validation.x)).toEqual(xs.slice(8000));
    expect(values(validation.y)).toEqual(values(data.y).slice(8000));
    // Keras' rule for sizes that do not divide: split at floor(n · (1 - fraction)).
    const seven = dataset([1, 2, 3, 4, 5, 6, 7]);
    const parts = await splitValidation(seven, 0.2);
    expect(values(parts.train.x)).toEqual([1, 2, 3, 4, 5]);
    expect(values(parts.validation.x)).toEqual([6, 7]);
    tf.dispose([data.x, data.y, train.x, train.y, validation.x, validation.y, seven.x, seven.y]);
  });

  test('task 2: splitValidation() names bad arguments', async () => {
    const data = dataset([1, 2, 3, 4, 5]);
    for (const fraction of [0, 1, -0.1, 1.5, NaN]) {
      await expectKataError(() => splitValidation(data, fraction), /fraction must lie strictly between 0 and 1/);
    }
    const one = dataset([1]);
    await expectKataError(() => splitValidation(one, 0.2), /empty/);
    tf.dispose([data.x, data.y, one.x, one.y]);
  });

  test('task 3: fitScaler() maps the training part onto [-1, 1] and never looks at validation data', async () => {
    // Training x in [-50, 50]; the validation rows hold values far outside.
    const trainXs = Array.from({ length: 101 }, (_, i) => i - 50);
    const data = dataset([...trainXs, 500, -300]);
    const { train } = await splitValidation(data, 2 / 103);
    const scaler = await fitScaler(train);
    checkBetween('xOffset', scaler.xOffset, [-1e-6, 1e-6], { tooLow: 'Training x spans [-50, 50], so its centre is 0.', tooHigh: 'Training x spans [-50, 50], so its centre is 0. Did the validation rows (500, -300) leak into the scaler?' });
    checkBetween('xScale', scaler.xScale, [50 - 1e-6, 50 + 1e-6], { tooLow: 'Half the training x range is 50.', tooHigh: 'Half the training x range is 50: the scaler saw the validation rows (500, -300).' });
    checkBetween('yOffset', scaler.yOffset, [1250 - 1e-3, 1250 + 1e-3], { tooHigh: 'Training y spans [0, 2500]: did validation labels (250000) leak in?' });
    checkBetween('yScale', scaler.yScale, [1250 - 1e-3, 1250 + 1e-3], { tooHigh: 'Training y spans [0, 2500]: did validation labels (250000) leak in?' });
    const scaled = await scaleDataset(train, scaler);
    expect(Math.min(...values(scaled.x))).toBeCloseTo(-1, 6);
    expect(Math.max(...values(scaled.x))).toBeCloseTo(1, 6);
    expect(Math.min(...values(scaled.y))).toBeCloseTo(-1, 6);
    expect(Math.max(...values(scaled.y))).toBeCloseTo(1, 6);
    tf.dispose([data.x, data.y, train.x, train.y, scaled.x, scaled.y]);
  });

  test('task 3: scaling round-trips: unscaleY(scaleY(y)) = y, and scaleX is the same map as scaleDataset', async () => {
    const data = await generateSquares(1000, { seed: 7 });
    const scaler = await fitScaler(data);
    const scaledY = await scaleY(data.y, scaler);
    const unscaled = await unscaleY(scaledY, scaler);
    const back = values(unscaled);
    const ys = values(data.y);
    back.forEach((y, i) => check(Math.abs(y - (ys[i] as number)) <= 1e-3, () => `unscaleY(scaleY(y))[${i}] = ${y}, but y = ${ys[i]}.`));
    const scaledX = await scaleX(data.x, scaler);
    const viaX = values(scaledX);
    const viaDataset = await scaleDataset(data, scaler);
    expect(values(viaDataset.x)).toEqual(viaX);
    tf.dispose([data.x, data.y, viaDataset.x, viaDataset.y, scaledY, unscaled, scaledX]);
  });

  test('plot: x against its row number: the validation rows are the last 20%, spread like the rest', async () => {
    const data = await generateSquares(N, { seed: SEED });
    const { train, validation } = await splitValidation(data, 0.2);
    // Every 4th row keeps the plot light.
    const every4th = (xs: number[], offset: number) => ({
      rows: xs.flatMap((_, i) => (i % 4 === 0 ? [i + offset] : [])),
      xs: xs.filter((_, i) => i % 4 === 0),
    });
    const trainRows = every4th(values(train.x), 0);
    const validationRows = every4th(values(validation.x), train.x.shape[0]);
    const png = renderPlot({
      title: 'Kata 02: 10,000 seeded samples, the last 20% held out',
      xLabel: 'row',
      yLabel: 'x',
      xRange: [0, N],
      yRange: [-50, 50],
      series: [
        { label: 'training rows', xs: trainRows.rows, ys: trainRows.xs, style: 'points', colour: COLOURS.data, pointRadius: 1.2 },
        { label: 'validation rows', xs: validationRows.rows, ys: validationRows.xs, style: 'points', colour: COLOURS.model, pointRadius: 1.2 },
      ],
    });
    tf.dispose([data.x, data.y, train.x, train.y, validation.x, validation.y]);
    expect(png).toMatchPlotBaseline('02-training-data');
  });
});
