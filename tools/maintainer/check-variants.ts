/**
 * `npm run check:variants`: the kata tests against the reference solutions
 * under KATA_VARIANT = 0..20 (test/support/variant.ts). A valid solution
 * passes every variant; this proves the reference does, so that a grader's
 * secret variant never fails an honest learner.
 */
import path from 'node:path';
import { Command } from 'commander';
import { REPO_ROOT } from '../../lib/plot-files';
import { findKata } from '../shared/kata-arg';
import { listKatas } from '../shared/kata-list';
import { pool } from '../shared/pool';
import { runKataTests } from '../shared/run-katas';

const program = new Command()
  .name('check:variants')
  .description('Run the kata tests on the solutions under KATA_VARIANT = from..to')
  .option('--from <n>', 'first variant', '0')
  .option('--to <n>', 'last variant', '20')
  .option('--kata <katas...>', 'only these katas (numbers or names)')
  .option('--jobs <n>', 'variants run at once', '2')
  .parse();

async function main(): Promise<void> {
  const options = program.opts<{ from: string; to: string; kata?: string[]; jobs: string }>();
  const katas = options.kata ? options.kata.map(findKata) : listKatas();
  const variants = Array.from({ length: Number(options.to) - Number(options.from) + 1 }, (_, i) => Number(options.from) + i);
  const failures: string[] = [];
  const started = performance.now();
  await pool(variants, Number(options.jobs), async (variant) => {
    const run = await runKataTests({
      kataDir: path.join(REPO_ROOT, 'solutions'),
      testFiles: katas.map((k) => k.testFile),
      timeoutSeconds: 600,
      runInBand: true,
      env: { KATA_VARIANT: String(variant), KATA_ANIMATE: '0' },
    });
    const outcomes = [...run.byKata.values()].flat();
    const failed = outcomes.filter((o) => o.status !== 'passed');
    const missing = katas.filter((k) => !run.byKata.has(k.folder)).map((k) => k.number);
    const problems = [
      ...(run.problem ? [`the run ${run.problem === 'timeout' ? 'timed out' : 'crashed'}`] : []),
      ...(missing.length > 0 ? [`no results for kata ${missing.join(', ')}`] : []),
      ...failed.map((o) => `"${o.title}": ${(o.message ?? '').split('\n')[0]?.slice(0, 200)}`),
    ];
    console.log(`variant ${String(variant).padStart(2)}: ${outcomes.length - failed.length}/${outcomes.length} tests pass (${run.seconds.toFixed(1)} s)`);
    for (const p of problems) {
      console.log(`  ✗ ${p}`);
      failures.push(`variant ${variant}: ${p}`);
    }
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  if (failures.length > 0) {
    console.error(`\ncheck:variants: ${failures.length} failure(s) over variants ${options.from}-${options.to} (${seconds} s)`);
    process.exit(1);
  }
  console.log(`\ncheck:variants: the solutions pass every test under variants ${options.from}-${options.to} (${seconds} s)`);
}

main().catch((error: unknown) => {
  console.error(`check:variants: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
