'use strict';
/**
 * jest's node environment, plus TensorFlow.js loaded outside the sandbox and
 * handed in as __KATA_TF__ (lib/tf.ts picks it up). Inside the sandbox every
 * global lookup goes through jest 30's global Proxy, which slows tfjs' CPU
 * kernels several times over; outside, they run at full speed. One tfjs per
 * worker process also means one backend and one engine for all test files.
 *
 * __KATA_TRAINING__ (training-guard.js): every model.fit stops at the time
 * limit that covers it, and nothing trains on after a failed test.
 */
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
    await super.setup();
    this.trainingGuard.reset(() => this.global.__KATA_BRIDGE__ !== undefined);
    // Which optimizer each fit used, so that an error from tfjs can be explained (tfjs-errors.js).
    this.fits = recordFits(this.trainingGuard);
  }

  async handleTestEvent(event) {
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') {
      explainTfjsError(event.error, { testPath: this.testPath, testName: event.test?.name, fits: this.fits });
    }
    if (event.name === 'test_done') await this.trainingGuard.settle(event.test.errors.length > 0);
  }

  async teardown() {
    await this.trainingGuard.settle(true);
    await super.teardown();
  }
}

module.exports = TfEnvironment;
