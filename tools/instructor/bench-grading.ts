/**
 * The grading benchmark: seconds per submission, measured by grading a small
 * class with the real grader on this machine, and from it the computed wall
 * time of a whole course on one machine against n shards (one runner each).
 *   npm run bench:grading                           2 copies of the reference solutions
 *   npm run bench:grading -- --submissions 4 --kind stubs
 *   npm run bench:grading -- --learners 300 --shards 1 5 10 20 --json
 * What is measured: one `npm run grade -- --class` run (every core in use),
 * and in the same run `npm run test:solutions` with one jest worker, so that the ratio of the two
 * carries over to a machine with another speed or load.
 * What is computed: learners x seconds per submission / shards. Not included:
 * a shard's own setup on Actions (checkout, npm ci, the sandbox step), which
 * cannot be measured here.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { REPO_ROOT } from '../../lib/plot-files';

const program = new Command()
  .name('bench:grading')
  .description('Seconds per graded submission, and the computed time of a course')
  .option('--submissions <k>', 'submissions in the measured class', '2')
  .option('--kind <kind>', 'solutions (every kata done: the longest grading) or stubs (nothing done)', 'solutions')
  .option('--learners <n>', 'the course size to compute for', '300')
  .option('--shards <n...>', 'shard counts to compute for', ['1', '5', '10', '20'])
  .option('--json', 'print JSON', false)
  .parse();

interface Options {
  submissions: string;
  kind: string;
  learners: string;
  shards: string[];
  json: boolean;
}

function timed(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', env });
  if (run.status !== 0) throw new Error(`${args.slice(-6).join(' ')} failed:\n${run.stderr.slice(-2000)}`);
  return (performance.now() - started) / 1000;
}

function main(): void {
  const options = program.opts<Options>();
  const count = Number(options.submissions);
  const learners = Number(options.learners);
  if (!['solutions', 'stubs'].includes(options.kind)) throw new Error('--kind is solutions or stubs.');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-grading-'));
  try {
    const tree = options.kind === 'solutions' ? 'solutions' : 'katas';
    for (let i = 1; i <= count; i += 1) fs.cpSync(path.join(REPO_ROOT, tree), path.join(scratch, 'class', `learner-${i}`, 'katas'), { recursive: true });
    const seconds = timed([require.resolve('ts-node/dist/bin'), '--transpile-only', 'tools/instructor/grade.ts', '--class', path.join(scratch, 'class'), '--out', path.join(scratch, 'out')]);
    console.error(`measured: ${count} submissions graded in ${seconds.toFixed(1)} s`);
    // A timing reference only: the tests' wall-clock limits stretched as the grader stretches them, so that load does not fail it.
    // One worker, as the figures in the README were measured (jest's default on 2 cores before jest.config.ts set one per core).
    const testSolutions = timed([require.resolve('jest/bin/jest'), '--ci', '--silent', '--maxWorkers=1'], { ...process.env, KATA_TREE: 'solutions', KATA_TIME_SCALE: '4' });
    const perSubmission = seconds / count;
    const rows = options.shards.map(Number).map((shards) => ({
      shards,
      learnersPerShard: Math.ceil(learners / shards),
      computedMinutes: (Math.ceil(learners / shards) * perSubmission) / 60,
    }));
    const measured = { kind: options.kind, submissions: count, cores: os.availableParallelism(), seconds, perSubmission, testSolutions, ratio: perSubmission / testSolutions };
    const result = { measured, learners, computed: rows };
    if (options.json) {
      console.log(JSON.stringify(result, null, 2));
      return;
    }
    console.log(`measured: ${count} submissions (${options.kind}) graded in ${seconds.toFixed(1)} s on ${measured.cores} cores: ${perSubmission.toFixed(1)} s per submission`);
    console.log(`measured: npm run test:solutions (one worker) in ${testSolutions.toFixed(1)} s in the same run: grading takes ${measured.ratio.toFixed(2)} times that per submission`);
    console.log(`computed for ${learners} learners (grading only; a shard's setup on Actions is extra):`);
    console.table(rows.map((r) => ({ shards: r.shards, 'learners per shard': r.learnersPerShard, 'wall minutes': r.computedMinutes.toFixed(1) })));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  console.error(`bench:grading: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
