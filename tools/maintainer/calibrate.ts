/**
 * `npm run calibrate -- 03 [--seeds 1-10]`: measures a kata's checked
 * quantities over seeds, for the reference solution and for every valid
 * alternative in test/mutants/ (independent implementations of the README's
 * recipe family). The ranges it prints are the ones quoted next to each bound
 * in the test file: a bound must hold every implementation and seed with margin.
 * The measurements are the kata's test/calibration/NN-slug.ts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { REPO_ROOT } from '../../lib/plot-files';
import { findKata } from '../shared/kata-arg';
import { loadCases, makeCaseTree } from './mutants/cases';
import { pool } from '../shared/pool';

const program = new Command()
  .name('calibrate')
  .description("Measure a kata's checked quantities over seeds and valid implementations")
  .argument('<kata>', 'kata number or name')
  .option('--seeds <range>', 'seeds, as 1-10 or 1,4,9', '1-10')
  .option('--case <names...>', 'only these implementations ("reference" is the solution)')
  .option('--jobs <n>', 'implementations measured at once', '2')
  .option('--json', 'print every measurement as JSON')
  .parse();

export function parseSeeds(text: string): number[] {
  const range = /^(\d+)-(\d+)$/.exec(text);
  if (range) return Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i);
  const list = text.split(',').map(Number);
  if (list.some((n) => !Number.isInteger(n))) throw new Error(`--seeds takes a range like 1-10 or a list like 1,4,9, got "${text}".`);
  return list;
}

interface Measurement {
  seed: number;
  seconds: number;
  metrics: Record<string, number>;
}

function measureChild(kataFile: string, calibrationFile: string, seeds: number[]): Promise<Measurement[]> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'mutants', 'measure-child.ts'), kataFile, calibrationFile, ...seeds.map(String)],
    { cwd: REPO_ROOT, env: { ...process.env, KATA_ANIMATE: '0' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
  return new Promise((resolve, reject) =>
    child.on('close', (code) =>
      code === 0
        ? resolve(out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Measurement))
        : reject(new Error(`measuring failed (exit ${code}):\n${err}`)),
    ),
  );
}

const fmt = (v: number) => (Number.isNaN(v) ? 'NaN' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(3));

async function main(): Promise<void> {
  const kata = findKata(program.args[0] as string);
  const options = program.opts<{ seeds: string; case?: string[]; jobs: string; json?: boolean }>();
  const seeds = parseSeeds(options.seeds);
  const calibrationFile = path.join(REPO_ROOT, 'test', 'calibration', `${kata.folder}.ts`);
  if (!fs.existsSync(calibrationFile)) throw new Error(`${path.relative(REPO_ROOT, calibrationFile)} does not exist: it says what to measure.`);
  const implementations = [{ name: 'reference', c: undefined }, ...loadCases([kata]).filter((c) => c.kind === 'valid').map((c) => ({ name: c.name, c }))]
    .filter((i) => !options.case || options.case.includes(i.name));
  const results = new Map<string, Measurement[]>();
  await pool(implementations, Number(options.jobs), async ({ name, c }) => {
    const tree = makeCaseTree(kata, c);
    try {
      results.set(name, await measureChild(tree.kataFile, calibrationFile, seeds));
    } finally {
      tree.remove();
    }
    console.error(`measured ${name}`);
  });
  if (options.json) {
    console.log(JSON.stringify(Object.fromEntries(results), null, 1));
    return;
  }
  const metrics = [...new Set([...results.values()].flat().flatMap((m) => Object.keys(m.metrics)))];
  console.log(`kata ${kata.number}, seeds ${options.seeds}: min .. max over seeds (seconds per seed)\n`);
  const rows: string[][] = [['implementation', ...metrics, 's/seed']];
  const all: Measurement[] = [];
  const range = (ms: Measurement[], key: string) => {
    const values = ms.map((m) => m.metrics[key] ?? NaN);
    return `${fmt(Math.min(...values))} .. ${fmt(Math.max(...values))}`;
  };
  for (const { name } of implementations) {
    const ms = results.get(name) ?? [];
    all.push(...ms);
    rows.push([name, ...metrics.map((k) => range(ms, k)), fmt(ms.reduce((s, m) => s + m.seconds, 0) / ms.length)]);
  }
  rows.push(['ALL', ...metrics.map((k) => range(all, k)), '']);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
}

main().catch((error: unknown) => {
  console.error(`calibrate: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
