import { compareScaling, EPOCHS, KEEP_BEST, LEARNING_RATE, lossSpread, RESTARTS, trainRestarts, trainTanhNetwork } from '../../../solutions/04-tanh-restarts/tanh-restarts';
import { disposeModel } from '../../../lib/predict';
import { tf } from '../../../lib/tf';
import { type KataBench, timed } from './row';

const KATA = '04-tanh-restarts';
/** The answer's program: raw numbers, SGD(1e-3), 15,000 full-batch steps. About 1.3 ms an epoch here. */
const SEED_EPOCHS = 15_000;
const SEED_EPOCHS_CAPPED = 3_000;
const SEED_RESTARTS_FULL = 20;

export const bench: KataBench = async ({ full }) => {
  const kata = await timed(() => trainRestarts(RESTARTS, KEEP_BEST));
  const spread = lossSpread(kata.result.allMse);
  kata.result.best.forEach((r) => disposeModel(r.model));
  // Task 5: what scaling buys at the kata's budget (seed 1, same optimizer and epochs).
  const scaling = await compareScaling(1);

  const epochs = full ? SEED_EPOCHS : SEED_EPOCHS_CAPPED;
  const restarts = full ? SEED_RESTARTS_FULL : 1;
  const seedRuns = await timed(async () => {
    const losses: number[] = [];
    for (let seed = 1; seed <= restarts; seed++) {
      const run = await trainTanhNetwork(seed, { epochs, scaled: false, optimizer: tf.train.sgd(1e-3) });
      losses.push(run.finalMse);
      disposeModel(run.model);
    }
    return losses;
  });
  const seedSpread = lossSpread(seedRuns.result);
  return [
    {
      kata: KATA,
      recipe: 'kata recipe',
      detail: `scaled, Adam(${LEARNING_RATE}), ${EPOCHS} epochs, ${RESTARTS} restarts`,
      trainSeconds: kata.seconds,
      metric: 'best train MSE',
      value: spread.best,
      extra: {
        'median MSE': spread.median,
        'worst MSE': spread.worst,
        'worst/best': spread.ratio,
        's per restart': kata.seconds / RESTARTS,
        'raw/scaled MSE, same epochs (seed 1)': scaling.ratio,
      },
    },
    {
      kata: KATA,
      recipe: 'seed recipe',
      detail: `raw, SGD(1e-3), ${epochs} of the answer's ${SEED_EPOCHS} epochs, ${restarts} restart(s)`,
      trainSeconds: seedRuns.seconds,
      metric: 'best train MSE',
      value: seedSpread.best,
      extra: {
        'median MSE': seedSpread.median,
        'worst MSE': seedSpread.worst,
        's per restart': seedRuns.seconds / restarts,
        's per restart ratio seed/kata': seedRuns.seconds / restarts / (kata.seconds / RESTARTS),
      },
    },
  ];
};
