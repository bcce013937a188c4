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

/**
 * The error contract of every kata (test/README.md, "Bad input"): a bad
 * argument makes the kata throw a KataInputError (lib/validate.ts) whose
 * message names the argument and shows the offending value as the test wrote
 * it. The wording is the learner's: "epochs must be at least 1, got 0" and
 * "epochs is 0: train at least one epoch" both pass.
 */
export interface BadInput {
  /** The argument (or arguments) the message must name: "epochs", "xs[1]", ["keep", "count"]; [] when the values alone say it. */
  names: string | string[];
  /** Each offending value as the test wrote it ("0", "NaN", "2.5"); EMPTY for an empty list. */
  shows: (string | typeof EMPTY)[];
}

/** An empty list, which a message may call "empty", show as [] or say there is none of (SAYS_EMPTY). */
export const EMPTY = Symbol('empty');

/**
 * Finds `word` as a whole token: "xs" in "xs[1] is NaN" or "options.xs" but not in "xsi";
 * "0" in "got 0." but not in "10", "-0" or "0.5".
 */
function mentions(message: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const numeric = /^-?(\d|\.\d|NaN$|Infinity$)/.test(word);
  const before = numeric ? (word.startsWith('-') ? '(?<![\\w.])' : '(?<![\\w.-])') : /^\w/.test(word) ? '(?<!\\w)' : '';
  const after = /\w$/.test(word) ? '(?!\\w|\\.\\d)' : '';
  return new RegExp(`${before}${escaped}${after}`).test(message);
}

/** An empty list, said in any of the usual ways: "empty", "[]", "no losses", "none", "zero", "0 values", "at least one". */
const SAYS_EMPTY = /\bempty\b|\[\s*\]|\bno\b|\bnone\b|\bzero\b|\bat least one\b|(?<![\w.])0 [a-z]/i;
const showsValue = (message: string, value: string | typeof EMPTY) => (value === EMPTY ? SAYS_EMPTY.test(message) : mentions(message, value));

/** The stub's TODO and the time limit pass through unexplained: they say what they are. */
const PASS_THROUGH = /^(KataTodoError|KataTimeoutError|TrainingStoppedError)$/;

/**
 * Passes when `call` throws or rejects with a KataInputError that names `bad.names` and shows
 * `bad.shows`; otherwise fails saying what came back instead. `what` is the call as the
 * learner would write it ("trainRestarts(3, 5)").
 */
export async function expectInputError(what: string, call: () => unknown, bad: BadInput): Promise<void> {
  let outcome: { threw: true; error: unknown } | { threw: false; value: unknown };
  try {
    outcome = { threw: false, value: await call() };
  } catch (error) {
    outcome = { threw: true, error };
  }
  const names = ([] as string[]).concat(bad.names);
  const shown = bad.shows.map((v) => (v === EMPTY ? 'that it is empty' : v));
  const want = `a KataInputError (lib/validate.ts) whose message ${names.length > 0 ? `names ${names.join(' and ')} and ` : ''}shows ${shown.join(' and ')}`;
  if (!outcome.threw) {
    throw new Error(`${what} returned ${describeValue(outcome.value)} instead of throwing ${want}.`);
  }
  const error = outcome.error as { name?: unknown; message?: unknown } | undefined;
  const name = typeof error?.name === 'string' ? error.name : typeof error;
  const message = typeof error?.message === 'string' ? error.message : String(error);
  if (PASS_THROUGH.test(name)) throw outcome.error;
  const missing = [...names.filter((n) => !mentions(message, n)), ...bad.shows.filter((v) => !showsValue(message, v)).map((v) => (v === EMPTY ? '"empty", "[]" or "no ..."' : v))];
  if (name === 'KataInputError' && missing.length === 0) return;
  const fromTfjs = name !== 'KataInputError' && /@tensorflow|tfjs/.test(String((outcome.error as { stack?: unknown })?.stack ?? ''));
  const ownClass = (outcome.error as { constructor?: { name?: unknown } } | undefined)?.constructor?.name === 'KataInputError';
  const problems = [
    ...(name === 'KataInputError'
      ? []
      : [
          fromTfjs
            ? `a ${name} from inside TensorFlow.js: check the input before it reaches tfjs`
            : ownClass
              ? `a class named KataInputError whose error name is ${name}: import the KataInputError of lib/validate.ts, which names itself`
              : `a ${name}, not a KataInputError`,
        ]),
    ...(missing.length > 0 ? [`its message does not contain ${missing.join(' or ')}`] : []),
  ];
  throw new Error(`${what} threw ${name}: "${message}". The tests want ${want} (test/README.md: any wording that does): ${problems.join('; ')}.`);
}

function describeValue(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.slice(0, 8).map(String).join(', ')}${value.length > 8 ? ', ...' : ''}]`;
  return `an object with ${Object.keys(value).join(', ') || 'no keys'}`;
}
