/**
 * `npm run grade -- --katas <folder>`: grades a learner's katas folder (a
 * clone, an unzipped submission) without touching it or the committed
 * baselines. `--class <folder>` grades every submission folder inside, using
 * every core. Writes results.json per kata (exercism v3), junit.xml and
 * summary.md per submission, and class-summary.md for a class.
 * Exit code 0 whenever grading ran, whatever the scores; 2 when it could not.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { REPO_ROOT } from '../plot-files';
import { readGradingConfig, type GradingConfig } from './grading/config';
import { type KataGrade, totalPoints, writeReports } from './grading/reports';
import { makeWorkspace, ProtectedFiles, removeWorkspace } from './grading/workspace';
import { listKatas } from './kata-list';
import { runKataTests } from './run-katas';

const program = new Command()
  .name('grade')
  .description("Grade learners' katas folders")
  .option('--katas <folder>', 'one submission: a katas folder, or a folder that holds one')
  .option('--class <folder>', 'a folder of submission folders')
  .option('--out <folder>', 'where the reports go', path.join(REPO_ROOT, 'grading-results'))
  .option('--config <file>', 'points and limits', path.join(REPO_ROOT, 'grading.json'))
  .option('--jobs <n>', 'submissions graded at once', String(os.availableParallelism()))
  .option('--only <katas...>', 'grade only these katas (numbers or folder names)')
  .parse();

interface Options {
  katas?: string;
  class?: string;
  out: string;
  config: string;
  jobs: string;
  only?: string[];
}

const PROTECTED = [path.join(REPO_ROOT, 'test', 'baselines'), path.join(REPO_ROOT, 'lib', 'models')];

export async function gradeSubmission(submission: string, outDir: string, config: GradingConfig, only?: string[]): Promise<KataGrade[]> {
  const workspace = makeWorkspace(submission);
  const guard = new ProtectedFiles([...PROTECTED, workspace.baselineDir]);
  const katas = listKatas().filter((k) => !only || only.some((o) => k.folder === o || k.number === o.padStart(2, '0')));
  const grades: KataGrade[] = [];
  try {
    for (const kata of katas) {
      const maxPoints = config.points[kata.folder] ?? 0;
      if (!fs.existsSync(path.join(workspace.kataDir, kata.folder))) {
        grades.push({ kata: kata.folder, outcomes: [], problem: 'The submission has no folder for this kata.', points: 0, maxPoints, seconds: 0 });
        continue;
      }
      const run = await runKataTests({
        kataDir: workspace.kataDir,
        testFiles: [kata.testFile],
        timeoutSeconds: config.timeLimitSeconds,
        maxHeapMiB: config.maxHeapMiB,
        runInBand: true,
        env: { KATA_PLOTS_DIR: path.join(outDir, 'plots'), KATA_BASELINE_DIR: workspace.baselineDir },
      });
      const outcomes = run.byKata.get(kata.folder) ?? [];
      const tampered = guard.checkAndRestore([...PROTECTED, workspace.baselineDir]);
      let problem: string | undefined;
      if (tampered.length > 0) {
        problem = `The kata wrote to files it must not touch (${tampered.map((f) => path.basename(f)).join(', ')}); they were restored and the kata scores 0.`;
      } else if (run.problem === 'timeout') {
        problem = `The kata did not finish within ${config.timeLimitSeconds} s and was stopped (a loop that never ends, or training far too long).`;
      } else if (run.problem === 'crashed') {
        const outOfMemory = /heap out of memory|Allocation failed/i.test(run.stderrTail);
        problem = outOfMemory
          ? `The kata ran out of memory (limit ${config.maxHeapMiB} MiB) and was stopped.`
          : `The test run crashed: ${run.stderrTail.split('\n').filter(Boolean).slice(-3).join(' ')}`;
      } else if (outcomes.length === 0) {
        problem = 'No test ran for this kata.';
      }
      const passed = outcomes.filter((o) => o.status === 'passed').length;
      const points = problem || outcomes.length === 0 ? 0 : Math.round((10 * maxPoints * passed) / outcomes.length) / 10;
      grades.push({ kata: kata.folder, outcomes, ...(problem ? { problem } : {}), points, maxPoints, seconds: run.seconds });
    }
  } finally {
    removeWorkspace(workspace);
  }
  writeReports(outDir, path.basename(path.resolve(submission)), grades);
  return grades;
}

async function pool<T>(items: T[], jobs: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

async function main(): Promise<void> {
  const options = program.opts<Options>();
  if (!options.katas === !options.class) throw new Error('Give exactly one of --katas <folder> or --class <folder>.');
  const config = readGradingConfig(options.config);
  const jobs = Number(options.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs must be a positive whole number, got ${options.jobs}.`);
  const submissions = options.katas
    ? [path.resolve(options.katas)]
    : fs
        .readdirSync(path.resolve(options.class as string), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => path.join(path.resolve(options.class as string), e.name));
  if (submissions.length === 0) throw new Error(`No submission folders in ${options.class}.`);
  for (const s of submissions) if (!fs.existsSync(s)) throw new Error(`${s} does not exist.`);

  const rows: string[] = [];
  await pool(submissions, options.katas ? 1 : jobs, async (submission) => {
    const name = path.basename(submission);
    const outDir = options.katas ? path.resolve(options.out) : path.join(path.resolve(options.out), name);
    let line: string;
    try {
      const grades = await gradeSubmission(submission, outDir, config, options.only);
      const { points, maxPoints } = totalPoints(grades);
      line = `| ${name} | ${points.toFixed(1)} / ${maxPoints} | ${grades.map((g) => g.points.toFixed(1)).join(' | ')} |`;
      console.log(`${name}: ${points.toFixed(1)} / ${maxPoints} points (${path.relative(process.cwd(), path.join(outDir, 'summary.md'))})`);
    } catch (error) {
      // A submission that cannot be read scores 0; the others go on.
      line = `| ${name} | not graded: ${error instanceof Error ? error.message : String(error)} |`;
      console.log(`${name}: not graded (${error instanceof Error ? error.message : String(error)})`);
    }
    rows.push(line);
  });
  if (options.class) {
    const katas = listKatas().map((k) => k.number);
    const header = `| submission | total | ${katas.join(' | ')} |\n| --- | --- | ${katas.map(() => '---').join(' | ')} |`;
    const file = path.join(path.resolve(options.out), 'class-summary.md');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `# Class summary\n\n${header}\n${rows.sort().join('\n')}\n`);
    console.log(`Class summary: ${path.relative(process.cwd(), file)}`);
  }
}

main().catch((error: unknown) => {
  console.error(`grade: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
