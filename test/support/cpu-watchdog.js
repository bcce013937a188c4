'use strict';
/**
 * The last line of the time limits (learner mode), outside the main thread:
 * a worker thread that watches the process's CPU time against the open
 * limits, for code that never lets the main thread check them itself (a
 * loop that never yields and never calls TensorFlow.js).
 *
 * The main thread (training-guard.js) tells it the open limits: their CPU
 * deadlines and what they limit, and which it has already handled. When a
 * limit is CPU_GRACE past its deadline and not handled:
 * - if the main thread is inside an interruptible kata call (its synchronous
 *   part, run by training-guard.js under vm's breakOnSigint), the watchdog
 *   interrupts it with SIGINT: the call throws, and the test fails with a
 *   message naming the limit;
 * - if it is still not handled STOP_GRACE past the deadline, the watchdog
 *   writes why to stderr and ends the process (SIGKILL): the only way out
 *   of a loop that never gives the main thread a turn. Jest reports the
 *   worker's end; the message above it says why.
 *
 * Both sides share `flags` (an Int32Array on a SharedArrayBuffer):
 * flags[CALL] is IDLE, IN_CALL (main thread inside an interruptible call) or
 * INTERRUPTING (the watchdog has sent SIGINT for it); compareExchange keeps
 * the watchdog from signalling a call that has just ended.
 */
const fs = require('node:fs');
const path = require('node:path');
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');

const CALL = 0;
const IDLE = 0;
const IN_CALL = 1;
const INTERRUPTING = 2;
/** CPU seconds past a deadline the main thread gets to notice it itself (it checks every batch, call or 100 ms). */
const CPU_GRACE = 2;
/** ... and before the process is ended. */
const STOP_GRACE = 5;
const POLL_MS = 200;
/** On Windows a signal sent to a process ends it (Node emulates kill): there the watchdog can only stop the process. */
const CAN_INTERRUPT = process.platform !== 'win32';

const cpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

function watch() {
  const flags = new Int32Array(workerData.flags);
  /** id -> { deadline (process CPU seconds), what, seconds, handled, interrupted } */
  const limits = new Map();
  parentPort.on('message', (message) => {
    if (message.open) limits.set(message.open.id, { ...message.open, handled: false, interrupted: false });
    if (message.handled !== undefined) {
      const limit = limits.get(message.handled);
      if (limit) limit.handled = true;
    }
    if (message.close !== undefined) limits.delete(message.close);
  });
  setInterval(() => {
    const now = cpuSeconds();
    for (const limit of limits.values()) {
      if (limit.handled) continue;
      const over = now - limit.deadline;
      if (over >= CPU_GRACE && CAN_INTERRUPT && !limit.interrupted && Atomics.compareExchange(flags, CALL, IN_CALL, INTERRUPTING) === IN_CALL) {
        limit.interrupted = true;
        process.kill(process.pid, 'SIGINT');
      } else if (over >= STOP_GRACE) {
        fs.writeSync(
          2,
          `\n${limit.what} passed its limit of ${limit.seconds} s of CPU time and ran ${over.toFixed(0)} s of CPU time more without giving the test ` +
            'a turn to stop it (a loop that never returns to the event loop and never calls TensorFlow.js?). ' +
            `The test process (pid ${process.pid}) is stopped here; the tests after this one in its file are not run.\n`,
        );
        process.kill(process.pid, 'SIGKILL');
      }
    }
  }, POLL_MS);
}

/** Starts the watchdog (main thread side); its thread never keeps the process alive. */
function startWatchdog() {
  const flags = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const worker = new Worker(path.join(__dirname, 'cpu-watchdog.js'), { workerData: { flags: flags.buffer } });
  worker.unref();
  return {
    flags,
    open: (id, deadline, seconds, what) => worker.postMessage({ open: { id, deadline, seconds, what } }),
    handled: (id) => worker.postMessage({ handled: id }),
    close: (id) => worker.postMessage({ close: id }),
  };
}

if (!isMainThread && workerData?.flags) watch();

module.exports = { startWatchdog, cpuSeconds, CALL, IDLE, IN_CALL, INTERRUPTING, CPU_GRACE, STOP_GRACE };
