/**
 * A type error of a kata file as data, and the title of the test that reports
 * them. Kept apart from the compiler (kata-type-errors.ts): the tests and the
 * learner's tools import this in every run, and loading TypeScript's 9 MB
 * compiler there cost about 0.25 s of CPU per test file.
 */
import path from 'node:path';

/** The title of the test that reports a kata's type errors: tools recognise it by this. */
export const TYPE_CHECK_TEST_TITLE = 'types: your kata files and what they import compile without type errors';

export interface KataTypeError {
  /** Absolute path of the file with the error ('' for an error of the compiler options). */
  file: string;
  /** 1-based, as editors show them. */
  line: number;
  column: number;
  /** TypeScript's error code: 2322 is TS2322. */
  code: number;
  message: string;
}

/** "katas/03-deep-relu/deep-relu.ts:42:7 error TS2322: Type 'string' is not assignable to type 'number'." */
export function formatTypeError(error: KataTypeError, relativeTo: string): string {
  const where = error.file ? `${path.relative(relativeTo, error.file).split(path.sep).join('/')}:${error.line}:${error.column}` : 'compiler options';
  return `${where} error TS${error.code}: ${error.message}`;
}
