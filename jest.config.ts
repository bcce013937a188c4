/** @jest-config-loader esbuild-register */
// (That docblock makes jest load this file with esbuild, which strips the types without
// loading TypeScript: 1.6 s less than ts-node's default type check, 0.2 s less than its
// transpile-only mode, before every run. `npm run typecheck` checks it.)
import os from 'node:os';
import path from 'node:path';
import type { Config } from 'jest';

/**
 * One set of test files, two trees. Tests import a kata as `@kata/<folder>/<file>`;
 * KATA_TREE picks where that resolves: the learner's katas/ (the default) or
 * the reference solutions/. The npm scripts set it:
 *   npm test                -> katas (what a learner runs)
 *   npm run test:solutions  -> solutions (what CI runs)
 * KATA_DIR points the alias at any other folder laid out like katas/ (mutation cases).
 * Grading mode (npm run grade sets KATA_BRIDGE_DIR): the alias resolves to
 * generated bridge modules that run the submission in a sandbox
 * (tools/instructor/grading/bridge.ts); no submission code loads in this process.
 *
 * Tools that start jest themselves (tools/shared/run-katas.ts: grading, npm run
 * kata, the maintainers' checks) pass kataJestConfig('katas') to it as JSON,
 * which spares each run the start of a TypeScript loader for this file: about
 * 0.2 s of the 1.5 s kata 02's file takes in band (measured below, in the
 * maintainers' guide).
 */
export function kataJestConfig(tree: 'katas' | 'solutions'): Config {
  return {
    displayName: tree,
    rootDir: __dirname,
    // Absolute paths, not <rootDir>, here and for the resolver: StrykerJS (npm run mutation) wraps the environment and does not expand <rootDir>.
    testEnvironment: path.join(__dirname, 'test', 'support', 'tf-environment.js'),
    // Kata tests and the plot-comparison tests; the tools' tests (test/tools/) run with npm run test:tools.
    testMatch: ['<rootDir>/test/*.test.ts'],
    transform: {
      // ts-jest, transpiling only (type-checking is `npm run typecheck`'s job and the type
      // check's beside the tests), loaded only on a cache miss (test/support/ts-transformer.js).
      '^.+\\.ts$': [path.join(__dirname, 'test', 'support', 'ts-transformer.js'), { tsconfig: '<rootDir>/tsconfig.json' }],
    },
    // `@kata/...`: resolved from the environment (KATA_TREE, KATA_DIR, KATA_BRIDGE_DIR), not written
    // here, so that this configuration, which keys jest's transform cache, stays the same from run to run.
    resolver: path.join(__dirname, 'test', 'support', 'kata-resolver.js'),
    moduleNameMapper: {
      // A kata that imports tfjs directly gets the same instance as lib/tf.ts (test/support/tfjs-module.js).
      '^@tensorflow/tfjs(-core|-layers)?$': '<rootDir>/test/support/tfjs-module.js',
    },
    globals: { KATA_TREE: tree },
    setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
    globalSetup: '<rootDir>/test/support/global-setup.ts',
    // Stops the type check if it still runs, and lists passing values outside their measured range.
    globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    // Wall-clock time: only the last line of defence, long enough for a machine
    // loaded several times over. The limits that stop a kata count CPU time: each
    // training call has its own, with a teaching message (lib/time-limit.ts), and
    // each test 120 s (test/support/training-guard.js); in grading mode the
    // sandbox's CPU limit stops a kata.
    testTimeout: 600_000,
    // Jest's default leaves one core to its main process, which only reports here:
    // on a 2-core machine that ran the files one at a time. Training is
    // single-threaded, so one worker per core is the fastest (npm run bench -- --suite --ways).
    maxWorkers: os.availableParallelism(),
  };
}

export default kataJestConfig(process.env.KATA_TREE === 'solutions' ? 'solutions' : 'katas');
