/**
 * `npm run grade -- --katas <folder>`: grades a learner's katas folder (a
 * clone, an unzipped submission) without touching it or the committed
 * baselines. `--class <folder>` grades every submission folder inside, using
 * every core. Writes results.json per kata (exercism v3), junit.xml and
 * summary.md per submission; for a class also a results.json per learner,
 * class-summary.md, gradebook.csv and manifest.json (lib/tools/grading/course/:
 * secret variants, shards, --since).
 * Exit code 0 whenever grading ran, whatever the scores; 2 when it could not.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { REPO_ROOT } from '../plot-files';
import { readGradingConfig, type GradingConfig } from './grading/config';
import { gradeClass } from './grading/course/grade-class';
import { freshOutputFolder } from './grading/course/output-folder';
import { readRoster } from './grading/course/roster';
import { parseShard, WHOLE_CLASS } from './grading/course/shard';
import { checkVariantKey, variantFor } from './grading/course/variant-key';
import { type KataGrade, type ReportOptions, totalPoints, writeReports } from './grading/reports';
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
  .option('--variant-key <secret>', "draw each submission's KATA_VARIANT from this secret and its name")
  .option('--variant-key-env <name>', 'the same, the secret read from this environment variable (kept out of process lists)')
  .option('--shard <i/n>', 'with --class: grade only the i-th of n slices of the submissions (sorted by name)')
  .option('--roster <file>', "with --class: the class's repositories (GitHub Classroom's grades CSV, or owner/name lines)")
  .option('--since <folder>', 'with --class: reuse the reports of submissions unchanged since this earlier output')
  .option('--force', 'replace a non-empty --out folder', false)
  .parse();

interface Options {
  katas?: string;
  class?: string;
  out: string;
  config: string;
  jobs: string;
  only?: string[];
  variantKey?: string;
  variantKeyEnv?: string;
  shard?: string;
  roster?: string;
  since?: string;
  force: boolean;
}

const PROTECTED = [path.join(REPO_ROOT, 'test', 'baselines'), path.join(REPO_ROOT, 'lib', 'models')];

function selectedKatas(only?: string[]) {
  return listKatas().filter((k) => !only || only.some((o) => k.folder === o || k.number === o.padStart(2, '0')));
}

export async function gradeSubmission(
  submission: string,
  outDir: string,
  config: GradingConfig,
  only: string[] | undefined,
  reportOptions: ReportOptions & { variant: number },
): Promise<KataGrade[]> {
  const workspace = makeWorkspace(submission);
  const guard = new ProtectedFiles([...PROTECTED, workspace.baselineDir]);
  const katas = selectedKatas(only);
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
        env: { KATA_PLOTS_DIR: path.join(outDir, 'plots'), KATA_BASELINE_DIR: workspace.baselineDir, KATA_VARIANT: String(reportOptions.variant) },
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
  writeReports(outDir, path.basename(path.resolve(submission)), grades, reportOptions);
  return grades;
}

function variantKey(options: Options): string | undefined {
  if (options.variantKey !== undefined && options.variantKeyEnv !== undefined) throw new Error('Give one of --variant-key or --variant-key-env.');
  let key = options.variantKey;
  if (options.variantKeyEnv !== undefined) {
    key = process.env[options.variantKeyEnv];
    if (!key) throw new Error(`--variant-key-env ${options.variantKeyEnv}: that environment variable is empty or unset.`);
    // No child process (jest, a kata) inherits it.
    delete process.env[options.variantKeyEnv];
  }
  if (key !== undefined) checkVariantKey(key);
  return key;
}

async function main(): Promise<void> {
  const options = program.opts<Options>();
  if (!options.katas === !options.class) throw new Error('Give exactly one of --katas <folder> or --class <folder>.');
  if (options.katas && (options.shard || options.roster || options.since)) throw new Error('--shard, --roster and --since go with --class.');
  const config = readGradingConfig(options.config);
  const jobs = Number(options.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs must be a positive whole number, got ${options.jobs}.`);
  const key = variantKey(options);
  const out = path.resolve(options.out);

  if (options.katas) {
    const submission = path.resolve(options.katas);
    if (!fs.existsSync(submission)) throw new Error(`${submission} does not exist.`);
    const name = path.basename(submission);
    const grades = await gradeSubmission(submission, out, config, options.only, { variant: variantFor(key, name) });
    const { points, maxPoints } = totalPoints(grades);
    console.log(`${name}: ${points.toFixed(1)} / ${maxPoints} points (${path.relative(process.cwd(), path.join(out, 'summary.md'))})`);
    return;
  }

  const classDir = path.resolve(options.class as string);
  if (!fs.existsSync(classDir)) throw new Error(`${classDir} does not exist.`);
  freshOutputFolder(out, options.force);
  const katas = selectedKatas(options.only).map((k) => k.folder);
  await gradeClass(
    {
      classDir,
      out,
      shard: options.shard ? parseShard(options.shard) : WHOLE_CLASS,
      ...(key !== undefined ? { variantKey: key } : {}),
      ...(options.since ? { since: path.resolve(options.since) } : {}),
      ...(options.roster ? { roster: readRoster(options.roster) } : {}),
      katas,
      settings: { config, katas },
      jobs,
    },
    // Timings stay out of the reports (they go to run.json), so that a regrade writes the same bytes.
    ({ folder, outDir, variant }) => gradeSubmission(folder, outDir, config, options.only, { variant, timings: false }),
  );
  console.log(`Class summary: ${path.relative(process.cwd(), path.join(out, 'class-summary.md'))}`);
}

main().catch((error: unknown) => {
  console.error(`grade: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
});
