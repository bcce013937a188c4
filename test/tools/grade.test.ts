/**
 * The grader on everyday broken submissions: a kata that never returns, one
 * that throws at import, one that writes to the baselines and one that
 * allocates without bound must each cost only their own points, also when
 * graded side by side with a submission's other katas, and the reports must
 * follow exercism's results.json v3. Also its arguments: the
 * output folder, and what happens without a sandbox. And the grader on
 * ordinary machines: a checkout, submissions, output or TMPDIR under private
 * (700, 750) parents grade as anywhere else; a sandbox that cannot start
 * stops grading before it begins (the canary), or, when it fails for one
 * submission, reports it as not graded in every report, never as 0 points,
 * and --since grades it again. Deliberate attacks are
 * test/tools/grading-attacks.test.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/plot-files';
import { bwrapPath, sandboxUnavailable } from '../../tools/instructor/grading/sandbox';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'grade-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A submission made from the reference solutions, with some kata files rewritten. */
function submission(name: string, edits: Record<string, (source: string) => string>): string {
  const dir = path.join(scratch, 'class', name, 'katas');
  for (const kata of ['01-linear-model', '02-training-data']) {
    fs.cpSync(path.join(REPO_ROOT, 'solutions', kata), path.join(dir, kata), { recursive: true });
  }
  for (const [file, edit] of Object.entries(edits)) {
    const full = path.join(dir, file);
    fs.writeFileSync(full, edit(fs.readFileSync(full, 'utf8')));
  }
  return path.dirname(dir);
}

const config = path.join(scratch, 'grading.json');
// The resident-memory limit below the heap limit, so that the watchdog, not V8, stops the hog.
fs.writeFileSync(config, JSON.stringify({ timeLimitSeconds: 20, maxHeapMiB: 2048, memoryLimitMiB: 768, points: { '01-linear-model': 10, '02-training-data': 20 } }));

