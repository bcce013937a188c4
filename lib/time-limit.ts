/**
 * A kata that never returns must fail with a message, not hang the run.
 * Races the work against a timer; the timer is cleared either way.
 *
 * Under jest (learner mode) the test environment also stops the training
 * itself: while the limit is open, every model.fit checks it after each
 * batch and stops once it has passed (test/support/training-guard.js), so
 * nothing trains on in the background after the test has failed.
 */
export class KataTimeoutError extends Error {
  override name = 'KataTimeoutError';
}

/** What test/support/training-guard.js offers as globalThis.__KATA_TRAINING__; absent outside jest. */
interface TrainingGuard {
  startLimit(seconds: number, what: string): { stop(): void; passed(): boolean; stoppedFits(): number; end(): void };
}

const trainingGuard = (): TrainingGuard | undefined => (globalThis as { __KATA_TRAINING__?: TrainingGuard }).__KATA_TRAINING__;

function timeoutMessage(what: string, seconds: number, stoppedFits: number | undefined): string {
  const stopped =
    stoppedFits === undefined
      ? ''
      : stoppedFits > 0
        ? ` Its training was stopped at the limit (model.stopTraining, ${stoppedFits} model.fit call${stoppedFits === 1 ? '' : 's'}).`
        : ' No model.fit was running at the limit: if it loops without training, it may still be running.';
  return (
    `${what} did not finish within ${seconds} s.${stopped} Training this small a model should take a few seconds: ` +
    'lower the number of epochs or raise the learning rate, and check for a loop that never ends.'
  );
}

/**
 * A grader stretches these wall-clock limits (KATA_TIME_SCALE): there the
 * sandbox's CPU-time limit stops a kata, which a neighbour's load cannot reach.
 */
function timeScale(): number {
  const scale = Number(process.env.KATA_TIME_SCALE ?? 1);
  return Number.isFinite(scale) && scale >= 1 ? scale : 1;
}

export async function withTimeLimit<T>(work: Promise<T> | (() => Promise<T>), seconds: number, what: string): Promise<T> {
  const limit = trainingGuard()?.startLimit(seconds, what);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      limit?.stop();
      reject(new KataTimeoutError(timeoutMessage(what, seconds, limit?.stoppedFits())));
    }, seconds * 1000 * timeScale());
  });
  const running = typeof work === 'function' ? work() : work;
  // Once the limit has won the race, the work's own rejection (a stopped fit) has no one to hear it.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, timeout]);
  } catch (error) {
    // A fit stopped at the deadline may reject before the timer's turn comes.
    if (limit?.passed() && !(error instanceof KataTimeoutError)) throw new KataTimeoutError(timeoutMessage(what, seconds, limit.stoppedFits()));
    throw error;
  } finally {
    clearTimeout(timer);
    limit?.end();
  }
}
