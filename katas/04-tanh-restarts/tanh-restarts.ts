/**
 * Kata 04: a small tanh network on few points, and how much the random start matters.
 * Read katas/04-tanh-restarts/README.md first; hints are in hints.md.
 * Run only this kata with: npm test -- 04
 */
import type { LayersModel, Optimizer, Sequential } from '@tensorflow/tfjs';
import { foldScaling } from '../../lib/fold-scaling';
import { integerRange } from '../../lib/metrics';
import { disposeModel, predictValues } from '../../lib/predict';
import { tf } from '../../lib/tf';
import { todo } from '../../lib/todo';
import { assertPositiveInteger, KataInputError } from '../../lib/validate';

const KATA = '04-tanh-restarts';

/** The third answer's data: the 21 points x = -10..10 with labels x². */
export const XS = integerRange(-10, 10);
export const HIDDEN_UNITS = 10;

// TODO: choose your recipe (task 2). The answer's: raw numbers, SGD(1e-3), 15,000 epochs;
// the README says what scaling and Adam change.
export const X_SCALE = 1;
export const Y_SCALE = 1;
export const LEARNING_RATE = 1e-3;
export const EPOCHS = 0;
export const RESTARTS = 8;
export const KEEP_BEST = 5;

export interface TanhOptions {
  epochs?: number;
  /** Another optimizer than your default, e.g. the answer's SGD(1e-3). */
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
 * (the answer's code): weights AND biases uniform in ±1/sqrt(fan_in), seeded.
 */
export function buildTanhNetwork(seed: number): Sequential {
  // TODO
  return todo(KATA, 1, 'buildTanhNetwork()');
}

/**
 * Task 2: train one network from `seed` on the 21 points, one full batch per epoch.
 * Return a model on RAW numbers (fold your scaling back in) and its final MSE in original units.
 */
export async function trainTanhNetwork(seed: number, options: TanhOptions = {}): Promise<Restart> {
  // TODO: compile with options.optimizer or your default, fit on (x / X_SCALE, x² / Y_SCALE),
  // then foldScaling(model, { xOffset: 0, xScale, yOffset: 0, yScale }).
  // finalMse is the RETURNED model's MSE on the 21 points (not the last logged loss).
  return todo(KATA, 2, 'trainTanhNetwork()');
}

/**
 * Task 3: train `count` networks from seeds 1..count; return the best `keep` by
 * final MSE, best first, and every final MSE. Dispose the networks you drop.
 */
export async function trainRestarts(count: number = RESTARTS, keep: number = KEEP_BEST, options: TanhOptions = {}): Promise<{ best: Restart[]; allMse: number[] }> {
  // TODO
  return todo(KATA, 3, 'trainRestarts()');
}

/**
 * Task 4: best, median, worst and worst/best of some final losses.
 * Example: lossSpread([4, 1, 3, 2]) -> { best: 1, median: 2.5, worst: 4, ratio: 4 }
 */
export function lossSpread(losses: number[]): Spread {
  // TODO
  return todo(KATA, 4, 'lossSpread()');
}

// Used by the finished kata; kept here so your imports are ready.
void [tf, foldScaling, disposeModel, predictValues, assertPositiveInteger, KataInputError];

/**
 * Task 5: train `seed` for `epochs` with your default optimizer twice, on raw
 * numbers and on scaled ones; return both final MSEs and rawMse / scaledMse.
 */
export async function compareScaling(seed: number, epochs: number = EPOCHS): Promise<ScalingComparison> {
  // TODO
  return todo(KATA, 5, 'compareScaling()');
}
