/**
 * What kata tests use to call a kata, so that one test file works in both
 * modes:
 * - learner mode (npm test): the kata runs in this process;
 * - grading mode (npm run grade): `@kata/...` resolves to a bridge whose
 *   exports forward every call to a sandboxed child process, and install
 *   `__KATA_BRIDGE__` here.
 * Hence the rules of test/README.md: await every kata call, check errors with
 * expectKataError, count tensors with expectNoTensorLeak.
 */
import { tf } from '../../lib/tf';

/** What a grading bridge offers the tests; absent in learner mode. */
export interface KataBridge {
  /** Tensors alive in the child that runs the kata. */
  numTensors(): Promise<number>;
}

function bridge(): KataBridge | undefined {
  return (globalThis as { __KATA_BRIDGE__?: KataBridge }).__KATA_BRIDGE__;
}

/** Tensors alive wherever kata code and test code run. */
export async function liveTensors(): Promise<number> {
  return tf.memory().numTensors + ((await bridge()?.numTensors()) ?? 0);
}

/**
 * Runs `run` twice (the first run may create tfjs' own cached constants) and
 * fails, naming `what`, if the second one leaves tensors behind. `run` may be
 * sync or async: in grading mode every kata call is async anyway.
 */
export async function expectNoTensorLeak(what: string, run: () => unknown): Promise<void> {
  await run();
  const before = await liveTensors();
  await run();
  const leaked = (await liveTensors()) - before;
  if (leaked !== 0) {
    throw new Error(
      `${what} left ${leaked} tensor${leaked === 1 ? '' : 's'} behind. Wrap tensor work in tf.tidy(), ` +
        'dispose() the tensors you create outside it (inputs you make, models you no longer return), and return plain numbers where the signature says so.',
    );
  }
}

/** Passes when calling the kata throws or rejects with a message matching `pattern`, sync or async alike. */
export async function expectKataError(call: () => unknown, pattern: RegExp): Promise<void> {
  await expect((async () => call())()).rejects.toThrow(pattern);
}
