'use strict';
/**
 * An error TensorFlow.js throws while a kata test runs says what tfjs saw deep
 * inside ("Cannot read properties of undefined (reading 'backend')"), not what
 * the kata did. The test environment (tf-environment.js) hands every failed
 * test's error to explainTfjsError(), which rewrites such an error's message in
 * place: the kata, the task, and the most likely cause, named as the cause only
 * when it was checked (here: the fits this test file ran, recorded by
 * recordFits()), else listed as possibilities. Errors of the tests' own kinds
 * (failed checks, input errors, time limits, stub TODOs) pass untouched.
 *
 * Plain JavaScript: loaded with the environment, outside jest's sandbox.
 */

/** A stack frame inside TensorFlow.js (installed package or source-mapped source). */
const TFJS_FRAME = /[\\/](@tensorflow|tfjs-[a-z-]+)[\\/]/;
/** Errors the tests and the library throw on purpose: they already say what is wrong. */
const OWN_ERRORS = /^(Kata\w*Error|TrainingStoppedError|JestAssertionError)$/;
/** tfjs' ways of saying that something it needed had been disposed. */
const DISPOSED = /reading 'backend'|is disposed|already disposed|has been disposed|was disposed/i;
const SHAPES = /Error when checking|expected .{0,80}shape|incompatible|shapes? .{0,40}(do not|must) match|must be of rank|rank .{0,20}expected|to have \d+ dimension/i;
const OPTIMIZER_FRAME = /\b(\w*Optimizer)\.(applyGradients|minimize)\b|[\\/]optimizers[\\/]/;
/** A stack frame in a kata's own file (katas/03-deep-relu/deep-relu.ts, or any folder laid out like katas/), not a test's. */
const KATA_FRAME = /[\\/]\d\d-[a-z0-9-]+[\\/][\w.-]+\.[jt]s:\d+/;
const TEST_FRAME = /[\\/]test[\\/][\w./\\-]+\.[jt]s:\d+/;

