'use strict';
/**
 * Learner mode: every model.fit of a test run stops at the time limit that
 * covers it. lib/time-limit.ts's withTimeLimit() opens a limit here; a
 * callback added to every fit checks the clock after each batch and sets
 * tfjs' model.stopTraining once a limit has passed. A stopped fit rejects
 * (it never hands back a half-trained model as if it were finished), and
 * while a limit is passed, fits that start are refused, so a kata's loop of
 * trainings ends within a batch instead of going on in the background.
 * The stop lasts until the test ends and every fit has returned.
 *
 * The same callback lets test code watch training epoch by epoch
 * (test/support/animate.ts records the frames of an animation).
 *
 * Plain JavaScript, loaded by test/support/tf-environment.js outside jest's
 * sandbox, where tfjs lives: it patches the real LayersModel.prototype.fit,
 * once per worker process. With a grading bridge (__KATA_BRIDGE__) the kata's
 * fits run in another process, which the grader stops itself; fits here then
 * go through untouched.
 */

class TrainingStoppedError extends Error {
  constructor(message) {
    super(message);
    this.name = 'TrainingStoppedError';
  }
}

/** The state of the test file running in this worker (one at a time). */
const state = {
  /** Open limits: { what, seconds, deadline (performance.now() ms), passed, stoppedFits }. */
  limits: new Set(),
  /** The limit that stopped training, until the test ends. */
  stoppedBy: undefined,
  /** Models inside fit() now. */
  training: new Set(),
  /** Epoch watchers: { onFitStart(model, x, y, args), onEpochEnd(model, epoch, logs), onFitEnd() }. */
  watchers: new Set(),
  /** Is a grading bridge installed (kata code elsewhere)? */
  bridged: () => false,
};

function stopAll(limit) {
  if (!limit.passed) limit.passed = performance.now();
  state.stoppedBy ??= limit;
  for (const model of state.training) {
    model.stopTraining = true;
    limit.stoppedFits += 1;
  }
}

function overdueLimit() {
  const now = performance.now();
  for (const limit of state.limits) if (now >= limit.deadline) return limit;
  return undefined;
}

function stoppedMessage(limit, started) {
  const why = limit.reason ?? `${limit.what} passed its time limit of ${limit.seconds} s, and every training of the test stops there`;
  return `model.fit() was ${started ? 'stopped' : 'not started'}: ${why}.`;
}

/** A watcher's error must never change the training it watches. */
function tell(watchers, event, ...args) {
  for (const watcher of watchers) {
    try {
      watcher[event](...args);
    } catch (error) {
      process.emitWarning(`training watcher ${event}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

let patched = false;

/** Patches LayersModel.prototype.fit of this tfjs (once) and returns the guard's interface. */
function installTrainingGuard(tf) {
  if (!patched) {
    patched = true;
    const BaseCallback = Object.getPrototypeOf(tf.CustomCallback);
    const originalFit = tf.LayersModel.prototype.fit;

    /** tfjs' own standardizeCallbacks, so that our callback object can join any list a kata passes. */
    const callbackList = (callbacks, yieldEvery) => {
      if (callbacks == null) return [];
      if (callbacks instanceof BaseCallback) return [callbacks];
      const list = Array.isArray(callbacks) ? callbacks : [callbacks];
      return list.map((c) => (c instanceof BaseCallback ? c : new tf.CustomCallback(c, yieldEvery)));
    };

    class GuardCallback extends tf.Callback {
      constructor(model, watchers) {
        super();
        this.guarded = model;
        this.watchers = watchers;
      }
      check() {
        const limit = state.stoppedBy ?? overdueLimit();
        if (limit && !this.guarded.stopTraining) {
          stopAll(limit);
          this.guarded.stopTraining = true;
        }
      }
      async onBatchEnd() {
        this.check();
      }
      async onEpochEnd(epoch, logs) {
        this.check();
        tell(this.watchers, 'onEpochEnd', this.guarded, epoch, logs);
      }
    }

    tf.LayersModel.prototype.fit = async function guardedFit(x, y, args = {}) {
      if (state.bridged()) return originalFit.call(this, x, y, args);
      const limit = state.stoppedBy ?? overdueLimit();
      if (limit) {
        stopAll(limit);
        throw new TrainingStoppedError(stoppedMessage(limit, false));
      }
      const watchers = [...state.watchers];
      tell(watchers, 'onFitStart', this, x, y, args);
      const guard = new GuardCallback(this, watchers);
      state.training.add(this);
      try {
        const history = await originalFit.call(this, x, y, { ...args, callbacks: [...callbackList(args.callbacks, args.yieldEvery), guard] });
        const stoppedBy = state.stoppedBy;
        if (stoppedBy && this.stopTraining) throw new TrainingStoppedError(stoppedMessage(stoppedBy, true));
        return history;
      } finally {
        state.training.delete(this);
        tell(watchers, 'onFitEnd');
      }
    };
  }
  return guard;
}

/** What the test environment and lib/time-limit.ts (as globalThis.__KATA_TRAINING__) use. */
const guard = {
  /** Opens a limit of `seconds` for `what`; withTimeLimit calls it. */
  startLimit(seconds, what) {
    const limit = { what, seconds, deadline: performance.now() + seconds * 1000, passed: 0, stoppedFits: 0 };
    state.limits.add(limit);
    return {
      /** The deadline has passed: stop every fit now. */
      stop: () => stopAll(limit),
      /** Has the limit passed (and stopped training)? */
      passed: () => limit.passed > 0 || performance.now() >= limit.deadline,
      /** How many fits it stopped. */
      stoppedFits: () => limit.stoppedFits,
      end: () => state.limits.delete(limit),
    };
  },
  /** Calls the watcher's onFitStart(model, x, y, args), onEpochEnd(model, epoch, logs) and onFitEnd() for every fit, until the returned function is called. */
  watch(watcher) {
    state.watchers.add(watcher);
    return () => state.watchers.delete(watcher);
  },
  /** Fits running now. */
  activeFits: () => state.training.size,
  /**
   * After a test: when a limit stopped training (or the test failed with
   * training still running, which is then stopped), waits (at most `maxMs`) until
   * every stopped fit has returned and the code that called them has had its
   * turn to see the refusal, then lets the next test train again.
   */
  async settle(testFailed, maxMs = 5000) {
    if (!state.stoppedBy && (state.training.size === 0 || !testFailed)) return;
    // A failed test (jest's own timeout, an error thrown mid-training) leaves nothing training behind it.
    if (!state.stoppedBy) stopAll({ reason: 'the test that started it had already failed', passed: 0, stoppedFits: 0 });
    const until = performance.now() + maxMs;
    while (state.training.size > 0 && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
    for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
    state.stoppedBy = undefined;
  },
  /** A new test file: nothing carried over from the last one. */
  reset(bridged) {
    state.limits.clear();
    state.stoppedBy = undefined;
    state.watchers.clear();
    state.bridged = bridged;
  },
};

module.exports = { installTrainingGuard, TrainingStoppedError };
