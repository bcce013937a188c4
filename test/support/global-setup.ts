import { describeBackend, loadTf } from '../../lib/load-tf';
import { TYPE_CHECK_TEST_TITLE } from '../../lib/kata-type-errors';
import { startTypeCheck } from './type-check';

/** The environment variable that carries this run's start time (ms since the epoch) to globalTeardown. */
export const RUN_STARTED = 'KATA_RUN_STARTED';

/**
 * Runs once per jest run, before any test file: says which backend runs, and starts the type
 * check of the kata files beside the tests (type-check.ts) when a kata test file may run and
 * its type-check test is not filtered out (-t).
 */
export default function globalSetup(globalConfig: { testNamePattern?: string }, projectConfig: { testMatch: string[] }): void {
  process.stdout.write(`\n${describeBackend(loadTf().choice)}\n`);
  process.env[RUN_STARTED] = String(Date.now());
  const runsKataTests = projectConfig.testMatch.some((glob) => /test\/\*\.test\.ts$/.test(glob));
  const pattern = globalConfig.testNamePattern;
  if (runsKataTests && (!pattern || new RegExp(pattern, 'i').test(TYPE_CHECK_TEST_TITLE))) startTypeCheck();
}
