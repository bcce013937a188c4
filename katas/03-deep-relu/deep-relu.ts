/**
 * Kata 03: a deep ReLU network approximates x² inside its training range.
 * Read katas/03-deep-relu/README.md first; hints are in hints.md.
 * It builds on your kata 02 (data, split, scaler). Run only this kata with: npm test -- 03
 */
import type { LayersModel, Sequential, Tensor2D } from '@tensorflow/tfjs';
import { exponentialDecay } from '../../lib/schedule';
import { tf, withSeededShuffling } from '../../lib/tf';
import { todo } from '../../lib/todo';
import { assertFiniteNumbers } from '../../lib/validate';
import { fitScaler, generateSquares, scaleDataset, scaleX, type Scaler, type Split, unscaleY } from '../02-training-data/training-data';

const KATA = '03-deep-relu';

// TODO: choose your recipe (task 2). The README gives the answer's and says what changes with scaling.
export const HIDDEN_UNITS = 8;
export const EPOCHS = 0;
export const BATCH_SIZE = 256;
export const LEARNING_RATE = 1e-3;
export const FINAL_LEARNING_RATE = 1e-3;
export const SEED = 1;

export interface ReluOptions {
  units?: number;
  seed?: number;
  epochs?: number;
  /** Turn recycling of dead units off, to see what it prevents. */
  recycle?: boolean;
  /** Called after each epoch with tfjs' logs (loss, val_loss: scaled units). */
  onEpochEnd?: (epoch: number, logs: { loss?: number; val_loss?: number }) => void;
}

export interface TrainedRelu {
  model: LayersModel;
  /** Fitted on the training part; predictOriginal() needs it. */
  scaler: Scaler;
  /** Training and validation loss per epoch, in scaled units. */
  losses: number[];
  validationLosses: number[];
  /** How many dead units were recycled during training. */
  recycled: number;
}

/**
 * Task 1: Dense(units, relu) → Dense(units, relu) → Dense(1), every kernel
 * initialiser seeded from options.seed, compiled with Adam(LEARNING_RATE) and MSE.
 */
export function buildReluNetwork(options: ReluOptions = {}): Sequential {
  // TODO
  return todo(KATA, 1, 'buildReluNetwork()');
}

/**
 * Task 4: per hidden layer, how many units output 0 for every input in x.
 * @param x inputs as the network sees them (scaled), shape [n, 1]
 * Example: [0, 2] means layer 1 is fine and layer 2 has two dead units.
 */
export function countDeadUnits(model: LayersModel, x: Tensor2D): number[] {
  // TODO: apply the hidden layers one by one (layer.apply) and look at each unit's largest output.
  return todo(KATA, 4, 'countDeadUnits()');
}

/**
 * Task 5: give every dead unit a fresh start (new incoming weights from a seeded
 * initialiser, a bias that makes it fire on half of the inputs x) and zero its
 * outgoing weights so that the output does not change. Returns how many it recycled.
 */
export function recycleDeadUnits(model: LayersModel, x: Tensor2D, seed: number): number {
  // TODO
  return todo(KATA, 5, 'recycleDeadUnits()');
}

/**
 * Task 2: fit the scaler on split.train, train on scaled data (validation data
 * scaled with the same scaler), and return the model, the scaler and the losses.
 * @param split raw data from kata 02: x in [-50, 50], y = x²
 */
export async function trainReluNetwork(split: Split, options: ReluOptions = {}): Promise<TrainedRelu> {
  // TODO: scale, build with buildReluNetwork(options), then model.fit inside
  // withSeededShuffling(seed, ...) so that shuffling repeats; pass callbacks for the
  // learning-rate decay, recycling (every few epochs, and once more after the last
  // one, unless options.recycle === false) and options.onEpochEnd. Dispose the
  // scaled tensors you made.
  return todo(KATA, 2, 'trainReluNetwork()');
}

/**
 * Task 3: predictions for raw xs, in original units.
 * Example: predictOriginal(trained, [4, 20]) ≈ [16, 400].
 */
export function predictOriginal(trained: Pick<TrainedRelu, 'model' | 'scaler'>, xs: number[]): number[] {
  assertFiniteNumbers('xs', xs);
  // TODO: scale xs, predict, unscale.
  return todo(KATA, 3, 'predictOriginal()');
}

/** Task 6: the seed's 21 integer points against many random samples of the same interval. */
export const FEW_MANY_RANGE: [number, number] = [-10, 10];
export const MANY_EXAMPLES = 10_000;
/** Same recipe for both: this many epochs (an epoch is one pass over the examples). */
export const FEW_MANY_EPOCHS = 12;
/** The fine grid both networks are measured on: step 0.01 over [-10, 10]. */
export const FINE_GRID_POINTS = 2001;

export interface FewVersusMany {
  few: TrainedRelu;
  many: TrainedRelu;
  /** RMSE over the fine grid of [-10, 10], original units. */
  fewRmse: number;
  manyRmse: number;
}

/**
 * Task 6: the same network and recipe (trainReluNetwork with options.seed and
 * options.epochs), trained once on the 21 integer points -10..10 and once on
 * MANY_EXAMPLES random x of [-10, 10]; both measured by their RMSE, in original
 * units, on the fine grid of FINE_GRID_POINTS x from -10 to 10.
 */
export async function trainOnFewAndMany(options: Pick<ReluOptions, 'seed' | 'epochs'> = {}): Promise<FewVersusMany> {
  // TODO: make both datasets and the grid (tensors [n, 1], labels x²), train both
  // with trainReluNetwork; the grid can be the validation part of each split.
  return todo(KATA, 6, 'trainOnFewAndMany()');
}

// Used by the finished kata; kept here so your imports are ready.
void [tf, withSeededShuffling, exponentialDecay, fitScaler, generateSquares, scaleDataset, scaleX, unscaleY];
