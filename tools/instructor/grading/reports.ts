/**
 * What a grading run writes: exercism's test-runner results.json (version 3,
 * one per kata, tests linked to tasks), one JUnit XML file for the
 * submission (junit-report-builder) and a Markdown summary with points.
 * A kata the grader or the machine kept from being graded says "not graded:
 * grader error ..." in each of them, never 0 points.
 */
import path from 'node:path';
import junit from 'junit-report-builder';
import { SUITE_FAILURE_TITLE, type TestOutcome } from '../../shared/run-katas';
import { makeOutputFolder, writeOutputFile } from './output-files';
import type { StopReason } from './sandbox';

export interface KataGrade {
  kata: string;
  outcomes: TestOutcome[];
  /** What went wrong with the run as a whole, if anything: reported, and it costs the kata's points. */
  problem?: string;
  /** The limit that stopped the kata, when one did (the problem says it in words): 'cpu' for its sandbox's or its tests' process's CPU limit, or a CPU budget spent before its tests ran. */
  stoppedBy?: StopReason['kind'];
  /** Set when the grader or the machine kept the kata from being graded (a sandbox that could not start...): reported as not graded, never as points. */
  graderError?: string;
  /** What the instructor should know about how it was graded (graded a second time after its process was killed): reported, costs nothing. */
  note?: string;
  points: number;
  maxPoints: number;
  seconds: number;
}

/** exercism test-runner interface, version 3. */
export interface ExercismResults {
  version: 3;
  status: 'pass' | 'fail' | 'error';
  message?: string;
  tests: {
    name: string;
    test_code: string;
    status: 'pass' | 'fail' | 'error';
    message: string | null;
    task_id?: number;
  }[];
}

/** How a kata the grader could not grade is named in every report. */
export function notGradedText(graderError: string): string {
  return `not graded: grader error: ${graderError}`;
}

/** How a submission with nothing to grade (no folder, no katas: the learner's doing) is named in every report: a 0, not "not graded". */
export function nothingToGradeText(reason: string): string {
  return `0 points (nothing to grade): ${reason}`;
}

export function exercismResults(grade: KataGrade): ExercismResults {
  if (grade.graderError !== undefined) return { version: 3, status: 'error', message: notGradedText(grade.graderError), tests: [] };
  if (grade.outcomes.length === 0) {
    return { version: 3, status: 'error', message: grade.problem ?? 'No test ran.', tests: [] };
  }
  const tests = grade.outcomes.map((o) => {
    const status = o.status === 'passed' ? ('pass' as const) : grade.problem ? ('error' as const) : ('fail' as const);
    return {
      name: o.title,
      test_code: `test/${grade.kata}.test.ts: ${o.title}`,
      status,
      message: status === 'pass' ? null : (grade.problem ?? o.message ?? 'failed').slice(0, 65_535),
      ...(o.task !== undefined ? { task_id: o.task } : {}),
    };
  });
  return { version: 3, status: tests.every((t) => t.status === 'pass') ? 'pass' : 'fail', tests };
}

export interface ReportOptions {
  /** What the copy left out of the submission, and why. */
  notes?: string[];
  /** Graded without a sandbox (--trusted). */
  trusted?: boolean;
  /** KATA_VARIANT the tests ran with: recorded in results.json and as a junit.xml property. */
  variant?: number;
  /** false leaves timings out, so that a regrade writes the same bytes (course grading keeps them in run.json). */
  timings?: boolean;
}

/** Characters XML 1.0 cannot hold, even escaped: replaced. */
export function xmlText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu, (c) => (c.length === 2 ? c : '\uFFFD'));
}

/**
 * For a failure of the test file as a whole (its title says nothing: the kata
 * module did not load, say), the error line of its message, in parentheses.
 */
function suiteFailureCause(outcome: { title: string; message?: string | undefined }): string {
  if (outcome.title !== SUITE_FAILURE_TITLE) return '';
  const line = /^\s*([A-Za-z]*Error: .*)$/m.exec(outcome.message ?? '')?.[1];
  return line ? ` (${line.length > 240 ? `${line.slice(0, 240)}…` : line})` : '';
}

