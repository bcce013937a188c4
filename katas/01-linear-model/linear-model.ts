/**
 * Kata 01: a linear model cannot learn x².
 * Read katas/01-linear-model/README.md first; hints are in hints.md.
 * Run only this kata with: npm test -- 01
 */
import type { LayersModel, Optimizer, Sequential } from '@tensorflow/tfjs';
import { disposeModel } from '../../lib/predict';
import { tf } from '../../lib/tf';
import { todo } from '../../lib/todo';
import { assertPairs, assertPositiveInteger } from '../../lib/validate';

const KATA = '01-linear-model';

// TODO: choose your hyper-parameters (task 3).
export const LEARNING_RATE = 0;
export const EPOCHS = 0;

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  /** Seeds the kernel initializer: same seed, same run. */
  seed?: number;
  /** Another optimizer than SGD(learningRate), e.g. the seed's Adam(1e-4) in task 5. */
  optimizer?: Optimizer;
}

export interface TrainedModel {
  model: LayersModel;
  /** The training loss (MSE) after each epoch. */
  losses: number[];
}

export interface LeastSquaresLine {
  slope: number;
  intercept: number;
  /** The mean squared error of that line on the data: no linear model can do better. */
  mse: number;
}

/**
 * Task 1: one Dense unit on a one-number input, compiled with MSE loss.
 * @param options.seed seeds the kernel initializer
 * @param options.optimizer defaults to SGD with options.learningRate
 */
export function buildLinearModel(options: TrainOptions = {}): Sequential {
  // TODO: tf.sequential() with one tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer }),
  // then model.compile({ optimizer, loss }).
  return todo(KATA, 1, 'buildLinearModel()');
}

/**
 * Task 2: the closed-form least-squares line through (xs, ys), and its MSE.
 * Example: leastSquaresLine([0, 1, 2], [1, 3, 5]) -> { slope: 2, intercept: 1, mse: 0 }
 */
export function leastSquaresLine(xs: number[], ys: number[]): LeastSquaresLine {
  assertPairs(xs, ys);
  // TODO: slope = cov(x, y) / var(x), intercept = mean(y) - slope * mean(x).
  return todo(KATA, 2, 'leastSquaresLine()');
}

/**
 * Tasks 3 and 4: train a fresh linear model on (xs, ys).
 * @param xs inputs, one number per example (becomes a [n, 1] tensor)
 * @param ys labels, same length
 */
export async function trainLinearModel(xs: number[], ys: number[], options: TrainOptions = {}): Promise<TrainedModel> {
  assertPairs(xs, ys);
  const epochs = options.epochs ?? EPOCHS;
  // TODO: build the model, make [n, 1] tensors, model.fit(...) for `epochs`,
  // return the model and history.history.loss. Dispose the tensors you made.
  return todo(KATA, 3, 'trainLinearModel()');
}

/**
 * Task 5a: the most Adam can move one weight in one step, whatever the gradient.
 * Example: adamStepBound(1e-3) ≈ 3.16e-3 with the default betas.
 */
export function adamStepBound(learningRate: number, beta1 = 0.9, beta2 = 0.999): number {
  // TODO: see Kingma & Ba (2015), section 2.1.
  return todo(KATA, 5, 'adamStepBound()');
}

/**
 * Task 5b: train with Adam(learningRate) for `epochs` epochs and report how far
 * the bias moved from where it started.
 */
export async function measureBiasTravel(
  xs: number[],
  ys: number[],
  options: { epochs: number; learningRate: number; seed?: number },
): Promise<number> {
  // TODO: reuse trainLinearModel() with an Adam optimizer; read the bias with model.getWeights().
  return todo(KATA, 5, 'measureBiasTravel()');
}

// Used by the finished kata; kept here so your imports are ready.
void [tf, assertPositiveInteger, disposeModel];
