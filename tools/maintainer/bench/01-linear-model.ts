import { leastSquaresLine, trainLinearModel } from '../../../solutions/01-linear-model/linear-model';
import { integerRange } from '../../../lib/metrics';
import { disposeModel } from '../../../lib/predict';
import { tf } from '../../../lib/tf';
import { type BenchRow, type KataBench, timed } from './row';

const KATA = '01-linear-model';
const XS = integerRange(-10, 10);
const SQUARES = XS.map((x) => x * x);
/** The seed program: Adam(1e-4), 50,000 epochs. Capped unless --full: fit costs about 1.3 ms an epoch. */
const SEED_EPOCHS = 50_000;
const SEED_EPOCHS_CAPPED = 5_000;

export const bench: KataBench = async ({ full }) => {
  const floor = leastSquaresLine(XS, SQUARES).mse;
  const kata = await timed(() => trainLinearModel(XS, SQUARES, { seed: 1 }));
  const kataMse = kata.result.losses.at(-1) ?? NaN;
  disposeModel(kata.result.model);

  const seedEpochs = full ? SEED_EPOCHS : SEED_EPOCHS_CAPPED;
  const seed = await timed(() =>
    trainLinearModel(XS, SQUARES, { seed: 1, epochs: seedEpochs, optimizer: tf.train.adam(1e-4) }),
  );
  const seedMse = seed.result.losses.at(-1) ?? NaN;
  const seedBias = seed.result.model.getWeights()[1]?.dataSync()[0] ?? NaN;
  disposeModel(seed.result.model);

  const rows: BenchRow[] = [
    {
      kata: KATA,
      recipe: 'kata recipe',
      detail: `SGD(0.02), ${kata.result.losses.length} epochs`,
      trainSeconds: kata.seconds,
      metric: 'train MSE on x²',
      value: kataMse,
      extra: { 'MSE / floor': kataMse / floor, floor },
    },
    {
      kata: KATA,
      recipe: 'seed recipe',
      detail: `Adam(1e-4), ${seedEpochs} of the seed's ${SEED_EPOCHS} epochs`,
      trainSeconds: seed.seconds,
      metric: 'train MSE on x²',
      value: seedMse,
      extra: {
        'MSE / floor': seedMse / floor,
        bias: seedBias,
        'time ratio seed/kata': seed.seconds / kata.seconds,
      },
    },
  ];
  return rows;
};
