/**
 * Before grading anything, the grader grades a known-good submission, the
 * canary: the reference solution of the first kata, in the same sandbox and
 * with the same limits as the submissions. If it does not get every test
 * passed, grading would score every submission wrong on this machine (a
 * folder the sandbox cannot read, a sandbox that cannot start, a backend
 * that does not load), so it stops there and says what the canary measured.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../../lib/plot-files';
import { gradeSubmission, type GradingRun } from './grade-submission';
import { listKatas } from '../../shared/kata-list';

/** Why the canary failed, or undefined when it got full marks. */
export async function canaryProblem(run: GradingRun): Promise<string | undefined> {
  const kata = listKatas()[0];
  if (!kata) return undefined;
  const reference = path.join(REPO_ROOT, 'solutions');
  if (!fs.existsSync(path.join(reference, kata.folder))) return `the reference solutions (solutions/${kata.folder}) are missing: the canary is graded from them.`;
  const outDir = path.join(run.scratch, 'canary-reports');
  const { grades, loadingStoppedBy } = await gradeSubmission(reference, outDir, { ...run, only: [kata.folder] }, 'canary', 0);
  const grade = grades[0];
  if (!grade) return `no grade for ${kata.folder}.`;
  const where = `the reference solution of ${kata.folder}`;
  if (grade.graderError !== undefined) return `${where} could not be graded: ${grade.graderError}`;
  const tooLow = ` grading.json's timeLimitSeconds (${run.config.timeLimitSeconds} s per kata) is too low for the reference solution on this machine: raise it.`;
  // The reference stopped by a CPU limit, in its tests or as its module was transpiled or loaded: the limit is too low for this machine.
  const stoppedByCpu = grade.stoppedBy === 'cpu' || loadingStoppedBy === 'cpu';
  if (grade.problem !== undefined) return `${where}: ${grade.problem}${stoppedByCpu ? tooLow : ''}`;
  const failed = grade.outcomes.find((o) => o.status !== 'passed');
  if (failed) return `${where} failed "${failed.title}": ${(failed.message ?? 'no message').slice(0, 1000)}${stoppedByCpu ? tooLow : ''}`;
  if (grade.outcomes.length === 0) return `no test of ${where} ran.`;
  return undefined;
}
