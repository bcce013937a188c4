/**
 * Grading one submission: its kata files copied in (workspace.ts), then, in
 * sandboxes only, transpiled and loaded (prepare.ts), then each graded kata's
 * tests run by jest in a process of their own that reaches the kata through
 * bridges (bridge-client.ts), watched from here (verdict-watch.ts). Every
 * phase draws on one CPU budget (budget.ts).
 *
 * What went wrong is told apart: a limit the kata reached, or what it sent,
 * costs the kata its points, with the reason; a sandbox that could not start,
 * a test run that ended without a report, a machine too loaded to finish in
 * wall-clock time, are the grader's or the machine's (a kata grade's
 * `graderError`), never a 0 (reports.ts says "not graded").
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeBridges } from './bridge';
import { fairShareSeconds, SubmissionBudget, WALL_FACTOR } from './budget';
import { type GradingConfig, sandboxLimits } from './config';
import { readStatus } from './grading-status';
import { prepareSubmission, testedModules } from './prepare';
import type { KataGrade } from './reports';
import type { SandboxLayout, SandboxLimits, StopReason } from './sandbox';
import { transpileTree } from './transpile';
import { watchVerdict, type VerdictStop, type VerdictWatch } from './verdict-watch';
import { copySubmission } from './workspace';
import { type Kata, listKatas } from '../../shared/kata-list';
import { REPO_ROOT } from '../../../lib/plot-files';
import { runKataTests } from '../../shared/run-katas';

/**
 * Test files keep their own wall-clock limits (lib/time-limit.ts) for learners;
 * in grading mode the sandbox's CPU limit is what stops a kata, so those are
 * stretched by this factor.
 */
const TEST_TIME_SCALE = 4;

export interface GradingRun {
  config: GradingConfig;
  scratch: string;
  libDir: string;
  hostDir: string;
  /** Root only: where each sandbox binds what it needs (sandbox.ts). */
  mountStage?: string;
  trusted: boolean;
  only?: string[];
}

export interface SubmissionUsage {
  /** CPU seconds its sandboxes used, every phase together. */
  sandboxCpuSeconds: number;
  /** CPU seconds and peak memory of the tests' processes (the largest of its kata runs). */
  verdictCpuSeconds: number;
  verdictPeakMiB: number;
}

export interface GradedSubmission {
  grades: KataGrade[];
  notes: string[];
  usage: SubmissionUsage;
}

export function selectedKatas(only?: string[]): Kata[] {
  return listKatas().filter((k) => !only || only.some((o) => k.folder === o || k.number === o.padStart(2, '0')));
}

function limitProblem(stop: StopReason, limits: SandboxLimits): string {
  switch (stop.kind) {
    case 'cpu':
      return `The kata used more than ${limits.cpuSeconds} s of CPU time and was stopped (a loop that never ends, or training far too long).`;
    case 'memory':
      return `The kata used more than ${limits.memoryMiB} MiB of memory and was stopped.`;
    case 'processes':
      return `The kata started more than ${limits.processes} processes and was stopped.`;
    case 'wall':
      return `The kata ${stop.detail} and was stopped.`;
    default:
      return `The kata ${stop.detail} on the channel between its process and the grader (file descriptor 3), which is the grader's alone, and was stopped.`;
  }
}

function verdictProblem(stop: VerdictStop, limits: SandboxLimits): string {
  if (stop.kind === 'sandbox-cpu') return limitProblem({ kind: 'cpu', detail: stop.detail }, limits);
  return `The tests' own process ${stop.detail} checking what the kata returned (values or models far larger than the kata needs) and was stopped.`;
}

/**
 * A wall-clock limit reached: the kata's doing when its processes used much
 * less CPU than the machine, as loaded, gave a process that computes (it
 * waited); the machine's when they used about that much (it was too slow).
 */
function wallClockOutcome(wallSeconds: number, cpuSeconds: number): { problem?: string; graderError?: string } {
  const share = fairShareSeconds(wallSeconds);
  const measured = `it used ${cpuSeconds.toFixed(1)} s of CPU time in ${wallSeconds} s, when a process that computes got about ${share.seconds.toFixed(0)} s on this machine (load average ${share.load.toFixed(1)} on ${share.cores} cores)`;
  if (cpuSeconds >= share.seconds / 2) return { graderError: `the machine was too loaded for the kata's tests to finish within ${wallSeconds} s of wall-clock time (${measured}).` };
  return { problem: `The kata's tests did not finish within ${wallSeconds} s of wall-clock time (${WALL_FACTOR} times the CPU limit) and were stopped: a kata that waits without computing (${measured}).` };
}

/** The grades of every kata when the submission could not be graded at all, for the grader's reasons. */
function allNotGraded(katas: Kata[], config: GradingConfig, graderError: string): KataGrade[] {
  return katas.map((k) => ({ kata: k.folder, outcomes: [], graderError, points: 0, maxPoints: config.points[k.folder] ?? 0, seconds: 0 }));
}

