/** The learner's tools: progress (npm run kata), hints, reset. */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/plot-files';
import { epochProgress } from '../../tools/shared/progress-bar';
import { parseHints } from '../../tools/learner/hint-file';
import { listKatas } from '../../tools/shared/kata-list';
import { kataStatus, type TestOutcome } from '../../tools/shared/run-katas';
import { TYPE_CHECK_TEST_TITLE } from '../../lib/kata-type-error';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'learner-tools-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A clone of this repository sharing its node_modules, so tools can run (and write state) there. */
function clone(): string {
  const dir = path.join(scratch, `clone-${fs.readdirSync(scratch).length}`);
  execFileSync('git', ['clone', '--quiet', REPO_ROOT, dir]);
  // The working tree's uncommitted lib/, tools, tests and jest configuration, as a learner pulling them would have.
  fs.cpSync(path.join(REPO_ROOT, 'lib'), path.join(dir, 'lib'), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'tools'), path.join(dir, 'tools'), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'test'), path.join(dir, 'test'), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'jest.config.ts'), path.join(dir, 'jest.config.ts'));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

function tool(dir: string, script: string, args: string[]): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', `tools/learner/${script}.ts`, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

const outcome = (status: TestOutcome['status'], message?: string): TestOutcome => ({ title: 't', status, ...(message ? { message } : {}) });

describe('progress', () => {
  test('kataStatus(): done, failing or not started', () => {
    expect(kataStatus([outcome('passed'), outcome('passed')])).toBe('done');
    expect(kataStatus([outcome('failed', 'KataTodoError: TODO: kata 01, task 1'), outcome('failed', 'TODO: kata 01, task 2')])).toBe('not started');
    expect(kataStatus([outcome('passed'), outcome('failed', 'KataTodoError: TODO: kata 01, task 2')])).toBe('failing');
    expect(kataStatus([outcome('failed', 'KataCheckError: MSE 12 is above 10')])).toBe('failing');
    expect(kataStatus(undefined)).toBe('not started');
    // The type check passes on an untouched stub: the kata is still not started; when it fails, the kata is failing.
    const types = (status: TestOutcome['status'], message?: string): TestOutcome => ({ ...outcome(status, message), title: TYPE_CHECK_TEST_TITLE });
    expect(kataStatus([outcome('failed', 'KataTodoError: TODO: kata 01, task 1'), types('passed')])).toBe('not started');
    expect(kataStatus([outcome('failed', 'KataTodoError: TODO: kata 01, task 1'), types('failed', 'KataTypeCheckError: TypeScript finds 1 type error')])).toBe('failing');
  });

  test('npm run kata on the stubs: nothing done, next is kata 01, exit code 1', () => {
    const run = tool(REPO_ROOT, 'progress', []);
    expect(run.status).toBe(1);
    for (const kata of listKatas()) expect(run.out).toMatch(new RegExp(`not started\\s+${kata.folder} +\\d`));
    // One column for every name: the counts line up, even after the longest name.
    const columns = run.out.split('\n').filter((line) => /^not started/.test(line)).map((line) => line.indexOf('/'));
    expect(new Set(columns).size).toBe(1);
    expect(run.out).toMatch(/Next: kata 01\. Read katas\/01-linear-model\/README\.md/);
  });

  test('npm run kata on a finished folder: all done, exit code 0', () => {
    const run = tool(REPO_ROOT, 'progress', ['--katas', path.join(REPO_ROOT, 'solutions')]);
    expect(run.out).toContain(`All ${listKatas().length} katas done`);
    expect(run.status).toBe(0);
  }, 120_000);
});

