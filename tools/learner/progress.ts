/**
 * `npm run kata`: every kata with its status, the first failing test with the
 * checked value against its bound, and the kata to work on next. Only katas
 * whose files changed since the last run are run again (--all runs every
 * one). Exits non-zero until every kata is done.
 */
import path from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import { REPO_ROOT } from '../../lib/plot-files';
import { firstFailure, currentResults } from './kata-results';
import { listKatas } from '../shared/kata-list';
import { kataStatus } from '../shared/run-katas';

const program = new Command()
  .name('kata')
  .description('Show the status of every kata and the next one to work on')
  .option('--katas <folder>', 'the katas folder to check', path.join(REPO_ROOT, 'katas'))
  .option('--all', 'run every kata, even those whose files have not changed since the last run', false)
  .parse();
const options = program.opts<{ katas: string; all: boolean }>();

/** The first line of a failure message, whole: it is what the learner reads. */
const firstLine = (message: string | undefined) => (message ?? '').split('\n').find((line) => line.trim() !== '')?.trim() ?? '';

async function main(): Promise<void> {
  const katas = listKatas();
  const started = performance.now();
  const results = await currentResults(katas, {
    kataDir: options.katas,
    rerunAll: options.all,
    onRun: (folders) => console.log(pc.dim(`Running ${folders.length === katas.length ? 'every kata' : folders.map((f) => f.slice(0, 2)).join(', ')} against your code...`)),
  });
  const run = results.run;
  if (run?.problem) console.log(pc.red(`The test run ${run.problem === 'timeout' ? 'timed out' : 'crashed'}:\n${run.stderrTail}`));
  let next: string | undefined;
  let done = 0;
  // Wide enough for the longest kata name (07-products-and-gates is 21 characters).
  const nameWidth = Math.max(...katas.map((k) => k.folder.length)) + 1;
  for (const kata of katas) {
    const outcomes = results.byKata.get(kata.folder)?.outcomes;
    const status = kataStatus(outcomes);
    const passed = outcomes?.filter((o) => o.status === 'passed').length ?? 0;
    const label = status === 'done' ? pc.green('done       ') : status === 'failing' ? pc.yellow('failing    ') : pc.dim('not started');
    const reused = results.reused.includes(kata.folder) ? pc.dim('  (last results: unchanged)') : '';
    console.log(`${label}  ${kata.folder.padEnd(nameWidth)} ${String(passed).padStart(2)}/${outcomes?.length ?? 0} tests${reused}`);
    if (status === 'done') {
      done += 1;
      continue;
    }
    next ??= kata.folder;
    const failure = firstFailure(outcomes);
    if (status === 'failing' && failure) {
      console.log(`             first failing: ${failure.title}`);
      const detail = results.byKata.get(kata.folder)?.firstFailureDetail ?? firstLine(failure.message);
      if (detail) console.log(pc.dim(`             ${detail}`));
    }
  }
  console.log();
  const seconds = (performance.now() - started) / 1000;
  const reusedNote = results.reused.length > 0 ? ` Reused the last results of ${results.reused.map((f) => f.slice(0, 2)).join(', ')}: their files have not changed (--all reruns them).` : '';
  console.log(pc.dim(`${results.ran.length > 0 ? `Ran ${results.ran.length} kata${results.ran.length === 1 ? '' : 's'} in ${seconds.toFixed(1)} s.` : `Ran nothing (${seconds.toFixed(1)} s).`}${reusedNote}`));
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
