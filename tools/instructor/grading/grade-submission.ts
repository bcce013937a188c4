/**
 * Grading one submission: its kata files copied in (workspace.ts), then, in
 * sandboxes only, transpiled and loaded (prepare.ts), then its graded katas,
 * each by grade-kata.ts, up to `katasAtOnce` side by side. Every phase draws
 * on one CPU budget (budget.ts): a kata reserves its limit when it starts and
 * settles with what it used when it ends, so that katas in flight never pass
 * the budget together. Grades come back in kata order, whatever order the
 * katas end in.
 *
 * What went wrong is told apart (grade-kata.ts): the kata's doing costs it
 * its points; the grader's or the machine's is a `graderError`, never a 0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBridges } from './bridge';
import { SubmissionBudget } from './budget';
import { sideBySide } from './side-by-side';
import { type GradingConfig, sandboxLimits } from './config';
import { gradeKata, kataGrade, type KataRunSetup, plotWriteFailuresFile, testTimeScale } from './grade-kata';
import { type Prepared, prepareSubmission, testedModules } from './prepare';
import type { KataGrade } from './reports';
import { firstPlotWriteFailure } from './grading-status';
import type { SandboxLayout } from './sandbox';
import { transpileTree } from './transpile';
import { copySubmission } from './workspace';
import { type Kata, listKatas } from '../../shared/kata-list';
import { REPO_ROOT } from '../../../lib/plot-files';
import { OutputWriteError } from './output-files';

export interface GradingRun {
  config: GradingConfig;
  scratch: string;
  libDir: string;
  hostDir: string;
  /** Root only: where each sandbox binds what it needs (sandbox.ts). */
  mountStage?: string;
  trusted: boolean;
  only?: string[];
  /** Katas of one submission graded at once (default: 1), and submissions graded at once beside it (default: 1). */
  katasAtOnce?: number;
  submissionsAtOnce?: number;
}

/**
 * Katas of one submission graded at once by default: the cores shared among
 * the submissions graded at once, at least one, so that the grader alone
 * never runs more katas than there are cores.
 */
export function defaultKatasAtOnce(submissionsAtOnce: number, cores = os.availableParallelism()): number {
  return Math.max(1, Math.floor(cores / Math.max(1, submissionsAtOnce)));
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
  /** Which limit first stopped the transpiling or loading of its modules, if one did. */
  loadingStoppedBy?: Prepared['stoppedBy'];
}

export function selectedKatas(only?: string[]): Kata[] {
  return listKatas().filter((k) => !only || only.some((o) => k.folder === o || k.number === o.padStart(2, '0')));
}

/** The grades of every kata when the submission could not be graded at all, for the grader's reasons. */
function allNotGraded(katas: Kata[], config: GradingConfig, graderError: string): KataGrade[] {
  return katas.map((k) => kataGrade(k, config.points[k.folder] ?? 0, { graderError }));
}

/** A kata's grade with the notes of loads made again, of the modules its tests import (and of the transpiling, which served all). */
function withLoadNotes(kata: Kata, grade: KataGrade, loadNotes: Prepared['loadNotes']): KataGrade {
  const imported = testedModules([path.join(REPO_ROOT, kata.testFile)]);
  const notes = loadNotes.filter((n) => n.module === undefined || imported.includes(n.module)).map((n) => n.note);
  if (notes.length === 0) return grade;
  return { ...grade, note: [...notes, ...(grade.note === undefined ? [] : [grade.note])].join(' ') };
}

