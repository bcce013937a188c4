/**
 * `npm run classroom:instructor -- --roster <file> [--shards n]` writes
 * .github/workflows/grade-course.yml, the instructor's grading workflow, for
 * their private copy of this repository: the roster (committed there) split
 * into n shards graded in parallel, then merged into one course report.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { REPO_ROOT } from '../../lib/plot-files';
import { readGradingConfig } from './grading/config';
import { defaultShardCount, instructorWorkflow, MAX_MATRIX_JOBS } from './grading/course/instructor-workflow';
import { readRoster } from './grading/course/roster';

export const COURSE_WORKFLOW_FILE = path.join(REPO_ROOT, '.github', 'workflows', 'grade-course.yml');

const program = new Command()
  .name('classroom:instructor')
  .description("Write the instructor's course grading workflow for GitHub Actions")
  .requiredOption('--roster <file>', "GitHub Classroom's grades CSV, or owner/name lines; committed inside this repository")
  .option('--shards <n>', 'parallel grading jobs (default: one per 20 learners)')
  .option('--out <file>', 'where the workflow goes', COURSE_WORKFLOW_FILE)
  .parse();

try {
  const options = program.opts<{ roster: string; shards?: string; out: string }>();
  const rosterFile = path.resolve(options.roster);
  const relative = path.relative(REPO_ROOT, rosterFile);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`${options.roster} is outside this repository: commit the roster inside it (course/roster.csv, say), so the workflow can read it.`);
  }
  const learners = readRoster(rosterFile).length;
  const shards = options.shards === undefined ? defaultShardCount(learners) : Number(options.shards);
  if (!Number.isInteger(shards) || shards < 1 || shards > Math.min(MAX_MATRIX_JOBS, learners)) {
    throw new Error(`--shards must be a whole number from 1 to ${Math.min(MAX_MATRIX_JOBS, learners)} (learners, and Actions' matrix limit), got ${options.shards}.`);
  }
  const config = readGradingConfig();
  const text = instructorWorkflow({
    roster: relative.split(path.sep).join('/'),
    learners,
    shards,
    katas: Object.keys(config.points).length,
    timeLimitSeconds: config.timeLimitSeconds,
  });
  fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
  fs.writeFileSync(path.resolve(options.out), text);
  console.log(`Wrote ${path.relative(process.cwd(), path.resolve(options.out))}: ${learners} learners in ${shards} shards.`);
} catch (error) {
  console.error(`classroom:instructor: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
