/**
 * The mutation check's cases (npm run check:mutants): wrong solutions that
 * the kata tests must reject, each at a named test, and valid alternatives
 * they must accept. One file per kata, test/mutants/<kata>.ts, exporting
 * `cases`; whole-file alternatives live in test/mutants/<kata>/ and import
 * the library as the katas do (../../lib/...), because they are copied into
 * a katas tree to run.
 */

/** Replace the one occurrence of `find` in the reference solution's file. */
export interface Edit {
  find: string;
  replace: string;
}

/** The classes of issue 8: what kind of mistake or trick a wrong case acts out. */
export type WrongClass =
  | 'hidden-by-data' // a mistake the test data cannot see (symmetric x, zero coefficients, one h)
  | 'hard-coded' // returns the constants the test expects
  | 'borrowed-answer' // loads the shipped models or re-exports solutions/
  | 'option-ignored' // ignores a documented option (recycle, onEpochEnd, seed, scaled, optimizer)
  | 'leak' // leaves tensors behind
  | 'validation-leak' // fits on validation data
  | 'plot' // draws a wrong picture (missing series, wrong curve, wrong legend)
  | 'bad-input' // refuses bad input wrongly: a plain Error, a message that names nothing, an error from deep inside tfjs
  | 'shared-state' // one optimizer, model or dataset shared where each call needs its own
  | 'wrong-logic'; // a plain mistake in the lesson's computation

export interface MutantCase {
  /** kebab-case, unique within the kata. */
  name: string;
  kind: 'wrong' | 'valid';
  /** wrong cases only. */
  class?: WrongClass;
  /** One line: the mistake, or what makes this alternative different from the reference. */
  why: string;
  /** wrong cases only: part of the title of a test that must fail ("task 2:"). */
  failing?: string;
  /**
   * wrong cases only: what the failure message must say, so that the case proves the
   * test rejects it for the right reason and names the real cause, not only that it fails.
   * A failed test whose title contains `failing` must have a message matching it.
   */
  message?: RegExp;
  /** The case as edits of solutions/<kata>/<file>.ts ... */
  edits?: Edit[];
  /** ... or as a whole file in test/mutants/<kata>/ that replaces it. */
  file?: string;
  /** KATA_VARIANT to run under (default 0); a hard-coded case is caught under another variant. */
  variant?: number;
}
