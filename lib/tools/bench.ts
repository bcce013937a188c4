/**
 * The benchmark: per kata, the reference recipe's training time and quality,
 * beside the seed question's own recipe run in the same process.
 *   npm run bench                 a table
 *   npm run bench -- --json       JSON (one object per row)
 *   npm run bench -- --kata 01    some katas only
 *   npm run bench -- --full       the seed's recipes in full (minutes)
 */
import { Command } from 'commander';
import { backendDescription } from '../tf';
import { bench as bench01 } from './bench/01-linear-model';
import { bench as bench02 } from './bench/02-training-data';
import { bench as bench03 } from './bench/03-deep-relu';
import { bench as bench04 } from './bench/04-tanh-restarts';
import { bench as bench05 } from './bench/05-extrapolation';
import { bench as bench06 } from './bench/06-right-feature';
import { bench as bench07 } from './bench/07-products-and-gates';
import { type BenchRow, type KataBench } from './bench/row';

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
  .parse();

const options = program.opts<{ json: boolean; full: boolean; kata?: string[] }>();

function format(value: number | string): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude >= 1e5 || magnitude < 1e-3) ? value.toExponential(3) : value.toPrecision(4);
}

async function main(): Promise<void> {
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
  console.table(
    rows.map((row) => ({
      kata: row.kata,
      recipe: row.recipe,
      detail: row.detail,
      'train s': format(row.trainSeconds),
      metric: row.metric,
      value: format(row.value),
      ...Object.fromEntries(Object.entries(row.extra ?? {}).map(([k, v]) => [k, format(v)])),
    })),
  );
  console.log(`total ${totalSeconds.toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
