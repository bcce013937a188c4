/**
 * One timed jest process on the reference solutions (KATA_TREE=solutions,
 * --ci so that no baseline is ever written): its wall time, startup included,
 * what jest reported per test file, and the CPU time each test file used (the
 * test environment's own count, KATA_CPU_LOG: the work, whatever the load).
 * A run with a failing test, or one that ends without a report, is a failure
 * and carries no time: the time of a failing run means nothing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../../lib/plot-files';

export interface JestTiming {
  ok: true;
  /** Wall-clock seconds of the whole jest process, startup included. */
  wallSeconds: number;
  tests: number;
  /** Per test file, seconds from its start to its end, slowest first. */
  files: { file: string; seconds: number }[];
  /** Per test file (relative to the repository), CPU seconds. */
  fileCpu: Record<string, number>;
}

export type JestOutcome = JestTiming | { ok: false; why: string };

export interface JestJson {
  numTotalTests: number;
  numFailedTests: number;
  testResults: { name: string; startTime: number; endTime: number; status?: string; message?: string }[];
}

/** The last lines of what a failed process said, for a one-glance reason. */
const tail = (text: string, lines = 3): string => text.trim().split('\n').slice(-lines).map((line) => line.trim()).join(' / ');

/** Why a jest run failed, from its JSON report and exit status; undefined when every test ran and passed. */
export function jestFailure(json: JestJson, status: number | null, stderr: string): string | undefined {
  if (json.numFailedTests > 0) return `${json.numFailedTests} of ${json.numTotalTests} tests failed`;
  const broken = json.testResults.find((result) => result.status === 'failed');
  if (broken) return `${path.relative(REPO_ROOT, broken.name)} did not run: ${tail(broken.message ?? '')}`;
  if (json.testResults.length === 0) return 'jest ran no test file';
  if (status !== 0) return `jest ended with status ${String(status)}: ${tail(stderr)}`;
  return undefined;
}

export function runJest(args: string[], env: NodeJS.ProcessEnv = {}): JestOutcome {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-jest-'));
  const report = path.join(scratch, 'report.json');
  const cpuLog = path.join(scratch, 'cpu.jsonl');
  try {
    const started = performance.now();
    const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--ci', '--silent', '--json', `--outputFile=${report}`, ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, KATA_TREE: 'solutions', KATA_CPU_LOG: cpuLog, ...env },
    });
    const wallSeconds = (performance.now() - started) / 1000;
    if (!fs.existsSync(report)) return { ok: false, why: `jest ended with status ${String(run.status)} and wrote no report: ${tail(run.stderr ?? String(run.error))}` };
    const json = JSON.parse(fs.readFileSync(report, 'utf8')) as JestJson;
    const failure = jestFailure(json, run.status, run.stderr);
    if (failure) return { ok: false, why: failure };
    const files = json.testResults
      .map((result) => ({ file: path.relative(REPO_ROOT, result.name), seconds: (result.endTime - result.startTime) / 1000 }))
      .sort((a, b) => b.seconds - a.seconds);
    const cpu = fs.existsSync(cpuLog) ? fs.readFileSync(cpuLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { file: string; cpuSeconds: number }) : [];
    const fileCpu = Object.fromEntries(cpu.map((entry) => [path.relative(REPO_ROOT, entry.file), entry.cpuSeconds]));
    return { ok: true, wallSeconds, tests: json.numTotalTests, files, fileCpu };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
