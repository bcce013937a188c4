/**
 * `npm run grade -- --katas <folder>`: grades a learner's katas folder (a
 * clone, an unzipped submission). `--class <folder>` grades every submission
 * folder inside. Writes results.json per kata (exercism v3), junit.xml and
 * summary.md per submission; for a class also a results.json per learner,
 * class-summary.md, gradebook.csv and manifest.json (grading/course/: secret
 * variants, shards to merge with `npm run grade:merge`, --since).
 *
 * Submissions are hostile code. Each is copied in (grading/workspace.ts) and
 * runs only inside a sandbox (grading/sandbox.ts); the jest process that runs
 * the tests, computes points and writes reports loads generated bridge
 * modules (grading/bridge.ts) that reach the kata through the sandbox as data.
 * Without a sandbox it refuses, unless --trusted (the kata then runs inside
 * the test process, as with npm test, and the reports say so).
 * Exit code 0 when every submission was graded, whatever the scores; 3 when the
 * grader or the machine kept some from being graded (each says "not graded:
 * grader error", and --since grades it again); 2 when grading could not run
 * (bad arguments, no sandbox, a canary that did not get full marks, nothing
 * to grade in --katas) or its reports could not be written (the output folder
 * is then emptied: grading/output-files.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { REPO_ROOT } from '../../lib/plot-files';
import { canaryProblem } from './grading/canary';
import { closeInheritedDescriptors } from './grading/child/descriptors';
import { readGradingConfig } from './grading/config';
import { gradeClass } from './grading/course/grade-class';
import { readRoster } from './grading/course/roster';
import { parseShard, WHOLE_CLASS } from './grading/course/shard';
import { checkVariantKey, variantFor } from './grading/course/variant-key';
import { defaultKatasAtOnce, gradeSubmission, type GradingRun, selectedKatas } from './grading/grade-submission';
import { listKatas } from '../shared/kata-list';
import { abandonOutput, emptyFolder, OutputWriteError } from './grading/output-files';
import { totalPoints, writeReports } from './grading/reports';
import { makeMountStage, removeMountStage, sandboxUnavailable } from './grading/sandbox';
import { copyHost, copyLibrary, freshOutputFolder, makeScratch, NoSubmissionError } from './grading/workspace';

/** Graded, but the grader or the machine kept some submissions (or katas) from being graded: grade them again. */
const EXIT_NOT_GRADED = 3;

const program = new Command()
  .name('grade')
  // Bad arguments exit 2, as every other reason grading cannot run (commander's own is 1); help exits 0.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  .description("Grade learners' katas folders, each in a sandbox")
  .option('--katas <folder>', 'one submission: a katas folder, or a folder that holds one')
  .option('--class <folder>', 'a folder of submission folders')
  .option('--out <folder>', 'where the reports go (created fresh)', path.join(REPO_ROOT, 'grading-results'))
  .option('--force', 'replace the --out folder if it exists')
  .option('--config <file>', 'points and limits', path.join(REPO_ROOT, 'grading.json'))
  .option('--jobs <n>', 'submissions graded at once', String(os.availableParallelism()))
  .option('--kata-jobs <n>', 'katas of one submission graded at once (default: the cores divided among the submissions graded at once, at least 1)')
  .option('--only <katas...>', 'grade only these katas (numbers or folder names)')
  .option('--trusted', 'run the katas without a sandbox, in the test process: only for code you trust (your own)')
  .option('--variant-key <secret>', "draw each submission's KATA_VARIANT from this secret and its name")
  .option('--variant-key-env <name>', 'the same, the secret read from this environment variable (kept off process lists)')
  .option('--shard <i/n>', 'with --class: grade only the i-th of n slices of the submissions (sorted by name)')
  .option('--roster <file>', "with --class: the class's repositories (GitHub Classroom's grades CSV, or owner/name lines)")
  .option('--since <folder>', 'with --class: reuse the reports of submissions unchanged since this earlier output');

interface Options {
  katas?: string;
  class?: string;
  out: string;
  force?: boolean;
  config: string;
  jobs: string;
  kataJobs?: string;
  only?: string[];
  trusted?: boolean;
  variantKey?: string;
  variantKeyEnv?: string;
  shard?: string;
  roster?: string;
  since?: string;
}

function variantKey(options: Options): string | undefined {
  if (options.variantKey !== undefined && options.variantKeyEnv !== undefined) throw new Error('Give one of --variant-key or --variant-key-env.');
  let key = options.variantKey;
  if (options.variantKeyEnv !== undefined) {
    key = process.env[options.variantKeyEnv];
    if (!key) throw new Error(`--variant-key-env ${options.variantKeyEnv}: that environment variable is empty or unset.`);
    // No child process (jest, the sandbox) inherits it.
    delete process.env[options.variantKeyEnv];
  }
  if (key !== undefined) checkVariantKey(key);
  return key;
}

