/**
 * `npm run kata`: every kata with its status, the first failing task, and the
 * kata to work on next. Exits non-zero until every kata is done.
 */
import path from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import { REPO_ROOT } from '../plot-files';
import { listKatas } from './kata-list';
import { kataStatus, runKataTests } from './run-katas';

const program = new Command()
  .name('kata')
  .description('Show the status of every kata and the next one to work on')
  .option('--katas <folder>', 'the katas folder to check', path.join(REPO_ROOT, 'katas'))
  .parse();
const options = program.opts<{ katas: string }>();

async function main(): Promise<void> {
  const katas = listKatas();
  console.log(pc.dim('Running every kata against your code (about 20 s)...'));
  const run = await runKataTests({ kataDir: options.katas });
  if (run.problem) console.log(pc.red(`The test run ${run.problem === 'timeout' ? 'timed out' : 'crashed'}:\n${run.stderrTail}`));
  let next: string | undefined;
  let done = 0;
  for (const kata of katas) {
    const outcomes = run.byKata.get(kata.folder);
    const status = kataStatus(outcomes);
    const passed = outcomes?.filter((o) => o.status === 'passed').length ?? 0;
    const total = outcomes?.length ?? 0;
    const label = status === 'done' ? pc.green('done       ') : status === 'failing' ? pc.yellow('failing    ') : pc.dim('not started');
    let line = `${label}  ${kata.folder.padEnd(20)} ${String(passed).padStart(2)}/${total} tests`;
    if (status === 'done') done += 1;
    else {
      const firstFailure = outcomes?.find((o) => o.status !== 'passed');
      if (firstFailure) line += pc.dim(`   first failing: ${firstFailure.title.slice(0, 70)}`);
      next ??= kata.folder;
    }
    console.log(line);
  }
  console.log();
  if (next) {
    console.log(`Next: kata ${next.slice(0, 2)}. Read ${pc.bold(`katas/${next}/README.md`)}, then run ${pc.bold(`npm test -- ${next.slice(0, 2)}`)}.`);
    console.log(pc.dim(`Stuck? npm run hint -- ${next.slice(0, 2)}`));
    process.exitCode = 1;
  } else {
    console.log(pc.green(`All ${done} katas done.`));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
