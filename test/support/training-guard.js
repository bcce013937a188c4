'use strict';
/**
 * Learner mode: every training of a test run stops at the time limit that
 * covers it. lib/time-limit.ts's withTimeLimit() opens a limit here, and the
 * test environment opens one per test (TEST_CPU_SECONDS). A limit counts
 * the CPU time this process uses from its start (process.cpuUsage: a loaded
 * machine slows the clock on the wall, not this one), with a wall-clock
 * backstop for code that waits instead of computing.
 *
 * Once a limit has passed, training stops wherever it is:
 * - model.fit and model.fitDataset: a callback added to every fit checks the
 *   limits after each batch and sets tfjs' model.stopTraining; a stopped fit
 *   rejects (it never hands back a half-trained model as if it were
 *   finished), and fits started after it are refused;
 * - loops of their own: optimizer.minimize, optimizer.applyGradients, every
 *   gradient computation (tf.variableGrads, tf.grads, tf.grad...) and any
 *   TensorFlow.js operation check the limits (the clock at most every
 *   CHECK_MS) and throw once one has passed, with a message naming the call and
 *   how often the loop made it; synchronous loops and loops with an await per
 *   epoch alike;
 * - code that never calls TensorFlow.js and never yields: the synchronous
 *   part of a kata call runs interruptibly (call()), and a watchdog thread
 *   (cpu-watchdog.js) interrupts it, or as a last resort ends the process.
 * The stop lasts until the test ends and every fit has returned.
 *
 * The same callback lets test code watch training epoch by epoch
 * (test/support/animate.ts records the frames of an animation).
 *
 * Plain JavaScript, loaded by test/support/tf-environment.js outside jest's
 * sandbox, where tfjs lives: it patches the real tfjs, once per worker
 * process. With a grading bridge (__KATA_BRIDGE__) the kata runs in another
 * process, which the grader's sandbox stops at its own CPU limit; training
 * here then goes through untouched, and limits count wall-clock time.
 */
const vm = require('node:vm');
const watchdog = require('./cpu-watchdog');

/** A test's own CPU budget, whatever its kata calls' limits: the old wall-clock test timeout, now counted in CPU. */
const TEST_CPU_SECONDS = 120;
const POLL_MS = 100;

class TrainingStoppedError extends Error {
  constructor(message) {
    super(message);
    this.name = 'TrainingStoppedError';
  }
}

/** The calls a training loop makes, most telling first: a stop names the first one the loop made. */
const CALLS = {
  fit: 'model.fit',
  fitDataset: 'model.fitDataset',
  minimize: 'optimizer.minimize',
  applyGradients: 'optimizer.applyGradients',
  gradients: 'gradient computations (tf.variableGrads, tf.grads, tf.grad...)',
  kernels: 'TensorFlow.js operations',
};
const counts = Object.fromEntries(Object.keys(CALLS).map((call) => [call, 0]));

const cpuSeconds = watchdog.cpuSeconds;

/** The state of the test file running in this worker (one at a time). */
const state = {
  /** Open limits (see startLimit). */
  limits: new Set(),
  /** The limit that stopped training, until the test ends. */
  stoppedBy: undefined,
  /** Models inside fit() now. */
  training: new Set(),
  /** Epoch watchers: { onFitStart(model, x, y, args), onEpochEnd(model, epoch, logs), onFitEnd() }. */
  watchers: new Set(),
  /** Is a grading bridge installed (kata code elsewhere)? */
  bridged: () => false,
  /** The running test's name (for messages). */
  test: '',
};

let nextLimitId = 1;
let dog;
let poller;

/** Why `limit` has passed ('cpu' or 'wall'), or undefined; `cpu` is now's process CPU seconds. */
function passedBy(limit, cpu) {
  if (limit.passed) return limit.passed;
  if (limit.cpuDeadline !== undefined && cpu >= limit.cpuDeadline) return 'cpu';
  if (limit.wallDeadline !== undefined && performance.now() >= limit.wallDeadline) return 'wall';
  return undefined;
}

