/**
 * Grading one kata of a submission: its tests run by jest in a process of
 * their own that reaches the kata through bridges (bridge-client.ts), watched
 * from here (verdict-watch.ts), within the CPU limit the submission's budget
 * reserved for it (budget.ts). Katas of one submission may be graded side by
 * side: each has its own jest process, sandboxes, watchdog, status file and
 * plot files (named after the kata), and nothing here is shared between them
 * but the budget, which the caller settles.
 *
 * What went wrong is told apart: a limit the kata reached, or what it sent,
 * costs the kata its points, with the reason; a sandbox that could not start,
 * a test run that ended without a report, a machine too loaded to finish in
 * wall-clock time, the grader failing, are the grader's or the machine's (a
 * kata grade's `graderError`), never a 0 (reports.ts says "not graded").
 * A kata host killed by SIGKILL during a call by no limit of the grader's is
 * told apart by what can be measured (host-kill.ts): the kernel's
 * out-of-memory killer, a grader error; otherwise the kata runs once more in
 * fresh sandboxes, and that second run counts, with a note.
 */
import os from 'node:os';
import path from 'node:path';
import { PLOT_WRITE_FAILURES_ENV } from '../../../lib/plot-files';
import { WALL_FACTOR } from './budget';
import { type FairShare, meterFairShare } from './fair-share';
import { readStatus } from './grading-status';
import { type HostKill, killedTwiceNote, oomKillerActed, oomKillProblem, readOomKills, retriedNote } from './host-kill';
import type { KataGrade } from './reports';
import { type SandboxLayout, type SandboxLimits, type StopReason, stopDetail } from './sandbox';
import { watchVerdict, type VerdictStop, type VerdictWatch } from './verdict-watch';
import type { Kata } from '../../shared/kata-list';
import { runKataTests } from '../../shared/run-katas';

/**
 * Test files keep their own wall-clock limits (lib/time-limit.ts) for learners;
 * in grading mode the sandbox's CPU limit is what stops a kata, so those are
 * stretched by this factor.
 */
const TEST_TIME_SCALE = 4;

export function limitProblem(stop: StopReason, limits: SandboxLimits, kataSeconds = limits.cpuSeconds): string {
  switch (stop.kind) {
    case 'cpu':
      // Less than a kata's own limit: the budget ran low, and a loop is not what was measured.
      if (limits.cpuSeconds < kataSeconds) {
        return `The kata used the ${limits.cpuSeconds} s of CPU time left of its submission's budget and was stopped: the submission's other katas used the rest (each kata may use ${kataSeconds} s; grading.json's timeLimitSeconds).`;
      }
      return `The kata used more than ${limits.cpuSeconds} s of CPU time and was stopped (a loop that never ends, or training far too long).`;
    case 'memory':
      return `The kata used more than ${limits.memoryMiB} MiB of memory and was stopped.`;
    case 'processes':
      return `The kata started more than ${limits.processes} processes and was stopped.`;
    case 'wall':
      return `The kata ${stop.detail} and was stopped.`;
    default:
      return `The kata ${stopDetail(stop)} and was stopped.`;
  }
}

function verdictProblem(stop: VerdictStop, limits: SandboxLimits, kataSeconds: number): string {
  if (stop.kind === 'sandbox-cpu') return limitProblem({ kind: 'cpu', detail: stop.detail }, limits, kataSeconds);
  return `The tests' own process ${stop.detail} checking what the kata returned (values or models far larger than the kata needs) and was stopped.`;
}

/**
 * A wall-clock limit reached: the kata's doing when its processes used much
 * less CPU than the machine, as loaded through the run (other katas graded
 * beside it included), gave a process that computes (it waited); the
 * machine's when they used about that much (it was too slow).
 */
function wallClockOutcome(wallSeconds: number, cpuSeconds: number, share: FairShare): { problem?: string; graderError?: string } {
  const measured = `it used ${cpuSeconds.toFixed(1)} s of CPU time in ${wallSeconds} s, when a process that computes got about ${share.seconds.toFixed(0)} s on this machine (mean load average ${share.load.toFixed(1)} on ${share.cores} cores)`;
  if (cpuSeconds >= share.seconds / 2) return { graderError: `the machine was too loaded for the kata's tests to finish within ${wallSeconds} s of wall-clock time (${measured}).` };
  return { problem: `The kata's tests did not finish within ${wallSeconds} s of wall-clock time (${WALL_FACTOR} times timeLimitSeconds) and were stopped: a kata that waits without computing (${measured}).` };
}