export async function gradeSubmission(submission: string, outDir: string, run: GradingRun, index: number | string, variant: number): Promise<GradedSubmission> {
  const { config } = run;
  const work = path.join(run.scratch, `submission-${index}`);
  fs.mkdirSync(work, { mode: 0o755 });
  const { sourceDir, notes, leftOut } = copySubmission(submission, work);
  const katasDir = path.join(work, 'katas');
  fs.mkdirSync(katasDir, { mode: 0o755 });
  const katas = selectedKatas(run.only);
  const maxPoints = (kata: Kata) => config.points[kata.folder] ?? 0;
  const base = sandboxLimits(config);
  const modules = testedModules(katas.map((k) => path.join(REPO_ROOT, k.testFile)));
  // The katas' tests and the loading have budgets of their own, so that what a kata's module costs as it is
  // transpiled and loaded never shortens another kata's tests: each kata's tests get timeLimitSeconds, and so does
  // each module's transpiling and its loading. What a submission may cost is fixed by the repository's katas and modules.
  const budget = new SubmissionBudget(base.cpuSeconds, base.cpuSeconds * katas.length);
  const loadingBudget = new SubmissionBudget(base.cpuSeconds, base.cpuSeconds * 2 * modules.length);
  const usage: SubmissionUsage = { sandboxCpuSeconds: 0, verdictCpuSeconds: 0, verdictPeakMiB: 0 };
  const layout: SandboxLayout = { katasDir, libDir: run.libDir, hostDir: run.hostDir, ...(run.mountStage ? { mountStage: run.mountStage } : {}) };
  const bridgeDir = path.join(work, 'bridge');
  /** Which limit stopped the preparing sandbox first, if one did (the canary reads it). */
  let loadingStoppedBy: Prepared['stoppedBy'];
  /** Modules' loads (or the transpiling) made again: said in the notes of the katas they served. */
  let loadNotes: Prepared['loadNotes'] = [];

  if (run.trusted) {
    // The katas run in the tests' process, as with npm test: only for code the instructor trusts.
    fs.cpSync(sourceDir, katasDir, { recursive: true });
    transpileTree(katasDir);
    fs.symlinkSync(run.libDir, path.join(work, 'lib'), 'dir');
  } else if (katas.length > 0) {
    const prepared = await prepareSubmission({ ...layout, sourceDir }, base, modules, leftOut, loadingBudget);
    usage.sandboxCpuSeconds = prepared.cpuSeconds;
    loadNotes = prepared.loadNotes;
    if (prepared.graderError) return { grades: allNotGraded(katas, config, prepared.graderError), notes, usage };
    loadingStoppedBy = prepared.stoppedBy;
    writeBridges(bridgeDir, prepared.manifests);
  }

  const setup: KataRunSetup = {
    work,
    outDir,
    katasDir,
    bridgeDir,
    layout,
    base,
    maxHeapMiB: config.maxHeapMiB,
    trusted: run.trusted,
    variant,
    timeScale: testTimeScale((run.katasAtOnce ?? 1) * (run.submissionsAtOnce ?? 1)),
  };
  const order = longestFirst(katas);
  const started = await sideBySide(order, {
    atOnce: run.katasAtOnce ?? 1,
    budget,
    without: (kata) => {
      if (fs.existsSync(path.join(sourceDir, kata.folder))) return undefined;
      const why = Object.hasOwn(leftOut, kata.folder) ? leftOut[kata.folder] : undefined;
      return kataGrade(kata, maxPoints(kata), { problem: why ? `The submission's folder for this kata was not read: it ${why}.` : 'The submission has no folder for this kata.' });
    },
    spent: (kata) =>
      kataGrade(kata, maxPoints(kata), {
        problem: `The submission's CPU budget (${budget.totalSeconds} s for ${katas.length === 1 ? 'its one graded kata' : `its ${katas.length} graded katas`}) was spent before this kata's tests ran.`,
        stoppedBy: 'cpu',
      }),
    run: async (kata, cpuSeconds) => {
      const { grade, used, chargedSeconds } = await gradeKata(kata, maxPoints(kata), cpuSeconds, setup);
      usage.sandboxCpuSeconds += used.sandboxCpuSeconds;
      usage.verdictCpuSeconds += used.verdictCpuSeconds;
      usage.verdictPeakMiB = Math.max(usage.verdictPeakMiB, used.verdictPeakMiB);
      // At most the phase's limit (a watchdog stops a kata a little past it): never out of another kata's share.
      return { result: grade, usedSeconds: Math.min(chargedSeconds, cpuSeconds) };
    },
  });
  // A plot the tests could not write (a full disk under --out): the output is incomplete, as when a report cannot be written.
  const unwritten = firstPlotWriteFailure(plotWriteFailuresFile(work));
  if (unwritten) throw new OutputWriteError(unwritten.file, `a plot of the tests of "${path.basename(submission)}"`, new Error(unwritten.message));
  const byFolder = new Map(order.map((kata, i) => [kata.folder, started[i] as KataGrade]));
  const grades = katas.map((kata) => withLoadNotes(kata, byFolder.get(kata.folder) as KataGrade, loadNotes));
  return { grades, notes, usage, ...(loadingStoppedBy ? { loadingStoppedBy } : {}) };
}

/**
 * The katas in the order their runs start: the longest first, so that the last to start are
 * short and no core idles at the end (measured: 23.7 s in list order, where kata 03 and 04 started
 * third and fourth). A kata's test file size stands for its length, as jest's own sequencer
 * does for files it has no timing of; a wrong guess costs time, never a grade.
 */
function longestFirst(katas: Kata[]): Kata[] {
  const size = (kata: Kata) => {
    try {
      return fs.statSync(path.join(REPO_ROOT, kata.testFile)).size;
    } catch {
      return 0;
    }
  };
  return [...katas].sort((a, b) => size(b) - size(a));
}