/** process.cpuUsage() costs tens of microseconds on a busy process (getrusage sums every thread): the hot paths ask at most every CHECK_MS. */
const CHECK_MS = 50;
let nextCheck = 0;

function overdueLimit() {
  if (state.limits.size === 0) return undefined;
  const now = performance.now();
  if (now < nextCheck) return undefined;
  nextCheck = now + CHECK_MS;
  const cpu = cpuSeconds();
  for (const limit of state.limits) if (passedBy(limit, cpu)) return limit;
  return undefined;
}

/** The limit has passed: stop every fit now, refuse the next calls, and tell the watchdog this thread has seen it. */
function stopAll(limit) {
  if (!limit.passed) {
    limit.passed = passedBy(limit, cpuSeconds()) ?? 'cpu';
    if (limit.id) dog?.handled(limit.id);
  }
  state.stoppedBy ??= limit;
  for (const model of state.training) {
    if (!model.stopTraining) limit.stoppedFits += 1;
    model.stopTraining = true;
  }
}

function limitPhrase(limit) {
  if (limit.reason) return limit.reason;
  const task = /\btask \d+/.exec(state.test)?.[0];
  const where = task && !limit.what.includes('task') ? `${limit.what} (${task})` : limit.what;
  const clock = limit.passed === 'wall' ? `${limit.wallSeconds} s of wall-clock time` : `${limit.seconds} s of CPU time`;
  return `${where} passed its limit of ${clock}`;
}

function callsSince(limit) {
  return Object.keys(CALLS).map((call) => [call, counts[call] - (limit.countsAtStart?.[call] ?? counts[call])]);
}

/** How training was stopped, for withTimeLimit's message: the first kind of call the loop made, and how often. */
function stoppedSummary(limit) {
  if (limit.interrupted) {
    return ' Its code was interrupted at the limit: it was still running without returning to the event loop (a loop that never yields?).';
  }
  const made = callsSince(limit).filter(([, n]) => n > 0);
  if (limit.stoppedFits > 0) {
    return ` Its training was stopped at the limit (model.stopTraining, ${limit.stoppedFits} model.fit call${limit.stoppedFits === 1 ? '' : 's'}).`;
  }
  const loop = made.find(([call]) => !isFit(call));
  if (loop) return ` Its training was stopped at the limit: ${CALLS[loop[0]]} had been called ${loop[1].toLocaleString('en-US')} times since it started, and the next call threw.`;
  return ' No training was running at the limit: if it loops without TensorFlow.js, it may still be running.';
}

function stoppedMessage(limit, call, started) {
  const n = limit.countsAtStart ? counts[call] - limit.countsAtStart[call] : 0;
  const made = n > 0 && !isFit(call) ? `, after ${n.toLocaleString('en-US')} calls since it started` : '';
  return `${CALLS[call]} was ${started ? 'stopped' : 'refused'}${made}: ${limitPhrase(limit)}, and every training of the test stops there.`;
}

const isFit = (call) => call === 'fit' || call === 'fitDataset';

/**
 * A guarded tfjs entry point: counts the call and throws once a limit has passed.
 * Inside a running fit (which calls optimizer.minimize and the kernels itself) it
 * only stops the fit: its callback ends it cleanly at the batch's end, and the fit
 * rejects with a message naming model.fit.
 */
