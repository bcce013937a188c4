/** One line of the benchmark: a recipe's training time and quality. */
export interface BenchRow {
  kata: string;
  /** "kata recipe" or "seed recipe" or another named variant. */
  recipe: string;
  /** What was trained, in words. */
  detail: string;
  trainSeconds: number;
  metric: string;
  value: number;
  /** Anything else worth printing: epochs, weights, a ratio. */
  extra?: Record<string, number | string>;
}

export interface BenchOptions {
  /** Run the seed's recipes in full (slow) instead of a capped slice. */
  full: boolean;
}

export type KataBench = (options: BenchOptions) => Promise<BenchRow[]>;

export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const start = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - start) / 1000 };
}
