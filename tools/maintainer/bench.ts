/**
 * The benchmark: per kata, the reference recipe's training time and quality,
 * beside the seed question's own recipe run in the same process.
 *   npm run bench                 a table
 *   npm run bench -- --json       JSON (one object per row)
 *   npm run bench -- --kata 01    some katas only
 *   npm run bench -- --full       the seed's recipes in full (minutes)
 *   npm run bench -- --suite      the suite and each test file against their targets, in seconds and
 *                                 in units of a fixed workload (bench/speed.ts; --repeat 3, --json)
 *   npm run bench -- --suite --ways                 the whole suite three ways, as ratios (bench/ways.ts)
 *   npm run bench -- --suite --backends cpu wasm    the whole suite on each backend, as ratios
 */
import { Command } from 'commander';
import { requestedBackend } from '../../lib/load-tf';
import { backendDescription } from '../../lib/tf';
import { bench as bench01 } from './bench/01-linear-model';
import { bench as bench02 } from './bench/02-training-data';
import { bench as bench03 } from './bench/03-deep-relu';
import { bench as bench04 } from './bench/04-tanh-restarts';
import { bench as bench05 } from './bench/05-extrapolation';
import { bench as bench06 } from './bench/06-right-feature';
import { bench as bench07 } from './bench/07-products-and-gates';
import { type BenchRow, type KataBench } from './bench/row';
import { benchSpeed } from './bench/speed';
import { formatSpeedReport } from './bench/speed-table';
import { benchWays, printWays } from './bench/ways';

const BENCHES: Record<string, KataBench> = {
  '01': bench01,
  '02': bench02,
  '03': bench03,
  '04': bench04,
  '05': bench05,
  '06': bench06,
  '07': bench07,
};

const program = new Command()
  .name('bench')
  .description('Training time and quality per kata, against the seed recipe')
  .option('--json', 'print JSON instead of a table', false)
  .option('--full', "run the seed's recipes in full", false)
  .option('--kata <numbers...>', 'only these katas (e.g. 01 03)')
  .option('--suite', "instead: time the suite and each test file against their targets, in seconds and in units of a fixed workload", false)
  .option('--repeat <rounds>', 'with --suite: interleaved rounds (the median is reported)', '3')
  .option('--ways', 'with --suite: compare ways of running the whole suite (as configured, one worker, no animations) instead', false)
  .option('--backends <names...>', 'with --suite: compare the whole suite on these TensorFlow.js backends (KATA_BACKEND) instead')
  .parse();

const options = program.opts<{ json: boolean; full: boolean; kata?: string[]; suite: boolean; repeat: string; ways: boolean; backends?: string[] }>();

function format(value: number | string): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude >= 1e5 || magnitude < 1e-3) ? value.toExponential(3) : value.toPrecision(4);
}

/** a / b as "0.25×", or "" when there is nothing to compare with. */
function ratio(a: number, b: number | undefined): string {
  return b === undefined || b === 0 || !Number.isFinite(a) || !Number.isFinite(b) ? '-' : `${format(a / b)}×`;
}

/**
 * One compact table per kata: each recipe's training time and the kata's
 * metric, and both as ratios to the seed question's recipe when the kata
 * has one; what each recipe is and the other figures follow below it.
 */
function printKata(kata: string, rows: BenchRow[]): void {
  const seed = rows.find((row) => row.recipe.startsWith('seed recipe'));
  const metrics = [...new Set(rows.map((row) => row.metric))];
  console.log(`\n${kata}${metrics.length === 1 ? `: ${metrics[0]}` : ''}`);
  const columns = ['recipe', 'train s', ...(seed ? ['time vs seed'] : []), ...(metrics.length === 1 ? [] : ['metric']), 'value', ...(seed ? ['value vs seed'] : [])];
  const cells = rows.map((row) => [
    row.recipe,
    format(row.trainSeconds),
    ...(seed ? [ratio(row.trainSeconds, seed.trainSeconds)] : []),
    ...(metrics.length === 1 ? [] : [row.metric]),
    format(row.value),
    ...(seed ? [ratio(row.value, seed.value)] : []),
  ]);
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] as string).length)));
  // The recipe (and metric) columns read left-aligned, the numbers right-aligned.
  const line = (r: string[]) => r.map((c, i) => (columns[i] === 'recipe' || columns[i] === 'metric' ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  console.log(`  ${line(columns)}`);
  for (const r of cells) console.log(`  ${line(r)}`);
  for (const row of rows) {
    const extra = Object.entries(row.extra ?? {}).map(([k, v]) => `${k} ${format(v)}`);
    console.log(`    ${row.recipe}: ${row.detail}${extra.length > 0 ? `; ${extra.join(', ')}` : ''}`);
  }
}

async function main(): Promise<void> {
  if (options.suite) {
    const repeat = Number(options.repeat);
    if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a whole number of rounds, at least 1 (got ${options.repeat}).`);
    if (options.ways || options.backends) {
      const backends = options.backends?.flatMap((names) => names.split(','));
      for (const name of backends ?? []) requestedBackend(name);
      const runs = benchWays(repeat, backends);
      if (options.json) console.log(JSON.stringify({ backend: backendDescription(), runs }, null, 2));
      else printWays(runs);
      return;
    }
    const report = benchSpeed(repeat, backendDescription(), (round) => {
      if (!options.json) console.error(`round ${round} of ${repeat} done`);
    });
    console.log(options.json ? JSON.stringify(report, null, 2) : formatSpeedReport(report));
    // A failing suite or file is a failure of the benchmark, not a time.
    if (report.rows.some((row) => row.verdict === 'failed')) process.exitCode = 1;
    return;
  }
  const selected = Object.entries(BENCHES).filter(([number]) => !options.kata || options.kata.includes(number));
  if (selected.length === 0) throw new Error(`no benchmark for kata ${String(options.kata)}; known: ${Object.keys(BENCHES).join(', ')}`);
  const rows: BenchRow[] = [];
  const started = performance.now();
  for (const [, run] of selected) rows.push(...(await run({ full: options.full })));
  const totalSeconds = (performance.now() - started) / 1000;
  if (options.json) {
    console.log(JSON.stringify({ backend: backendDescription(), totalSeconds, rows }, null, 2));
    return;
  }
  console.log(backendDescription());
  for (const kata of [...new Set(rows.map((row) => row.kata))]) printKata(kata, rows.filter((row) => row.kata === kata));
  console.log(`total ${totalSeconds.toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