function grade(args: string[], env: NodeJS.ProcessEnv = process.env, checkout = REPO_ROOT): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(checkout, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only', 'tools/instructor/grade.ts', ...args], {
    cwd: checkout,
    encoding: 'utf8',
    timeout: 480_000,
    env,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

interface Results {
  version: number;
  status: string;
  message?: string;
  tests: { name: string; test_code: string; status: string; message: string | null; task_id?: number }[];
}

const baselineBefore = fs.readFileSync(path.join(REPO_ROOT, 'test', 'baselines', '01-linear-model.png'));
const sandboxMissing = sandboxUnavailable();
const describeSandboxed = sandboxMissing ? describe.skip : describe;

describeSandboxed('npm run grade on broken submissions', () => {
  const out = path.join(scratch, 'out');
  let result: ReturnType<typeof grade>;

  beforeAll(() => {
    submission('hangs-and-throws', {
      // A kata that never returns: a synchronous endless loop in training.
      '01-linear-model/linear-model.ts': (s) => s.replace('const epochs = options.epochs ?? EPOCHS;', 'for (;;) { /* never returns */ }\n  const epochs = options.epochs ?? EPOCHS;'),
      // A kata that throws as soon as it is imported.
      '02-training-data/training-data.ts': (s) => `throw new Error('boom at import');\n${s}`,
    });
    submission('vandal-and-hog', {
      // A kata that overwrites a committed baseline, found through the shared library.
      '01-linear-model/linear-model.ts': (s) =>
        s.replace(
          'export function leastSquaresLine(',
          "require('node:fs').writeFileSync(require('node:path').join(require('../../lib/plot-files').REPO_ROOT, 'test/baselines/01-linear-model.png'), 'vandalised');\nexport function leastSquaresLine(",
        ),
      // A kata that allocates without bound, when called.
      '02-training-data/training-data.ts': (s) => s.replace(/export function generateSquares\(([^)]*)\): Dataset \{/, 'export function generateSquares($1): Dataset {\n  const hog: number[][] = []; for (;;) hog.push(new Array(1e5).fill(Math.random()));'),
    });
    submission('honest-beside-loop', {
      // An honest kata 02 graded beside a kata 01 that burns its CPU limit.
      '01-linear-model/linear-model.ts': (s) => s.replace('const epochs = options.epochs ?? EPOCHS;', 'for (;;) { /* never returns */ }\n  const epochs = options.epochs ?? EPOCHS;'),
    });
    // One submission at a time, its two katas side by side (the default on 2 cores).
    result = grade(['--class', path.join(scratch, 'class'), '--out', out, '--config', config, '--jobs', '1', '--kata-jobs', '2']);
  });

  test('grading runs to the end and exits 0, whatever the scores', () => {
    expect(result.stderr).not.toMatch(/grade:/);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/hangs-and-throws: 0\.0 \/ 30 points/);
    expect(result.stdout).toMatch(/vandal-and-hog: 0\.0 \/ 30 points/);
    expect(fs.readFileSync(path.join(out, 'class-summary.md'), 'utf8')).toMatch(/\| hangs-and-throws \| 0\.0 \/ 30 \|/);
  });

  test('katas graded side by side: an honest kata keeps its points beside one that burns its CPU limit, reports in kata order', () => {
    expect(result.stdout).toMatch(/honest-beside-loop: 20\.0 \/ 30 points/);
    expect(readJson<Results>(path.join(out, 'honest-beside-loop', 'results', '02-training-data', 'results.json')).status).toBe('pass');
    const summary = fs.readFileSync(path.join(out, 'honest-beside-loop', 'summary.md'), 'utf8');
    expect(summary.indexOf('| 01-linear-model |')).toBeLessThan(summary.indexOf('| 02-training-data |'));
    expect(summary).toMatch(/01-linear-model .*(used more than 20 s of CPU time|finish within 200 s of wall-clock time)/);
  });

  test('a kata that never returns is stopped at the CPU time limit and reported', () => {
    const r = readJson<Results>(path.join(out, 'hangs-and-throws', 'results', '01-linear-model', 'results.json'));
    expect(r.version).toBe(3);
    expect(r.status).not.toBe('pass');
    const summary = fs.readFileSync(path.join(out, 'hangs-and-throws', 'summary.md'), 'utf8');
    // On a machine loaded many times over its cores, 20 s of CPU can take longer than the wall-clock backstop (10 times as long).
    expect(summary).toMatch(/01-linear-model .*(used more than 20 s of CPU time|finish within 200 s of wall-clock time)/);
  });

  test('a kata that throws at import fails with the error in the report', () => {
    const r = readJson<Results>(path.join(out, 'hangs-and-throws', 'results', '02-training-data', 'results.json'));
    expect(r.status).not.toBe('pass');
    const text = JSON.stringify(r);
    expect(text).toMatch(/boom at import/);
  });

  test('a kata that writes to the baselines cannot: the write fails in the sandbox, the baseline is untouched', () => {
    expect(fs.readFileSync(path.join(REPO_ROOT, 'test', 'baselines', '01-linear-model.png')).equals(baselineBefore)).toBe(true);
    const summary = fs.readFileSync(path.join(out, 'vandal-and-hog', 'summary.md'), 'utf8');
    expect(summary).toMatch(/01-linear-model \| 0 \/ \d+ \| 0\.0 \/ 10/);
    expect(JSON.stringify(readJson<Results>(path.join(out, 'vandal-and-hog', 'results', '01-linear-model', 'results.json')))).toMatch(/ENOENT|EROFS|read-only/);
  });

  test('a kata that allocates without bound is stopped at the memory limit and reported', () => {
    const summary = fs.readFileSync(path.join(out, 'vandal-and-hog', 'summary.md'), 'utf8');
    expect(summary).toMatch(/02-training-data .* 0\.0 \/ 20 .*(used more than 768 MiB of memory|finish within 200 s of wall-clock time)/);
  });

  test("results.json follows exercism's test-runner interface, version 3", () => {
    for (const file of ['hangs-and-throws/results/02-training-data/results.json', 'vandal-and-hog/results/01-linear-model/results.json']) {
      const r = readJson<Results>(path.join(out, file));
      expect(r.version).toBe(3);
      expect(['pass', 'fail', 'error']).toContain(r.status);
      if (r.status === 'error') expect(typeof r.message).toBe('string');
      else {
        expect(Array.isArray(r.tests)).toBe(true);
        for (const t of r.tests) {
          expect(typeof t.name).toBe('string');
          expect(typeof t.test_code).toBe('string');
          expect(['pass', 'fail', 'error']).toContain(t.status);
          expect(t.status === 'pass' ? t.message === null : typeof t.message === 'string').toBe(true);
          if (t.task_id !== undefined) expect(Number.isInteger(t.task_id) && t.task_id >= 1).toBe(true);
        }
      }
    }
    const junit = fs.readFileSync(path.join(out, 'vandal-and-hog', 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites[\s\S]*<testsuite name="vandal-and-hog: 01-linear-model"/);
  });
});

describeSandboxed('npm run grade on a good submission', () => {
  test('the reference solutions score full points, with task ids, and the submission is untouched', () => {
    const out = path.join(scratch, 'good');
    const before = fs.readFileSync(path.join(REPO_ROOT, 'solutions', '02-training-data', 'training-data.ts'), 'utf8');
    const run = grade(['--katas', path.join(REPO_ROOT, 'solutions'), '--out', out, '--config', config, '--only', '02']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/20\.0 \/ 20 points/);
    const r = readJson<Results>(path.join(out, 'results', '02-training-data', 'results.json'));
    expect(r.status).toBe('pass');
    expect(r.tests.filter((t) => t.task_id !== undefined).length).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(REPO_ROOT, 'solutions', '02-training-data', 'training-data.ts'), 'utf8')).toBe(before);
  });
});

