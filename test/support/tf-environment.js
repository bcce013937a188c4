'use strict';
/**
 * jest's node environment, plus TensorFlow.js loaded outside the sandbox and
 * handed in as __KATA_TF__ (lib/tf.ts picks it up). Inside the sandbox every
 * global lookup goes through jest 30's global Proxy, which slows tfjs' CPU
 * kernels several times over; outside, they run at full speed. One tfjs per
 * worker process also means one backend and one engine for all test files.
 */
const { TestEnvironment } = require('jest-environment-node');
const { loadTf } = require('../../lib/load-tf');

class TfEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__KATA_TF__ = loadTf();
  }
}

module.exports = TfEnvironment;
