/**
 * Trains the reference networks of katas 03 and 04 from the solutions and
 * saves them, in raw units, under lib/models/ for kata 05 (which must not
 * depend on the learner having solved 03 or 04). Deterministic for a backend:
 * rerunning on the cpu backend rewrites the same numbers.
 *   npm run models
 */
import { generateSquares, splitValidation } from '../../solutions/02-training-data/training-data';
import { EPOCHS, trainReluNetwork } from '../../solutions/03-deep-relu/deep-relu';
import { KEEP_BEST, RESTARTS, trainRestarts } from '../../solutions/04-tanh-restarts/tanh-restarts';
import { foldScaling } from '../../lib/fold-scaling';
import { referenceModelDir, saveModel } from '../../lib/model-files';
import { disposeModel } from '../../lib/predict';
import { epochProgress } from '../shared/progress-bar';
import { backendDescription } from '../../lib/tf';

async function main(): Promise<void> {
  console.log(backendDescription());
  const split = splitValidation(generateSquares(10_000, { seed: 42 }), 0.2);
  const progress = epochProgress('03-deep-relu', EPOCHS);
  const relu = await trainReluNetwork(split, { onEpochEnd: (epoch, logs) => progress.onEpochEnd(epoch, logs) });
  progress.stop();
  foldScaling(relu.model, relu.scaler);
  await saveModel(relu.model, referenceModelDir('03-deep-relu'));
  console.log(`03-deep-relu: validation RMSE ${(Math.sqrt(relu.validationLosses.at(-1) ?? NaN) * relu.scaler.yScale).toFixed(2)}`);
  disposeModel(relu.model);

  const { best } = await trainRestarts(RESTARTS, KEEP_BEST);
  const winner = best[0];
  if (!winner) throw new Error('no tanh restart trained');
  await saveModel(winner.model, referenceModelDir('04-tanh-restarts'));
  console.log(`04-tanh-restarts: best of ${RESTARTS} restarts, seed ${winner.seed}, MSE ${winner.finalMse.toFixed(3)}`);
  best.forEach((r) => disposeModel(r.model));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
