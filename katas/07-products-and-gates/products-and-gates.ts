/**
 * Kata 07: products and gates. A network that multiplies two branches can
 * represent x² exactly, and so extrapolates; squash the branches into gates
 * (a logistic sigmoid times a tanh, as in an LSTM or a highway network) and it
 * flattens outside the range it saw.
 * Read katas/07-products-and-gates/README.md first; hints are in hints.md.
 * Run only this kata with: npm test -- 07
 */
import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { integerRange } from '../../lib/metrics';
import { tf } from '../../lib/tf';
import { todo } from '../../lib/todo';
import { assertFiniteNumbers, assertPositiveInteger } from '../../lib/validate';

const KATA = '07-products-and-gates';

/** The seed question's 21 training points, -10..10. */
export const TRAINING_RANGE = 10;
export const XS = integerRange(-TRAINING_RANGE, TRAINING_RANGE);

// TODO: choose your recipe (task 2): one learning rate and one number of epochs for all three models.
export const LEARNING_RATE = 0;
export const EPOCHS = 0;
export const SEED = 7;
/** Gates side by side in the gated model, like the width of an LSTM cell. */
export const GATE_UNITS = 8;

export interface FitOptions {
  epochs?: number;
  /** Called after each epoch with the loss tfjs logged for it. */
  onEpochEnd?: (epoch: number, loss: number) => void;
}

/**
 * Task 1: y = (a·x + b) · (c·x + d): two Dense(1) branches on the same input
 * (functional API: tf.input, layer.apply), multiplied by tf.layers.multiply.
 * Seed every kernel initialiser from `seed`; compile with Adam(LEARNING_RATE) and MSE.
 * Example: with a = 2, b = -3, c = 0.5, d = 1.5 set by hand, x = 4 gives 5 · 3.5 = 17.5.
 */
export function buildProductModel(seed: number = SEED): LayersModel {
  // TODO
  return todo(KATA, 1, 'buildProductModel()');
}

/**
 * Task 2: train `model` in place on (x, x²) for every x in xs, one full batch
 * per epoch, `options.epochs` epochs (EPOCHS by default).
 * Returns the loss tfjs logs for each epoch: { losses: [first, ..., last] }.
 * Rejects empty xs, NaN and a non-positive number of epochs with a clear error.
 */
export async function fitSquares(model: LayersModel, xs: number[], options: FitOptions = {}): Promise<{ losses: number[] }> {
  assertFiniteNumbers('xs', xs);
  // TODO
  return todo(KATA, 2, 'fitSquares()');
}

/**
 * Task 3: `units` gates as an LSTM's output computes them,
 * h = sigmoid(W_g·u + b_g) ⊙ tanh(W_c·u + b_c) with u = x / TRAINING_RANGE,
 * then y = TRAINING_RANGE² · Dense(1)(h). Seeded and compiled like task 1.
 */
export function buildGatedModel(seed: number = SEED, units: number = GATE_UNITS): LayersModel {
  assertPositiveInteger('units', units);
  // TODO: tf.layers.rescaling({ scale }) scales without adding parameters.
  return todo(KATA, 3, 'buildGatedModel()');
}

/**
 * Task 4: one Dense unit with the activation f(h) = h·h, so y = (w·x + b)².
 * tfjs has no such built-in activation: build it from tfjs layers and say in a
 * comment why your way is a good one. Seeded and compiled like task 1.
 * Example: with w = -1.5, b = 2 set by hand, x = 4 gives (-4)² = 16.
 */
export function buildSquareUnitModel(seed: number = SEED): LayersModel {
  // TODO
  return todo(KATA, 4, 'buildSquareUnitModel()');
}

/**
 * Task 5: dy/dx of the model at each x, by automatic differentiation (tf.grad),
 * as plain numbers, leaving no tensors behind.
 * Example: for the hand-set product model of task 1, x = 4 gives 2·2·0.5·4 + (2·1.5 − 3·0.5) = 9.5.
 */
export function inputSlopes(model: LayersModel, xs: number[]): number[] {
  assertFiniteNumbers('xs', xs);
  // TODO
  return todo(KATA, 5, 'inputSlopes()');
}

// Used by the finished kata; kept here so your imports are ready.
void tf;
