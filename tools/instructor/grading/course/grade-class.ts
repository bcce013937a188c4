/**
 * Grading a class, or one shard of it: which submissions (a class folder's
 * entries or a roster, sliced by --shard), each one's secret variant and
 * content hash, what `--since` lets it reuse, and the class reports. The
 * grading of one submission is given by the caller (tools/instructor/grade.ts), so
 * this module runs no submission code itself.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pool } from '../../../shared/pool';
import { makeOutputFolder, OutputWriteError } from '../output-files';
import { type KataGrade, nothingToGradeText } from '../reports';
import { NoSubmissionError } from '../workspace';
import { writeClassReports } from './class-reports';
import { contentHash } from './content-hash';
import { learnerResults, writeLearnerResults } from './learner-results';
import {
  type CourseManifest,
  conditionMismatch,
  graderCommit,
  type GradingConditions,
  MANIFEST_FORMAT,
  readManifest,
  reportFolder,
  settingsFingerprint,
  submissionRecord,
  type SubmissionRecord,
  writeManifest,
} from './manifest';
import { copyReports, writeRunFile } from './output-folder';
import { type Learner } from './roster';
import { selectShard, type Shard, sortedNames } from './shard';
import { keyFingerprint, variantFor } from './variant-key';

export interface ClassGrading {
  classDir: string;
  /** The output folder, created fresh by the caller. */
  out: string;
  shard: Shard;
  variantKey?: string;
  /** A previous output (its folder or manifest.json): submissions with an unchanged content hash are reused from it. */
  since?: string;
  /** Who is in the class; without one, every folder in classDir is a submission. */
  roster?: Learner[];
  /** Kata folders graded, in report order. */
  katas: string[];
  /** Everything besides commit and key that changes scores (grading.json, --only, mode): fingerprinted. */
  settings: unknown;
  /** Graded without a sandbox (--trusted): recorded, and refused by a merge with sandboxed shards. */
  trusted: boolean;
  jobs: number;
  log?: (line: string) => void;
  /** A name as printed on the terminal (quoted when not plain). */
  show?: (name: string) => string;
}

export interface SubmissionToGrade {
  name: string;
  folder: string;
  /** Where its own reports go (results/, junit.xml, summary.md, plots/), without timings. */
  outDir: string;
  /** KATA_VARIANT for the process that runs its tests. */
  variant: number;
  /** Its position in this run: distinct per submission, for scratch folders. */
  index: number;
  /** Submissions graded at once in this run (the jobs, or fewer when fewer are graded): the cores are shared among them. */
  submissionsAtOnce: number;
}

/**
 * Grades one submission, writes its reports and returns its kata grades (with
 * timings) and what it cost (for run.json); throws NoSubmissionError when there
 * is nothing to grade (the submission's 0), anything else when the grader failed.
 */
export type GradeOne = (submission: SubmissionToGrade) => Promise<{ grades: KataGrade[]; usage?: unknown }>;

const NO_FOLDER = 'no submission folder (the learner has no repository, or it could not be fetched)';

function safeContentHash(folder: string): string {
  try {
    return contentHash(folder);
  } catch (error) {
    // Grading it will fail the same way, as a grader error; the hash only has to differ from any real one.
    return `unreadable:${crypto.createHash('sha256').update(String(error)).digest('hex').slice(0, 16)}`;
  }
}

export function classNames(classDir: string, roster?: Learner[]): string[] {
  if (roster) return sortedNames(roster.map((l) => l.name));
  if (!fs.existsSync(classDir)) throw new Error(`${classDir} does not exist.`);
  // Real folders only: a link in the class folder is not followed.
  return sortedNames(
    fs
      .readdirSync(classDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name),
  );
}