function checkCall(call) {
  counts[call] += 1;
  // The bridge check reads a global through jest's sandbox proxy: slow on every kernel, so only once a limit has passed.
  const limit = state.stoppedBy ?? overdueLimit();
  if (!limit || state.bridged()) return;
  stopAll(limit);
  if (!isFit(call) && state.training.size > 0) return;
  throw new TrainingStoppedError(stoppedMessage(limit, call, !isFit(call)));
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

/** Replaces `owner[name]` by a function that runs `before()` first, once per owner. */
function wrapMethod(owner, name, before) {
  const original = owner[name];
  if (typeof original !== 'function' || original.__kataGuarded) return;
  const wrapped = function guarded(...args) {
    before();
    return original.apply(this, args);
  };
  wrapped.__kataGuarded = true;
  owner[name] = wrapped;
}

let patched = false;

/** Patches this tfjs (once) and returns the guard's interface. */
function installTrainingGuard(tf) {
  if (!patched) {
    patched = true;
    patchFits(tf);
    patchLoops(tf);
    dog = watchdog.startWatchdog();
  }
  return guard;
}

function patchFits(tf) {
  const BaseCallback = Object.getPrototypeOf(tf.CustomCallback);

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
      if (limit && !this.guarded.stopTraining) stopAll(limit);
    }
    async onBatchEnd() {
      this.check();
    }
    async onEpochEnd(epoch, logs) {
      this.check();
      tell(this.watchers, 'onEpochEnd', this.guarded, epoch, logs);
    }
  }

  /** fit and fitDataset alike: refused after a limit, guarded by the callback while they run. */
  const guardedTraining = (call, original, withCallbacks) =>
    async function guardedFit(...args) {
      if (state.bridged()) return original.apply(this, args);
      checkCall(call);
      const options = withCallbacks.options(args);
      const watchers = [...state.watchers];
      if (call === 'fit') tell(watchers, 'onFitStart', this, args[0], args[1], options);
      const guardCallback = new GuardCallback(this, watchers);
      state.training.add(this);
      try {
        const history = await original.apply(this, withCallbacks.add(args, { ...options, callbacks: [...callbackList(options.callbacks, options.yieldEvery), guardCallback] }));
        const stoppedBy = state.stoppedBy;
        if (stoppedBy && this.stopTraining) throw new TrainingStoppedError(stoppedMessage(stoppedBy, call, true));
        return history;
      } finally {
        state.training.delete(this);
        if (call === 'fit') tell(watchers, 'onFitEnd');
      }
    };

  const proto = tf.LayersModel.prototype;
  proto.fit = guardedTraining('fit', proto.fit, { options: (args) => args[2] ?? {}, add: (args, options) => [args[0], args[1], options] });
  proto.fitDataset = guardedTraining('fitDataset', proto.fitDataset, { options: (args) => args[1] ?? {}, add: (args, options) => [args[0], options] });
}

/** Custom training loops: optimizers, gradients, and any operation. */
function patchLoops(tf) {
  wrapMethod(tf.Optimizer.prototype, 'minimize', () => checkCall('minimize'));
  const optimizers = ['SGDOptimizer', 'MomentumOptimizer', 'AdagradOptimizer', 'AdadeltaOptimizer', 'AdamOptimizer', 'AdamaxOptimizer', 'RMSPropOptimizer'];
  for (const name of optimizers) if (tf[name]) wrapMethod(tf[name].prototype, 'applyGradients', () => checkCall('applyGradients'));
  const engine = tf.engine();
  wrapMethod(engine, 'gradients', () => checkCall('gradients'));
  wrapMethod(engine, 'runKernel', () => {
    if (state.limits.size === 0 && !state.stoppedBy) counts.kernels += 1;
    else checkCall('kernels');
  });
}

/** Runs `fn` so that the watchdog can interrupt its synchronous part (see cpu-watchdog.js). */
const interruptible = new vm.Script('globalThis.__kataInterruptibleCall()', { filename: 'kata-call (interruptible: test/support/training-guard.js)' });

function callInterruptibly(fn) {
  const flags = dog?.flags;
  if (!flags || state.bridged() || Atomics.load(flags, watchdog.CALL) !== watchdog.IDLE) return fn();
  globalThis.__kataInterruptibleCall = fn;
  Atomics.store(flags, watchdog.CALL, watchdog.IN_CALL);
  let interrupted = false;
  try {
    return interruptible.runInThisContext({ breakOnSigint: true });
  } catch (error) {
    if (error?.code !== 'ERR_SCRIPT_EXECUTION_INTERRUPTED') throw error;
    interrupted = true;
    if (Atomics.load(flags, watchdog.CALL) !== watchdog.INTERRUPTING) {
      // Ctrl-C, not the watchdog: let it do what it does after this call.
      setImmediate(() => process.kill(process.pid, 'SIGINT'));
      throw error;
    }
    const limit = overdueLimit() ?? [...state.limits].at(-1);
    if (!limit) throw error;
    limit.interrupted = true;
    stopAll(limit);
    throw new TrainingStoppedError(`The call was interrupted: ${limitPhrase(limit)} while it still ran without returning to the event loop.`);
  } finally {
    globalThis.__kataInterruptibleCall = undefined;
    if (Atomics.exchange(flags, watchdog.CALL, watchdog.IDLE) === watchdog.INTERRUPTING && !interrupted) {
      // The watchdog signalled just as the call returned: its SIGINT must not end the process.
      const absorb = () => undefined;
      process.on('SIGINT', absorb);
      setTimeout(() => process.off('SIGINT', absorb), 1000).unref();
    }
  }
}

