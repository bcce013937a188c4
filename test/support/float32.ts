/**
 * Closeness that follows from float32 arithmetic. A learner may compute in
 * tfjs tensors (float32, 24-bit significand) where a test computes in
 * doubles: each float32 operation may round its result by up to 2^-24 of it,
 * so two honest computations of the same formula can differ by a few
 * roundings of the largest terms involved, never by more.
 */

/** One float32 rounding, relative: half the spacing of float32 values near 1. */
export const FLOAT32_ROUNDING = 2 ** -24;

/** Roundings allowed per term: inputs converted to float32, a product, a sum, the result read back. */
export const ROUNDINGS_PER_TERM = 8;

/** The largest honest difference for a result computed from terms of these sizes. */
export function float32Tolerance(...terms: number[]): number {
  return ROUNDINGS_PER_TERM * FLOAT32_ROUNDING * terms.reduce((sum, term) => sum + Math.abs(term), 0);
}

/** |value - expected| within float32Tolerance(...terms), the terms' sizes by default just the expected value. */
export function closeInFloat32(value: number, expected: number, ...terms: number[]): boolean {
  return Math.abs(value - expected) <= float32Tolerance(...(terms.length > 0 ? terms : [expected]));
}
