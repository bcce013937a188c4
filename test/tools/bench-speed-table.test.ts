/**
 * `npm run bench -- --suite`'s table from given numbers: medians, units of the
 * calibration workload, targets in seconds and in units, pass/over, and a
 * failing run reported as a failure, never as a time. No jest run, no training.
 */
import { jestFailure, type JestJson } from '../../tools/maintainer/bench/jest-run';
import { kataTestFiles, onlyFile } from '../../tools/maintainer/bench/speed';
import { formatSpeedReport, median, type MeasuredRow, type RoundOutcome, type SpeedReport, speedRows, TARGET_SECONDS } from '../../tools/maintainer/bench/speed-table';

const timed = (...seconds: number[]): RoundOutcome[] => seconds.map((wallSeconds) => ({ ok: true, wallSeconds, cpuSeconds: wallSeconds / 2 }));
const workload = (...seconds: number[]): MeasuredRow => ({ name: 'calibration workload', kind: 'workload', rounds: timed(...seconds) });

describe('medians', () => {
  test('of an odd and an even number of rounds, in any order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow(/no values/);
  });
});

describe('the speed table', () => {
  const { unitSeconds, rows } = speedRows([
    workload(4, 3, 3.5),
    { name: 'the suite', kind: 'suite', rounds: timed(24, 21, 20) },
    { name: 'test/01-linear-model.test.ts', kind: 'file', rounds: timed(7, 5, 6) },
    { name: 'test/03-deep-relu.test.ts', kind: 'file', rounds: timed(6.2, 6.1, 9) },
  ]);
  const [calibration, suite, exactlyOnTarget, over] = rows;

  test('one unit is the median of the workload; each row is its median wall time in units', () => {
    expect(unitSeconds).toBe(3.5);
    expect(calibration).toMatchObject({ medianSeconds: 3.5, units: 1, roundSeconds: [4, 3, 3.5], cpuSeconds: 1.75, verdict: '-' });
    expect(calibration?.targetSeconds).toBeUndefined();
    expect(suite).toMatchObject({ medianSeconds: 21, roundSeconds: [24, 21, 20] });
    expect(suite?.units).toBeCloseTo(6, 12);
  });

  test('targets: 10 s for the suite, 6 s per file, also in units of this run', () => {
    expect(TARGET_SECONDS).toEqual({ suite: 10, file: 6 });
    expect(suite?.targetSeconds).toBe(10);
    expect(suite?.targetUnits).toBeCloseTo(10 / 3.5, 12);
    expect(over?.targetSeconds).toBe(6);
    expect(over?.targetUnits).toBeCloseTo(6 / 3.5, 12);
  });

  test('pass at or under the target, over above it (the median decides, not the best round)', () => {
    expect(suite?.verdict).toBe('over');
    expect(exactlyOnTarget?.verdict).toBe('pass');
    expect(over).toMatchObject({ medianSeconds: 6.2, verdict: 'over' });
  });

  test('a failing suite or file is reported as a failure, not timed', () => {
    const failed = speedRows([
      workload(3),
      { name: 'the suite', kind: 'suite', rounds: [...timed(8), { ok: false, why: '1 of 67 tests failed' }, ...timed(9)] },
      { name: 'test/02-training-data.test.ts', kind: 'file', rounds: [{ ok: false, why: 'test/02-training-data.test.ts did not run: SyntaxError | oops\nmore' }] },
    ]);
    const [, suiteRow, fileRow] = failed.rows;
    expect(suiteRow).toMatchObject({ verdict: 'failed', failure: '1 of 67 tests failed', roundSeconds: [] });
    expect(suiteRow?.medianSeconds).toBeUndefined();
    expect(suiteRow?.units).toBeUndefined();
    expect(fileRow).toMatchObject({ verdict: 'failed', roundSeconds: [] });
    const table = formatSpeedReport(report(failed));
    const suiteLine = table.split('\n').find((line) => line.startsWith('| the suite'));
    expect(suiteLine).toBe('| the suite | - | - | - | - | 10.0 | 3.33 | FAILED: 1 of 67 tests failed |');
    // The reason stays on one row of the Markdown table.
    expect(table).toContain('FAILED: test/02-training-data.test.ts did not run: SyntaxError \\| oops |');
    expect(table).not.toContain('more');
  });

  test('a failed workload leaves no unit: seconds and verdicts still, units unknown', () => {
    const noUnit = speedRows([{ name: 'calibration workload', kind: 'workload', rounds: [{ ok: false, why: 'crashed' }] }, { name: 'the suite', kind: 'suite', rounds: timed(9) }]);
    expect(noUnit.unitSeconds).toBeUndefined();
    expect(noUnit.rows[1]).toMatchObject({ medianSeconds: 9, verdict: 'pass' });
    expect(noUnit.rows[1]?.units).toBeUndefined();
    expect(noUnit.rows[1]?.targetUnits).toBeUndefined();
    expect(formatSpeedReport(report(noUnit))).toContain('1 unit = the calibration workload\'s median wall time = unknown (it failed)');
  });

  test('the report names the machine, the backend and the load, and prints a Markdown table', () => {
    const text = formatSpeedReport(report({ unitSeconds, rows }));
    expect(text).toContain('machine: Some CPU @ 2.0GHz, 2 cores, 24 GiB, Linux 6.1 (linux/x64), Node 20.1.0');
    expect(text).toContain('kata tests: TensorFlow.js backend: cpu (pure JavaScript');
    expect(text).toContain('load average (1, 5, 15 min): 0.10 0.20 0.30 at start, 1.00 2.00 3.00 at end');
    expect(text).toContain('3 interleaved round(s); 1 unit = the calibration workload\'s median wall time = 3.50 s');
    const lines = text.split('\n');
    expect(lines).toContain('| what | median wall s | rounds s | CPU s | units | target s | target units | result |');
    expect(lines).toContain('| the suite | 21.0 | 24.0, 21.0, 20.0 | 10.5 | 6.00 | 10.0 | 2.86 | over |');
    expect(lines).toContain('| `test/01-linear-model.test.ts` | 6.0 | 7.0, 5.0, 6.0 | 3.0 | 1.71 | 6.0 | 1.71 | pass |');
    expect(lines).toContain('| calibration workload | 3.5 | 4.0, 3.0, 3.5 | 1.8 | 1.00 | - | - | - |');
  });
});