/** Where a frame points, shortened to the repository's folders (katas/03-deep-relu/deep-relu.ts:61). */
function location(frame) {
  const match = /([^\s(]+\.[jt]s):(\d+)/.exec(frame);
  if (!match) return frame.trim();
  const file = match[1].replace(/\\/g, '/');
  const short = /(?:^|\/)((?:katas|solutions|test)\/.*)$/.exec(file)?.[1] ?? /(\d\d-[a-z0-9-]+\/[^/]+)$/.exec(file)?.[1] ?? file;
  return `${short}:${match[2]}`;
}

/** Where in the kata, or else in the test, tfjs was called from: what the explanation can point at. */
function origin(frames) {
  const kata = frames.find((frame) => KATA_FRAME.test(frame) && !/\.test\.[jt]s:/.test(frame) && !TFJS_FRAME.test(frame));
  if (kata) return { kata: location(kata) };
  const test = frames.find((frame) => TEST_FRAME.test(frame) && !TFJS_FRAME.test(frame));
  return { test: test ? location(test) : undefined };
}

/**
 * Records which optimizer each fit of this test file used, through the training
 * guard's fit watchers (learner mode only: in grading mode fits run elsewhere).
 */
function recordFits(guard) {
  /** optimizer -> the models that were trained with it */
  const modelsByOptimizer = new Map();
  const stop = guard.watch({
    onFitStart(model) {
      const optimizer = model.optimizer;
      if (!optimizer) return;
      if (!modelsByOptimizer.has(optimizer)) modelsByOptimizer.set(optimizer, new Set());
      modelsByOptimizer.get(optimizer).add(model);
    },
    onEpochEnd() {},
    onFitEnd() {},
  });
  return {
    /** The optimizers that trained more than one model, with how many each. */
    shared() {
      return [...modelsByOptimizer].filter(([, models]) => models.size > 1).map(([optimizer, models]) => ({ optimizer, models: models.size }));
    },
    stop,
  };
}

function kataAndTask(testPath, testName) {
  const kata = /(\d\d)-[a-z0-9-]+\.test\.ts$/.exec(testPath ?? '')?.[1];
  const task = /\btasks? (\d+(?:[-–]\d+)?)/.exec(testName ?? '')?.[1];
  return [kata ? `kata ${kata}` : 'this kata', task ? `task ${task}` : undefined].filter(Boolean).join(', ');
}

function optimizerName(optimizer) {
  try {
    return optimizer.getClassName();
  } catch {
    return 'optimizer';
  }
}

/** The most likely cause of a tfjs error, as a sentence: checked causes first, possibilities otherwise. */
function likelyCause(error, stack, frames, fits) {
  const message = String(error.message);
  const from = origin(frames);
  const notInKata = `No line of your kata is in the stack: tfjs threw in the test's own code${from.test ? ` (${from.test})` : ''}, while it worked with what your kata built or returned.`;
  if (DISPOSED.test(message)) {
    const inOptimizer = OPTIMIZER_FRAME.exec(stack);
    const shared = fits?.shared() ?? [];
    const where = inOptimizer
      ? ` It happened inside an optimizer's update (${inOptimizer[1] ? `${inOptimizer[1]}.${inOptimizer[2]}` : 'in tfjs\' optimizers'}): the optimizer's own state had been disposed.`
      : '';
    if (shared.length > 0) {
      const names = shared.map((s) => `one ${optimizerName(s.optimizer)} optimizer trained ${s.models} models`).join('; ');
      return (
        `Something tfjs needed had been disposed.${where} Checked: while this test file ran, ${names}. Disposing one of them (disposeModel() frees a model's optimizer) ` +
        'broke the others: create a fresh optimizer for every model you compile, inside the function, not once at module level.'
      );
    }
    return (
      `Something tfjs needed had been disposed.${where} Possible causes: an optimizer created once (at module level) and shared by several models, ` +
      'so that disposing one model disposed it for the others; a model used after disposeModel(); a tensor kept from inside tf.tidy(), which disposes ' +
      'every tensor it does not return.'
    );
  }
  if (SHAPES.test(message)) {
    return from.kata
      ? `The shapes of the tensors did not fit, in your kata at ${from.kata}: check the shapes of what that line hands to tfjs (the katas feed one number per example, as [n, 1] tensors, tf.tensor2d(xs, [xs.length, 1]); a layer applied on its own takes what the layer before it outputs).`
      : `${notInKata} Possible causes: a model or tensor of other shapes than the task asks for (layers, units, an option your code does not pass on), or inputs of another shape than [n, 1].`;
  }
  return from.kata
    ? `The test passed valid inputs (its title and the README say which): the first line of your kata in the stack is ${from.kata}; see what it handed to tfjs.`
    : `${notInKata} Compare what tfjs' message says with what the task asks your kata to build or return (for example the layers' sizes, when an option such as units is not passed on).`;
}

/**
 * Rewrites `error` (message and stack) when TensorFlow.js threw it; leaves any other error alone.
 * Returns whether it did.
 */
function explainTfjsError(error, { testPath, testName, fits } = {}) {
  if (!error || typeof error !== 'object' || typeof error.message !== 'string') return false;
  if (OWN_ERRORS.test(String(error.name)) || error.matcherResult !== undefined || error.explainedTfjsError) return false;
  const stack = typeof error.stack === 'string' ? error.stack : '';
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  const thrownByTfjs = frames.length > 0 ? TFJS_FRAME.test(frames[0]) : DISPOSED.test(error.message);
  if (!thrownByTfjs) return false;
  const original = `${error.name}: ${error.message}`;
  const explained =
    `${kataAndTask(testPath, testName)}: TensorFlow.js threw "${original}" while the test ran your kata. ` + likelyCause(error, stack, frames, fits);
  error.message = explained;
  error.explainedTfjsError = true;
  if (frames.length > 0) error.stack = `${error.name}: ${explained}\n${frames.join('\n')}`;
  return true;
}

module.exports = { explainTfjsError, recordFits };