describe('npm run grade: the output folder, and no sandbox', () => {
  test('a non-empty output folder is refused; --force replaces it, and removes a link without following it', () => {
    const busy = path.join(scratch, 'busy');
    fs.mkdirSync(busy, { recursive: true });
    fs.writeFileSync(path.join(busy, 'keep.txt'), 'mine');
    const noStub = grade(['--katas', path.join(REPO_ROOT, 'katas'), '--out', busy, '--config', config, '--only', '02']);
    expect(noStub.status).toBe(2);
    expect(noStub.stderr).toMatch(/already exists and is not an empty folder.*--force/);
    expect(fs.readFileSync(path.join(busy, 'keep.txt'), 'utf8')).toBe('mine');

    const target = path.join(scratch, 'precious');
    fs.mkdirSync(target, { recursive: true });
    fs.writeFileSync(path.join(target, 'summary.md'), 'precious');
    const link = path.join(scratch, 'linked-out');
    fs.symlinkSync(target, link);
    const forced = grade(['--katas', path.join(REPO_ROOT, 'katas'), '--out', link, '--config', config, '--only', '02', '--force', ...(sandboxMissing ? ['--trusted'] : [])]);
    expect(forced.status).toBe(0);
    expect(fs.lstatSync(link).isDirectory()).toBe(true);
    expect(fs.readFileSync(path.join(target, 'summary.md'), 'utf8')).toBe('precious');
  });

  test('without bubblewrap, grading refuses and says how to get it, unless --trusted, which the report marks', () => {
    const noBwrap = { ...process.env, PATH: path.dirname(process.execPath) === '/usr/bin' ? '/nonexistent' : path.dirname(process.execPath) };
    const refused = grade(['--katas', path.join(REPO_ROOT, 'katas'), '--out', path.join(scratch, 'refused'), '--config', config, '--only', '02'], noBwrap);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/bubblewrap is not installed.*apt-get install bubblewrap.*--trusted/s);
    const out = path.join(scratch, 'trusted');
    const trusted = grade(['--katas', path.join(REPO_ROOT, 'katas'), '--out', out, '--config', config, '--only', '02', '--trusted'], noBwrap);
    expect(trusted.status).toBe(0);
    expect(trusted.stdout).toMatch(/trusted mode, not sandboxed/);
    expect(fs.readFileSync(path.join(out, 'summary.md'), 'utf8')).toMatch(/Trusted mode: the katas ran without a sandbox/);
    // The same tests as in a sandbox: behaviour only, no type check (8 for kata 02, as in the other gradings here).
    expect(fs.readFileSync(path.join(out, 'summary.md'), 'utf8')).toMatch(/\| 02-training-data \| \d+ \/ 8 \|/);
  });

  test('grading that cannot run exits non-zero with a reason', () => {
    const run = grade(['--katas', path.join(scratch, 'no-such-folder'), '--config', config]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/does not exist/);
  });

  test('--only with a kata that does not exist, with commas, or with nothing, grades nothing and says why (exit code 2)', () => {
    for (const only of [['01,02'], ['09'], ['01', 'linear']]) {
      const run = grade(['--katas', path.join(REPO_ROOT, 'solutions'), '--out', path.join(scratch, `only-${only.join('-')}`), '--config', config, '--only', ...only]);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/--only names no kata: "(01,02|09|linear)"\. Give kata numbers or folder names, separated by spaces/);
      expect(run.stdout).not.toMatch(/points/);
    }
    const bare = grade(['--katas', path.join(REPO_ROOT, 'solutions'), '--out', path.join(scratch, 'only-bare'), '--config', config, '--only']);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toMatch(/option '--only <katas...>' argument missing/);
  });
});

