import path from 'node:path';
import { describeBackend, loadTf } from '../../lib/load-tf';
import { TYPE_CHECK_TEST_TITLE } from '../../lib/kata-type-error';
import { startTypeCheck } from './type-check';

/** The environment variable that carries this run's start time (ms since the epoch) to globalTeardown. */
export const RUN_STARTED = 'KATA_RUN_STARTED';

/**
 * Runs once per jest run, before any test file: says which backend runs, and starts the type
 * check of the kata files beside the tests (type-check.ts) when a kata test file may run and
 * its type-check test is not filtered out (-t).
 */
export default function globalSetup(globalConfig: JestGlobalConfig, projectConfig: { rootDir: string; testMatch: string[] }): void {
  process.stdout.write(`\n${describeBackend(loadTf().choice)}\n`);
  process.env[RUN_STARTED] = String(Date.now());
  const runsKataTests = projectConfig.testMatch.some((glob) => /test\/\*\.test\.ts$/.test(glob));
  const pattern = globalConfig.testNamePattern;
  if (!runsKataTests || (pattern && !new RegExp(pattern, 'i').test(TYPE_CHECK_TEST_TITLE))) return;
  // Only the katas whose test files this run runs (npm test -- 03 checks kata 03 and what it imports).
  const paths = globalConfig.testPathPatterns;
  const matcher = paths?.isSet() ? paths.toExecutor({ rootDir: projectConfig.rootDir }) : undefined;
  startTypeCheck((kata) => !matcher || matcher.isMatch(path.join(projectConfig.rootDir, 'test', `${kata}.test.ts`)));
}

/** The parts of jest's global config used here (jest 30: testPathPatterns is a TestPathPatterns). */
interface JestGlobalConfig {
  testNamePattern?: string;
  testPathPatterns?: { isSet(): boolean; toExecutor(options: { rootDir: string }): { isMatch(absolutePath: string): boolean } };
}
