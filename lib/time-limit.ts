/**
 * A kata that never returns must fail with a message, not hang the run.
 * withTimeLimit() counts the CPU time this process uses while the work runs
 * (process.cpuUsage(): a machine loaded by other programs slows the wall
 * clock, not this one), with a wall-clock backstop for work that waits
 * instead of computing. It opens the limit before it starts the work, so
 * the work's synchronous part is covered too: pass a function.
 *
 * Under jest (learner mode) the test environment also stops the training
 * itself once the limit has passed, wherever it is: model.fit, fitDataset,
 * optimizer loops, any TensorFlow.js call, and code that never yields
 * (test/support/training-guard.js), so nothing trains on after the test
 * has failed. In grading mode the kata runs in the grader's sandbox, which
 * stops it at its own CPU limit; this process is mostly idle meanwhile, so
 * its limit there counts wall-clock time, stretched by KATA_TIME_SCALE.
 */
export class KataTimeoutError extends Error {
  override name = 'KataTimeoutError';
}

/** The wall-clock backstop of a limit of `seconds` of CPU time: 5 times it (a share of a fifth of a core), at least 2 minutes more. */
export function wallBackstopSeconds(seconds: number): number {
  return Math.max(5 * seconds, seconds + 120);
}

type PassedBy = 'cpu' | 'wall' | undefined;

interface Limit {
  /** Has the limit passed (and training been stopped)? */
  check(): PassedBy;
  used(): { cpu: number; wall: number };
  /** How training was stopped, as a sentence ('' when unknown). */
  stopped(): string;
  /** Runs the work's synchronous part (interruptibly under jest). */
  call<T>(fn: () => T): T;
  end(): void;
}

/** What test/support/training-guard.js offers as globalThis.__KATA_TRAINING__; absent outside jest. */
interface TrainingGuard {
  startLimit(options: { what: string; cpuSeconds: number | undefined; wallSeconds: number }): Limit;
}

const trainingGuard = (): TrainingGuard | undefined => (globalThis as { __KATA_TRAINING__?: TrainingGuard }).__KATA_TRAINING__;
const bridged = (): boolean => (globalThis as { __KATA_BRIDGE__?: unknown }).__KATA_BRIDGE__ !== undefined || process.env.KATA_BRIDGE_DIR !== undefined;

/** The grader's stretch of the wall-clock limits in grading mode (tools/instructor/grade.ts sets it). */
function timeScale(): number {
  const scale = Number(process.env.KATA_TIME_SCALE ?? 1);
  return Number.isFinite(scale) && scale >= 1 ? scale : 1;
}

const processCpuSeconds = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

/** The same limit without the test environment (a script): the clocks only. */
function plainLimit(cpuSeconds: number | undefined, wallSeconds: number): Limit {
  const cpuAtStart = processCpuSeconds();
  const wallAtStart = performance.now();
  const used = () => ({ cpu: processCpuSeconds() - cpuAtStart, wall: (performance.now() - wallAtStart) / 1000 });
  return {
    check: () => {
      const { cpu, wall } = used();
      return cpuSeconds !== undefined && cpu >= cpuSeconds ? 'cpu' : wall >= wallSeconds ? 'wall' : undefined;
    },
    used,
    stopped: () => '',
    call: (fn) => fn(),
    end: () => undefined,
  };
}

function timeoutMessage(what: string, seconds: number, wallSeconds: number, by: PassedBy, limit: Limit): string {
  const { cpu, wall } = limit.used();
  const clock =
    by === 'wall' && bridged()
      ? `within ${wallSeconds.toFixed(0)} s (the grader's limit on the wall clock; the sandbox limits its CPU time)`
      : by === 'wall'
        ? `within ${wallSeconds.toFixed(0)} s of wall-clock time, though it used only ${cpu.toFixed(1)} s of its ${seconds} s of CPU time: it spent the rest waiting (on a promise that never settles, or for a turn on a busy machine)`
        : `within ${seconds} s of CPU time (the test process's own computing, whatever the machine's load; ${wall.toFixed(1)} s on the wall clock)`;
  return (
    `${what} did not finish ${clock}.${limit.stopped()} Training this small a model should take a few seconds: ` +
    'lower the number of epochs or raise the learning rate, and check for a loop that never ends.'
  );
}

const POLL_MS = 100;

/**
 * Runs `work()` under a limit of `seconds` of CPU time; rejects with a
 * KataTimeoutError naming `what` once the limit has passed.
 */
export async function withTimeLimit<T>(work: () => Promise<T> | T, seconds: number, what: string): Promise<T> {
  const inGrading = bridged();
  const cpuSeconds = inGrading ? undefined : seconds;
  const wallSeconds = inGrading ? seconds * timeScale() : wallBackstopSeconds(seconds);
  const limit = trainingGuard()?.startLimit({ what, cpuSeconds, wallSeconds }) ?? plainLimit(cpuSeconds, wallSeconds);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = (by: PassedBy) => new KataTimeoutError(timeoutMessage(what, seconds, wallSeconds, by, limit));
  const timeout = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      const by = limit.check();
      if (by) reject(timedOut(by));
    }, POLL_MS);
  });
  try {
    let running: Promise<T>;
    try {
      running = Promise.resolve(limit.call(work));
    } catch (error) {
      running = Promise.reject(error);
    }
    // Once the limit has won the race, the work's own rejection (a stopped fit) has no one to hear it.
    running.catch(() => undefined);
    const result = await Promise.race([running, timeout]);
    // Work that swallowed the stop and returned anyway still ran past its limit.
    const by = limit.check();
    if (by) throw timedOut(by);
    return result;
  } catch (error) {
    // A stopped training rejects before the poll's turn comes.
    const by = limit.check();
    if (by && !(error instanceof KataTimeoutError)) throw timedOut(by);
    throw error;
  } finally {
    clearInterval(timer);
    limit.end();
  }
}
