/**
 * manifest.json: what one grading output holds and under which conditions it
 * was graded (commit, settings, key fingerprint, the whole class, the shard),
 * with each submission's scores as data. Merging shards and `--since` read it;
 * the class reports (class-summary.md, gradebook.csv) are written from it
 * alone, so a merged report and an unsharded one come out byte for byte equal.
 * Nothing in it depends on time or on the machine.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../../../lib/plot-files';
import { writeOutputFile } from '../output-files';
import type { KataGrade } from '../reports';
import { type Shard } from './shard';

export const MANIFEST_FORMAT = 'kata-course-grading/1';
export const MANIFEST_FILE = 'manifest.json';

export interface KataScore {
  kata: string;
  /** Set when the grader or the machine kept this kata from being graded: its points mean nothing. */
  graderError?: string;
  points: number;
  maxPoints: number;
  passed: number;
  tests: number;
}

export interface SubmissionRecord {
  name: string;
  /** Its report folder inside the output: the name when harmless as a path segment, else a stable stand-in. */
  folder: string;
  variant: number;
  contentHash: string;
  /** Roster identity, when a roster was given. */
  identifier?: string;
  githubUsername?: string;
  /** Why the submission had nothing to grade, a reason of the learner's (no folder, no katas): it scores 0. */
  nothingToGrade?: string;
  /** Why the grader or the machine kept the submission, or one of its katas, from being graded: reported as not graded, never as points, and graded again by --since. */
  graderError?: string;
  katas: KataScore[];
  points: number;
  maxPoints: number;
}

/** What must be equal for two outputs to belong to one grading. */
export interface GradingConditions {
  /** The grader's commit (with a hash of uncommitted changes, if any). */
  commit: string;
  /** A hash of every setting that changes scores (grading.json, --only, mode). */
  settings: string;
  /** The variant key's fingerprint, null without a key. */
  key: string | null;
  /** Graded without a sandbox (--trusted). */
  trusted: boolean;
  /** Katas graded, in report order. */
  katas: string[];
  /** Every submission of the class, sorted. */
  class: string[];
}

export interface CourseManifest extends GradingConditions {
  format: typeof MANIFEST_FORMAT;
  shard: Shard;
  /** This output's submissions, sorted by name. */
  submissions: SubmissionRecord[];
}

/**
 * A submission's report folder: its name when harmless, else one derived from
 * the name alone (so every shard picks the same). The mapping is one-to-one: a
 * kept name has no dot, so it never meets the class-level files beside it
 * (class-summary.md, gradebook.csv...), and never starts with "submission-",
 * so a student cannot take the folder a classmate's hashed name maps to.
 */
export function reportFolder(name: string): string {
  return /^(?!submission-)[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/i.test(name)
    ? name
    : `submission-${crypto.createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

export function submissionRecord(
  base: Omit<SubmissionRecord, 'katas' | 'points' | 'maxPoints'>,
  grades: KataGrade[],
): SubmissionRecord {
  const katas = grades.map((g) => ({
    kata: g.kata,
    ...(g.graderError !== undefined ? { graderError: g.graderError } : {}),
    points: round1(g.graderError !== undefined ? 0 : g.points),
    maxPoints: g.maxPoints,
    passed: g.outcomes.filter((o) => o.status === 'passed').length,
    tests: g.outcomes.length,
  }));
  const failed = katas.find((k) => k.graderError !== undefined);
  return {
    ...base,
    ...(failed && base.graderError === undefined ? { graderError: `${failed.kata}: ${failed.graderError}` } : {}),
    katas,
    points: round1(katas.reduce((sum, k) => sum + k.points, 0)),
    maxPoints: katas.reduce((sum, k) => sum + k.maxPoints, 0),
  };
}

/** JSON with object keys sorted, so that equal settings hash equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

export function settingsFingerprint(settings: unknown): string {
  return `sha256:${crypto.createHash('sha256').update(canonicalJson(settings)).digest('hex').slice(0, 16)}`;
}

/** HEAD of the grader's repository, marked with a hash of the diff when the tree has uncommitted changes. */
export function graderCommit(root = REPO_ROOT): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const head = git('rev-parse', 'HEAD');
  if (head.status !== 0) return 'unknown (not a git checkout)';
  const diff = git('diff', 'HEAD', '--binary');
  const commit = head.stdout.trim();
  return diff.stdout === '' ? commit : `${commit}+dirty:${crypto.createHash('sha256').update(diff.stdout).digest('hex').slice(0, 12)}`;
}

export function writeManifest(outDir: string, manifest: CourseManifest): void {
  writeOutputFile(path.join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, 'the manifest');
}

export function readManifest(dirOrFile: string): CourseManifest {
  const file = fs.existsSync(dirOrFile) && fs.statSync(dirOrFile).isDirectory() ? path.join(dirOrFile, MANIFEST_FILE) : dirOrFile;
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist: not a grading output (it has no ${MANIFEST_FILE}).`);
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as CourseManifest;
  if (manifest.format !== MANIFEST_FORMAT) throw new Error(`${file} is not a ${MANIFEST_FORMAT} manifest.`);
  return manifest;
}

const CONDITIONS = ['commit', 'settings', 'key', 'trusted', 'katas', 'class'] as const;
const WHAT: Record<(typeof CONDITIONS)[number], string> = {
  commit: 'the grader commit',
  settings: 'the grading settings (grading.json, --only)',
  key: 'the variant key (fingerprints differ)',
  trusted: 'the sandbox (--trusted against sandboxed)',
  katas: 'the katas graded',
  class: 'the class (its list of submissions)',
};

/** The first condition in which b differs from a, described, or undefined when they agree. */
export function conditionMismatch(a: GradingConditions, b: GradingConditions): string | undefined {
  const field = CONDITIONS.find((c) => canonicalJson(a[c]) !== canonicalJson(b[c]));
  return field ? `${WHAT[field]}: ${JSON.stringify(a[field]).slice(0, 80)} against ${JSON.stringify(b[field]).slice(0, 80)}` : undefined;
}