/**
 * The stretch of the tests' own wall-clock limits: TEST_TIME_SCALE, and more
 * when the grader itself runs more katas at once than there are cores (each
 * then gets less than a core, whatever else the machine does).
 */
export function testTimeScale(katasInFlight: number, cores = os.availableParallelism()): number {
  return TEST_TIME_SCALE * Math.max(1, katasInFlight / cores);
}

/** A kata's grade: no outcome, no points unless given. */
export function kataGrade(kata: Kata, maxPoints: number, fields: Partial<KataGrade>): KataGrade {
  return { kata: kata.folder, outcomes: [], points: 0, maxPoints, seconds: 0, ...fields };
}

/** Where a submission's tests' processes record the plot files they could not write (lib/plot-files.ts). */
export function plotWriteFailuresFile(work: string): string {
  return path.join(work, 'plot-write-failures.jsonl');
}

const NOTHING_USED: KataUsage = { verdictCpuSeconds: 0, verdictPeakMiB: 0, sandboxCpuSeconds: 0 };

export interface KataRunSetup {
  /** The submission's work folder: status files go there. */
  work: string;
  outDir: string;
  katasDir: string;
  bridgeDir: string;
  layout: SandboxLayout;
  /** grading.json's limits of one kata run; cpuSeconds is replaced by the reservation's. */
  base: SandboxLimits;
  maxHeapMiB: number;
  trusted: boolean;
  variant: number;
  /** KATA_TIME_SCALE for the tests (testTimeScale). */
  timeScale: number;
}

export interface KataUsage {
  verdictCpuSeconds: number;
  verdictPeakMiB: number;
  sandboxCpuSeconds: number;
}

export interface GradedKata {
  grade: KataGrade;
  /** What its runs used, every run together. */
  used: KataUsage;
  /** The sandbox CPU seconds its submission's budget is charged: a first run killed by someone else is not the submission's. */
  chargedSeconds: number;
}

function usedTogether(a: KataUsage, b: KataUsage): KataUsage {
  return { verdictCpuSeconds: a.verdictCpuSeconds + b.verdictCpuSeconds, verdictPeakMiB: Math.max(a.verdictPeakMiB, b.verdictPeakMiB), sandboxCpuSeconds: a.sandboxCpuSeconds + b.sandboxCpuSeconds };
}

/**
 * Grades one kata within `cpuSeconds`; never throws (the grader failing is
 * the kata's graderError), and says what it used. A first run whose host was
 * killed during a call by nobody the grader can name is run once more, with
 * the same CPU limit (less could fail an honest kata for someone else's
 * kill); the submission is charged for the second run only, killed or not,
 * so that a phase never charges more than its limit (another kata's budget is
 * never what a kata that kills itself burns), and such a kata costs the grader at
 * most twice its limit.
 */
export async function gradeKata(kata: Kata, maxPoints: number, cpuSeconds: number, setup: KataRunSetup): Promise<GradedKata> {
  const first = await runKata(kata, maxPoints, cpuSeconds, setup, true);
  if (!first.killed) return { grade: first.grade, used: first.used, chargedSeconds: first.used.sandboxCpuSeconds };
  const second = await runKata(kata, maxPoints, cpuSeconds, setup, false);
  const used = usedTogether(first.used, second.used);
  if (second.killed) return { grade: { ...second.grade, note: killedTwiceNote(first.killed, second.killed) }, used, chargedSeconds: second.used.sandboxCpuSeconds };
  return { grade: { ...second.grade, note: retriedNote(first.killed) }, used, chargedSeconds: second.used.sandboxCpuSeconds };
}

