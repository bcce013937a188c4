/**
 * The watchdog over a kata's test run, from the grader's own process. The
 * tests' process (jest) never runs kata code, but it decodes what the kata
 * returns and computes on it (rebuilds models, predicts, compares), so it
 * gets limits of its own: CPU time, memory, and a wall-clock backstop
 * (run-katas' timeout). The sandboxes it starts are measured apart (their
 * own watchdog, in the tests' process, stops a kata at its limit); this one
 * also kills the whole run should they pass that limit by more than a
 * margin, so that no fault of the bridge lets a kata run on.
 */
import type { ChildProcess } from 'node:child_process';
import { splitTreeUsage } from './process-tree';

/** The sandbox's processes, as seen under the tests' process (as root, the starter execs unshare, sh and setpriv first). */
const SANDBOX_COMMANDS = new Set(['bwrap', 'unshare', 'setpriv', 'sh']);
const WATCH_MS = 250;
/** CPU seconds the sandboxes may pass their limit by before this watchdog, not theirs, stops the run. */
const SANDBOX_MARGIN_SECONDS = 10;

export interface VerdictLimits {
  /** CPU seconds of the tests' process (and its helpers, not the sandboxes). */
  cpuSeconds: number;
  /** Its memory (resident memory and page tables). */
  memoryMiB: number;
  /** The CPU limit of the kata's sandboxes in this run. */
  sandboxCpuSeconds: number;
}

export type VerdictStop = { kind: 'verdict-cpu' | 'verdict-memory' | 'sandbox-cpu'; detail: string };

export interface VerdictWatch {
  /** Set when this watchdog ended the run. */
  stopped(): VerdictStop | undefined;
  /** What the run used, as last sampled. */
  usage(): { verdictCpuSeconds: number; verdictPeakMiB: number; sandboxCpuSeconds: number };
  end(): void;
}

export function watchVerdict(child: ChildProcess, limits: VerdictLimits): VerdictWatch {
  let stop: VerdictStop | undefined;
  const used = { verdictCpuSeconds: 0, verdictPeakMiB: 0, sandboxCpuSeconds: 0 };
  const kill = (reason: VerdictStop) => {
    if (stop) return;
    stop = reason;
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  const timer = setInterval(() => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const split = splitTreeUsage(child.pid, (comm) => SANDBOX_COMMANDS.has(comm));
    if (!split) return;
    used.verdictCpuSeconds = split.own.cpuSeconds;
    used.verdictPeakMiB = Math.max(used.verdictPeakMiB, split.own.memoryBytes / 2 ** 20);
    used.sandboxCpuSeconds = Math.max(used.sandboxCpuSeconds, split.separate.cpuSeconds);
    if (split.own.cpuSeconds > limits.cpuSeconds) kill({ kind: 'verdict-cpu', detail: `used more than ${limits.cpuSeconds} s of CPU time` });
    else if (split.own.memoryBytes > limits.memoryMiB * 2 ** 20) kill({ kind: 'verdict-memory', detail: `used more than ${limits.memoryMiB} MiB of memory` });
    else if (split.separate.cpuSeconds > limits.sandboxCpuSeconds + SANDBOX_MARGIN_SECONDS) {
      kill({ kind: 'sandbox-cpu', detail: `used more than ${limits.sandboxCpuSeconds} s of CPU time` });
    }
  }, WATCH_MS);
  timer.unref();
  return { stopped: () => stop, usage: () => ({ ...used }), end: () => clearInterval(timer) };
}
