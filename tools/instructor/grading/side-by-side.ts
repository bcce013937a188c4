/**
 * The katas of one submission graded side by side: at most `atOnce` in
 * flight, started in the order of the list, each with the CPU limit its
 * submission's budget reserves for it when it starts (budget.ts), settled
 * with what it used when it ends. Results come back in the order of the
 * list, whatever order the runs end in.
 */
import type { SubmissionBudget } from './budget';

export interface SideBySide<T, R> {
  atOnce: number;
  budget: SubmissionBudget;
  /** The result of an item that needs no run (and no CPU), if it is one. */
  without: (item: T) => R | undefined;
  /** The result when the budget had nothing left for the item (nothing else in flight then). */
  spent: (item: T) => R;
  /** Runs an item within `cpuSeconds`; must not reject, and says what it used. */
  run: (item: T, cpuSeconds: number) => Promise<{ result: R; usedSeconds: number }>;
}

export async function sideBySide<T, R>(items: readonly T[], how: SideBySide<T, R>): Promise<R[]> {
  const results: R[] = [];
  const inFlight = new Set<Promise<void>>();
  for (const [position, item] of items.entries()) {
    const now = how.without(item);
    if (now !== undefined) {
      results[position] = now;
      continue;
    }
    // A free slot, and a whole CPU limit unless nothing else is in flight (budget.mayStart).
    while (inFlight.size > 0 && (inFlight.size >= how.atOnce || !how.budget.mayStart())) await Promise.race(inFlight);
    const reservation = how.budget.reserve();
    if (reservation.seconds <= 0) {
      reservation.settle(0);
      results[position] = how.spent(item);
      continue;
    }
    const running: Promise<void> = how.run(item, reservation.seconds).then(({ result, usedSeconds }) => {
      reservation.settle(usedSeconds);
      results[position] = result;
      inFlight.delete(running);
    });
    inFlight.add(running);
  }
  await Promise.all(inFlight);
  return results;
}
