/**
 * What one submission may cost: one CPU budget, drawn on by every phase of
 * its grading (transpiling and loading its modules, then each kata's tests),
 * the time limit of grading.json for each kata graded. A phase may use at
 * most one kata's time limit, and no more than is left, so that no phase,
 * module or restart starts with a fresh budget. Every phase also has a
 * wall-clock backstop, WALL_FACTOR times its CPU limit, for a kata that
 * waits while computing a little (one that waits without computing is stopped
 * sooner: connection.ts's idle rule). 10: a kata that burns its CPU limit is
 * stopped by it, not by the backstop, while it gets a tenth of a core (a
 * 2-core machine loaded 20 deep), so that the backstop rarely has to tell a
 * kata from a loaded machine.
 */
import os from 'node:os';

export const WALL_FACTOR = 10;

/**
 * The CPU time a process that computes without pause gets in `wallSeconds`
 * on this machine as loaded now (its one-minute load average): all of it up
 * to as many runnable processes as cores, a share beyond. A run that used far
 * less than that waited; one that used about that much was slowed by the machine.
 */
export function fairShareSeconds(wallSeconds: number): { seconds: number; load: number; cores: number } {
  const load = os.loadavg()[0] ?? 0;
  const cores = os.availableParallelism();
  return { seconds: wallSeconds * Math.min(1, cores / Math.max(load, 1e-9)), load, cores };
}

export class SubmissionBudget {
  private spent = 0;

  constructor(
    /** grading.json's timeLimitSeconds: the most one phase may use. */
    readonly phaseSeconds: number,
    readonly totalSeconds: number,
  ) {}

  /** CPU seconds the next phase may use. */
  phaseLimit(): number {
    return Math.max(0, Math.min(this.phaseSeconds, this.totalSeconds - this.spent));
  }

  spend(seconds: number): void {
    this.spent += Math.max(0, seconds);
  }

  spentSeconds(): number {
    return this.spent;
  }
}
