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
 * Exit code 0 whenever grading ran, whatever the scores; 2 when it could not.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { REPO_ROOT } from '../../lib/plot-files';
import { collectManifests, kataModules, writeBridges } from './grading/bridge';
import { type GradingConfig, readGradingConfig, sandboxLimits } from './grading/config';
import { gradeClass } from './grading/course/grade-class';
import { readRoster } from './grading/course/roster';
import { parseShard, WHOLE_CLASS } from './grading/course/shard';
import { checkVariantKey, variantFor } from './grading/course/variant-key';
import { type KataGrade, totalPoints, writeReports } from './grading/reports';
import { sandboxUnavailable } from './grading/sandbox';
import { copyHost, copyLibrary, copySubmission, freshOutputFolder, makeScratch } from './grading/workspace';
import { listKatas } from '../shared/kata-list';
import { runKataTests } from '../shared/run-katas';

/**
 * Test files keep their own wall-clock limits (lib/time-limit.ts) for learners;
 * in grading mode the sandbox's CPU limit is what stops a kata, so those are
 * stretched by this factor, and the jest run as a whole gets WALL_FACTOR times
 * the CPU limit: a backstop for a kata that waits without computing.
 */
const TEST_TIME_SCALE = 4;
const WALL_FACTOR = 5;

const program = new Command()
  .name('grade')
  .description("Grade learners' katas folders, each in a sandbox")
  .option('--katas <folder>', 'one submission: a katas folder, or a folder that holds one')
  .option('--class <folder>', 'a folder of submission folders')
  .option('--out <folder>', 'where the reports go (created fresh)', path.join(REPO_ROOT, 'grading-results'))
  .option('--force', 'replace the --out folder if it exists')
  .option('--config <file>', 'points and limits', path.join(REPO_ROOT, 'grading.json'))
  .option('--jobs <n>', 'submissions graded at once', String(os.availableParallelism()))
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
  only?: string[];
  trusted?: boolean;
  variantKey?: string;
  variantKeyEnv?: string;
  shard?: string;
  roster?: string;
  since?: string;
}

export interface GradingRun {
  config: GradingConfig;
  scratch: string;
  libDir: string;
  hostDir: string;
  trusted: boolean;
  only?: string[];
}

function limitProblem(statusFile: string, config: GradingConfig): string | undefined {
  let reason: { kind?: unknown; detail?: unknown };
  try {
    reason = JSON.parse(fs.readFileSync(statusFile, 'utf8')) as typeof reason;
  } catch {
    return undefined;
  }
  const limits = sandboxLimits(config);
  switch (reason.kind) {
    case 'cpu':
      return `The kata used more than ${limits.cpuSeconds} s of CPU time and was stopped (a loop that never ends, or training far too long).`;
    case 'memory':
      return `The kata used more than ${limits.memoryMiB} MiB of memory and was stopped.`;
    case 'processes':
      return `The kata started more than ${limits.processes} processes and was stopped.`;
    case 'protocol':
      return 'The kata wrote on the channel between its process and the grader (file descriptor 3), which is the grader\'s alone, and was stopped.';
    default:
      return undefined;
  }
}

function selectedKatas(only?: string[]) {
  return listKatas().filter((k) => !only || only.some((o) => k.folder === o || k.number === o.padStart(2, '0')));
}