export async function gradeClass(options: ClassGrading, gradeOne: GradeOne): Promise<CourseManifest> {
  const log = options.log ?? console.log;
  const show = options.show ?? JSON.stringify;
  const everyone = classNames(options.classDir, options.roster);
  if (everyone.length === 0) throw new Error(`No submission folders in ${options.classDir}.`);
  const mine = selectShard(everyone, options.shard);
  const conditions: GradingConditions = {
    commit: graderCommit(),
    settings: settingsFingerprint(options.settings),
    key: keyFingerprint(options.variantKey),
    trusted: options.trusted,
    katas: options.katas,
    class: everyone,
  };
  const previous = options.since ? readManifest(options.since) : undefined;
  if (previous) {
    // The class may have grown (late work); everything else must match for a reuse to be the same grading.
    const mismatch = conditionMismatch({ ...previous, class: everyone }, conditions);
    if (mismatch) throw new Error(`--since ${options.since} was graded under other conditions, so nothing in it can be reused: ${mismatch}.`);
  }
  const previousDir = options.since && previous ? (fs.statSync(options.since).isDirectory() ? options.since : path.dirname(options.since)) : '';
  const identity = new Map((options.roster ?? []).map((l) => [l.name, l]));

  const records: SubmissionRecord[] = [];
  const timings: Record<string, { seconds: number; katas: Record<string, number>; usage?: unknown }> = {};
  const reused: string[] = [];
  const graded: string[] = [];
  /** A report that could not be written (a full disk): no submission starts after it, and the class stops with it once those in flight end. */
  let outputFailure: OutputWriteError | undefined;
  await pool(mine, options.jobs, async (name) => {
    if (outputFailure) return;
    const folder = path.join(options.classDir, name);
    const outDir = path.join(options.out, reportFolder(name));
    const exists = fs.existsSync(folder) && fs.lstatSync(folder).isDirectory();
    const variant = variantFor(options.variantKey, name);
    const learner = identity.get(name);
    const base = {
      name,
      folder: reportFolder(name),
      variant,
      contentHash: exists ? safeContentHash(folder) : 'none',
      ...(learner?.identifier ? { identifier: learner.identifier } : {}),
      ...(learner?.githubUsername ? { githubUsername: learner.githubUsername } : {}),
    };
    const before = previous?.submissions.find((s) => s.name === name);
    // A submission the grader failed on is graded again, whatever its content.
    if (before && before.graderError === undefined && before.contentHash === base.contentHash && before.variant === variant && fs.existsSync(path.join(previousDir, before.folder))) {
      try {
        copyReports(path.join(previousDir, before.folder), outDir);
        records.push({ ...before, ...base });
        reused.push(name);
        log(`${show(name)}: ${before.points.toFixed(1)} / ${before.maxPoints} points (reused: unchanged since ${options.since})`);
        return;
      } catch {
        fs.rmSync(outDir, { recursive: true, force: true }); // graded afresh below
      }
    }
    graded.push(name);
    const started = performance.now();
    let record: SubmissionRecord;
    let grades: KataGrade[] = [];
    let usage: unknown;
    let nothingToGrade: string | undefined;
    let graderError: string | undefined;
    try {
      if (!exists) throw new NoSubmissionError(NO_FOLDER);
      makeOutputFolder(outDir, `the report folder of ${JSON.stringify(name)}`);
      ({ grades, usage } = await gradeOne({ name, folder, outDir, variant, index: mine.indexOf(name), submissionsAtOnce: Math.min(options.jobs, mine.length) }));
      record = submissionRecord(base, grades);
      graderError = record.graderError;
      const mode = options.trusted ? ', trusted mode, not sandboxed' : '';
      const where = path.relative(process.cwd(), path.join(outDir, 'summary.md'));
      log(graderError !== undefined ? `${show(name)}: not graded: grader error (${graderError}) (${where})` : `${show(name)}: ${record.points.toFixed(1)} / ${record.maxPoints} points (${where}${mode})`);
    } catch (error) {
      if (error instanceof OutputWriteError) {
        outputFailure ??= error;
        return;
      }
      // The others go on: a learner's missing submission scores 0 (nothing to grade), a failure of the grader is reported as not graded.
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof NoSubmissionError) nothingToGrade = message;
      else graderError = message;
      grades = [];
      record = submissionRecord({ ...base, ...(nothingToGrade !== undefined ? { nothingToGrade } : { graderError: message }) }, []);
      log(`${show(name)}: ${nothingToGrade !== undefined ? nothingToGradeText(nothingToGrade) : `not graded: grader error (${message})`}`);
    }
    try {
      makeOutputFolder(outDir, `the report folder of ${JSON.stringify(name)}`);
      writeLearnerResults(outDir, learnerResults(grades, variant, nothingToGrade, grades.length === 0 ? graderError : undefined));
    } catch (error) {
      if (!(error instanceof OutputWriteError)) throw error;
      outputFailure ??= error;
      return;
    }
    records.push(record);
    timings[name] = { seconds: (performance.now() - started) / 1000, katas: Object.fromEntries(grades.map((g) => [g.kata, g.seconds])), ...(usage !== undefined ? { usage } : {}) };
  });
  if (outputFailure) throw outputFailure;

  const manifest: CourseManifest = {
    format: MANIFEST_FORMAT,
    ...conditions,
    shard: options.shard,
    submissions: records.sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
  writeManifest(options.out, manifest);
  writeClassReports(options.out, manifest);
  // The grader's own process (every submission's work runs in processes of their own, under limits): what it cost.
  const own = process.resourceUsage();
  const grader = { cpuSeconds: (own.userCPUTime + own.systemCPUTime) / 1e6, peakRssMiB: own.maxRSS / 1024 };
  writeRunFile(options.out, { shard: options.shard, graded: sortedNames(graded), reused: sortedNames(reused), timings, grader });
  return manifest;
}
