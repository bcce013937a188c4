/**
 * Course grading's pieces, without running a kata: secret variants, shards,
 * the roster, the gradebook and the merge's refusals. The end-to-end run
 * (grading, sharding, merging, --since) is test/tools/course-workflow.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { classSummary, gradebookCsv, gradebookHeader } from '../../tools/instructor/grading/course/class-reports';
import { contentHash } from '../../tools/instructor/grading/course/content-hash';
import { gradeClass } from '../../tools/instructor/grading/course/grade-class';
import { learnerResults } from '../../tools/instructor/grading/course/learner-results';
import { type CourseManifest, MANIFEST_FORMAT, reportFolder, type SubmissionRecord, writeManifest } from '../../tools/instructor/grading/course/manifest';
import { mergeShards } from '../../tools/instructor/grading/course/merge';
import { parseRoster } from '../../tools/instructor/grading/course/roster';
import { parseShard, selectShard } from '../../tools/instructor/grading/course/shard';
import { checkVariantKey, keyFingerprint, variantFor } from '../../tools/instructor/grading/course/variant-key';
import type { KataGrade } from '../../tools/instructor/grading/reports';

const KEY = 'c0ffee-5ecret-key-for-the-course';
const classmates = Array.from({ length: 300 }, (_, i) => `wk1-learner-${i}`);

describe('secret variants', () => {
  test('classmates get different variants, none of them 0 (the learners’ own inputs)', () => {
    const variants = classmates.map((name) => variantFor(KEY, name));
    // 300 draws from 1e9 values: a collision has probability ~4.5e-5.
    expect(new Set(variants).size).toBe(classmates.length);
    expect(variants.every((v) => Number.isSafeInteger(v) && v >= 1)).toBe(true);
  });

  test('the same key gives the same variants; another key, other variants; no key, variant 0', () => {
    expect(classmates.map((n) => variantFor(KEY, n))).toEqual(classmates.map((n) => variantFor(KEY, n)));
    const other = classmates.map((n) => variantFor(`${KEY}-2`, n));
    expect(other.filter((v, i) => v === variantFor(KEY, classmates[i] as string)).length).toBe(0);
    expect(variantFor(undefined, 'anyone')).toBe(0);
  });

  test('the fingerprint tells keys apart and does not contain the key', () => {
    expect(keyFingerprint(KEY)).toBe(keyFingerprint(KEY));
    expect(keyFingerprint(KEY)).not.toBe(keyFingerprint(`${KEY}x`));
    expect(keyFingerprint(KEY)).not.toContain(KEY.slice(0, 8));
    expect(keyFingerprint(undefined)).toBeNull();
  });

  test('a short key is refused with the reason', () => {
    expect(() => checkVariantKey('abc')).toThrow(/at least 16 random/);
  });
});

describe('shards', () => {
  test.each([1, 2, 3, 7, 12, 13])('every submission is in exactly one of %i shards, slices within one of each other in size', (count) => {
    const names = classmates.slice(0, 12).reverse();
    const slices = Array.from({ length: count }, (_, i) => selectShard(names, { index: i + 1, count }));
    expect(slices.flat().sort()).toEqual([...names].sort());
    const sizes = slices.map((s) => s.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  test('slices depend on the names only, not on the order they were listed in', () => {
    const shuffled = [...classmates.slice(137), ...classmates.slice(0, 137)].reverse();
    expect(shuffled).not.toEqual(classmates);
    expect(selectShard(shuffled, { index: 2, count: 5 })).toEqual(selectShard(classmates, { index: 2, count: 5 }));
  });

  test('bad shard arguments are named', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '3']) expect(() => parseShard(bad)).toThrow(/--shard takes i\/n/);
  });
});

test('a submission whose name is unsafe as a path gets a stable report folder of its own', () => {
  // Red-team findings: a folder named like a class-level file, or like the folder a classmate's unsafe name maps to.
  const unsafe = ['..', 'a/b', 'name with | pipe\n', '-rf', '.hidden', 'class-summary.md', 'gradebook.csv', reportFolder(' '), 'Submission-1'];
  const folders = unsafe.map(reportFolder);
  expect(folders.every((f) => /^submission-[0-9a-f]{12}$/.test(f))).toBe(true);
  expect(new Set(folders).size).toBe(unsafe.length);
  expect(unsafe.map(reportFolder)).toEqual(folders);
  expect(reportFolder('wk1-ada_2')).toBe('wk1-ada_2');
});

describe('content hashes, for --since', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'course-hash-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const kata = path.join(root, 'learner', 'katas', '01-linear-model');
  fs.mkdirSync(kata, { recursive: true });
  fs.writeFileSync(path.join(kata, 'linear-model.ts'), 'export const x = 1;\n');
  const outside = path.join(root, 'outside.txt');
  fs.writeFileSync(outside, 'instructor file');
  fs.symlinkSync(outside, path.join(kata, 'link.ts'));
  const learner = path.join(root, 'learner');

  test('change with what the grader reads, and only with that', () => {
    const first = contentHash(learner);
    expect(contentHash(learner)).toBe(first);
    fs.writeFileSync(path.join(root, 'learner', 'README.md'), 'outside the kata folders');
    fs.writeFileSync(outside, 'changed, behind a link the grader does not follow');
    expect(contentHash(learner)).toBe(first);
    fs.writeFileSync(path.join(kata, 'linear-model.ts'), 'export const x = 2;\n');
    const edited = contentHash(learner);
    expect(edited).not.toBe(first);
    fs.writeFileSync(path.join(kata, 'extra.js'), '');
    expect(contentHash(learner)).not.toBe(edited);
  });

  test('are injective: a file whose bytes spell the entries after it does not hash like those entries (NUL separators let it)', () => {
    // Under the old encoding ("kind\0path\0" then the bytes then "\0") these two hashed alike, and --since reused the first's 10/10 for the second.
    const two = path.join(root, 'two', 'katas', '01-linear-model');
    const one = path.join(root, 'one', 'katas', '01-linear-model');
    fs.mkdirSync(two, { recursive: true });
    fs.mkdirSync(one, { recursive: true });
    fs.writeFileSync(path.join(two, 'a.ts'), 'export const solved = 1;');
    fs.writeFileSync(path.join(two, 'b.ts'), 'export {};');
    fs.writeFileSync(path.join(one, 'a.ts'), 'export const solved = 1;\0file\x0001-linear-model/b.ts\0export {};');
    expect(contentHash(path.join(root, 'one'))).not.toBe(contentHash(path.join(root, 'two')));
  });
});

describe('the roster', () => {
  test("reads GitHub Classroom's grades CSV (BOM, quotes, commas in names)", () => {
    const csv =
      '\uFEFF"assignment_name","assignment_url","starter_code_url","github_username","roster_identifier","student_repository_name","student_repository_url","submission_timestamp","points_awarded","points_available"\n' +
      '"wk1","https://classroom.github.com/a/1","","ada-gh","Lovelace, Ada","wk1-ada-gh","https://github.com/course-org/wk1-ada-gh","","0","100"\n' +
      '"wk1","https://classroom.github.com/a/1","","bob-gh","bob@example.org","wk1-bob-gh","https://github.com/course-org/wk1-bob-gh","","0","100"\n';
    expect(parseRoster(csv)).toEqual([
      { name: 'wk1-ada-gh', url: 'https://github.com/course-org/wk1-ada-gh', identifier: 'Lovelace, Ada', githubUsername: 'ada-gh' },
      { name: 'wk1-bob-gh', url: 'https://github.com/course-org/wk1-bob-gh', identifier: 'bob@example.org', githubUsername: 'bob-gh' },
    ]);
  });

  test('reads a plain list of repositories and refuses duplicates and names that are paths', () => {
    expect(parseRoster('# week 1\ncourse-org/wk1-ada\n\nhttps://github.com/course-org/wk1-bob.git\n').map((l) => [l.name, l.url])).toEqual([
      ['wk1-ada', 'https://github.com/course-org/wk1-ada.git'],
      ['wk1-bob', 'https://github.com/course-org/wk1-bob.git'],
    ]);
    expect(() => parseRoster('org/a\norg/a\n')).toThrow(/listed twice/);
    expect(() => parseRoster('../../etc\n')).toThrow(/expected owner\/name/);
  });
});

function record(name: string, points: number[], extra: Partial<SubmissionRecord> = {}): SubmissionRecord {
  const katas = ['01-linear-model', '06-right-feature'].map((kata, i) => ({ kata, points: points[i] ?? 0, maxPoints: 10, passed: 0, tests: 4 }));
  return { name, folder: reportFolder(name), variant: variantFor(KEY, name), contentHash: `sha256:${name}`, katas, points: katas.reduce((s, k) => s + k.points, 0), maxPoints: 20, ...extra };
}

function manifest(submissions: SubmissionRecord[], shard = { index: 1, count: 1 }, classList = submissions.map((s) => s.name)): CourseManifest {
  return {
    format: MANIFEST_FORMAT,
    commit: 'abc123',
    settings: 'sha256:settings',
    key: keyFingerprint(KEY),
    trusted: false,
    katas: ['01-linear-model', '06-right-feature'],
    class: [...classList].sort(),
    shard,
    submissions,
  };
}

describe('the gradebook', () => {
  const whole = manifest([
    record('wk1-ada', [10, 7.5], { identifier: 'Lovelace, Ada' }),
    record('=HYPERLINK("http://x")', [2.5, 0]),
    record('wk1-cy', [], { nothingToGrade: 'no submission folder' }),
  ]);

  test('round-trips through the CSV library: one row per learner, a column per kata and a total, equal to the class summary', () => {
    const rows = parse(gradebookCsv(whole), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual(gradebookHeader(whole.katas));
    expect(rows).toHaveLength(whole.submissions.length);
    const summary = classSummary(whole);
    for (const [i, row] of rows.entries()) {
      const r = whole.submissions[i] as SubmissionRecord;
      const kataPoints = whole.katas.map((k) => Number(row[k]));
      expect(kataPoints).toEqual(whole.katas.map((k) => r.katas.find((x) => x.kata === k)?.points ?? 0));
      expect(Number(row.Total)).toBeCloseTo(kataPoints.reduce((a, b) => a + b, 0), 6);
      if (r.nothingToGrade === undefined) expect(summary).toContain(`| ${Number(row.Total).toFixed(1)} / ${r.maxPoints} |`);
    }
    expect(rows[0]?.['SIS Login ID']).toBe('Lovelace, Ada');
  });

  test('a name that would run as a spreadsheet formula is written inert', () => {
    const text = gradebookCsv(whole);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(text).toContain("'=HYPERLINK");
  });

  test('a submission the grader could not grade says "not graded" in the summary and the gradebook, never 0 points', () => {
    const failed = record('wk1-dee', [10, 0], { graderError: '06-right-feature: The sandbox could not start (exit code 1).' });
    failed.katas[1] = { ...(failed.katas[1] as SubmissionRecord['katas'][number]), graderError: 'The sandbox could not start (exit code 1).' };
    const m = manifest([record('wk1-ada', [10, 7.5]), failed]);
    const rows = parse(gradebookCsv(m), { columns: true }) as Record<string, string>[];
    expect(rows[1]).toMatchObject({ '01-linear-model': '10.0', '06-right-feature': 'not graded', Total: 'not graded' });
    expect(classSummary(m)).toMatch(/\| wk1-dee \| not graded: grader error: 06-right-feature: The sandbox could not start \(exit code 1\)\. \|/);
    expect(classSummary(m)).not.toMatch(/wk1-dee \| 10\.0/);
  });

  test('a name cannot forge rows of the class summary', () => {
    const forged = manifest([record('evil | 99.0 / 20 |\n| fake', [0, 0])]);
    expect(classSummary(forged).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| submission') && !l.startsWith('| ---'))).toHaveLength(1);
  });
});

describe('per-learner results.json', () => {
  const grade = (kata: string, statuses: ('passed' | 'failed')[], problem?: string): KataGrade => ({
    kata,
    outcomes: statuses.map((status, i) => ({ title: `task ${i + 1}: t`, status, task: i + 1 })),
    ...(problem ? { problem } : {}),
    points: 0,
    maxPoints: 10,
    seconds: 1,
  });

  test("holds every kata's tests in exercism's format, with the variant", () => {
    const r = learnerResults([grade('01-linear-model', ['passed', 'failed']), grade('06-right-feature', [], 'No test ran.')], 42);
    expect(r).toMatchObject({ version: 3, status: 'fail', variant: 42 });
    expect(r.tests.map((t) => [t.name, t.status])).toEqual([
      ['01-linear-model: task 1: t', 'pass'],
      ['01-linear-model: task 2: t', 'fail'],
      ['06-right-feature: run', 'error'],
    ]);
    expect(r.tests.every((t) => !('task_id' in t))).toBe(true);
    expect(learnerResults([grade('01-linear-model', ['passed'])], 1).status).toBe('pass');
    expect(learnerResults([], 3, 'no submission folder')).toMatchObject({ status: 'error', message: '0 points (nothing to grade): no submission folder', tests: [] });
    expect(learnerResults([], 3, undefined, 'the sandbox could not start')).toMatchObject({ status: 'error', message: 'not graded: grader error: the sandbox could not start' });
    const partly = learnerResults([grade('01-linear-model', ['passed']), { ...grade('06-right-feature', []), graderError: 'the sandbox could not start' }], 4);
    expect(partly.status).toBe('error');
    expect(partly.tests[1]).toMatchObject({ name: '06-right-feature: run', status: 'error', message: 'not graded: grader error: the sandbox could not start' });
  });
});

describe('a class graded with grader errors', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'course-errors-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const classDir = path.join(scratch, 'class');
  for (const name of ['ada', 'bob', 'cy']) fs.mkdirSync(path.join(classDir, name, 'katas', '01-linear-model'), { recursive: true });
  const options = (out: string, since?: string) => ({
    classDir,
    out,
    shard: { index: 1, count: 1 },
    katas: ['01-linear-model'],
    settings: { test: 'grader errors' },
    trusted: false,
    jobs: 2,
    log: () => undefined,
    ...(since ? { since } : {}),
  });
  const grades = (points: number, graderError?: string): KataGrade[] => [
    { kata: '01-linear-model', outcomes: [{ title: 'task 1: t', status: 'passed' }], ...(graderError ? { graderError } : {}), points, maxPoints: 10, seconds: 1 },
  ];

  test('a grader failure, thrown or in a kata, is kept apart from the scores; the class reports are written all the same; --since grades those again and only those', async () => {
    const first = path.join(scratch, 'first');
    fs.mkdirSync(first);
    const manifest1 = await gradeClass(options(first), async ({ name }) => {
      if (name === 'bob') throw new Error('disk full');
      return { grades: grades(10, name === 'cy' ? 'the sandbox could not start' : undefined) };
    });
    const byName = new Map(manifest1.submissions.map((s) => [s.name, s]));
    expect(byName.get('ada')).toMatchObject({ points: 10 });
    expect(byName.get('ada')?.graderError).toBeUndefined();
    expect(byName.get('bob')).toMatchObject({ graderError: 'disk full' });
    expect(byName.get('bob')?.nothingToGrade).toBeUndefined();
    expect(byName.get('cy')).toMatchObject({ graderError: '01-linear-model: the sandbox could not start', points: 0 });
    expect(fs.readFileSync(path.join(first, 'class-summary.md'), 'utf8')).toMatch(/\| bob \| not graded: grader error: disk full \|/);
    expect(fs.readFileSync(path.join(first, 'bob', 'results.json'), 'utf8')).toMatch(/not graded: grader error: disk full/);

    const second = path.join(scratch, 'second');
    fs.mkdirSync(second);
    const regraded: string[] = [];
    const manifest2 = await gradeClass(options(second, first), async ({ name }) => {
      regraded.push(name);
      return { grades: grades(5) };
    });
    expect(regraded.sort()).toEqual(['bob', 'cy']);
    expect(manifest2.submissions.map((s) => [s.name, s.points, s.graderError])).toEqual([
      ['ada', 10, undefined],
      ['bob', 5, undefined],
      ['cy', 5, undefined],
    ]);
  });
});

describe('merging shards refuses what is not one grading of the whole class', () => {
  const names = ['a', 'b', 'c', 'd', 'e', 'f'];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'course-merge-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
  let counter = 0;

  /** Writes shard outputs as the grader would (a manifest and a folder per submission); `edit` changes one shard's manifest. */
  function shards(count: number, edit: (m: CourseManifest, index: number) => CourseManifest = (m) => m): string[] {
    counter += 1;
    return Array.from({ length: count }, (_, i) => {
      const shard = { index: i + 1, count };
      const dir = path.join(scratch, `run${counter}`, `shard-${i + 1}`);
      const m = edit(manifest(selectShard(names, shard).map((n) => record(n, [1, 2])), shard, names), i + 1);
      for (const s of m.submissions) fs.mkdirSync(path.join(dir, s.folder), { recursive: true });
      fs.mkdirSync(dir, { recursive: true });
      writeManifest(dir, m);
      return dir;
    });
  }
  const out = () => fs.mkdtempSync(path.join(scratch, 'out-'));

  test('three matching shards merge into the whole class', () => {
    const merged = mergeShards(shards(3), out());
    expect(merged.submissions.map((s) => s.name)).toEqual(names);
    expect(merged.shard).toEqual({ index: 1, count: 1 });
  });

  test.each([
    ['commit', { commit: 'def456' }, /grader commit/],
    ['settings', { settings: 'sha256:other' }, /grading settings/],
    ['key', { key: keyFingerprint(`${KEY}-other`) }, /variant key/],
    ['sandbox', { trusted: true }, /--trusted against sandboxed/],
    ['class', { class: [...names, 'g'] }, /the class/],
  ])('a shard graded with another %s', (_what, change, message) => {
    expect(() => mergeShards(shards(3, (m, i) => (i === 2 ? { ...m, ...change } : m)), out())).toThrow(message);
  });

  test('a shard missing, or given twice', () => {
    const three = shards(3);
    expect(() => mergeShards([three[0] as string, three[2] as string], out())).toThrow(/Shard 2 of 3 missing/);
    expect(() => mergeShards([...three, three[1] as string], out())).toThrow(/given twice/);
  });

  test('shards of different cuts', () => {
    const two = shards(2);
    const three = shards(3);
    expect(() => mergeShards([two[0] as string, ...three.slice(1)], out())).toThrow(/different cuts/);
  });

  test('a submission missing from its shard, or graded in two', () => {
    expect(() => mergeShards(shards(3, (m, i) => (i === 2 ? { ...m, submissions: m.submissions.slice(1) } : m)), out())).toThrow(/missing from the shards: c/);
    expect(() =>
      mergeShards(shards(3, (m, i) => (i === 2 ? { ...m, submissions: [...m.submissions, record('a', [1, 2])] } : m)), out()),
    ).toThrow(/a is in two shards|belongs to another shard/);
  });
});
