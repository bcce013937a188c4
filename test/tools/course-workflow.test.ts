/**
 * The instructor's workflow, run here: it is generated, parses as the
 * structure GitHub Actions requires, and its own commands (fetch, grade,
 * merge), run with its environment on a class of 12 small submissions in 3
 * shards, give byte for byte the report of grading the class unsharded. The
 * same run checks secret variants in the reports and `--since`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../lib/plot-files';
import { COMMANDS, instructorWorkflow, SANDBOX_SETUP, SECRETS } from '../../tools/instructor/grading/course/instructor-workflow';
import { type CourseManifest } from '../../tools/instructor/grading/course/manifest';
import { keyFingerprint, variantFor } from '../../tools/instructor/grading/course/variant-key';

const KEY = 'course-test-key-0123456789abcdef';
const SHARDS = 3;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'course-workflow-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** 12 learners: one solved kata 01, one left its stub, the rest have no kata folder yet (graded without running a test: fast). */
const names = Array.from({ length: 12 }, (_, i) => `wk1-learner-${String(i + 1).padStart(2, '0')}`);
const SOLVED = new Set(['wk1-learner-07']);
const STUB = new Set(['wk1-learner-04']);

function git(cwd: string, ...args: string[]): void {
  const run = spawnSync('git', ['-c', 'user.name=learner', '-c', 'user.email=learner@example.org', ...args], { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
}

/** Each learner's repository, as GitHub Classroom makes them, and a roster listing them. */
function makeRepositories(): string {
  const lines: string[] = [];
  for (const name of names) {
    const repo = path.join(scratch, 'remotes', name);
    fs.mkdirSync(path.join(repo, 'katas'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'katas', 'NOTES.md'), `${name}'s notes\n`);
    fs.writeFileSync(path.join(repo, 'not-graded.txt'), 'outside katas/: never fetched\n');
    const tree = SOLVED.has(name) ? 'solutions' : STUB.has(name) ? 'katas' : undefined;
    if (tree) fs.cpSync(path.join(REPO_ROOT, tree, '01-linear-model'), path.join(repo, 'katas', '01-linear-model'), { recursive: true });
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'submission');
    lines.push(`file://${repo}`);
  }
  const roster = path.join(scratch, 'roster.txt');
  fs.writeFileSync(roster, `${lines.join('\n')}\n`);
  return roster;
}

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  name?: string;
  'runs-on': string;
  needs?: string[];
  env?: Record<string, string>;
  strategy?: { matrix: Record<string, unknown[]>; 'fail-fast'?: boolean };
  steps: Step[];
  'timeout-minutes'?: number;
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflowText = instructorWorkflow({ roster: 'course/roster.csv', learners: names.length, shards: SHARDS, katas: 6, timeLimitSeconds: 90 });
const workflow = parse(workflowText) as Workflow;

/** A step's command run as Actions would: bash, the repository as working folder, the workflow's variables. */
function runStep(step: Step | undefined, env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  if (!step?.run) throw new Error('no such step');
  const run = spawnSync('bash', ['-eo', 'pipefail', '-c', step.run], { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 600_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function step(job: string, id: string): Step | undefined {
  return workflow.jobs[job]?.steps.find((s) => s.id === id);
}

describe('the generated workflow has the structure GitHub Actions requires', () => {
  test('a manual trigger, read-only permissions, jobs with runs-on and steps that either use an action or run a command', () => {
    expect(workflow.on).toHaveProperty('workflow_dispatch');
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(Object.keys(workflow.jobs)).toEqual(['grade', 'merge']);
    for (const job of Object.values(workflow.jobs)) {
      expect(typeof job['runs-on']).toBe('string');
      expect(job['timeout-minutes']).toBeLessThanOrEqual(360);
      expect(job.steps.length).toBeGreaterThan(0);
      for (const s of job.steps) {
        expect(Number(s.uses !== undefined) + Number(s.run !== undefined)).toBe(1);
        if (s.uses) expect(s.uses).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
      }
    }
  });

  test('a matrix of one job per shard, then a merge job that needs them all', () => {
    const grade = workflow.jobs.grade as Job;
    expect(grade.strategy?.matrix.shard).toEqual([1, 2, 3]);
    expect(grade.strategy?.['fail-fast']).toBe(false);
    expect(grade.env?.SHARD).toBe(`\${{ matrix.shard }}/${SHARDS}`);
    expect(workflow.jobs.merge?.needs).toEqual(['grade']);
    expect(workflow.jobs.merge?.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))?.with).toMatchObject({ pattern: 'shard-*' });
  });

  test('secrets reach only the step that needs each, as environment, never on a command line', () => {
    const withSecrets = Object.values(workflow.jobs).flatMap((j) => j.steps).filter((s) => JSON.stringify(s).includes('secrets.'));
    expect(withSecrets.map((s) => s.id)).toEqual(['fetch', 'grade']);
    expect(step('grade', 'fetch')?.env).toEqual({ GH_TOKEN: `\${{ secrets.${SECRETS.token} }}` });
    expect(step('grade', 'grade')?.env).toEqual({ KATA_VARIANT_KEY: `\${{ secrets.${SECRETS.variantKey} }}` });
    for (const s of withSecrets) expect(s.run).not.toMatch(/secrets|\$\{\{/);
  });

  test('the commands it runs are the npm scripts this test runs', () => {
    expect(step('grade', 'fetch')?.run).toBe(COMMANDS.fetch);
    expect(step('grade', 'grade')?.run).toBe(COMMANDS.grade);
    expect(step('merge', 'merge')?.run).toBe(COMMANDS.merge);
    // The sandbox step is a script of the repository, run here too: it must leave bubblewrap working.
    const sandbox = workflow.jobs.grade?.steps.find((s) => s.run === SANDBOX_SETUP);
    const grade = workflow.jobs.grade?.steps.findIndex((s) => s.id === 'grade') ?? -1;
    expect(workflow.jobs.grade?.steps.indexOf(sandbox as Step)).toBeLessThan(grade);
    expect(runStep(sandbox, {}).stdout).toMatch(/bubblewrap works/);
  });
});

function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Every report file but run.json (timings, what was reused), which is meant to differ. */
function reportFiles(dir: string): string[] {
  return filesUnder(dir).filter((f) => path.basename(f) !== 'run.json');
}

function readManifest(dir: string): CourseManifest {
  return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as CourseManifest;
}

describe("the workflow's commands on a class of 12 in 3 shards", () => {
  const shardsDir = path.join(scratch, 'shards');
  const merged = path.join(scratch, 'course-report');
  const wholeClass = path.join(scratch, 'class-all');
  const unsharded = path.join(scratch, 'unsharded');
  let roster: string;
  const logs: string[] = [];

  beforeAll(() => {
    roster = makeRepositories();
    const common = { ROSTER: roster, GH_TOKEN: '', KATA_VARIANT_KEY: KEY };
    for (let shard = 1; shard <= SHARDS; shard += 1) {
      const env = { ...common, SHARD: `${shard}/${SHARDS}`, CLASS_DIR: path.join(scratch, `class-${shard}`), SHARD_DIR: path.join(shardsDir, `shard-${shard}`) };
      for (const id of ['fetch', 'grade']) {
        const run = runStep(step('grade', id), env);
        logs.push(run.stdout, run.stderr);
        if (run.status !== 0) throw new Error(`shard ${shard}, step ${id} failed:\n${run.stdout}\n${run.stderr}`);
      }
    }
    const merge = runStep(step('merge', 'merge'), { SHARDS_DIR: shardsDir, REPORT_DIR: merged });
    if (merge.status !== 0) throw new Error(`merge failed:\n${merge.stdout}\n${merge.stderr}`);
    // The same class graded in one piece, on one machine.
    const fetchAll = runStep(step('grade', 'fetch'), { ...common, SHARD: '1/1', CLASS_DIR: wholeClass });
    if (fetchAll.status !== 0) throw new Error(fetchAll.stderr);
    const grade = spawnSync('npm', ['run', 'grade', '--', '--class', wholeClass, '--roster', roster, '--variant-key-env', 'KATA_VARIANT_KEY', '--out', unsharded], {
      cwd: REPO_ROOT,
      env: { ...process.env, KATA_VARIANT_KEY: KEY },
      encoding: 'utf8',
    });
    if (grade.status !== 0) throw new Error(`unsharded grading failed:\n${grade.stdout}\n${grade.stderr}`);
  }, 1_200_000);

  test('only katas/ is fetched from each repository', () => {
    expect(fs.readdirSync(path.join(scratch, 'class-1', names[0] as string))).toEqual(['katas']);
  });

  test('each shard graded its own slice: every learner in exactly one', () => {
    const graded = [1, 2, 3].flatMap((i) => readManifest(path.join(shardsDir, `shard-${i}`)).submissions.map((s) => s.name));
    expect(graded.sort()).toEqual(names);
    expect(new Set(graded).size).toBe(names.length);
  });

  test('shards merged equal the unsharded grading, byte for byte', () => {
    const files = reportFiles(unsharded);
    expect(reportFiles(merged)).toEqual(files);
    expect(files).toEqual(expect.arrayContaining(['gradebook.csv', 'class-summary.md', 'manifest.json', `${names[0]}/results.json`, `${names[0]}/junit.xml`]));
    const differ = files.filter((f) => !fs.readFileSync(path.join(merged, f)).equals(fs.readFileSync(path.join(unsharded, f))));
    expect(differ).toEqual([]);
  });

  test('the scores are what each submission earns', () => {
    const byName = new Map(readManifest(merged).submissions.map((s) => [s.name, s]));
    for (const name of names) {
      const kata01 = byName.get(name)?.katas.find((k) => k.kata === '01-linear-model');
      // The stub's points are whatever kata 01's tests give a stub (check:katas' business): less than full.
      if (STUB.has(name)) expect(kata01?.points).toBeLessThan(kata01?.maxPoints ?? 0);
      else expect([name, kata01?.points]).toEqual([name, SOLVED.has(name) ? kata01?.maxPoints : 0]);
    }
  });

  test('every learner has a secret variant, recorded in results.json and junit.xml; the key itself appears nowhere', () => {
    const manifest = readManifest(merged);
    expect(manifest.key).toBe(keyFingerprint(KEY));
    const variants = manifest.submissions.map((s) => s.variant);
    expect(variants).toEqual(names.map((n) => variantFor(KEY, n)));
    expect(new Set(variants).size).toBe(names.length);
    for (const name of [...SOLVED, ...STUB]) {
      const variant = variantFor(KEY, name);
      expect(JSON.parse(fs.readFileSync(path.join(merged, name, 'results.json'), 'utf8'))).toMatchObject({ variant });
      expect(JSON.parse(fs.readFileSync(path.join(merged, name, 'results', '01-linear-model', 'results.json'), 'utf8'))).toMatchObject({ variant });
      expect(fs.readFileSync(path.join(merged, name, 'junit.xml'), 'utf8')).toContain(`<property name="KATA_VARIANT" value="${variant}"/>`);
    }
    for (const dir of [merged, shardsDir]) {
      for (const file of filesUnder(dir)) expect([file, fs.readFileSync(path.join(dir, file)).includes(KEY)]).toEqual([file, false]);
    }
    expect(logs.join('')).not.toContain(KEY);
  });

  test('--since regrades only the submission whose content changed and reuses the rest unchanged', () => {
    const changed = [...STUB][0] as string;
    const stub = path.join(wholeClass, changed, 'katas', '01-linear-model', 'linear-model.ts');
    fs.appendFileSync(stub, '\n// a late change\n');
    const regrade = path.join(scratch, 'regrade');
    const run = spawnSync('npm', ['run', 'grade', '--', '--class', wholeClass, '--roster', roster, '--variant-key-env', 'KATA_VARIANT_KEY', '--out', regrade, '--since', unsharded], {
      cwd: REPO_ROOT,
      env: { ...process.env, KATA_VARIANT_KEY: KEY },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const record = JSON.parse(fs.readFileSync(path.join(regrade, 'run.json'), 'utf8')) as { graded: string[]; reused: string[] };
    expect(record.graded).toEqual([changed]);
    expect(record.reused).toEqual(names.filter((n) => n !== changed));
    for (const f of reportFiles(unsharded).filter((f) => !f.startsWith(`${changed}/`) && f !== 'manifest.json')) {
      expect([f, fs.readFileSync(path.join(regrade, f)).equals(fs.readFileSync(path.join(unsharded, f)))]).toEqual([f, true]);
    }
    const before = readManifest(unsharded).submissions.find((s) => s.name === changed);
    const after = readManifest(regrade).submissions.find((s) => s.name === changed);
    expect(after?.contentHash).not.toBe(before?.contentHash);
    expect(after?.variant).toBe(before?.variant);
  }, 600_000);

  test('--since refuses an earlier grading under another key', () => {
    const run = spawnSync('npm', ['run', 'grade', '--', '--class', wholeClass, '--variant-key', `${KEY}-other`, '--out', path.join(scratch, 'other-key'), '--since', unsharded], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--since .* was graded under other conditions.*variant key/);
  });
});
