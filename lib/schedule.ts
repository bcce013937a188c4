/**
 * A learning-rate schedule for model.fit: exponential decay from `from` to
 * `to` over `epochs`, applied at each epoch's end. tfjs optimizers have no
 * schedules of their own, but read their `learningRate` field at every step.
 */
import type { CustomCallbackArgs, Optimizer } from '@tensorflow/tfjs';

export function exponentialDecay(optimizer: Optimizer, from: number, to: number, epochs: number): CustomCallbackArgs {
  const settable = optimizer as unknown as { learningRate: number };
  return {
    onEpochEnd: (epoch: number) => {
      settable.learningRate = from * (to / from) ** ((epoch + 1) / epochs);
    },
  };
}
