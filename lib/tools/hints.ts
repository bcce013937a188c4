/**
 * `npm run hint -- 03`: the next hint for kata 03, one at a time.
 * `--all` shows every hint; `--reset` starts over. Hints come from the
 * kata's hints.md ("## Task N" sections of numbered items) and never hold
 * solution code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import { REPO_ROOT } from '../plot-files';
import { findKata } from './kata-arg';
import { parseHints } from './hint-file';
import { readState, writeState } from './learner-state';

const program = new Command()
  .name('hint')
  .description('Show the next hint for a kata')
  .argument('<kata>', 'kata number or name, e.g. 03')
  .option('--all', 'show every hint of the kata', false)
  .option('--reset', 'start this kata\'s hints over', false)
  .parse();

function main(): void {
  const kata = findKata(program.args[0] ?? '');
  const { all, reset } = program.opts<{ all: boolean; reset: boolean }>();
  const hints = parseHints(fs.readFileSync(path.join(REPO_ROOT, 'katas', kata.folder, 'hints.md'), 'utf8'));
  const state = readState();
  if (reset) {
    state.hintsShown[kata.number] = 0;
    writeState(state);
    console.log(`Hints for kata ${kata.number} start over.`);
    return;
  }
  const show = (i: number) => {
    const hint = hints[i];
    if (hint) console.log(`${pc.bold(`${hint.section}, hint ${i + 1} of ${hints.length}:`)} ${hint.text}`);
  };
  if (all) {
    hints.forEach((_, i) => show(i));
    return;
  }
  const shown = state.hintsShown[kata.number] ?? 0;
  if (shown > 0) console.log(pc.dim(`(${shown} hint(s) of kata ${kata.number} shown before; --all lists them.)`));
  if (shown >= hints.length) {
    console.log(`That was every hint for kata ${kata.number}. Re-read katas/${kata.folder}/README.md, or --reset.`);
    return;
  }
  show(shown);
  state.hintsShown[kata.number] = shown + 1;
  writeState(state);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
