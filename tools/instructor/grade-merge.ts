/**
 * `npm run grade:merge -- <shard output>... --out <folder>`: merges the
 * outputs of `npm run grade -- --class ... --shard i/n` into one class report
 * (class-summary.md, gradebook.csv, manifest.json, every submission's reports),
 * byte for byte what grading the class unsharded writes. Refuses shards graded
 * under different commits, settings or keys, and a shard or a submission
 * missing or given twice. Exit code 2 when it refuses.
 */
import path from 'node:path';
import { Command } from 'commander';
import { mergeShards } from './grading/course/merge';
import { freshOutputFolder } from './grading/workspace';

const program = new Command()
  .name('grade:merge')
  .description('Merge shard outputs of npm run grade into one class report')
  .argument('<shards...>', 'the output folders of every shard')
  .requiredOption('--out <folder>', 'where the class report goes')
  .option('--force', 'replace a non-empty --out folder', false)
  .parse();

try {
  const options = program.opts<{ out: string; force: boolean }>();
  const shards = program.args.map((dir) => path.resolve(dir));
  const out = path.resolve(options.out);
  if (shards.includes(out)) throw new Error('--out must not be one of the shard folders.');
  freshOutputFolder(out, options.force);
  const manifest = mergeShards(shards, out);
  console.log(`Merged ${shards.length} shard(s), ${manifest.submissions.length} submissions: ${path.relative(process.cwd(), path.join(out, 'class-summary.md'))}, gradebook.csv`);
} catch (error) {
  console.error(`grade:merge: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
