/**
 * One results.json per learner in exercism's test-runner format (version 3):
 * every kata's tests in one file, each named after its kata, for tools that
 * read exercism's format a submission at a time. The variant the learner was
 * graded with is recorded beside (an extra top-level field; readers of the
 * format ignore fields they do not know).
 */
import path from 'node:path';
import { writeOutputFile } from '../output-files';
import { type ExercismResults, exercismResults, type KataGrade, notGradedText, nothingToGradeText } from '../reports';

export const LEARNER_RESULTS_FILE = 'results.json';

export interface LearnerResults extends ExercismResults {
  variant: number;
}

/** `nothingToGrade`: the learner's reason (no folder, no katas), a 0; `graderError`: the grader's, said as "not graded: grader error ...". */
export function learnerResults(grades: KataGrade[], variant: number, nothingToGrade?: string, graderError?: string): LearnerResults {
  if (graderError !== undefined) return { version: 3, status: 'error', message: notGradedText(graderError), tests: [], variant };
  if (nothingToGrade !== undefined) return { version: 3, status: 'error', message: nothingToGradeText(nothingToGrade), tests: [], variant };
  const perKata = grades.map((g) => ({ kata: g.kata, results: exercismResults(g) }));
  const tests = perKata.flatMap(({ kata, results }) =>
    results.status === 'error' && results.tests.length === 0
      ? [{ name: `${kata}: run`, test_code: `test/${kata}.test.ts`, status: 'error' as const, message: results.message ?? 'No test ran.' }]
      : results.tests.map(({ task_id: _task, ...t }) => ({ ...t, name: `${kata}: ${t.name}` })),
  );
  // task_id numbers a kata's own tasks; across katas they would collide, so they stay in the per-kata files.
  const status = tests.length > 0 && tests.every((t) => t.status === 'pass') ? 'pass' : grades.some((g) => g.graderError !== undefined) ? 'error' : 'fail';
  return { version: 3, status, ...(status === 'error' ? { message: 'not graded: grader error in some katas (see their tests)' } : {}), tests, variant };
}

export function writeLearnerResults(submissionOutDir: string, results: LearnerResults): void {
  writeOutputFile(path.join(submissionOutDir, LEARNER_RESULTS_FILE), `${JSON.stringify(results, null, 2)}\n`, "a learner's results");
}
