/**
 * Runs kata tests in a child jest process and reads its JSON report: the
 * common ground of `npm run kata` (progress), `npm run grade` and the
 * maintainers' checks, with this repository's jest configuration for the
 * katas tree (jest.config.ts). The child
 * can be given a time limit and a heap limit, so that a kata that hangs or
 * allocates without bound costs only its own run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TYPE_CHECK_TEST_TITLE } from '../../lib/kata-type-error';
import { REPO_ROOT } from '../../lib/plot-files';
import { kataJestConfig } from '../../jest.config';

/** The title of the outcome that stands for a test file that failed as a whole (it did not load, say). */
export const SUITE_FAILURE_TITLE = 'test file';

export interface TestOutcome {
  /** "kata 03: ... › task 2: ..." without the describe prefix. */
  title: string;
  status: 'passed' | 'failed' | 'skipped';
  /** The first failure message, without ANSI colours. */
  message?: string;
  /** The task number read from the title ("task 2: ..."), if any. */
  task?: number;
  durationMs?: number;
}

export interface KataRun {
  /** Test file results by kata folder name. */
  byKata: Map<string, TestOutcome[]>;
  /** Set when the run as a whole did not finish normally ('report-too-large': its failure messages, which quote the kata's values). */
  problem?: 'timeout' | 'crashed' | 'report-too-large';
  /** jest's exit code, or the signal that ended it. */
  exit: string;
  /** The end of the child's stderr, for reports. */
  stderrTail: string;
  seconds: number;
}

export interface RunOptions {
  /** A folder laid out like katas/ (NN-slug subfolders). */
  kataDir: string;
  /** Test files to run, relative to the repository; all kata tests when absent. */
  testFiles?: string[];
  timeoutSeconds?: number;
  /** Heap limit for the child, in MiB. */
  maxHeapMiB?: number;
  /** Extra environment (KATA_PLOTS_DIR for a grader). */
  env?: NodeJS.ProcessEnv;
  runInBand?: boolean;
  /** Run only the tests whose title matches this regular expression (jest -t). */
  testNamePattern?: string;
  /** Called with the jest process once it is started (the grader watches it). */
  onStart?: (child: ChildProcess) => void;
}

/** jest's JSON report is read only up to this size; every value taken from it is capped (it quotes what a kata returned). */
export const MAX_REPORT_BYTES = 16 * 2 ** 20;
export const MAX_TITLE_CHARS = 300;
export const MAX_MESSAGE_CHARS = 4000;

function capped(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters cut)` : text;
}

const ANSI = /\u001b\[[0-9;]*m/g;

export function taskOf(title: string): number | undefined {
  const match = /\btask (\d+)/.exec(title);
  return match ? Number(match[1]) : undefined;
}

interface JestJson {
  testResults: {
    name: string;
    message?: string;
    assertionResults: { title: string; status: string; failureMessages: string[]; duration?: number | null }[];
  }[];
}

export async function runKataTests(options: RunOptions): Promise<KataRun> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kata-run-'));
  const jsonFile = path.join(outDir, 'report.json');
  const args = [
    require.resolve('jest/bin/jest'),
    // The configuration as data: jest.config.ts itself would start a TypeScript loader in every run.
    `--config=${JSON.stringify(kataJestConfig('katas'))}`,
    '--ci',
    '--json',
    `--outputFile=${jsonFile}`,
    '--silent',
    ...(options.runInBand ? ['--runInBand'] : []),
    ...(options.testNamePattern ? [`--testNamePattern=${options.testNamePattern}`] : []),
    ...(options.testFiles ?? ['test/\\d\\d-']),
  ];
  const heap = options.maxHeapMiB ? `--max-old-space-size=${options.maxHeapMiB}` : '';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    KATA_TREE: 'katas',
    KATA_DIR: path.resolve(options.kataDir),
    NODE_OPTIONS: [process.env.NODE_OPTIONS, heap].filter(Boolean).join(' '),
    FORCE_COLOR: '0',
  };
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  options.onStart?.(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  let timedOut = false;
  const timer = options.timeoutSeconds
    ? setTimeout(() => {
        timedOut = true;
        // The whole process group: jest and any workers it started.
        try {
          process.kill(-(child.pid as number), 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, options.timeoutSeconds * 1000)
    : undefined;
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (code, sig) => resolve([code, sig])));
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;

  const byKata = new Map<string, TestOutcome[]>();
  let report: JestJson | undefined;
  let tooLarge = false;
  try {
    tooLarge = fs.statSync(jsonFile).size > MAX_REPORT_BYTES;
    report = tooLarge ? undefined : (JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as JestJson);
  } catch {
    report = undefined;
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  for (const file of report?.testResults ?? []) {
    const kata = /(\d\d-[a-z0-9-]+)\.test\.ts$/.exec(file.name)?.[1];
    if (!kata) continue;
    const outcomes: TestOutcome[] = file.assertionResults.map((a) => {
      const raw = a.failureMessages[0]?.replace(ANSI, '').split('\n    at ')[0]?.trim();
      const message = raw === undefined ? undefined : capped(raw, MAX_MESSAGE_CHARS);
      const task = taskOf(a.title);
      return {
        title: capped(a.title, MAX_TITLE_CHARS),
        status: a.status === 'passed' ? 'passed' : a.status === 'failed' ? 'failed' : 'skipped',
        ...(message ? { message } : {}),
        ...(task !== undefined ? { task } : {}),
        ...(a.duration != null ? { durationMs: a.duration } : {}),
      };
    });
    if (outcomes.length === 0 && file.message) {
      // The file failed before any test ran (an import threw, say).
      outcomes.push({ title: SUITE_FAILURE_TITLE, status: 'failed', message: capped(file.message.replace(ANSI, ''), MAX_MESSAGE_CHARS) });
    }
    byKata.set(kata, outcomes);
  }
  const problem = timedOut ? 'timeout' : tooLarge ? 'report-too-large' : report === undefined && exitCode !== 0 ? 'crashed' : undefined;
  return { byKata, ...(problem ? { problem } : {}), exit: signal ?? `exit code ${String(exitCode)}`, stderrTail: stderr.replace(ANSI, '').slice(-4000), seconds };
}

export type KataStatus = 'done' | 'failing' | 'not started';

/**
 * done: every test passes; not started: every failure is a stub's TODO; failing otherwise.
 * The type check passes on an untouched stub, so it does not make a kata started.
 */
export function kataStatus(outcomes: TestOutcome[] | undefined): KataStatus {
  if (!outcomes || outcomes.length === 0) return 'not started';
  const failed = outcomes.filter((o) => o.status !== 'passed');
  if (failed.length === 0) return 'done';
  const passedAny = outcomes.some((o) => o.status === 'passed' && o.title !== TYPE_CHECK_TEST_TITLE);
  const allTodo = failed.every((o) => /KataTodoError|TODO: kata \d\d/.test(o.message ?? ''));
  return !passedAny && allTodo ? 'not started' : 'failing';
}