describe('hints', () => {
  test.each(listKatas().map((k) => k.folder))('%s: every task has hints, and no hint copies a line of the solution', (folder) => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'katas', folder, 'README.md'), 'utf8');
    const hints = parseHints(fs.readFileSync(path.join(REPO_ROOT, 'katas', folder, 'hints.md'), 'utf8'));
    const tasks = new Set([...readme.matchAll(/^(\d+)\. \*\*/gm)].map((m) => `Task ${m[1]}`));
    for (const task of tasks) expect(hints.some((h) => h.section.startsWith(task))).toBe(true);
    const solutionLines = fs
      .readdirSync(path.join(REPO_ROOT, 'solutions', folder))
      .flatMap((f) => fs.readFileSync(path.join(REPO_ROOT, 'solutions', folder, f), 'utf8').split('\n'))
      .map((l) => l.trim())
      .filter((l) => l.length >= 30 && !l.startsWith('*') && !l.startsWith('//') && !l.startsWith('/**'));
    for (const hint of hints) for (const line of solutionLines) expect(hint.text.includes(line) ? `${hint.section}: ${line}` : '').toBe('');
  });

  test('npm run hint -- 03 --task N shows that task\'s hints one at a time, saying how many are left; --all shows them all', () => {
    const dir = clone();
    const hints = parseHints(fs.readFileSync(path.join(dir, 'katas', '03-deep-relu', 'hints.md'), 'utf8'));
    const task2 = hints.filter((h) => h.task === 2);
    const first = tool(dir, 'hints', ['03', '--task', '2']);
    const second = tool(dir, 'hints', ['3', '--task', '2']);
    expect(first.out).toContain(`Kata 03, task 2, hint 1 of ${task2.length}: ${task2[0]?.text}`);
    expect(first.out).toContain(`${task2.length - 1} more hints for task 2`);
    expect(second.out).toContain(`Kata 03, task 2, hint 2 of ${task2.length}: ${task2[1]?.text}`);
    // Another task keeps its own count.
    expect(tool(dir, 'hints', ['03', '--task', '1']).out).toMatch(/task 1, hint 1 of/);
    const all = tool(dir, 'hints', ['03', '--all']);
    expect(all.out.match(/hint \d+:/g)?.length).toBe(hints.length);
    expect(tool(dir, 'hints', ['03', '--task', '9']).out).toMatch(/no hints for task 9; it has hints for tasks 1, 2, 3, 4, 5/);
    expect(tool(dir, 'hints', ['42']).status).toBe(1);
  });
});

/** A clone whose katas are the solutions, but for kata 01's task 5: adamStepBound() returns the bare learning rate. */
function cloneFailingTask5(): string {
  const dir = clone();
  fs.cpSync(path.join(dir, 'solutions', '01-linear-model'), path.join(dir, 'katas', '01-linear-model'), { recursive: true });
  const file = path.join(dir, 'katas', '01-linear-model', 'linear-model.ts');
  const source = fs.readFileSync(file, 'utf8');
  const wrong = source.replace(/(export function adamStepBound\([^)]*\): number \{)[^}]*\}/, '$1\n  return learningRate;\n}');
  expect(wrong).not.toBe(source);
  fs.writeFileSync(file, wrong);
  return dir;
}