/** While limits are open, this thread checks them itself too, so that the watchdog knows it is awake. */
function pollWhileOpen() {
  if (state.limits.size > 0 && !poller) {
    poller = setInterval(() => {
      const limit = overdueLimit();
      if (limit && !limit.passed) stopAll(limit);
      if (state.limits.size === 0) {
        clearInterval(poller);
        poller = undefined;
      }
    }, POLL_MS);
    poller.unref();
  }
}

/** What the test environment and lib/time-limit.ts (as globalThis.__KATA_TRAINING__) use. */
const guard = {
  /**
   * Opens a limit for `what`: `cpuSeconds` of this process's CPU time (omit
   * it when the work runs elsewhere) and `wallSeconds` of wall-clock time.
   */
  startLimit({ what, cpuSeconds: seconds, wallSeconds }) {
    const cpuNow = cpuSeconds();
    const limit = {
      id: seconds === undefined ? 0 : nextLimitId++,
      what,
      seconds,
      wallSeconds,
      cpuAtStart: cpuNow,
      wallAtStart: performance.now(),
      cpuDeadline: seconds === undefined ? undefined : cpuNow + seconds,
      wallDeadline: wallSeconds === undefined ? undefined : performance.now() + wallSeconds * 1000,
      passed: undefined,
      stoppedFits: 0,
      interrupted: false,
      countsAtStart: { ...counts },
    };
    state.limits.add(limit);
    if (limit.id) dog?.open(limit.id, limit.cpuDeadline, seconds, what);
    pollWhileOpen();
    return {
      /** Has the limit passed? Then 'cpu' or 'wall', and training is stopped. */
      check: () => {
        const by = passedBy(limit, cpuSeconds());
        if (by) stopAll(limit);
        return limit.passed;
      },
      /** CPU and wall-clock seconds since it opened. */
      used: () => ({ cpu: cpuSeconds() - limit.cpuAtStart, wall: (performance.now() - limit.wallAtStart) / 1000 }),
      /** How the limit stopped training, as a sentence for the timeout's message. */
      stopped: () => stoppedSummary(limit),
      /** Runs `fn`'s synchronous part interruptibly. */
      call: (fn) => (limit.id ? callInterruptibly(fn) : fn()),
      end: () => {
        state.limits.delete(limit);
        if (limit.id) dog?.close(limit.id);
      },
    };
  },
  /** The environment: a test or a hook (beforeAll, afterAll...) starts, with a CPU budget of its own; end() the returned limit when it ends. */
  testStarted(name) {
    state.test = name;
    if (state.bridged()) return undefined;
    return guard.startLimit({ what: name, cpuSeconds: TEST_CPU_SECONDS });
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
    if (!state.stoppedBy) stopAll({ reason: 'the test that started it had already failed', passed: 'cpu', stoppedFits: 0 });
    const until = performance.now() + maxMs;
    while (state.training.size > 0 && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
    for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
    state.stoppedBy = undefined;
  },
  /** A new test file: nothing carried over from the last one. */
  reset(bridged) {
    for (const limit of state.limits) if (limit.id) dog?.close(limit.id);
    state.limits.clear();
    state.stoppedBy = undefined;
    state.watchers.clear();
    state.bridged = bridged;
  },
};

module.exports = { installTrainingGuard, TrainingStoppedError, TEST_CPU_SECONDS };