async function main(): Promise<number> {
  // Descriptors the launching shell left open are not the grader's to pass on (each sandbox covers the rest: grading/sandbox.ts).
  closeInheritedDescriptors();
  const options = program.parse().opts<Options>();
  if (!options.katas === !options.class) throw new Error('Give exactly one of --katas <folder> or --class <folder>.');
  const config = readGradingConfig(options.config);
  const unknown = (options.only ?? []).filter((o) => selectedKatas([o]).length === 0);
  if (unknown.length > 0) {
    throw new Error(`--only names no kata: ${unknown.map((o) => JSON.stringify(o)).join(', ')}. Give kata numbers or folder names, separated by spaces (--only 01 03 or --only 01-linear-model): ${listKatas().map((k) => k.number).join(', ')}.`);
  }
  const jobs = Number(options.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs must be a positive whole number, got ${options.jobs}.`);
  const kataJobs = options.kataJobs === undefined ? undefined : Number(options.kataJobs);
  if (kataJobs !== undefined && (!Number.isInteger(kataJobs) || kataJobs < 1)) throw new Error(`--kata-jobs must be a positive whole number, got ${options.kataJobs}.`);
  const atOnce = (submissionsAtOnce: number) => ({ submissionsAtOnce, katasAtOnce: kataJobs ?? defaultKatasAtOnce(submissionsAtOnce) });
  if (options.katas && (options.shard || options.roster || options.since)) throw new Error('--shard, --roster and --since go with --class.');
  const key = variantKey(options);
  const source = path.resolve((options.katas ?? options.class) as string);
  if (!fs.existsSync(source)) throw new Error(`${source} does not exist.`);
  const trusted = options.trusted === true;
  if (!trusted) {
    const missing = sandboxUnavailable();
    if (missing) {
      throw new Error(
        `submissions are untrusted code and run only in a sandbox, but ${missing} ` +
          'docs/instructors.md, "Getting the sandbox", says how to get one. To grade code you trust (your own katas) without it, add --trusted.',
      );
    }
  }
  const out = path.resolve(options.out);
  freshOutputFolder(out, options.force === true);

  const scratch = makeScratch();
  const mountStage = trusted ? undefined : makeMountStage();
  try {
    // Trusted mode runs the copies in-process: their imports resolve through here.
    if (trusted) fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
    const run: GradingRun = {
      config,
      scratch,
      libDir: copyLibrary(scratch),
      hostDir: copyHost(scratch),
      trusted,
      ...(mountStage ? { mountStage } : {}),
      ...(options.only ? { only: options.only } : {}),
    };
    const katas = selectedKatas(options.only).map((k) => k.folder);
    const canary = katas.length > 0 ? canaryProblem(run) : Promise.resolve(undefined);
    const stopUnlessCanaryPassed = async () => {
      const problem = await canary;
      if (problem) {
        // Whatever a single submission's grading left in the output folder is not reported.
        emptyFolder(out);
        throw new Error(
          `the canary, a reference solution graded as a submission on this machine, did not get full marks, so every submission would be graded wrong here; no grade was reported. What it measured: ${problem}`,
        );
      }
    };
    if (options.katas) {
      const name = path.basename(source);
      const variant = variantFor(key, name);
      // One submission is graded beside its canary, which would otherwise hold a core for a few
      // seconds with the other idle; no grade is reported before the canary has passed.
      const [graded] = await Promise.allSettled([gradeSubmission(source, out, { ...run, ...atOnce(1) }, 0, variant), canary]);
      await stopUnlessCanaryPassed();
      if (graded.status === 'rejected') {
        const reason: unknown = graded.reason;
        if (reason instanceof NoSubmissionError) throw new Error(`${source}: ${reason.message}`);
        throw reason;
      }
      const { grades, notes } = graded.value;
      writeReports(out, name, grades, { notes, trusted, variant });
      const { points, maxPoints, notGraded } = totalPoints(grades);
      if (notGraded > 0) {
        const reasons = grades.filter((g) => g.graderError !== undefined).map((g) => `${g.kata}: ${g.graderError}`);
        console.log(`${shown(name)}: not graded: grader error (${reasons.join('; ')})`);
        return EXIT_NOT_GRADED;
      }
      console.log(`${shown(name)}: ${points.toFixed(1)} / ${maxPoints} points${trusted ? ' (trusted mode, not sandboxed)' : ''}`);
      return 0;
    }
    // A class waits for its canary: its grading is long, and its reports are written as it goes.
    await stopUnlessCanaryPassed();
    const manifest = await gradeClass(
      {
        classDir: source,
        out,
        shard: options.shard ? parseShard(options.shard) : WHOLE_CLASS,
        ...(key !== undefined ? { variantKey: key } : {}),
        ...(options.since ? { since: path.resolve(options.since) } : {}),
        ...(options.roster ? { roster: readRoster(options.roster) } : {}),
        katas,
        trusted,
        settings: { config, katas },
        jobs,
        show: shown,
      },
      async ({ name, folder, outDir, variant, index, submissionsAtOnce }) => {
        const { grades, notes, usage } = await gradeSubmission(folder, outDir, { ...run, ...atOnce(submissionsAtOnce) }, index, variant);
        // Timings go to run.json, not the reports: a regrade writes the same bytes.
        writeReports(outDir, name, grades, { notes, trusted, variant, timings: false });
        return { grades, usage };
      },
    );
    console.log(`Class summary: ${path.relative(process.cwd(), path.join(out, 'class-summary.md'))}`);
    const failed = manifest.submissions.filter((s) => s.graderError !== undefined).length;
    if (failed === 0) return 0;
    console.error(`grade: ${failed} submission${failed === 1 ? ' was' : 's were'} not graded because of the grader or the machine (see class-summary.md); grade them again with --since ${path.relative(process.cwd(), out) || '.'} and a new --out.`);
    return EXIT_NOT_GRADED;
  } catch (error) {
    // A full disk, a quota: the machine's, and the reports written so far would pass for complete ones.
    if (error instanceof OutputWriteError) throw new Error(abandonOutput(out, error));
    throw error;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    removeMountStage(mountStage);
  }
}

/** A name as printed on the terminal: quoted and escaped unless it is plain. */
function shown(name: string): string {
  return /^[\p{L}\p{N} ._-]+$/u.test(name) ? name : JSON.stringify(name);
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`grade: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(2);
    },
  );
}
