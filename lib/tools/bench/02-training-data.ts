import { fitScaler, generateSquares, splitValidation } from '../../../solutions/02-training-data/training-data';
import { tf } from '../../tf';
import { type KataBench, timed } from './row';

/** Kolmogorov-Smirnov distance of xs from uniform [low, high]. */
function ksUniform(xs: number[], low: number, high: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.reduce((d, x, i) => {
    const cdf = (x - low) / (high - low);
    return Math.max(d, Math.abs((i + 1) / sorted.length - cdf), Math.abs(cdf - i / sorted.length));
  }, 0);
}

export const bench: KataBench = async () => {
  const run = await timed(async () => {
    const data = generateSquares(10_000, { seed: 42 });
    const split = splitValidation(data, 0.2);
    const scaler = fitScaler(split.train);
    return { data, split, scaler };
  });
  const { data, split } = run.result;
  const d = ksUniform(Array.from(data.x.dataSync()), -50, 50);
  tf.dispose([data.x, data.y, split.train.x, split.train.y, split.validation.x, split.validation.y]);
  return [
    {
      kata: '02-training-data',
      recipe: 'kata recipe',
      detail: '10,000 x in [-50, 50], split 80/20, scaler',
      trainSeconds: run.seconds,
      metric: 'KS distance from uniform',
      value: d,
      extra: { 'KS critical (alpha 0.001)': 1.949 / Math.sqrt(10_000) },
    },
  ];
};
