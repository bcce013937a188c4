/**
 * What one submission may cost: one CPU budget, drawn on by every phase of
 * its grading (transpiling and loading its modules, then each kata's tests),
 * the time limit of grading.json for each kata graded. A phase may use at
 * most one kata's time limit, and no more than is left, so that no phase,
 * module or restart starts with a fresh budget. Every phase also has a
 * wall-clock backstop, WALL_FACTOR times its CPU limit: a kata that waits
 * without computing.
 */
export const WALL_FACTOR = 5;

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
