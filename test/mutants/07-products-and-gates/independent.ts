/**
 * A valid kata 07 written apart from the reference, on the README's recipe
 * (Adam(0.1), 200 epochs, 8 gates, kernel seeds 10·seed + k): a custom Square
 * layer registered with tfjs' serialization, losses collected in onEpochEnd,
 * activation layers after linear Dense layers, slopes through model.predict.
 * Copied into a katas tree to run.
 */
import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import { integerRange } from '../../lib/metrics';
import { tf } from '../../lib/tf';
import { KataInputError } from '../../lib/validate';

export const TRAINING_RANGE = 10;
export const XS = integerRange(-10, 10);
export const LEARNING_RATE = 0.1;
export const EPOCHS = 200;
export const SEED = 3;
export const GATE_UNITS = 8;

export interface FitOptions {
  epochs?: number;
  onEpochEnd?: (epoch: number, loss: number) => void;
}

function checkXs(xs: number[]): void {
  if (xs.length === 0) throw new KataInputError('xs is empty');
  xs.forEach((x, i) => {
    if (!Number.isFinite(x)) throw new KataInputError(`xs[${i}] is ${x}`);
  });
}

/** f(h) = h², as a layer of its own, registered so that models using it can be saved and loaded. */
class Square extends tf.layers.Layer {
  static className = 'Square';
  override call(inputs: Tensor | Tensor[]): Tensor {
    return tf.tidy(() => tf.square(Array.isArray(inputs) ? (inputs[0] as Tensor) : inputs));
  }
}
tf.serialization.registerClass(Square);

/** The README's seeding: branch k of a model built with `seed` starts from glorotUniform(10·seed + k), the product's from uniform [0.5, 1.5]. */
const dense = (units: number, seed: number, k: number) => tf.layers.dense({ units, kernelInitializer: tf.initializers.glorotUniform({ seed: 10 * seed + k }) });
const positiveSlope = (seed: number, k: number) => tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: 10 * seed + k }) });

function finish(inputs: SymbolicTensor, outputs: SymbolicTensor): LayersModel {
  const model = tf.model({ inputs, outputs });
  model.compile({ optimizer: tf.train.adam(LEARNING_RATE), loss: 'meanSquaredError' });
  return model;
}

export function buildProductModel(seed: number = SEED): LayersModel {
  const x = tf.input({ shape: [1] });
  const left = positiveSlope(seed, 1).apply(x) as SymbolicTensor;
  const right = positiveSlope(seed, 2).apply(x) as SymbolicTensor;
  return finish(x, tf.layers.multiply().apply([left, right]) as SymbolicTensor);
}

export async function fitSquares(model: LayersModel, xs: number[], options: FitOptions = {}): Promise<{ losses: number[] }> {
  checkXs(xs);
  const epochs = options.epochs ?? EPOCHS;
  if (!(Number.isInteger(epochs) && epochs > 0)) throw new KataInputError(`epochs must be a positive integer, got ${epochs}`);
  const [x, y] = [tf.tensor2d(xs.map((v) => [v])), tf.tensor2d(xs.map((v) => [v * v]))];
  const losses: number[] = [];
  try {
    await model.fit(x, y, {
      epochs,
      batchSize: xs.length,
      shuffle: false,
      verbose: 0,
      callbacks: {
        onEpochEnd: async (epoch, logs) => {
          losses.push(logs?.loss as number);
          options.onEpochEnd?.(epoch, logs?.loss as number);
        },
      },
    });
  } finally {
    x.dispose();
    y.dispose();
  }
  return { losses };
}

export function buildGatedModel(seed: number = SEED, units: number = GATE_UNITS): LayersModel {
  if (!(Number.isInteger(units) && units > 0)) throw new KataInputError(`units must be a whole number of gates, at least 1; got ${units}`);
  const x = tf.input({ shape: [1] });
  const u = tf.layers.rescaling({ scale: 0.1 }).apply(x) as SymbolicTensor;
  const gate = tf.layers.activation({ activation: 'sigmoid' }).apply(dense(units, seed, 1).apply(u)) as SymbolicTensor;
  const cell = tf.layers.activation({ activation: 'tanh' }).apply(dense(units, seed, 2).apply(u)) as SymbolicTensor;
  const h = tf.layers.multiply().apply([gate, cell]) as SymbolicTensor;
  const out = dense(1, seed, 3).apply(h) as SymbolicTensor;
  return finish(x, tf.layers.rescaling({ scale: 100 }).apply(out) as SymbolicTensor);
}

export function buildSquareUnitModel(seed: number = SEED): LayersModel {
  const x = tf.input({ shape: [1] });
  const h = dense(1, seed, 1).apply(x) as SymbolicTensor;
  return finish(x, new Square({}).apply(h) as SymbolicTensor);
}

export function inputSlopes(model: LayersModel, xs: number[]): number[] {
  checkXs(xs);
  return tf.tidy(() => {
    const dydx = tf.grad((x: Tensor) => tf.sum(model.predict(x) as Tensor))(tf.tensor2d(xs, [xs.length, 1]));
    return [...dydx.dataSync()];
  });
}
