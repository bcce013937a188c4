import { EPOCHS, LEARNING_RATE, mirrorGaps, predictWithFeature, readCoefficients, trainFeatureModel, TRAINING_RANGE } from '../../../solutions/06-right-feature/right-feature';
import { linspace } from '../../../lib/metrics';
import { loadModel, referenceModelDir } from '../../../lib/model-files';
import { disposeModel, predictValues } from '../../../lib/predict';
import { type KataBench, timed } from './row';

const FAR_X = 500;

export const bench: KataBench = async () => {
  const run = await timed(() => trainFeatureModel());
  const c = readCoefficients(run.result.model);
  const far = predictWithFeature(run.result.model, [FAR_X])[0] ?? NaN;
  const relu = await loadModel(referenceModelDir('03-deep-relu'));
  const reluFar = predictValues(relu, [FAR_X])[0] ?? NaN;
  // Issue 12, claim 2: mean |f(x) - f(-x)| over 50 x in (0, R].
  const gaps = mirrorGaps(run.result.model, relu, linspace(1, TRAINING_RANGE, 50));
  const meanAbs = (values: number[]) => values.reduce((sum, v) => sum + Math.abs(v), 0) / values.length;
  disposeModel(run.result.model);
  disposeModel(relu);
  const relative = (v: number) => Math.abs(v - FAR_X ** 2) / FAR_X ** 2;
  return [
    {
      kata: '06-right-feature',
      recipe: 'kata recipe',
      detail: `Dense(1) on [x, x²], SGD(${LEARNING_RATE}), ${EPOCHS} epochs`,
      trainSeconds: run.seconds,
      metric: `|rel. error| at x = ${FAR_X}`,
      value: relative(far),
      extra: { 'max |coefficient error|': Math.max(Math.abs(c.square - 1), Math.abs(c.linear), Math.abs(c.bias)), 'mean |f(x) - f(-x)|': meanAbs(gaps.feature) },
    },
    {
      kata: '06-right-feature',
      recipe: 'kata 03 ReLU network',
      detail: 'shipped weights, trained on [-50, 50]',
      trainSeconds: 0,
      metric: `|rel. error| at x = ${FAR_X}`,
      value: relative(reluFar),
      extra: { 'mean |f(x) - f(-x)|': meanAbs(gaps.network) },
    },
  ];
};
