/**
 * `npm run grade -- --katas <folder>`: grades a learner's katas folder (a
 * clone, an unzipped submission). `--class <folder>` grades every submission
 * folder inside. Writes results.json per kata (exercism v3), junit.xml and
 * summary.md per submission, and class-summary.md for a class.
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
import { REPO_ROOT } from '../plot-files';
import { collectManifests, kataModules, writeBridges } from './grading/bridge';
import { type GradingConfig, readGradingConfig, sandboxLimits } from './grading/config';
import { type KataGrade, markdownCell, totalPoints, writeReports } from './grading/reports';
import { sandboxUnavailable } from './grading/sandbox';
import { copyHost, copyLibrary, copySubmission, freshOutputFolder, makeScratch } from './grading/workspace';
import { listKatas } from './kata-list';
import { runKataTests } from './run-katas';

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
  .option('--trusted', 'run the katas without a sandbox, in the test process: only for code you trust (your own)');

interface Options {
  katas?: string;
  class?: string;
  out: string;
  force?: boolean;
  config: string;
  jobs: string;
  only?: string[];
  trusted?: boolean;
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
    default:
      return undefined;
  }
}

export async function gradeSubmission(submission: string, outDir: string, run: GradingRun, index: number): Promise<{ grades: KataGrade[]; notes: string[] }> {
  const { config } = run;
  const work = path.join(run.scratch, `submission-${index}`);
  fs.mkdirSync(work, { mode: 0o755 });
  const { katasDir, notes } = copySubmission(submission, work);
  const layout = { katasDir, libDir: run.libDir, hostDir: run.hostDir };
  const limits = sandboxLimits(config);
  const bridgeDir = path.join(work, 'bridge');
  if (run.trusted) fs.symlinkSync(run.libDir, path.join(work, 'lib'), 'dir');
  else writeBridges(bridgeDir, await collectManifests(layout, limits, kataModules(katasDir)));

  const katas = listKatas().filter((k) => !run.only || run.only.some((o) => k.folder === o || k.number === o.padStart(2, '0')));
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

async function pool<T>(items: T[], jobs: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  const queue = items.map((item, index) => ({ item, index }));
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await work(next.item, next.index);
    }),
  );
}

function submissionsOf(options: Options): string[] {
  if (options.katas) {
    const one = path.resolve(options.katas);
    if (!fs.existsSync(one)) throw new Error(`${one} does not exist.`);
    return [one];
  }
  const folder = path.resolve(options.class as string);
  if (!fs.existsSync(folder)) throw new Error(`${folder} does not exist.`);
  // Real folders only: a link in the class folder is not followed.
  const submissions = fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => path.join(folder, e.name))
    .sort();
  if (submissions.length === 0) throw new Error(`No submission folders in ${folder}.`);
  return submissions;
}

async function main(): Promise<void> {
  const options = program.parse().opts<Options>();
  if (!options.katas === !options.class) throw new Error('Give exactly one of --katas <folder> or --class <folder>.');
  const config = readGradingConfig(options.config);
  const jobs = Number(options.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs must be a positive whole number, got ${options.jobs}.`);
  const submissions = submissionsOf(options);
  const trusted = options.trusted === true;
  if (!trusted) {
    const missing = sandboxUnavailable();
    if (missing) {
      throw new Error(
        `submissions are untrusted code and run only in a sandbox, but ${missing} ` +
          'README, "Grading", says how to get one. To grade code you trust (your own katas) without it, add --trusted.',
      );
    }
  }
  const out = path.resolve(options.out);
  freshOutputFolder(out, options.force === true);

  const scratch = makeScratch();
  // Trusted mode runs the copies in-process: their imports resolve through here.
  if (trusted) fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
  const run: GradingRun = { config, scratch, libDir: copyLibrary(scratch), hostDir: copyHost(scratch), trusted, ...(options.only ? { only: options.only } : {}) };
  const rows: { name: string; line: string }[] = [];
  try {
    await pool(submissions, options.katas ? 1 : jobs, async (submission, index) => {
      const name = path.basename(submission);
      // A folder per submission in a class; its name is the submission's, made safe for a path.
      const outDir = options.katas ? out : path.join(out, safeFolderName(name, index));
      let line: string;
      try {
        const { grades, notes } = await gradeSubmission(submission, outDir, run, index);
        writeReports(outDir, name, grades, { notes, trusted });
        const { points, maxPoints } = totalPoints(grades);
        line = `| ${markdownCell(name)} | ${points.toFixed(1)} / ${maxPoints} | ${grades.map((g) => g.points.toFixed(1)).join(' | ')} |`;
        console.log(`${shown(name)}: ${points.toFixed(1)} / ${maxPoints} points${trusted ? ' (trusted mode, not sandboxed)' : ''}`);
      } catch (error) {
        // A submission that cannot be read scores 0; the others go on.
        const reason = error instanceof Error ? error.message : String(error);
        line = `| ${markdownCell(name)} | not graded: ${markdownCell(reason)} |`;
        console.log(`${shown(name)}: not graded (${reason})`);
      }
      rows.push({ name, line });
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  if (options.class) {
    const katas = listKatas().map((k) => k.number);
    const header = `| submission | total | ${katas.join(' | ')} |\n| --- | --- | ${katas.map(() => '---').join(' | ')} |`;
    const mode = trusted ? '\n**Trusted mode: the katas ran without a sandbox.**\n' : '';
    const file = path.join(out, 'class-summary.md');
    rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    fs.writeFileSync(file, `# Class summary\n${mode}\n${header}\n${rows.map((r) => r.line).join('\n')}\n`, { flag: 'wx' });
    console.log(`Class summary: ${path.relative(process.cwd(), file)}`);
  }
}

/** A name as printed on the terminal: quoted and escaped unless it is plain. */
function shown(name: string): string {
  return /^[\p{L}\p{N} ._-]+$/u.test(name) ? name : JSON.stringify(name);
}

/** A submission's name as one path segment: kept when harmless, else replaced. */
function safeFolderName(name: string, index: number): string {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name) ? name : `submission-${index + 1}`;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`grade: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
}