export async function gradeSubmission(
  submission: string,
  outDir: string,
  run: GradingRun,
  index: number,
  variant: number,
): Promise<{ grades: KataGrade[]; notes: string[] }> {
  const { config } = run;
  const work = path.join(run.scratch, `submission-${index}`);
  fs.mkdirSync(work, { mode: 0o755 });
  const { katasDir, notes } = copySubmission(submission, work);
  const layout = { katasDir, libDir: run.libDir, hostDir: run.hostDir };
  const limits = sandboxLimits(config);
  const bridgeDir = path.join(work, 'bridge');
  if (run.trusted) fs.symlinkSync(run.libDir, path.join(work, 'lib'), 'dir');
  else writeBridges(bridgeDir, await collectManifests(layout, limits, kataModules(katasDir)));

  const katas = selectedKatas(run.only);
  const grades: KataGrade[] = [];
  for (const kata of katas) {
    const maxPoints = config.points[kata.folder] ?? 0;
    if (!fs.existsSync(path.join(katasDir, kata.folder))) {
      grades.push({ kata: kata.folder, outcomes: [], problem: 'The submission has no folder for this kata.', points: 0, maxPoints, seconds: 0 });
      continue;
    }
    const statusFile = path.join(work, `${kata.folder}.status.json`);
    const wallSeconds = WALL_FACTOR * limits.cpuSeconds;
    const result = await runKataTests({
      kataDir: katasDir,
      testFiles: [kata.testFile],
      timeoutSeconds: wallSeconds,
      maxHeapMiB: config.maxHeapMiB,
      runInBand: true,
      env: {
        KATA_PLOTS_DIR: path.join(outDir, 'plots'),
        KATA_TIME_SCALE: String(TEST_TIME_SCALE),
        // Read by the tests (test/support/variant.ts) in the process that runs them, not by the kata.
        KATA_VARIANT: String(variant),
        ...(run.trusted
          ? {}
          : {
              KATA_BRIDGE_DIR: bridgeDir,
              KATA_GRADING: JSON.stringify({ ...layout, limits, statusFile }),
            }),
      },
    });
    const outcomes = result.byKata.get(kata.folder) ?? [];
    let problem = limitProblem(statusFile, config);
    if (problem) {
      // The limit is the cause of every failure after it.
    } else if (result.problem === 'timeout') {
      problem = `The kata's tests did not finish within ${wallSeconds} s of wall-clock time (${WALL_FACTOR} times the CPU limit) and were stopped: a kata that waits forever, or a machine loaded far beyond its cores.`;
    } else if (result.problem === 'crashed') {
      problem = 'The test run crashed before it could report.';
    } else if (outcomes.length === 0) {
      problem = 'No test ran for this kata.';
    }
    const passed = outcomes.filter((o) => o.status === 'passed').length;
    const points = problem || outcomes.length === 0 ? 0 : Math.round((10 * maxPoints * passed) / outcomes.length) / 10;
    grades.push({ kata: kata.folder, outcomes, ...(problem ? { problem } : {}), points, maxPoints, seconds: result.seconds });
  }
  return { grades, notes };
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

async function main(): Promise<void> {
  const options = program.parse().opts<Options>();
  if (!options.katas === !options.class) throw new Error('Give exactly one of --katas <folder> or --class <folder>.');
  const config = readGradingConfig(options.config);
  const jobs = Number(options.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs must be a positive whole number, got ${options.jobs}.`);
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
  // Trusted mode runs the copies in-process: their imports resolve through here.
  if (trusted) fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
  const run: GradingRun = { config, scratch, libDir: copyLibrary(scratch), hostDir: copyHost(scratch), trusted, ...(options.only ? { only: options.only } : {}) };
  try {
    if (options.katas) {
      const name = path.basename(source);
      const variant = variantFor(key, name);
      const { grades, notes } = await gradeSubmission(source, out, run, 0, variant);
      writeReports(out, name, grades, { notes, trusted, variant });
      const { points, maxPoints } = totalPoints(grades);
      console.log(`${shown(name)}: ${points.toFixed(1)} / ${maxPoints} points${trusted ? ' (trusted mode, not sandboxed)' : ''}`);
      return;
    }
    const katas = selectedKatas(options.only).map((k) => k.folder);
    await gradeClass(
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
      async ({ name, folder, outDir, variant, index }) => {
        const { grades, notes } = await gradeSubmission(folder, outDir, run, index, variant);
        // Timings go to run.json, not the reports: a regrade writes the same bytes.
        writeReports(outDir, name, grades, { notes, trusted, variant, timings: false });
        return grades;
      },
    );
    console.log(`Class summary: ${path.relative(process.cwd(), path.join(out, 'class-summary.md'))}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** A name as printed on the terminal: quoted and escaped unless it is plain. */
function shown(name: string): string {
  return /^[\p{L}\p{N} ._-]+$/u.test(name) ? name : JSON.stringify(name);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`grade: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
}
