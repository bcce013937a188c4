/**
 * "Compiled with the mean squared error" as tfjs accepts it: by name, or as one
 * of tfjs' own mean-squared-error functions (tf.losses.meanSquaredError,
 * tf.metrics.meanSquaredError), which a learner may pass instead of the name.
 * In grading mode a model crosses processes as its saved training config, where
 * the grader's wire (tools/instructor/grading/child/wire.ts) writes those functions by name.
 */
import { tf } from '../../lib/tf';

export function isMeanSquaredError(loss: unknown): boolean {
  if (typeof loss === 'string') return /^(meanSquaredError|mse|mean_squared_error)$/.test(loss);
  return loss === tf.losses.meanSquaredError || loss === tf.metrics.meanSquaredError;
}

/** The loss as a message names it: a name, or a function's name rather than its source. */
export function describeLoss(loss: unknown): string {
  if (typeof loss === 'function') return `the function ${loss.name || '(anonymous)'}`;
  return typeof loss === 'string' ? loss : JSON.stringify(loss) ?? String(loss);
}
