/**
 * How much CPU time a process that computes without pause gets on this
 * machine as loaded: all of a core up to as many runnable processes as
 * cores, a share beyond (cores / load). A run that used far less than that
 * waited; one that used about that much was slowed by the machine. The load
 * counts every runnable process, the grader's own katas graded side by side
 * among them: they compete for the cores like any other program.
 */
import os from 'node:os';

export interface FairShare {
  seconds: number;
  /** The load the share was computed from (over a run: its time-weighted mean). */
  load: number;
  cores: number;
}

/** Seconds a run is sampled at: often enough to follow a load that changes within the run (katas beside it ending). */
const SAMPLE_MS = 2000;

function shareOf(load: number, cores: number): number {
  return Math.min(1, cores / Math.max(load, 1e-9));
}

/** The fair share of the last `wallSeconds`, from the one-minute load average now (for windows of about a minute). */
export function fairShareSeconds(wallSeconds: number): FairShare {
  const load = os.loadavg()[0] ?? 0;
  const cores = os.availableParallelism();
  return { seconds: wallSeconds * shareOf(load, cores), load, cores };
}

export interface FairShareMeter {
  /** The fair share since the meter started, sampled through the run. */
  sinceStart(): FairShare;
  end(): void;
}

/**
 * The fair share over a whole run, summed sample by sample. The load at the
 * end alone would not do for a long run: katas graded beside it that ended
 * before it leave a low load behind them, and a kata they slowed would look
 * like one that waited.
 */
export function meterFairShare(): FairShareMeter {
  const cores = os.availableParallelism();
  const started = Date.now();
  let last = started;
  let share = 0;
  let loadTime = 0;
  const sample = () => {
    const now = Date.now();
    const load = os.loadavg()[0] ?? 0;
    const seconds = (now - last) / 1000;
    share += seconds * shareOf(load, cores);
    loadTime += seconds * load;
    last = now;
  };
  const timer = setInterval(sample, SAMPLE_MS);
  timer.unref();
  return {
    sinceStart: () => {
      sample();
      const elapsed = (last - started) / 1000;
      return { seconds: share, load: elapsed > 0 ? loadTime / elapsed : (os.loadavg()[0] ?? 0), cores };
    },
    end: () => clearInterval(timer),
  };
}
