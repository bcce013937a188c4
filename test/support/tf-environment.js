'use strict';
/**
 * jest's node environment, plus TensorFlow.js loaded outside the sandbox and
 * handed in as __KATA_TF__ (lib/tf.ts picks it up). Inside the sandbox every
 * global lookup goes through jest 30's global Proxy, which slows tfjs' CPU
 * kernels several times over; outside, they run at full speed. One tfjs per
 * worker process also means one backend and one engine for all test files.
 *
 * __KATA_TRAINING__ (training-guard.js): every training stops at the CPU-time
 * limit that covers it (each test has one of its own, TEST_CPU_SECONDS),
 * and nothing trains on after a failed test.
 */
const fs = require('node:fs');
const { TestEnvironment } = require('jest-environment-node');
const { loadTf } = require('../../lib/load-tf');
const { installTrainingGuard } = require('./training-guard');
const { explainTfjsError, recordFits } = require('./tfjs-errors');

class TfEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
    this.global.__KATA_TF__ = loadTf();
    this.trainingGuard = installTrainingGuard(this.global.__KATA_TF__.tf);
    this.global.__KATA_TRAINING__ = this.trainingGuard;
    // The plot comparison, for the same reason (test/support/plot-snapshot.ts);
    // loaded on first use, so that test files without a plot do not pay for it.
    Object.defineProperty(this.global, '__KATA_IMAGE_SNAPSHOT__', { get: () => require('jest-image-snapshot') });
  }

  async setup() {
    this.cpuAtStart = process.cpuUsage();
    await super.setup();
    this.trainingGuard.reset(() => this.global.__KATA_BRIDGE__ !== undefined);
    // Which optimizer each fit used, so that an error from tfjs can be explained (tfjs-errors.js).
    this.fits = recordFits(this.trainingGuard);
  }

  async handleTestEvent(event) {
    if (event.name === 'test_start') this.startBudget(`the test "${event.test.name}"`);
    // beforeEach and afterEach run inside their test's budget; beforeAll and afterAll get their own.
    const ownHook = /^(beforeAll|afterAll)$/.test(event.hook?.type ?? '');
    if (event.name === 'hook_start' && ownHook) this.startBudget(`the ${event.hook.type} hook`);
    if ((event.name === 'hook_success' || event.name === 'hook_failure') && ownHook) this.endBudget();
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') {
      explainTfjsError(event.error, { testPath: this.testPath, testName: event.test?.name, fits: this.fits });
    }
    if (event.name === 'test_done') {
      this.endBudget();
      await this.trainingGuard.settle(event.test.errors.length > 0);
    }
  }

  /** A test's or a hook's own CPU budget (training-guard.js, TEST_CPU_SECONDS). */
  startBudget(what) {
    this.endBudget();
    this.budget = this.trainingGuard.testStarted(what);
  }

  endBudget() {
    this.budget?.end();
    this.budget = undefined;
  }

  async teardown() {
    this.endBudget();
    await this.trainingGuard.settle(true);
    await super.teardown();
    // The benchmark's measure of the work (npm run bench -- --suite): CPU seconds per test file, load or not.
    if (process.env.KATA_CPU_LOG && this.cpuAtStart) {
      const used = process.cpuUsage(this.cpuAtStart);
      fs.appendFileSync(process.env.KATA_CPU_LOG, `${JSON.stringify({ file: this.testPath, cpuSeconds: (used.user + used.system) / 1e6 })}\n`);
    }
  }
}

module.exports = TfEnvironment;
