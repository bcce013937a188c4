import type * as TF from '@tensorflow/tfjs';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendRequest = BackendName | 'auto';

export interface BackendChoice {
  name: BackendName;
  /** What KATA_BACKEND asked for. */
  requested: BackendRequest;
  /** Why this backend runs: the variable's value, or what `auto` skipped and why. */
  why: string;
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

/** The backends, in the order `auto` tries them. */
export const BACKENDS: readonly BackendName[];
export function loadTf(): LoadedTf;
export function describeBackend(choice: BackendChoice): string;
/** KATA_BACKEND (or `value`) checked: throws a message naming the valid values. */
export function requestedBackend(value?: string): BackendRequest;
