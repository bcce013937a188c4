/**
 * `npm run bench -- --suite`: what a learner waits for, against issue 17's
 * targets. Each round runs, one after the other: the calibration workload
 * (calibration-workload.ts, the unit), the whole suite as configured (what
 * `npm run test:solutions` runs), then each test file as its own jest process,
 * the way a learner runs `npm test -- 03`, on the reference solutions. Rounds
 * are interleaved (W S 01 ... 07 P, W S 01 ...): a burst of load on a shared
 * machine hits one round, not one row. speed-table.ts turns the rounds into
 * medians, units and verdicts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../../lib/plot-files';
import { timeCalibrationWorkload } from './calibration-workload';
import { runJest, sum } from './jest-run';
import { type Machine, type MeasuredRow, type RoundOutcome, type SpeedReport, speedRows } from './speed-table';

/** The test files jest.config.ts runs (test/*.test.ts), as paths from the repository's root with forward slashes. */
export function kataTestFiles(): string[] {
  return fs
    .readdirSync(path.join(REPO_ROOT, 'test'))
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name) => `test/${name}`);
}

/** A path pattern that selects this one file wherever the checkout lives (a bare "03" would also match a folder named 2024-03). */
export const onlyFile = (file: string): string => `/${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;

function jestRound(args: string[]): RoundOutcome {
  const run = runJest(args);
  return run.ok ? { ok: true, wallSeconds: run.wallSeconds, cpuSeconds: sum(Object.values(run.fileCpu)) } : run;
}

export function machine(): Machine {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.availableParallelism(),
    memoryGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    node: process.versions.node,
  };
}

/** Runs `repeat` interleaved rounds; `backend` names the backend the kata tests run on (KATA_BACKEND, inherited by every jest process). */
export function benchSpeed(repeat: number, backend: string, onRound: (done: number) => void = () => {}): SpeedReport {
  const loadAtStart = os.loadavg();
  const files = kataTestFiles();
  const rows: MeasuredRow[] = [
    { name: 'calibration workload', kind: 'workload', rounds: [] },
    { name: 'the suite (`npm run test:solutions`)', kind: 'suite', rounds: [] },
    ...files.map((file): MeasuredRow => ({ name: file, kind: 'file', rounds: [] })),
  ];
  const runs: (() => RoundOutcome)[] = [timeCalibrationWorkload, () => jestRound([]), ...files.map((file) => () => jestRound([onlyFile(file)]))];
  for (let round = 1; round <= repeat; round++) {
    runs.forEach((run, i) => (rows[i] as MeasuredRow).rounds.push(run()));
    onRound(round);
  }
  return { machine: machine(), backend, loadAtStart, loadAtEnd: os.loadavg(), repeat, ...speedRows(rows) };
}
