import { RELU_TRAINING_RANGE, relativeErrorBand, TANH_TRAINING_RANGE } from '../../../solutions/05-extrapolation/extrapolation';
import { loadModel, referenceModelDir } from '../../../lib/model-files';
import { disposeModel } from '../../../lib/predict';
import { type BenchRow, type KataBench, timed } from './row';

export const bench: KataBench = async () => {
  const rows: BenchRow[] = [];
  for (const [name, range] of [['03-deep-relu', RELU_TRAINING_RANGE], ['04-tanh-restarts', TANH_TRAINING_RANGE]] as const) {
    const run = await timed(async () => {
      const model = await loadModel(referenceModelDir(name));
      const inside = relativeErrorBand(model, 0.2 * range, range);
      const outside = relativeErrorBand(model, 1.8 * range, 2 * range);
      disposeModel(model);
      return { inside, outside };
    });
    rows.push({
      kata: '05-extrapolation',
      recipe: `${name} model`,
      detail: `shipped weights, R = ${range}`,
      trainSeconds: run.seconds,
      metric: 'min |rel. error|, |x| in [1.8R, 2R]',
      value: run.result.outside.min,
      extra: { 'max |rel. error|, |x| in [0.2R, R]': run.result.inside.max },
    });
  }
  return rows;
};
