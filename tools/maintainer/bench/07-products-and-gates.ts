import type { LayersModel } from '@tensorflow/tfjs';
import {
  buildGatedModel,
  buildProductModel,
  buildSquareUnitModel,
  EPOCHS,
  fitSquares,
  GATE_UNITS,
  LEARNING_RATE,
  XS,
} from '../../../solutions/07-products-and-gates/products-and-gates';
import { meanSquaredError } from '../../../lib/metrics';
import { disposeModel, predictValues } from '../../../lib/predict';
import { type BenchRow, type KataBench, timed } from './row';

const KATA = '07-products-and-gates';
const FAR_X = 100;
const SEED = 1;

async function row(recipe: string, detail: string, build: () => LayersModel): Promise<BenchRow> {
  const model = build();
  const run = await timed(() => fitSquares(model, XS));
  const [right, left] = predictValues(model, [FAR_X, -FAR_X]) as [number, number];
  const [r0, r1, l0, l1] = predictValues(model, [FAR_X - 0.5, FAR_X + 0.5, -FAR_X - 0.5, -FAR_X + 0.5]) as [number, number, number, number];
  const result: BenchRow = {
    kata: KATA,
    recipe,
    detail: `${detail}, Adam(${LEARNING_RATE}), ${EPOCHS} epochs`,
    trainSeconds: run.seconds,
    metric: `max |rel. error| at x = ±${FAR_X}`,
    value: Math.max(Math.abs(right - FAR_X ** 2), Math.abs(left - FAR_X ** 2)) / FAR_X ** 2,
    extra: {
      'training MSE': meanSquaredError(predictValues(model, XS), XS.map((x) => x * x)),
      [`max |slope| / 2x at ±${FAR_X}`]: Math.max(Math.abs(r1 - r0), Math.abs(l1 - l0)) / (2 * FAR_X),
    },
  };
  disposeModel(model);
  return result;
}

export const bench: KataBench = async () => [
  await row('kata recipe', '(a·x + b)·(c·x + d)', () => buildProductModel(SEED)),
  await row('kata recipe', 'Dense(1), activation x·x', () => buildSquareUnitModel(SEED)),
  await row('kata recipe', `${GATE_UNITS} gates σ(·) ⊙ tanh(·)`, () => buildGatedModel(SEED)),
];
