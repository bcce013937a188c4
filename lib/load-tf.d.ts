import type * as TF from '@tensorflow/tfjs';

export type BackendName = 'tensorflow' | 'cpu';

export interface BackendChoice {
  name: BackendName;
  /** Why the native backend is not in use (absent when it is). */
  fallbackReason?: string;
}

export interface LoadedTf {
  tf: typeof TF;
  choice: BackendChoice;
  /** The Math object of the realm tfjs runs in: its Math.random shuffles in fit(). */
  hostMath: Math;
  /**
   * The JSON object of that realm. Objects handed to tfjs must come from its
   * realm: tfjs tests `config instanceof Array`, which is false for an array
   * parsed inside jest's sandbox.
   */
  hostJson: JSON;
}

export function loadTf(): LoadedTf;
export function describeBackend(choice: BackendChoice): string;
