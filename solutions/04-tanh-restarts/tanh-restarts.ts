/**
 * Kata 04: a small tanh network on few points, and how much the random start matters.
 * Read katas/04-tanh-restarts/README.md first.
 */
import type { LayersModel, Optimizer, Sequential } from '@tensorflow/tfjs';
import { foldScaling } from '../../lib/fold-scaling';
import { integerRange } from '../../lib/metrics';
import { disposeModel, predictValues } from '../../lib/predict';
import { tf } from '../../lib/tf';
import { assertPositiveInteger, KataInputError } from '../../lib/validate';

/** The third answer's data: the 21 points x = -10..10 with labels x². */
export const XS = integerRange(-10, 10);
export const HIDDEN_UNITS = 10;

/**
 * The kata's recipe: inputs divided by 10 and labels by 100 (both about unit
 * size), Adam(0.07), 200 full-batch epochs. The answer's: raw numbers,
 * SGD(1e-3), 15,000 steps (about 7 s per restart here: npm run bench -- --kata 04 --full).
 */
export const X_SCALE = 10;
export const Y_SCALE = 100;
export const LEARNING_RATE = 0.07;
export const EPOCHS = 200;
export const RESTARTS = 8;
export const KEEP_BEST = 5;

export interface TanhOptions {
  epochs?: number;
  /** Another optimizer than Adam(LEARNING_RATE), e.g. the answer's SGD(1e-3). */
  optimizer?: Optimizer;
  /** false trains on raw numbers, as the answer did. */
  scaled?: boolean;
}

export interface Restart {
  seed: number;
  /** Takes raw x, answers in original units: the scaling is folded into its weights. */
  model: LayersModel;
  /** The returned model's MSE on the 21 points, in original units. */
  finalMse: number;
}

export interface ScalingComparison {
  seed: number;
  epochs: number;
  /** Final MSE of the run on raw numbers; Infinity when that run diverged. */
  rawMse: number;
  /** Final MSE of the run on scaled numbers, same seed, optimizer and epochs. */
  scaledMse: number;
  /** rawMse / scaledMse: how much the same budget gains from scaling. */
  ratio: number;
}

export interface Spread {
  best: number;
  median: number;
  worst: number;
  /** worst / best */
  ratio: number;
}

/**
 * Task 1: Dense(10, tanh) → Dense(1), initialised as PyTorch's nn.Linear does
 * (the answer's code): weights and biases uniform in ±1/sqrt(fan_in), seeded.
 */
export function buildTanhNetwork(seed: number): Sequential {
  const uniform = (fanIn: number, offset: number) => {
    const limit = 1 / Math.sqrt(fanIn);
    return tf.initializers.randomUniform({ minval: -limit, maxval: limit, seed: seed * 10 + offset });
  };
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: HIDDEN_UNITS, activation: 'tanh', inputShape: [1], kernelInitializer: uniform(1, 1), biasInitializer: uniform(1, 2) }),
      tf.layers.dense({ units: 1, kernelInitializer: uniform(HIDDEN_UNITS, 3), biasInitializer: uniform(HIDDEN_UNITS, 4) }),
    ],
  });
}

/** The 21 points' MSE of a model that takes raw x and answers in raw y; NaN when training diverged. */
function rawMse(model: LayersModel): number {
  const predictions = predictValues(model, XS);
  return XS.reduce((sum, x, i) => sum + ((predictions[i] as number) - x * x) ** 2, 0) / XS.length;
}

/** Task 2: train one network from `seed` on the 21 points, full batch. */
export async function trainTanhNetwork(seed: number, options: TanhOptions = {}): Promise<Restart> {
  const epochs = options.epochs ?? EPOCHS;
  assertPositiveInteger('epochs', epochs);
  const [xScale, yScale] = options.scaled === false ? [1, 1] : [X_SCALE, Y_SCALE];
  const model = buildTanhNetwork(seed);
  model.compile({ optimizer: options.optimizer ?? tf.train.adam(LEARNING_RATE), loss: 'meanSquaredError' });
  const x = tf.tensor2d(XS.map((v) => v / xScale), [XS.length, 1]);
  const y = tf.tensor2d(XS.map((v) => (v * v) / yScale), [XS.length, 1]);
  try {
    await model.fit(x, y, { epochs, batchSize: XS.length, shuffle: false, verbose: 0 });
    // Fold the scaling into the weights: the model then takes raw x and answers in raw y.
    foldScaling(model, { xOffset: 0, xScale, yOffset: 0, yScale });
    // The returned model's MSE, not the last logged loss: tfjs logs each
    // epoch's loss before that epoch's update.
    return { seed, model, finalMse: rawMse(model) };
  } finally {
    tf.dispose([x, y]);
  }
}

/**
 * Task 3: train `count` networks from seeds 1..count and return the best
 * `keep` by final MSE, best first. The others are disposed.
 */
export async function trainRestarts(count: number = RESTARTS, keep: number = KEEP_BEST, options: TanhOptions = {}): Promise<{ best: Restart[]; allMse: number[] }> {
  assertPositiveInteger('count', count);
  assertPositiveInteger('keep', keep);
  if (keep > count) throw new KataInputError(`keep (${keep}) cannot exceed count (${count}).`);
  const restarts: Restart[] = [];
  for (let seed = 1; seed <= count; seed++) restarts.push(await trainTanhNetwork(seed, options));
  restarts.sort((a, b) => a.finalMse - b.finalMse);
  restarts.slice(keep).forEach((r) => disposeModel(r.model));
  return { best: restarts.slice(0, keep), allMse: restarts.map((r) => r.finalMse) };
}

/** Task 4: best, median, worst and worst/best of the final losses. */
export function lossSpread(losses: number[]): Spread {
  if (losses.length === 0) throw new KataInputError('losses is empty: train at least one restart.');
  const sorted = [...losses].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  const best = sorted[0] as number;
  const worst = sorted[sorted.length - 1] as number;
  return { best, median, worst, ratio: worst / best };
}

/**
 * Task 5: the same seed, optimizer and epochs on raw and on scaled numbers;
 * how many times lower the scaled run's final MSE is.
 */
export async function compareScaling(seed: number, epochs: number = EPOCHS): Promise<ScalingComparison> {
  assertPositiveInteger('epochs', epochs);
  const finalMseOf = async (scaled: boolean) => {
    const run = await trainTanhNetwork(seed, { epochs, scaled });
    disposeModel(run.model);
    return run.finalMse;
  };
  const raw = await finalMseOf(false);
  const scaled = await finalMseOf(true);
  const rawMse = Number.isFinite(raw) ? raw : Infinity;
  return { seed, epochs, rawMse, scaledMse: scaled, ratio: rawMse / scaled };
}