export function writeReports(outDir: string, submission: string, grades: KataGrade[], options: ReportOptions = {}): void {
  const of = `of ${JSON.stringify(submission.slice(0, 200))}`;
  makeOutputFolder(outDir, `the report folder ${of}`);
  for (const grade of grades) {
    const dir = path.join(outDir, 'results', grade.kata);
    makeOutputFolder(dir, `the results folder of ${grade.kata} ${of}`);
    const results = { ...exercismResults(grade), ...(options.variant !== undefined ? { variant: options.variant } : {}) };
    writeOutputFile(path.join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`, `the results of ${grade.kata} ${of}`);
  }

  const builder = junit.newBuilder();
  for (const grade of grades) {
    const suite = builder.testSuite().name(xmlText(`${submission}: ${grade.kata}`));
    if (options.timings !== false) suite.time(grade.seconds);
    if (options.trusted) suite.property('sandbox', 'none (--trusted)');
    if (options.variant !== undefined) suite.property('KATA_VARIANT', String(options.variant));
    if (grade.note !== undefined) suite.property('note', xmlText(grade.note));
    if (grade.graderError !== undefined) {
      suite.testCase().className(grade.kata).name('run').error(xmlText(notGradedText(grade.graderError)));
      continue;
    }
    if (grade.outcomes.length === 0) suite.testCase().className(grade.kata).name('run').error(xmlText(grade.problem ?? 'No test ran.'));
    for (const o of grade.outcomes) {
      const testCase = suite.testCase().className(grade.kata).name(xmlText(o.title));
      if (options.timings !== false) testCase.time((o.durationMs ?? 0) / 1000);
      if (o.status !== 'passed') {
        if (grade.problem) testCase.error(xmlText(grade.problem));
        else testCase.failure(xmlText(o.message ?? 'failed'));
      }
    }
  }
  writeOutputFile(path.join(outDir, 'junit.xml'), builder.build(), `the JUnit report ${of}`);

  writeOutputFile(path.join(outDir, 'summary.md'), markdownSummary(submission, grades, options), `the summary ${of}`);
}

/** Points of the katas graded; `notGraded` counts those the grader could not grade. */
export function totalPoints(grades: KataGrade[]): { points: number; maxPoints: number; notGraded: number } {
  return {
    points: grades.reduce((sum, g) => sum + (g.graderError === undefined ? g.points : 0), 0),
    maxPoints: grades.reduce((sum, g) => sum + g.maxPoints, 0),
    notGraded: grades.filter((g) => g.graderError !== undefined).length,
  };
}

/**
 * Text from a submission (its folder name, error messages) as inert Markdown
 * on one line: control characters and line breaks become spaces; the
 * characters that make emphasis, code, links, table cells or HTML are escaped
 * (the text never starts a line, so list and heading marks are inert).
 */
export function markdownText(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g, ' ')
      .replace(/[\\`*_[\]|<>&~]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`))
  );
}

/** One table cell: inert, one line, at most `max` characters of the original. */
export function markdownCell(text: string, max = 160): string {
  return markdownText(text.length > max ? `${text.slice(0, max)}…` : text);
}

export function markdownSummary(submission: string, grades: KataGrade[], options: ReportOptions = {}): string {
  const { points, maxPoints, notGraded } = totalPoints(grades);
  const lines = [
    `# Grading: ${markdownCell(submission, 200)}`,
    '',
    ...(options.trusted ? ['**Trusted mode: the katas ran without a sandbox (--trusted); these points hold only for code you trust.**', ''] : []),
    notGraded > 0
      ? `**Not graded: grader error.** ${notGraded} of the katas could not be graded because of the grader or the machine (below): grade the submission again. The others: ${points.toFixed(1)} points.`
      : `**${points.toFixed(1)} / ${maxPoints} points**`,
    '',
    '| kata | tests passed | points | note |',
    '| --- | --- | --- | --- |',
  ];
  const notes: string[] = [];
  for (const g of grades) {
    if (g.graderError !== undefined) {
      lines.push(`| ${g.kata} | – | not graded | ${markdownCell(notGradedText(g.graderError), 600)} |`);
      continue;
    }
    const passed = g.outcomes.filter((o) => o.status === 'passed').length;
    const firstFailure = g.outcomes.find((o) => o.status !== 'passed');
    const note = g.problem ?? (firstFailure ? `first failure: ${firstFailure.title}${suiteFailureCause(firstFailure)}` : g.note !== undefined ? 'see "How it was graded" below' : '');
    // A cause of a load failure is said in full (its end says what happened); a test's title is cut as before.
    lines.push(`| ${g.kata} | ${passed} / ${g.outcomes.length} | ${g.points.toFixed(1)} / ${g.maxPoints} | ${markdownCell(note, firstFailure?.title === SUITE_FAILURE_TITLE && !g.problem ? 400 : 160)} |`);
    if (g.note !== undefined) notes.push(`- ${g.kata}: ${markdownCell(g.note, 1000)}`);
  }
  if (notes.length) lines.push('', '## How it was graded', '', ...notes);
  if (options.notes?.length) lines.push('', '## Left out of the submission', '', ...options.notes.map((n) => `- ${markdownCell(n, 300)}`));
  return `${lines.join('\n')}\n`;
}
