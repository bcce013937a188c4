/**
 * Stable shards of a class: the submissions sorted by name (code-unit order,
 * the same on every machine and locale) and cut into n contiguous slices
 * whose sizes differ by at most one. Every submission is in exactly one shard.
 */

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export const WHOLE_CLASS: Shard = { index: 1, count: 1 };

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new Error(`--shard takes i/n with 1 <= i <= n (the i-th of n slices), got "${text}".`);
  }
  return { index, count };
}

export function sortedNames(names: Iterable<string>): string[] {
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The names in shard i of n. */
export function selectShard(names: string[], shard: Shard): string[] {
  const sorted = sortedNames(names);
  const start = Math.floor(((shard.index - 1) * sorted.length) / shard.count);
  const end = Math.floor((shard.index * sorted.length) / shard.count);
  return sorted.slice(start, end);
}