/** A folder whose parent only its owner (700), or its owner and group (750), can enter: a home folder on Ubuntu, a private TMPDIR. */
function privateFolder(name: string, parentMode: number): string {
  const parent = path.join(scratch, `private-${parentMode.toString(8)}-${name}`);
  fs.mkdirSync(parent);
  fs.chmodSync(parent, parentMode);
  const folder = path.join(parent, name);
  fs.mkdirSync(folder);
  return folder;
}

/**
 * A checkout of this repository as it is now, under a private parent, its
 * node_modules hard-linked (where the two are on different file systems,
 * linked instead: the checkout then sits under the private parent, its
 * packages do not).
 */
function privateCheckout(parentMode: number): string {
  const checkout = privateFolder('checkout', parentMode);
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout;
  for (const file of listed.split('\0').filter(Boolean)) {
    const from = path.join(REPO_ROOT, file);
    if (!fs.existsSync(from) || !fs.lstatSync(from).isFile()) continue;
    fs.mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
    fs.copyFileSync(from, path.join(checkout, file));
  }
  const modules = path.join(checkout, 'node_modules');
  if (spawnSync('cp', ['-al', path.join(REPO_ROOT, 'node_modules'), modules]).status !== 0) {
    fs.rmSync(modules, { recursive: true, force: true });
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), modules, 'dir');
  }
  return checkout;
}

describeSandboxed('npm run grade wherever its folders live', () => {
  test('a checkout under a 700 parent grades a class under a 750 parent into a 700 parent, with a private TMPDIR', () => {
    const checkout = privateCheckout(0o700);
    const classDir = privateFolder('class', 0o750);
    fs.cpSync(path.join(REPO_ROOT, 'solutions', '01-linear-model'), path.join(classDir, 'ada', 'katas', '01-linear-model'), { recursive: true });
    const out = path.join(privateFolder('out', 0o700), 'report');
    const run = grade(['--class', classDir, '--out', out, '--config', config, '--only', '01'], { ...process.env, TMPDIR: privateFolder('tmp', 0o700) }, checkout);
    expect(run.stderr).not.toMatch(/grade:/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/ada: 10\.0 \/ 10 points/);
  });

  test('a checkout under a 750 parent grades a submission under a 700 parent into a 750 parent', () => {
    const checkout = privateCheckout(0o750);
    const submission = privateFolder('submission', 0o700);
    fs.cpSync(path.join(REPO_ROOT, 'solutions', '01-linear-model'), path.join(submission, 'katas', '01-linear-model'), { recursive: true });
    const run = grade(['--katas', submission, '--out', path.join(privateFolder('out', 0o750), 'report'), '--config', config, '--only', '01'], process.env, checkout);
    expect(run.stderr).not.toMatch(/grade:/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/10\.0 \/ 10 points/);
  });
});

