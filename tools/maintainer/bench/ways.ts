/**
 * `npm run bench -- --suite --ways`: how to run the suite. Runs the kata tests
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
import os from 'node:os';
import { runJest, sum } from './jest-run';
import { median } from './speed-table';

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
  const run = runJest(args, env);
  if (!run.ok) throw new Error(`the suite (${name}) failed: ${run.why}. A benchmark of a failing suite means nothing.`);
  const cpuSeconds = sum(Object.values(run.fileCpu));
  return { name, seconds: run.wallSeconds, rounds: [run.wallSeconds], files: run.files, fileSeconds: [sum(run.files.map((file) => file.seconds))], cpuSeconds: [cpuSeconds], fileCpu: run.fileCpu, tests: run.tests };
}

export function benchWays(repeat: number, backends?: string[]): SuiteRun[] {
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

export function printWays(runs: SuiteRun[]): void {
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