describe('where the learner is stuck', () => {
  let dir: string;
  beforeAll(() => {
    dir = cloneFailingTask5();
  });

  test('npm run hint -- 01 runs the kata\'s tests and starts at the failing task 5; a second call reuses that run', () => {
    const hints = parseHints(fs.readFileSync(path.join(dir, 'katas', '01-linear-model', 'hints.md'), 'utf8')).filter((h) => h.task === 5);
    const first = tool(dir, 'hints', ['01']);
    expect(first.out).toMatch(/Running kata 01's tests/);
    expect(first.out).toMatch(/The first failing test now is "task 5: /);
    expect(first.out).toContain(`Kata 01, task 5, hint 1 of ${hints.length}: ${hints[0]?.text}`);
    const second = tool(dir, 'hints', ['01']);
    expect(second.out).not.toMatch(/Running kata 01's tests/);
    expect(second.out).toMatch(/in the last run \(your files have not changed since\)/);
    expect(second.out).toContain(`Kata 01, task 5, hint 2 of ${hints.length}:`);
  }, 120_000);

  test('npm run kata shows the failing check\'s value against its bound, reruns only changed katas and says which were reused', () => {
    const first = tool(dir, 'progress', ['--katas', path.join(dir, 'katas')]);
    expect(first.status).toBe(1);
    // Every test of kata 01 but the one broken above passes.
    const counts = /failing\s+01-linear-model\s+(\d+)\/(\d+) tests/.exec(first.out);
    expect(counts && Number(counts[2]) - Number(counts[1])).toBe(1);
    // The whole title, and the value from the metrics log against its bound.
    expect(first.out).toContain("first failing: task 5: Adam's step is bounded, so the seed's 50,000 epochs at 1e-4 cannot reach the floor");
    expect(first.out).toMatch(/Adam step bound for lr = 1e-4: 1\.000e-4, below its bound 3\.162e-4/);
    expect(first.out).toMatch(/Reused the last results of 01/); // from the hint's run above
    const again = tool(dir, 'progress', ['--katas', path.join(dir, 'katas')]);
    const numbers = listKatas().map((k) => k.number);
    expect(again.out).toMatch(new RegExp(`Ran nothing .* Reused the last results of ${numbers.join(', ')}:`));
    expect(again.out).toMatch(/Adam step bound for lr = 1e-4: 1\.000e-4, below its bound 3\.162e-4/);
    // Editing kata 01 reruns it, and only it.
    fs.appendFileSync(path.join(dir, 'katas', '01-linear-model', 'linear-model.ts'), '\n// an edit\n');
    const edited = tool(dir, 'progress', ['--katas', path.join(dir, 'katas')]);
    expect(edited.out).toMatch(/Running 01 against your code/);
    expect(edited.out).toMatch(new RegExp(`Reused the last results of ${numbers.slice(1).join(', ')}:`));
  }, 300_000);
});

describe('reset', () => {
  test('npm run reset -- 06 restores the stub and keeps a .ts backup; --list lists it; --restore puts it back', () => {
    const dir = clone();
    const stub = path.join(dir, 'katas', '06-right-feature', 'right-feature.ts');
    const original = fs.readFileSync(stub, 'utf8');
    const mine = `${original}\n// the learner's work\n`;
    fs.writeFileSync(stub, mine);
    const run = tool(dir, 'reset', ['06']);
    expect(run.status).toBe(0);
    expect(fs.readFileSync(stub, 'utf8')).toBe(original);
    const backup = /Your version is in (\S+)\./.exec(run.out)?.[1] as string;
    expect(backup).toMatch(/^\.kata-backups\/06-right-feature\/right-feature\.\d{4}-\d\d-\d\dT[\d-]+Z\.ts$/);
    expect(fs.readFileSync(path.join(dir, backup), 'utf8')).toBe(mine);
    expect(tool(dir, 'reset', ['06', '--list']).out).toContain(backup);

    const restored = tool(dir, 'reset', ['06', '--restore']);
    expect(restored.status).toBe(0);
    expect(fs.readFileSync(stub, 'utf8')).toBe(mine);
    // The stub it replaced needed no backup: git has it.
    expect(tool(dir, 'reset', ['06', '--list']).out.trim().split('\n')).toHaveLength(1);
    expect(tool(dir, 'reset', ['05', '--restore']).out).toMatch(/Kata 05 has no backups/);
  });
});

describe('progress bar', () => {
  /** A stand-in for an interactive terminal that records what is written. */
  function fakeTerminal() {
    const written: string[] = [];
    const stream = { isTTY: true, columns: 100, write: (chunk: string) => written.push(chunk) > 0, cursorTo: () => true, clearLine: () => true, moveCursor: () => true, on: () => stream, removeListener: () => stream };
    return { stream: stream as unknown as NodeJS.WriteStream, written };
  }

  test('is silent under jest and in CI, and draws epochs and loss on an interactive terminal', () => {
    const quiet = fakeTerminal();
    const bar = epochProgress('training', 10, quiet.stream);
    bar.onEpochEnd(0, { loss: 1 });
    bar.stop();
    expect(quiet.written).toEqual([]); // JEST_WORKER_ID is set here

    const saved = { jest: process.env.JEST_WORKER_ID, ci: process.env.CI };
    delete process.env.JEST_WORKER_ID;
    delete process.env.CI;
    try {
      const terminal = fakeTerminal();
      const shown = epochProgress('training', 10, terminal.stream);
      shown.onEpochEnd(4, { loss: 0.5 });
      shown.stop();
      expect(terminal.written.join('')).toMatch(/training .*epoch 5\/10 {2}loss 5\.000e-1/);
    } finally {
      if (saved.jest !== undefined) process.env.JEST_WORKER_ID = saved.jest;
      if (saved.ci !== undefined) process.env.CI = saved.ci;
    }
  });
});
