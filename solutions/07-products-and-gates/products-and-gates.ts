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
import { assertFiniteNumbers, assertPositiveInteger } from '../../lib/validate';

/** The seed question's 21 training points, -10..10. */
export const TRAINING_RANGE = 10;
export const XS = integerRange(-TRAINING_RANGE, TRAINING_RANGE);

/**
 * One recipe for all three models: Adam(0.1), one full batch per epoch.
 * The product models reach a loss below 1e-5 in 200 epochs on every seed we
 * tried; the gated model gets inside the training range to an MSE near 1.
 */
export const LEARNING_RATE = 0.1;
export const EPOCHS = 200;
export const SEED = 7;
/** Gates side by side in the gated model, like the width of an LSTM cell. */
export const GATE_UNITS = 8;

export interface FitOptions {
  epochs?: number;
  /** Called after each epoch with the loss tfjs logged for it. */
  onEpochEnd?: (epoch: number, loss: number) => void;
}

// Branches of the same model get different seeds, or they would start identical.
const seeded = (seed: number, branch: number) => tf.initializers.glorotUniform({ seed: seed * 10 + branch });
/**
 * The product's slopes start positive, so a·c > 0: training never takes a or c
 * through 0, where the product is a straight line (a saddle). From glorotUniform
 * half the seeds start with a·c < 0, and whether they get past the saddle depends
 * on the backend's rounding (README, "Tasks").
 */
const positive = (seed: number, branch: number) => tf.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: seed * 10 + branch });

function compiled(model: LayersModel): LayersModel {
  model.compile({ optimizer: tf.train.adam(LEARNING_RATE), loss: 'meanSquaredError' });
  return model;
}

/**
 * Task 1: y = (a·x + b) · (c·x + d): two Dense(1) branches on the same input,
 * multiplied by tf.layers.multiply. Four parameters; x² is a = c = 1, b = d = 0.
 */
export function buildProductModel(seed: number = SEED): LayersModel {
  const x = tf.input({ shape: [1] });
  const f = tf.layers.dense({ units: 1, kernelInitializer: positive(seed, 1) }).apply(x) as SymbolicTensor;
  const g = tf.layers.dense({ units: 1, kernelInitializer: positive(seed, 2) }).apply(x) as SymbolicTensor;
  const y = tf.layers.multiply().apply([f, g]) as SymbolicTensor;
  return compiled(tf.model({ inputs: x, outputs: y }));
}

/**
 * Task 2: train `model` in place on (x, x²) for every x in xs, one full batch
 * per epoch; the losses are the ones model.fit logs, one per epoch.
 */
export async function fitSquares(model: LayersModel, xs: number[], options: FitOptions = {}): Promise<{ losses: number[] }> {
  assertFiniteNumbers('xs', xs);
  const epochs = options.epochs ?? EPOCHS;
  assertPositiveInteger('epochs', epochs);
  const inputs = tf.tensor2d(xs, [xs.length, 1]);
  const labels = tf.tensor2d(xs.map((x) => x * x), [xs.length, 1]);
  try {
    // Full batch and no shuffling: the same seed gives the same numbers.
    const history = await model.fit(inputs, labels, {
      epochs,
      batchSize: xs.length,
      shuffle: false,
      verbose: 0,
      callbacks: { onEpochEnd: async (epoch, logs) => options.onEpochEnd?.(epoch, logs?.loss ?? NaN) },
    });
    return { losses: history.history.loss as number[] };
  } finally {
    tf.dispose([inputs, labels]);
  }
}

/**
 * Task 3: the product as a gate computes it, h = σ(W_g·u + b_g) ⊙ tanh(W_c·u + b_c)
 * with `units` gates, then y = Dense(1)(h). u = x / 10 and y scaled by 100 (two
 * Rescaling layers), so that the gates start unsaturated and the readout needs
 * no weights near 100.
 */
export function buildGatedModel(seed: number = SEED, units: number = GATE_UNITS): LayersModel {
  assertPositiveInteger('units', units);
  const x = tf.input({ shape: [1] });
  const u = tf.layers.rescaling({ scale: 1 / TRAINING_RANGE }).apply(x) as SymbolicTensor;
  const gate = tf.layers.dense({ units, activation: 'sigmoid', kernelInitializer: seeded(seed, 1) }).apply(u) as SymbolicTensor;
  const candidate = tf.layers.dense({ units, activation: 'tanh', kernelInitializer: seeded(seed, 2) }).apply(u) as SymbolicTensor;
  const h = tf.layers.multiply().apply([gate, candidate]) as SymbolicTensor;
  const readout = tf.layers.dense({ units: 1, kernelInitializer: seeded(seed, 3) }).apply(h) as SymbolicTensor;
  const y = tf.layers.rescaling({ scale: TRAINING_RANGE ** 2 }).apply(readout) as SymbolicTensor;
  return compiled(tf.model({ inputs: x, outputs: y }));
}

/**
 * Task 4: one Dense unit with the activation f(h) = h·h: y = (w·x + b)².
 * tfjs has no such activation; multiplying the unit's output by itself with
 * tf.layers.multiply is exactly f(h) = h·h, built from stock layers only, so
 * the model saves, loads and travels between processes without a custom class
 * to register.
 */
export function buildSquareUnitModel(seed: number = SEED): LayersModel {
  const x = tf.input({ shape: [1] });
  const h = tf.layers.dense({ units: 1, kernelInitializer: seeded(seed, 1) }).apply(x) as SymbolicTensor;
  const y = tf.layers.multiply().apply([h, h]) as SymbolicTensor;
  return compiled(tf.model({ inputs: x, outputs: y }));
}

/**
 * Task 5: dy/dx of the model at each x, by automatic differentiation (tf.grad).
 * Each output depends on its own input only, so the gradient of the sum is the
 * slope at every x at once.
 */
export function inputSlopes(model: LayersModel, xs: number[]): number[] {
  assertFiniteNumbers('xs', xs);
  return tf.tidy(() => {
    const slope = tf.grad((x: Tensor) => (model.apply(x) as Tensor).sum())(tf.tensor2d(xs, [xs.length, 1]));
    return Array.from(slope.dataSync());
  });
}
