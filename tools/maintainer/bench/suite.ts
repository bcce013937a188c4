/**
 * `npm run bench -- --suite`: what a learner waits for. Runs the kata tests
 * on the reference solutions (what `npm run test:solutions` runs) one after
 * the other in several ways, each way `repeat` times in turn (ABC ABC ABC: a
 * burst of load on a shared machine hits one round, not one way), and gives
 * each way's median time as a ratio to the first's, so the comparison holds
 * on any machine. The ways, by default:
 *   as configured  - jest.config.ts's workers (one per core), animations on
 *   one worker     - the test files one after the other (jest's old default on 2 cores)
 *   no animations  - KATA_ANIMATE=0
 * or, with `--backends cpu wasm`, the suite as configured on each of those
 * TensorFlow.js backends (KATA_BACKEND); and the slowest test files of the
 * first way: the suite can end no sooner than its slowest file.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../../lib/plot-files';

export interface SuiteRun {
  name: string;
  /** Wall-clock seconds of the whole jest process, startup included: the median of the rounds. */
  seconds: number;
  /** Every round's seconds, in the order run. */
  rounds: number[];
  /** Per test file, seconds from its start to its end, slowest first. */
  files: { file: string; seconds: number }[];
  /** Every round's sum of the files' seconds (the work, whatever the number of workers). */
  fileSeconds: number[];
  /** Every round's CPU seconds of the test files (the test environment's own count): the work, whatever the load. */
  cpuSeconds: number[];
  /** Per test file, CPU seconds (of the round reported in `files`). */
  fileCpu: Record<string, number>;
  tests: number;
}

interface JestJson {
  numTotalTests: number;
  numFailedTests: number;
  testResults: { name: string; startTime: number; endTime: number }[];
}

interface Way {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

const WAYS: Way[] = [
  { name: 'as configured', args: [], env: {} },
  { name: 'one worker', args: ['--maxWorkers=1'], env: {} },
  { name: 'no animations', args: [], env: { KATA_ANIMATE: '0' } },
];

/** The suite as configured on each backend, for the backend comparison. */
const backendWays = (backends: string[]): Way[] => backends.map((backend) => ({ name: `backend ${backend}`, args: [], env: { KATA_BACKEND: backend } }));

function runSuite(name: string, args: string[], env: NodeJS.ProcessEnv): SuiteRun {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-suite-'));
  const report = path.join(scratch, 'report.json');
  const cpuLog = path.join(scratch, 'cpu.jsonl');
  try {
    const started = performance.now();
    const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--ci', '--silent', '--json', `--outputFile=${report}`, ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, KATA_TREE: 'solutions', KATA_CPU_LOG: cpuLog, ...env },
    });
    const seconds = (performance.now() - started) / 1000;
    if (!fs.existsSync(report)) throw new Error(`the suite (${name}) wrote no report:\n${run.stderr.slice(-2000)}`);
    const json = JSON.parse(fs.readFileSync(report, 'utf8')) as JestJson;
    if (json.numFailedTests > 0 || run.status !== 0) throw new Error(`the suite (${name}) failed ${json.numFailedTests} tests: a benchmark of a failing suite means nothing.\n${run.stderr.slice(-2000)}`);
    const files = json.testResults
      .map((result) => ({ file: path.relative(REPO_ROOT, result.name), seconds: (result.endTime - result.startTime) / 1000 }))
      .sort((a, b) => b.seconds - a.seconds);
    const cpu = fs.existsSync(cpuLog) ? fs.readFileSync(cpuLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { file: string; cpuSeconds: number }) : [];
    const fileCpu = Object.fromEntries(cpu.map((entry) => [path.relative(REPO_ROOT, entry.file), entry.cpuSeconds]));
    return { name, seconds, rounds: [seconds], files, fileSeconds: [sum(files.map((file) => file.seconds))], cpuSeconds: [sum(Object.values(fileCpu))], fileCpu, tests: json.numTotalTests };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function benchSuite(repeat: number, backends?: string[]): SuiteRun[] {
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a whole number of rounds, at least 1 (got ${repeat}).`);
  const ways = backends && backends.length > 0 ? backendWays(backends) : WAYS;
  const rounds = Array.from({ length: repeat }, () => ways.map((way) => runSuite(way.name, way.args, way.env)));
  return ways.map((_, i) => {
    const ofThisWay = rounds.map((round) => round[i] as SuiteRun);
    const seconds = ofThisWay.map((run) => run.seconds);
    // The per-file figures of the round whose time was the median.
    const typical = ofThisWay.reduce((best, run) => (Math.abs(run.seconds - median(seconds)) < Math.abs(best.seconds - median(seconds)) ? run : best));
    return { ...typical, seconds: median(seconds), rounds: seconds, fileSeconds: ofThisWay.flatMap((run) => run.fileSeconds), cpuSeconds: ofThisWay.flatMap((run) => run.cpuSeconds) };
  });
}

export function printSuite(runs: SuiteRun[]): void {
  const first = runs[0] as SuiteRun;
  console.log(`\nthe suite: ${first.tests} tests on the reference solutions, ${first.rounds.length} round(s) of each way in turn (cores: ${os.availableParallelism()})`);
  const width = Math.max(...runs.map((run) => run.name.length));
  const versus = `vs ${first.name}`;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  console.log(`  ${'run'.padEnd(width)}  median wall s  ${versus}  rounds  | CPU s of the test files (median, ${versus}, rounds)`);
  for (const run of runs) {
    const cpu = median(run.cpuSeconds);
    console.log(
      `  ${run.name.padEnd(width)}  ${run.seconds.toFixed(1).padStart(13)}  ${ratio(run.seconds, first.seconds).padStart(versus.length)}  ${run.rounds.map((s) => s.toFixed(1)).join(', ')}` +
        `  | ${cpu.toFixed(1)}, ${ratio(cpu, median(first.cpuSeconds))}, ${run.cpuSeconds.map((s) => s.toFixed(1)).join(', ')}`,
    );
  }
  console.log(`  CPU s per test file (the median round of each way; ${versus}):`);
  for (const file of Object.keys(first.fileCpu).sort()) {
    const cells = runs.map((run) => `${run.name} ${(run.fileCpu[file] ?? NaN).toFixed(1)} (${ratio(run.fileCpu[file] ?? NaN, first.fileCpu[file] ?? NaN)})`);
    console.log(`    ${file}  ${cells.join('  ')}`);
  }
  console.log(`  slowest files (${first.name}; a file's time includes waiting for a core):`);
  for (const file of first.files.slice(0, 3)) console.log(`    ${file.file}  ${file.seconds.toFixed(1)} s, ${(file.seconds / first.seconds).toFixed(2)}× the suite`);
}