export async function gradeSubmission(submission: string, outDir: string, run: GradingRun, index: number | string, variant: number): Promise<GradedSubmission> {
  const { config } = run;
  const work = path.join(run.scratch, `submission-${index}`);
  fs.mkdirSync(work, { mode: 0o755 });
  const { sourceDir, notes } = copySubmission(submission, work);
  const katasDir = path.join(work, 'katas');
  fs.mkdirSync(katasDir, { mode: 0o755 });
  const katas = selectedKatas(run.only);
  const base = sandboxLimits(config);
  const budget = new SubmissionBudget(base.cpuSeconds, base.cpuSeconds * katas.length);
  const usage: SubmissionUsage = { sandboxCpuSeconds: 0, verdictCpuSeconds: 0, verdictPeakMiB: 0 };
  const layout: SandboxLayout = { katasDir, libDir: run.libDir, hostDir: run.hostDir, ...(run.mountStage ? { mountStage: run.mountStage } : {}) };
  const bridgeDir = path.join(work, 'bridge');
  /** Why the preparing sandbox was stopped, if it was: said again where it left no budget. */
  let prepareStop = '';

  if (run.trusted) {
    // The katas run in the tests' process, as with npm test: only for code the instructor trusts.
    fs.cpSync(sourceDir, katasDir, { recursive: true });
    transpileTree(katasDir);
    fs.symlinkSync(run.libDir, path.join(work, 'lib'), 'dir');
  } else if (katas.length > 0) {
    const prepareLimits = { ...base, cpuSeconds: budget.phaseLimit() };
    const prepared = await prepareSubmission({ ...layout, sourceDir }, prepareLimits, testedModules(katas.map((k) => path.join(REPO_ROOT, k.testFile))));
    budget.spend(prepared.cpuSeconds);
    usage.sandboxCpuSeconds = prepared.cpuSeconds;
    if (prepared.graderError) return { grades: allNotGraded(katas, config, prepared.graderError), notes, usage };
    if (prepared.stopped) prepareStop = ` Transpiling and loading its modules: ${limitProblem(prepared.stopped, prepareLimits)}`;
    writeBridges(bridgeDir, prepared.manifests);
  }

  const grades: KataGrade[] = [];
  for (const kata of katas) {
    const maxPoints = config.points[kata.folder] ?? 0;
    const grade = (fields: Partial<KataGrade>): KataGrade => ({ kata: kata.folder, outcomes: [], points: 0, maxPoints, seconds: 0, ...fields });
    if (!fs.existsSync(path.join(sourceDir, kata.folder))) {
      grades.push(grade({ problem: 'The submission has no folder for this kata.' }));
      continue;
    }
    const limits = { ...base, cpuSeconds: budget.phaseLimit() };
    if (limits.cpuSeconds <= 0) {
      grades.push(grade({ problem: `The submission's CPU budget (${budget.totalSeconds} s for ${katas.length === 1 ? 'its one graded kata' : `its ${katas.length} graded katas`}) was spent before this kata's tests ran.${prepareStop}` }));
      continue;
    }
    const statusFile = path.join(work, `${kata.folder}.status.json`);
    const wallSeconds = Math.ceil(WALL_FACTOR * limits.cpuSeconds);
    let watch: VerdictWatch | undefined;
    const result = await runKataTests({
      kataDir: katasDir,
      testFiles: [kata.testFile],
      timeoutSeconds: wallSeconds,
      maxHeapMiB: config.maxHeapMiB,
      runInBand: true,
      env: {
        KATA_PLOTS_DIR: path.join(outDir, 'plots'),
        KATA_TIME_SCALE: String(TEST_TIME_SCALE),
        // Read by the tests (test/support/variant.ts) in the process that runs them, not by the kata.
        KATA_VARIANT: String(variant),
        ...(run.trusted ? {} : { KATA_BRIDGE_DIR: bridgeDir, KATA_GRADING: JSON.stringify({ ...layout, limits, statusFile }) }),
      },
      onStart: (child) => {
        watch = watchVerdict(child, { cpuSeconds: base.cpuSeconds, memoryMiB: base.memoryMiB, sandboxCpuSeconds: limits.cpuSeconds });
      },
    });
    watch?.end();
    const used = watch?.usage() ?? { verdictCpuSeconds: 0, verdictPeakMiB: 0, sandboxCpuSeconds: 0 };
    budget.spend(used.sandboxCpuSeconds);
    usage.sandboxCpuSeconds += used.sandboxCpuSeconds;
    usage.verdictCpuSeconds += used.verdictCpuSeconds;
    usage.verdictPeakMiB = Math.max(usage.verdictPeakMiB, used.verdictPeakMiB);

    const outcomes = result.byKata.get(kata.folder) ?? [];
    const status = readStatus(statusFile);
    const verdictStop = watch?.stopped();
    let problem: string | undefined;
    let graderError: string | undefined;
    if (status.startFailure) graderError = status.startFailure;
    else if (status.stop) problem = limitProblem(status.stop, limits); // the cause of every failure after it
    else if (verdictStop) problem = verdictProblem(verdictStop, limits);
    else if (result.problem === 'timeout') ({ problem, graderError } = wallClockOutcome(wallSeconds, used.sandboxCpuSeconds + used.verdictCpuSeconds));
    else if (result.problem === 'report-too-large') problem = "The tests' report was too large to read: its failure messages quote what the kata returned, which was far larger than the kata needs.";
    else if (result.problem === 'crashed') graderError = `the tests' process ended (${result.exit}) without writing its report.`;
    else if (outcomes.length === 0) graderError = `no test of ${kata.testFile} ran.`;
    const passed = outcomes.filter((o) => o.status === 'passed').length;
    const points = problem || graderError || outcomes.length === 0 ? 0 : Math.round((10 * maxPoints * passed) / outcomes.length) / 10;
    grades.push(grade({ outcomes, ...(problem ? { problem } : {}), ...(graderError ? { graderError } : {}), points, seconds: result.seconds }));
  }
  return { grades, notes, usage };
}
