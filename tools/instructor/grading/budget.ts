/**
 * What one submission may cost: CPU budgets drawn on by the phases of its
 * grading, one for its katas' tests (the time limit of grading.json for each
 * kata graded) and one for transpiling and loading its modules
 * (grade-submission.ts). A phase may use at most one kata's time limit, and
 * no more than is left, so that no phase, module or restart starts with a
 * fresh budget. Every phase also has a
 * wall-clock backstop, WALL_FACTOR times one kata's time limit (not what is
 * left: a phase given a few hundredths of a second left of the budget must be
 * stopped by that CPU limit, with that reason, not by a backstop shorter than
 * Node.js takes to start), for a kata that
 * waits while computing a little (one that waits without computing is stopped
 * sooner: connection.ts's idle rule). 10: a kata that burns its CPU limit is
 * stopped by it, not by the backstop, while it gets a tenth of a core (a
 * 2-core machine loaded 20 deep), so that the backstop rarely has to tell a
 * kata from a loaded machine.
 */
export const WALL_FACTOR = 10;

/**
 * Seconds down to the hundredth, as limits are said in messages: what is left
 * of a budget after subtractions in floating point (5.699999999999999) is
 * 5.7, not a limit printed with sixteen digits. The rounding absorbs only
 * that error (a millionth of a hundredth): otherwise it rounds down, so that
 * phases together never pass the budget.
 */
export function toHundredths(seconds: number): number {
  return Math.floor(seconds * 100 + 1e-6) / 100;
}

/** CPU seconds set aside for one phase in flight, given back with what it used (settle) when it ends. */
export interface Reservation {
  /** The phase's CPU limit. */
  readonly seconds: number;
  /** Ends the phase: what it used is spent, the rest of its reservation is free again. Once only. */
  settle(usedSeconds: number): void;
}

/**
 * Phases may run side by side (a submission's katas, graded at once): each
 * reserves its limit when it starts, so that together they never pass the
 * budget, whatever order they end in.
 */
export class SubmissionBudget {
  private spent = 0;
  private reserved = 0;
  private inFlight = 0;

  readonly totalSeconds: number;

  constructor(
    /** grading.json's timeLimitSeconds: the most one phase may use. */
    readonly phaseSeconds: number,
    totalSeconds: number,
  ) {
    this.totalSeconds = toHundredths(totalSeconds);
  }

  /** CPU seconds a phase starting now may use: neither spent nor reserved by phases in flight. */
  phaseLimit(): number {
    return Math.max(0, Math.min(this.phaseSeconds, toHundredths(this.totalSeconds - this.spent - this.reserved)));
  }

  /**
   * Whether a phase may start now: with a whole phase limit, or, when less is
   * left, once no other phase is in flight. A phase never gets less because
   * others run beside it than it would get after them, had they used all they reserved.
   */
  mayStart(): boolean {
    return this.inFlight === 0 || this.phaseLimit() >= this.phaseSeconds;
  }

  reserve(): Reservation {
    const seconds = this.phaseLimit();
    this.reserved += seconds;
    this.inFlight += 1;
    let settled = false;
    return {
      seconds,
      settle: (usedSeconds: number) => {
        if (settled) return;
        settled = true;
        this.reserved -= seconds;
        this.inFlight -= 1;
        // What was measured, even past the reservation (a watchdog stops a phase a little after its limit).
        this.spent += Math.max(0, usedSeconds);
      },
    };
  }

  phasesInFlight(): number {
    return this.inFlight;
  }

  spentSeconds(): number {
    return this.spent;
  }
}
