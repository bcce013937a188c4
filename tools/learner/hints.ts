/**
 * `npm run hint -- 03`: the next hint for the task of kata 03 you are stuck
 * on: the task of its first failing test, read from the last results when the
 * kata's files have not changed since, else from running its tests now.
 * `--task 5` picks the task; `--all` shows every hint; `--reset` starts over.
 * Hints come from the kata's hints.md ("## Task N" sections of numbered
 * items) and never hold solution code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import pc from 'picocolors';
import { REPO_ROOT } from '../../lib/plot-files';
import { findKata } from '../shared/kata-arg';
import { type Kata } from '../shared/kata-list';
import { parseHints } from './hint-file';
import { currentResults, firstFailure } from './kata-results';
import { readState, writeState } from './learner-state';
import { kataStatus } from '../shared/run-katas';

const program = new Command()
  .name('hint')
  .description('Show the next hint for the task you are stuck on')
  .argument('<kata>', 'kata number or name, e.g. 03')
  .option('--task <n>', 'the task to get a hint for (default: the task of the first failing test)', (v) => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError('a task number, e.g. 5');
    return Number(v);
  })
  .option('--all', 'show every hint of the kata', false)
  .option('--reset', "start this kata's hints over", false)
  .option('--katas <folder>', 'the katas folder to check', path.join(REPO_ROOT, 'katas'))
  .parse();

interface Options { task?: number; all: boolean; reset: boolean; katas: string }

/** The task of the kata's first failing test, and why it was chosen. */
async function stuckTask(kata: Kata, kataDir: string): Promise<{ task?: number; why: string }> {
  const results = await currentResults([kata], {
    kataDir,
    onRun: () => console.log(pc.dim(`Running kata ${kata.number}'s tests to see which task you are on...`)),
  });
  const outcomes = results.byKata.get(kata.folder)?.outcomes;
  const source = results.reused.length > 0 ? 'in the last run (your files have not changed since)' : 'now';
  if (kataStatus(outcomes) === 'done') return { why: `Every test of kata ${kata.number} passes ${source}.` };
  const failure = firstFailure(outcomes);
  const failedTask = outcomes?.find((o) => o.status !== 'passed' && o.task !== undefined);
  if (!failedTask) return { why: `The first failing test ${source}, "${failure?.title ?? 'the test file'}", is about no single task.` };
  return { task: failedTask.task as number, why: `The first failing test ${source} is "${failedTask.title}".` };
}

async function main(): Promise<void> {
  const kata = findKata(program.args[0] ?? '');
  const options = program.opts<Options>();
  const hints = parseHints(fs.readFileSync(path.join(REPO_ROOT, 'katas', kata.folder, 'hints.md'), 'utf8'));
  const tasks = [...new Set(hints.map((h) => h.task).filter((t): t is number => t !== undefined))];
  if (options.reset) {
    const state = readState();
    state.hintsShown[kata.number] = {};
    writeState(state);
    console.log(`Hints for kata ${kata.number} start over.`);
    return;
  }
  if (options.all) {
    hints.forEach((hint, i) => console.log(`${pc.bold(`${hint.section}, hint ${hints.slice(0, i + 1).filter((h) => h.section === hint.section).length}:`)} ${hint.text}`));
    return;
  }
  let task = options.task;
  if (task === undefined) {
    const stuck = await stuckTask(kata, options.katas);
    console.log(pc.dim(stuck.why));
    if (stuck.task === undefined) {
      console.log(`Pick a task with --task N (kata ${kata.number} has hints for tasks ${tasks.join(', ')}), or read them all with --all.`);
      return;
    }
    task = stuck.task;
  }
  const forTask = hints.filter((h) => h.task === task);
  if (forTask.length === 0) throw new Error(`Kata ${kata.number} has no hints for task ${task}; it has hints for tasks ${tasks.join(', ')}.`);
  // Read after the test run, which records its results in the same file.
  const state = readState();
  const shownByTask = (state.hintsShown[kata.number] ??= {});
  const shown = shownByTask[String(task)] ?? 0;
  if (shown >= forTask.length) {
    console.log(`That was every hint for task ${task} of kata ${kata.number} (${forTask.length}). Re-read katas/${kata.folder}/README.md, task ${task}, or --reset to start over.`);
    return;
  }
  const hint = forTask[shown] as (typeof forTask)[number];
  const left = forTask.length - shown - 1;
  console.log(`${pc.bold(`Kata ${kata.number}, task ${task}, hint ${shown + 1} of ${forTask.length}:`)} ${hint.text}`);
  console.log(pc.dim(left > 0 ? `${left} more hint${left === 1 ? '' : 's'} for task ${task}: run the same command again.` : `That was the last hint for task ${task}.`));
  shownByTask[String(task)] = shown + 1;
  writeState(state);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