function report(table: Pick<SpeedReport, 'unitSeconds' | 'rows'>): SpeedReport {
  return {
    machine: { cpu: 'Some CPU @ 2.0GHz', cores: 2, memoryGiB: 24, os: 'Linux 6.1 (linux/x64)', node: '20.1.0' },
    backend: 'TensorFlow.js backend: cpu (pure JavaScript, @tensorflow/tfjs; KATA_BACKEND=cpu)',
    loadAtStart: [0.1, 0.2, 0.3],
    loadAtEnd: [1, 2, 3],
    repeat: 3,
    ...table,
  };
}

describe('what is run and how a run is judged', () => {
  test('every kata test file and the plot comparison, each selected alone wherever the checkout lives', () => {
    const files = kataTestFiles();
    expect(files).toContain('test/03-deep-relu.test.ts');
    expect(files).toContain('test/plot-comparison.test.ts');
    expect(files.every((file) => /^test\/[^/]+\.test\.ts$/.test(file))).toBe(true);
    const pattern = new RegExp(onlyFile('test/03-deep-relu.test.ts'));
    expect(pattern.test('/home/me/2024-03/repo/test/03-deep-relu.test.ts')).toBe(true);
    expect(pattern.test('/home/me/2024-03/repo/test/01-linear-model.test.ts')).toBe(false);
    expect(pattern.test('/home/me/repo/test/03-deep-reluXtest.ts')).toBe(false);
  });

  const passing: JestJson = { numTotalTests: 3, numFailedTests: 0, testResults: [{ name: 'test/01-linear-model.test.ts', startTime: 0, endTime: 1, status: 'passed' }] };

  test('a run is timed only when every test ran and passed and jest exited 0', () => {
    expect(jestFailure(passing, 0, '')).toBeUndefined();
    expect(jestFailure({ ...passing, numFailedTests: 1 }, 1, '')).toBe('1 of 3 tests failed');
    expect(jestFailure({ ...passing, numTotalTests: 0, testResults: [{ ...passing.testResults[0]!, status: 'failed', message: 'Cannot find module\n  at x' }] }, 1, '')).toMatch(/did not run: Cannot find module \/ at x$/);
    expect(jestFailure({ ...passing, testResults: [] }, 1, '')).toBe('jest ran no test file');
    expect(jestFailure(passing, 1, 'first\nsecond\nA worker process has failed to exit')).toMatch(/status 1: .*A worker process has failed to exit/);
  });
});