describeSandboxed('npm run grade when the sandbox cannot start', () => {
  const realBwrap = bwrapPath() as string;
  const bins: string[] = [];
  afterAll(() => bins.forEach((bin) => fs.rmSync(bin, { recursive: true, force: true })));
  /** A bubblewrap that starts the availability probe, and fails as a broken machine would when `failWhen` (sh) holds. */
  function brokenBwrap(name: string, failWhen: string): NodeJS.ProcessEnv {
    // Where the sandbox's user can run it from (as root, bubblewrap starts as nobody).
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), `fake-bwrap-${name}-`));
    fs.chmodSync(bin, 0o755);
    bins.push(bin);
    fs.writeFileSync(
      path.join(bin, 'bwrap'),
      `#!/bin/sh\nbefore=; last=\nfor arg in "$@"; do\n  if ${failWhen}; then echo "bwrap: simulated failure: cannot create the sandbox" >&2; exit 1; fi\n  before=$last; last=$arg\ndone\nexec ${realBwrap} "$@"\n`,
      { mode: 0o755 },
    );
    return { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
  }

  test('when no sandbox starts, the canary stops grading before it begins: exit code 2, the cause named, no report', () => {
    const env = brokenBwrap('always', '[ "$arg" = --seccomp ] && ! printf "%s\\n" "$@" | grep -qx /usr/bin/true');
    const out = path.join(scratch, 'no-sandbox');
    const run = grade(['--katas', path.join(REPO_ROOT, 'solutions'), '--out', out, '--config', config, '--only', '01'], env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/canary.*did not get full marks.*no grade was reported.*01-linear-model could not be graded: The sandbox could not start \(exit code 1: bwrap: simulated failure/s);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  test("when the reference solution is stopped by the CPU limit, the canary says timeLimitSeconds is too low for this machine", () => {
    const low = path.join(scratch, 'too-low.json');
    fs.writeFileSync(low, JSON.stringify({ timeLimitSeconds: 0.5, maxHeapMiB: 1024, points: { '01-linear-model': 10 } }));
    const out = path.join(scratch, 'too-low');
    const run = grade(['--katas', path.join(REPO_ROOT, 'solutions'), '--out', out, '--config', low, '--only', '01']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/timeLimitSeconds \(0\.5 s per kata\) is too low for the reference solution on this machine: raise it/);
  });

  test('a submission whose sandbox could not start is "not graded: grader error" in every report, never 0 points; --since grades it again', () => {
    const classDir = path.join(scratch, 'machine-class');
    for (const name of ['broken', 'good']) fs.cpSync(path.join(REPO_ROOT, 'solutions', '01-linear-model'), path.join(classDir, name, 'katas', '01-linear-model'), { recursive: true });
    fs.writeFileSync(path.join(classDir, 'broken', 'katas', '01-linear-model', 'break_the_sandbox.ts'), 'export {};\n');
    const env = brokenBwrap('for-one', '[ "$before" = --ro-bind ] && [ "$arg" = /sandbox/source ] && [ -e "$last/01-linear-model/break_the_sandbox.ts" ]');
    const out = path.join(scratch, 'machine-out');
    const run = grade(['--class', classDir, '--out', out, '--config', config, '--only', '01'], env);
    expect(run.status).toBe(3);
    expect(run.stdout).toMatch(/good: 10\.0 \/ 10 points/);
    expect(run.stdout).toMatch(/broken: not graded: grader error \(01-linear-model: The sandbox could not start/);
    expect(run.stderr).toMatch(/1 submission was not graded because of the grader or the machine.*--since/);
    const read = (file: string) => fs.readFileSync(path.join(out, file), 'utf8');
    const NOT_GRADED = /not graded: grader error: The sandbox could not start \(exit code 1: bwrap: simulated failure/;
    for (const file of ['broken/summary.md', 'broken/junit.xml', 'broken/results.json', 'broken/results/01-linear-model/results.json']) expect(read(file)).toMatch(NOT_GRADED);
    expect(read('broken/summary.md')).toMatch(/Not graded: grader error/);
    expect(readJson<Results>(path.join(out, 'broken', 'results', '01-linear-model', 'results.json')).status).toBe('error');
    expect(read('class-summary.md')).toMatch(/\| broken \| not graded: grader error: 01-linear-model: The sandbox could not start/);
    expect(read('class-summary.md')).not.toMatch(/\| broken \| 0\.0/);
    expect(read('gradebook.csv')).toMatch(/^broken,,,broken,,not graded,not graded\r$/m);
    expect(read('gradebook.csv')).toMatch(/^good,,,good,,10\.0,10\.0\r$/m);
    const manifest = readJson<{ submissions: { name: string; graderError?: string; katas: { graderError?: string }[] }[] }>(path.join(out, 'manifest.json'));
    expect(manifest.submissions.find((s) => s.name === 'broken')?.katas[0]?.graderError).toMatch(/The sandbox could not start/);
    expect(manifest.submissions.find((s) => s.name === 'good')?.graderError).toBeUndefined();

    const again = grade(['--class', classDir, '--since', out, '--out', path.join(scratch, 'machine-out-2'), '--config', config, '--only', '01']);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/broken: 10\.0 \/ 10 points \(/);
    expect(again.stdout).toMatch(/good: 10\.0 \/ 10 points \(reused/);
  });
});

describeSandboxed('npm run grade when a plot cannot be written', () => {
  test("a plot the tests cannot write under --out is the machine's failure, not the kata's: exit code 2, the file named, the output emptied", async () => {
    const out = path.join(scratch, 'unwritable-plot');
    // Kata 01's plot cannot be written once the output folder exists: its path is taken by a folder (which fails as root too).
    const blocked = path.join(out, 'plots', '01-linear-model.png');
    const args = [path.join(REPO_ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'), '--transpile-only', 'tools/instructor/grade.ts'];
    const child = spawn(process.execPath, [...args, '--katas', path.join(REPO_ROOT, 'solutions'), '--out', out, '--config', config, '--only', '01'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const block = setInterval(() => {
      if (!fs.existsSync(out) || fs.existsSync(blocked)) return;
      fs.mkdirSync(blocked, { recursive: true });
      clearInterval(block);
    }, 10);
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearInterval(block);
    expect(stdout).not.toMatch(/points/);
    expect(stderr).toMatch(/could not write a plot of the tests of "solutions" to \S*unwritable-plot\/plots\/01-linear-model\.png: EISDIR/);
    expect(stderr).toMatch(/the output folder \S+ was emptied/);
    expect(status).toBe(2);
    expect(fs.readdirSync(out)).toEqual([]);
  }, 600_000);
});

describeSandboxed('npm run grade when modules are slow to load', () => {
  /** Kata 01, 02 and 06 from the reference solutions, with `code` appended to some of their files. */
  const KATAS = ['01-linear-model', '02-training-data', '05-extrapolation', '06-right-feature'];
  function loading(name: string, code: Record<string, string>): string {
    const dir = path.join(scratch, 'loading', name);
    for (const kata of KATAS) fs.cpSync(path.join(REPO_ROOT, 'solutions', kata), path.join(dir, 'katas', kata), { recursive: true });
    for (const [file, appended] of Object.entries(code)) fs.appendFileSync(path.join(dir, 'katas', file), `\n${appended}\n`);
    return dir;
  }
  const configOf = (timeLimitSeconds: number) => {
    const file = path.join(scratch, `loading-${timeLimitSeconds}.json`);
    fs.writeFileSync(file, JSON.stringify({ timeLimitSeconds, maxHeapMiB: 1024, memoryLimitMiB: 1536, points: Object.fromEntries(KATAS.map((k) => [k, 10])) }));
    return file;
  };
  const summaryOf = (out: string) => fs.readFileSync(path.join(out, 'summary.md'), 'utf8');
  /** CPU seconds spent as a module loads. */
  const computes = (seconds: number) => `{ const s = process.cpuUsage(); for (let u = process.cpuUsage(s); u.user + u.system < ${seconds * 1e6}; u = process.cpuUsage(s)); }`;

  test("a module that never finishes loading fails its own kata, with its limit; the other katas keep their points", () => {
    const dir = loading('loops', { '01-linear-model/linear-model.ts': 'for (;;) { /* never loads */ }' });
    const out = path.join(scratch, 'out-loops');
    const run = grade(['--katas', dir, '--out', out, '--config', configOf(5.1), '--only', '01', '02', '06']);
    expect(run.stdout).toMatch(/loops: 20\.0 \/ 30 points/);
    expect(summaryOf(out)).toMatch(/\| 01-linear-model \| 0 \/ 1 \| 0\.0 \/ 10 \| first failure: test file \(KataLoadError: Loading 01-linear-model\/linear-model failed: The kata was stopped: it used more than 5\.1 s of CPU time\.\)/);
    expect(summaryOf(out)).toMatch(/\| 02-training-data \| 8 \/ 8 \| 10\.0 \/ 10 \|/);
  });

  test("a kata's source the compiler cannot take, or takes too long on, fails that kata alone; a module that sabotages the next one's loading costs it nothing", () => {
    const dir = loading('sources', {
      // Kata 01 makes the loading of any later kata module that requires something loop, in the sandbox they share.
      '01-linear-model/linear-model.ts':
        "declare const require: (id: string) => any;\nconst NodeModule = require('module');\nconst original = NodeModule.prototype.require;\n" +
        "NodeModule.prototype.require = function (this: { filename?: string }, id: string) {\n  if (String(this.filename ?? '').includes('training-data')) for (;;) {}\n  return original.apply(this, [id]);\n};",
      '05-extrapolation/extrapolation.ts': "import { DEEP } from './deep';\nexport const NESTED = DEEP;",
      '06-right-feature/right-feature.ts': "import { SLOW } from './slow';\nexport const PARSED = SLOW;",
    });
    // Nesting deep enough to overflow the compiler's stack; expressions its parser takes seconds over.
    fs.writeFileSync(path.join(dir, 'katas', '05-extrapolation', 'deep.ts'), `export const DEEP = ${'('.repeat(5000)}1${')'.repeat(5000)};\n`);
    const slow = Array.from({ length: 100 }, (_, i) => `export const x${i} = ${'a < '.repeat(400)}b;`);
    fs.writeFileSync(path.join(dir, 'katas', '06-right-feature', 'slow.ts'), `declare const a: any, b: any;\nexport const SLOW = 1;\n${slow.join('\n')}\n`);
    const out = path.join(scratch, 'out-sources');
    const run = grade(['--katas', dir, '--out', out, '--config', configOf(8), '--only', '01', '02', '05', '06']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/sources: 20\.0 \/ 40 points/);
    const summary = summaryOf(out);
    expect(summary).toMatch(/\| 01-linear-model \| 12 \/ 12 \| 10\.0 \/ 10 \|/);
    expect(summary).toMatch(/\| 02-training-data \| 8 \/ 8 \| 10\.0 \/ 10 \|/);
    expect(summary).toMatch(/\| 05-extrapolation \| 0 \/ 1 \| 0\.0 \/ 10 \| first failure: test file \(KataLoadError: Loading 05-extrapolation\/extrapolation failed: transpiling 05-extrapolation\/deep failed: RangeError: Maximum call stack size exceeded/);
    expect(summary).toMatch(/\| 06-right-feature \| 0 \/ 1 \| 0\.0 \/ 10 \| first failure: test file \(KataLoadError: Loading 06-right-feature\/right-feature failed: transpiling it and the kata modules it imports failed: The kata was stopped: it used more than 8 s of CPU time/);
  });

  test("a module that leaves the shared sandbox unable to load the next one (every file descriptor taken) costs that one nothing", () => {
    const dir = loading('descriptors', {
      '01-linear-model/linear-model.ts':
        "declare const require: (id: string) => any;\nconst leakFs = require('fs');\nconst leaked: number[] = [];\n" +
        "for (;;) { try { leaked.push(leakFs.openSync('/dev/null', 'r')); } catch { break; } }",
    });
    const out = path.join(scratch, 'out-descriptors');
    const run = grade(['--katas', dir, '--out', out, '--config', configOf(10), '--only', '01', '02']);
    expect(run.stdout).toMatch(/descriptors: 20\.0 \/ 20 points/);
    expect(summaryOf(out)).toMatch(/\| 02-training-data \| 8 \/ 8 \| 10\.0 \/ 10 \|/);
    expect(summaryOf(out)).not.toMatch(/EMFILE/);
  });

  test("code a module leaves running as it loads reaches no other module's loading: each loads in a sandbox of its own", () => {
    const dir = loading('leftover', { '01-linear-model/linear-model.ts': 'setImmediate(() => { for (;;) { /* left running */ } });' });
    const out = path.join(scratch, 'out-leftover');
    const run = grade(['--katas', dir, '--out', out, '--config', configOf(6), '--only', '01', '02']);
    expect(run.stdout).toMatch(/leftover: 10\.0 \/ 20 points/);
    expect(summaryOf(out)).toMatch(/\| 02-training-data \| 8 \/ 8 \| 10\.0 \/ 10 \|/);
  });

  test("a module that rewrites the modules loaded after it (Module.prototype._compile) cannot change another kata's exported constants", () => {
    const dir = loading('rewrites', {
      '01-linear-model/linear-model.ts':
        "declare const require: (id: string) => any;\nconst NodeModule = require('module');\nconst compileOriginal = NodeModule.prototype._compile;\n" +
        "NodeModule.prototype._compile = function (this: unknown, content: string, filename: string) {\n" +
        "  return compileOriginal.call(this, filename.includes('right-feature') ? content.replace(/EPOCHS = 300/, 'EPOCHS = 2') : content, filename);\n};",
    });
    const out = path.join(scratch, 'out-rewrites');
    const run = grade(['--katas', dir, '--out', out, '--config', configOf(10), '--only', '01', '06']);
    expect(run.stdout).toMatch(/rewrites: 20\.0 \/ 20 points/);
  });

  test('a module whose load kills itself twice is charged once: the other katas keep their share of the budget', () => {
    const code = `${computes(5.5)}\nprocess.kill(process.pid, 'SIGKILL');`;
    const dir = loading('killstwice', { '01-linear-model/linear-model.ts': code });
    const out = path.join(scratch, 'out-killstwice');
    const run = grade(['--katas', dir, '--out', out, '--config', configOf(6), '--only', '01', '02']);
    expect(run.stdout).toMatch(/killstwice: 10\.0 \/ 20 points/);
    expect(summaryOf(out)).toMatch(/\| 02-training-data \| 8 \/ 8 \| 10\.0 \/ 10 \|/);
  });

  test("a module whose load takes nearly a kata's limit costs the other katas' tests nothing: loading has a budget of its own", () => {
    const dir = loading('slowload', { '01-linear-model/linear-model.ts': computes(5.5) });
    const out = path.join(scratch, 'out-slowload');
    const run = grade(['--katas', dir, '--out', out, '--config', configOf(6), '--only', '01', '02']);
    expect(run.stdout).toMatch(/slowload: 10\.0 \/ 20 points/);
    expect(summaryOf(out)).toMatch(/\| 02-training-data \| 8 \/ 8 \| 10\.0 \/ 10 \|/);
  });

  test('a module that runs out of its JavaScript heap as it loads fails its kata alone, the abort named with its likely cause', () => {
    const dir = loading('heap', { '01-linear-model/linear-model.ts': 'const kept: number[][] = [];\nfor (;;) kept.push(new Array(1e6).fill(1));' });
    const heapConfig = path.join(scratch, 'loading-heap.json');
    fs.writeFileSync(heapConfig, JSON.stringify({ timeLimitSeconds: 20, maxHeapMiB: 256, memoryLimitMiB: 1536, points: { '01-linear-model': 10, '02-training-data': 10 } }));
    const out = path.join(scratch, 'out-heap');
    const run = grade(['--katas', dir, '--out', out, '--config', heapConfig, '--only', '01', '02']);
    expect(run.stdout).toMatch(/heap: 10\.0 \/ 20 points/);
    expect(summaryOf(out)).toMatch(/Loading 01-linear-model\/linear-model failed: The kata's process ended \(exit code 134\) before it answered: it aborted, as Node\.js does when a process runs out of its JavaScript heap \(grading\.json's maxHeapMiB\)/);
  });

  test("modules that each load within a kata's limit pass, though their loads together take more than one limit", () => {
    const code = computes(6);
    const dir = loading('heavy', { '01-linear-model/linear-model.ts': code, '02-training-data/training-data.ts': code, '06-right-feature/right-feature.ts': code });
    const run = grade(['--katas', dir, '--out', path.join(scratch, 'out-heavy'), '--config', configOf(16), '--only', '01', '02', '06']);
    expect(run.stdout).toMatch(/heavy: 30\.0 \/ 30 points/);
  });
});
