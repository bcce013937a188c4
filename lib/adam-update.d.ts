import type * as TF from '@tensorflow/tfjs';

/** Installs Adam's one-pass update on tf's AdamOptimizer (lib/load-tf.js does, once). */
export function installAdamUpdate(tf: typeof TF): void;
/** Puts tfjs' own update back. */
export function uninstallAdamUpdate(tf: typeof TF): void;
/** Whether tf's Adam updates through lib/adam-update.js. */
export function adamUpdatesInOnePass(tf: typeof TF): boolean;
