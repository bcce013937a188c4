/**
 * A kata that never returns must fail with a message, not hang the run.
 * Races the work against a timer; the timer is cleared either way.
 */
export class KataTimeoutError extends Error {
  override name = 'KataTimeoutError';
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
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new KataTimeoutError(
            `${what} did not finish within ${seconds} s. Training this small a model should take a few seconds: ` +
              'lower the number of epochs or raise the learning rate, and check for a loop that never ends.',
          ),
        ),
      seconds * 1000 * timeScale(),
    );
  });
  try {
    return await Promise.race([typeof work === 'function' ? work() : work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
