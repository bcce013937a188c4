/**
 * The class-level reports, written from a manifest alone: class-summary.md
 * (one row per submission) and gradebook.csv (one row per learner, a column per
 * kata and a total, for a Canvas or Moodle gradebook import; see the README,
 * "Grading a course"). A submission the grader could not grade says so in
 * both ("not graded: grader error ..."), never with 0 points; one with nothing
 * to grade (no folder, no katas) scores 0 in both, with the reason in the summary.
 */
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { writeOutputFile } from '../output-files';
import { markdownCell, notGradedText, nothingToGradeText } from '../reports';
import { type CourseManifest, type SubmissionRecord } from './manifest';

export const GRADEBOOK_FILE = 'gradebook.csv';
export const CLASS_SUMMARY_FILE = 'class-summary.md';

/** Canvas reads these identity columns first (one of Student, ID, SIS User ID must match; SIS Login ID and Section are required). */
export const IDENTITY_COLUMNS = ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section'] as const;
export const TOTAL_COLUMN = 'Total';
/** A gradebook cell of a kata, or a total, the grader could not grade. */
export const NOT_GRADED_CELL = 'not graded';

function points(x: number): string {
  return x.toFixed(1);
}

function katasOf(manifest: CourseManifest, record: SubmissionRecord): (number | undefined)[] {
  return manifest.katas.map((kata) => record.katas.find((k) => k.kata === kata)?.points);
}

export function classSummary(manifest: CourseManifest): string {
  const numbers = manifest.katas.map((k) => k.slice(0, 2));
  const lines = [
    '# Class summary',
    '',
    ...(manifest.trusted ? ['**Trusted mode: the katas ran without a sandbox.**', ''] : []),
    `| submission | total | ${numbers.join(' | ')} |`,
    `| --- | --- | ${numbers.map(() => '---').join(' | ')} |`,
  ];
  for (const record of manifest.submissions) {
    const name = markdownCell(record.name);
    if (record.graderError !== undefined) lines.push(`| ${name} | ${markdownCell(notGradedText(record.graderError), 300)} |`);
    else if (record.nothingToGrade !== undefined) {
      lines.push(`| ${name} | ${markdownCell(nothingToGradeText(record.nothingToGrade), 300)} | ${manifest.katas.map(() => points(0)).join(' | ')} |`);
    } else {
      const cells = katasOf(manifest, record).map((p) => (p === undefined ? '' : points(p)));
      lines.push(`| ${name} | ${points(record.points)} / ${record.maxPoints} | ${cells.join(' | ')} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function gradebookHeader(katas: string[]): string[] {
  return [...IDENTITY_COLUMNS, ...katas, TOTAL_COLUMN];
}

export function gradebookRows(manifest: CourseManifest): string[][] {
  return manifest.submissions.map((record) => {
    const identifier = record.identifier ?? record.name;
    const kataCells = manifest.katas.map((kata) => {
      const score = record.katas.find((k) => k.kata === kata);
      if (score?.graderError !== undefined || (score === undefined && record.graderError !== undefined)) return NOT_GRADED_CELL;
      return points(score?.points ?? 0);
    });
    const total = record.graderError !== undefined ? NOT_GRADED_CELL : points(record.nothingToGrade === undefined ? record.points : 0);
    return [identifier, '', '', identifier, '', ...kataCells, total];
  });
}

export function gradebookCsv(manifest: CourseManifest): string {
  return stringify([gradebookHeader(manifest.katas), ...gradebookRows(manifest)], {
    record_delimiter: 'windows',
    // A name that starts with = + - @ would run as a formula in a spreadsheet: quoted with a leading '.
    escape_formulas: true,
  });
}

export function writeClassReports(outDir: string, manifest: CourseManifest): void {
  writeOutputFile(path.join(outDir, CLASS_SUMMARY_FILE), classSummary(manifest), 'the class summary');
  writeOutputFile(path.join(outDir, GRADEBOOK_FILE), gradebookCsv(manifest), 'the gradebook');
}
