import { fitScaler, generateSquares, splitValidation } from '../../../solutions/02-training-data/training-data';
import { ksDistanceFromUniform } from '../../../lib/metrics';
import { tf } from '../../../lib/tf';
import { type KataBench, timed } from './row';

export const bench: KataBench = async () => {
  const run = await timed(async () => {
    const data = generateSquares(10_000, { seed: 42 });
    const split = splitValidation(data, 0.2);
    const scaler = fitScaler(split.train);
    return { data, split, scaler };
  });
  const { data, split } = run.result;
  const d = ksDistanceFromUniform(data.x.dataSync(), -50, 50);
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