/** One run of a kata's tests; `killed` when a host was killed during a call for no reason the grader could name. */
async function runKata(kata: Kata, maxPoints: number, cpuSeconds: number, setup: KataRunSetup, firstRun: boolean): Promise<{ grade: KataGrade; used: KataUsage; killed?: HostKill }> {
  const grade = (fields: Partial<KataGrade>): KataGrade => kataGrade(kata, maxPoints, fields);
  const limits = { ...setup.base, cpuSeconds };
  const statusFile = path.join(setup.work, `${kata.folder}${firstRun ? '' : '.second-run'}.status.json`);
  // Of the kata's own limit, not of what the budget left it (budget.ts).
  const wallSeconds = Math.ceil(WALL_FACTOR * setup.base.cpuSeconds);
  let watch: VerdictWatch | undefined;
  const share = meterFairShare();
  try {
    const result = await runKataTests({
      kataDir: setup.katasDir,
      testFiles: [kata.testFile],
      timeoutSeconds: wallSeconds,
      maxHeapMiB: setup.maxHeapMiB,
      runInBand: true,
      env: {
        KATA_PLOTS_DIR: path.join(setup.outDir, 'plots'),
        [PLOT_WRITE_FAILURES_ENV]: plotWriteFailuresFile(setup.work),
        KATA_TIME_SCALE: String(setup.timeScale),
        // Read by the tests (test/support/variant.ts) in the process that runs them, not by the kata.
        KATA_VARIANT: String(setup.variant),
        // Grades count the tests of behaviour only, trusted or not (test/support/type-check.ts): the same tests in both modes.
        KATA_TYPECHECK: '0',
        ...(setup.trusted ? {} : { KATA_BRIDGE_DIR: setup.bridgeDir, KATA_GRADING: JSON.stringify({ ...setup.layout, limits, statusFile, oomKillsAtStart: readOomKills(), firstRun }) }),
      },
      onStart: (child) => {
        watch = watchVerdict(child, { cpuSeconds: setup.base.cpuSeconds, memoryMiB: setup.base.memoryMiB, sandboxCpuSeconds: limits.cpuSeconds });
      },
    });
    watch?.end();
    const used = watch?.usage() ?? NOTHING_USED;
    const outcomes = result.byKata.get(kata.folder) ?? [];
    const status = readStatus(statusFile);
    const verdictStop = watch?.stopped();
    let problem: string | undefined;
    let graderError: string | undefined;
    // (The tests' own process stopped by its CPU limit, timeLimitSeconds too, counts as 'cpu': the canary reads it.)
    const stoppedBy = status.stop?.kind ?? (verdictStop?.kind === 'sandbox-cpu' || verdictStop?.kind === 'verdict-cpu' ? 'cpu' : undefined);
    // A kill no limit explains, with no out-of-memory kill beside it: run again (first run), or counted as measured (second).
    const killed = status.killed && !status.startFailure && !status.stop && !oomKillerActed(status.killed) ? status.killed : undefined;
    if (status.startFailure) graderError = status.startFailure;
    else if (status.stop) problem = limitProblem(status.stop, limits, setup.base.cpuSeconds); // the cause of every failure after it
    else if (status.killed && oomKillerActed(status.killed)) graderError = oomKillProblem(status.killed);
    else if (killed && firstRun) return { grade: grade({ outcomes, seconds: result.seconds }), used, killed };
    else if (verdictStop) problem = verdictProblem(verdictStop, limits, setup.base.cpuSeconds);
    else if (result.problem === 'timeout') ({ problem, graderError } = wallClockOutcome(wallSeconds, used.sandboxCpuSeconds + used.verdictCpuSeconds, share.sinceStart()));
    else if (result.problem === 'report-too-large') problem = "The tests' report was too large to read: its failure messages quote what the kata returned, which was far larger than the kata needs.";
    else if (result.problem === 'crashed') graderError = `the tests' process ended (${result.exit}) without writing its report.`;
    else if (outcomes.length === 0) graderError = `no test of ${kata.testFile} ran.`;
    const passed = outcomes.filter((o) => o.status === 'passed').length;
    const points = problem || graderError || outcomes.length === 0 ? 0 : Math.round((10 * maxPoints * passed) / outcomes.length) / 10;
    return { grade: grade({ outcomes, ...(problem ? { problem } : {}), ...(problem && stoppedBy ? { stoppedBy } : {}), ...(graderError ? { graderError } : {}), points, seconds: result.seconds }), used, ...(killed ? { killed } : {}) };
  } catch (error) {
    watch?.end();
    const message = error instanceof Error ? error.message : String(error);
    return { grade: grade({ graderError: `the grader failed while running this kata's tests: ${message.slice(0, 1000)}` }), used: watch?.usage() ?? NOTHING_USED };
  } finally {
    share.end();
  }
}
