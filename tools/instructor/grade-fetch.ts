/**
 * `npm run grade:fetch -- --roster <file> [--shard i/n] --into <folder>`: clones
 * the katas/ of every learner in the roster (or in one shard of it) into a
 * class folder for `npm run grade -- --class`. A repository that cannot be
 * fetched is reported and left out (the grader then scores it "not graded");
 * exit code 1 when none could be fetched (a wrong token, say), 2 on bad arguments.
 * The token, read-only, comes from GH_TOKEN.
 */
import path from 'node:path';
import { Command } from 'commander';
import { fetchKatas } from './grading/course/fetch';
import { freshOutputFolder } from './grading/workspace';
import { readRoster } from './grading/course/roster';
import { parseShard, selectShard, WHOLE_CLASS } from './grading/course/shard';

const program = new Command()
  .name('grade:fetch')
  .description("Clone the learners' katas folders of a roster into a class folder")
  .requiredOption('--roster <file>', "GitHub Classroom's grades CSV, or owner/name lines")
  .requiredOption('--into <folder>', 'the class folder to create')
  .option('--shard <i/n>', 'only the learners of this shard (the same slices as npm run grade)')
  .option('--force', 'replace a non-empty --into folder', false)
  .parse();

let exitCode = 0;
try {
  const options = program.opts<{ roster: string; into: string; shard?: string; force: boolean }>();
  const roster = readRoster(options.roster);
  const names = new Set(selectShard(roster.map((l) => l.name), options.shard ? parseShard(options.shard) : WHOLE_CLASS));
  const into = path.resolve(options.into);
  freshOutputFolder(into, options.force);
  const token = process.env.GH_TOKEN || undefined;
  let fetched = 0;
  for (const learner of roster.filter((l) => names.has(l.name))) {
    try {
      const commit = fetchKatas(learner, into, token);
      fetched += 1;
      console.log(`${learner.name}: ${commit}`);
    } catch (error) {
      console.log(`${learner.name}: not fetched (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  console.log(`Fetched ${fetched} of ${names.size} repositories into ${path.relative(process.cwd(), into) || '.'}`);
  if (fetched === 0 && names.size > 0) exitCode = 1;
} catch (error) {
  console.error(`grade:fetch: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 2;
}
process.exit(exitCode);
