/** The learner's tools: progress (npm run kata), hints, reset. */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/plot-files';
import { epochProgress } from '../../lib/progress-bar';
import { parseHints } from '../../lib/tools/hint-file';
import { listKatas } from '../../lib/tools/kata-list';
import { kataStatus, type TestOutcome } from '../../lib/tools/run-katas';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'learner-tools-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A clone of this repository sharing its node_modules, so tools can run (and write state) there. */
function clone(): string {
  const dir = path.join(scratch, `clone-${fs.readdirSync(scratch).length}`);
  execFileSync('git', ['clone', '--quiet', REPO_ROOT, dir]);
  // The working tree's uncommitted lib/ and tools, as a learner pulling them would have.
  fs.cpSync(path.join(REPO_ROOT, 'lib'), path.join(dir, 'lib'), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'test'), path.join(dir, 'test'), { recursive: true });
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

function tool(dir: string, script: string, args: string[]): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', `lib/tools/${script}.ts`, ...args], {
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
  });

  test('npm run kata on the stubs: nothing done, next is kata 01, exit code 1', () => {
    const run = tool(REPO_ROOT, 'progress', []);
    expect(run.status).toBe(1);
    for (const kata of listKatas()) expect(run.out).toMatch(new RegExp(`not started\\s+${kata.folder}`));
    expect(run.out).toMatch(/Next: kata 01\. Read katas\/01-linear-model\/README\.md/);
  });

  test('npm run kata on a finished folder: all done, exit code 0', () => {
    const run = tool(REPO_ROOT, 'progress', ['--katas', path.join(REPO_ROOT, 'solutions')]);
    expect(run.out).toMatch(/All 6 katas done/);
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

  test('npm run hint -- 03 shows one hint at a time, --all shows them all', () => {
    const dir = clone();
    const first = tool(dir, 'hints', ['03']);
    const second = tool(dir, 'hints', ['3']);
    expect(first.out).toMatch(/Task 1, hint 1 of \d+:/);
    expect(second.out).toMatch(/Task 1, hint 2 of \d+:/);
    const all = tool(dir, 'hints', ['03', '--all']);
    expect(all.out.match(/hint \d+ of/g)?.length).toBe(parseHints(fs.readFileSync(path.join(dir, 'katas', '03-deep-relu', 'hints.md'), 'utf8')).length);
    expect(tool(dir, 'hints', ['42']).status).toBe(1);
  });
});

describe('reset', () => {
  test('npm run reset -- 06 restores the stub and keeps a backup of the learner\'s file', () => {
    const dir = clone();
    const stub = path.join(dir, 'katas', '06-right-feature', 'right-feature.ts');
    const original = fs.readFileSync(stub, 'utf8');
    fs.writeFileSync(stub, `${original}\n// the learner's work\n`);
    const run = tool(dir, 'reset', ['06']);
    expect(run.status).toBe(0);
    expect(fs.readFileSync(stub, 'utf8')).toBe(original);
    const backup = /Your version is in (\S+)\./.exec(run.out)?.[1];
    expect(backup).toBeDefined();
    expect(fs.readFileSync(path.join(dir, backup as string), 'utf8')).toMatch(/the learner's work/);
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
