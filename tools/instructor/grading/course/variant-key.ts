/**
 * Secret variants: each submission's KATA_VARIANT is an HMAC of the
 * instructor's key and the submission's name, so classmates get different
 * inputs, a learner cannot compute theirs without the key, and a regrade with
 * the same key gives the same variants. Reports record the variant and a
 * fingerprint of the key (to tell shards graded with different keys apart),
 * never the key.
 */
import crypto from 'node:crypto';

/** Variants run from 1 to this; 0 is the learners' own (what their README shows) and is never drawn. */
export const VARIANT_RANGE = 1_000_000_000;

/** A key shorter than this is refused: the fingerprint and the variants would let it be guessed. */
export const MIN_KEY_LENGTH = 16;

export function checkVariantKey(key: string): void {
  if (key.length < MIN_KEY_LENGTH) {
    throw new Error(
      `The variant key is ${key.length} characters long; use at least ${MIN_KEY_LENGTH} random ones (openssl rand -hex 32), or learners could guess it from their variants.`,
    );
  }
}

/** KATA_VARIANT for one submission: 0 without a key, else 1..VARIANT_RANGE from HMAC-SHA256(key, name). */
export function variantFor(key: string | undefined, submissionName: string): number {
  if (key === undefined) return 0;
  const digest = crypto.createHmac('sha256', key).update(`kata-variant\0${submissionName}`).digest();
  return 1 + (digest.readUIntBE(0, 6) % VARIANT_RANGE);
}

/** Names the key without revealing it: equal keys, equal fingerprints. null without a key. */
export function keyFingerprint(key: string | undefined): string | null {
  if (key === undefined) return null;
  return `hmac-sha256:${crypto.createHmac('sha256', key).update('kata-variant-key-fingerprint').digest('hex').slice(0, 16)}`;
}
