/**
 * `npm run mutation [-- 01 03]`: StrykerJS's syntactic mutation score of
 * solutions/ against the kata tests, one kata at a time (its jest runner,
 * config in tools/maintainer/mutation/stryker.config.json). Beside the hand-written
 * cases of `npm run check:mutants`, it finds what no one thought to write:
 * each surviving mutant is a missing check or an equivalent mutant, and
 * test/mutants/SURVIVORS.md says which. Writes reports/mutation/<kata>.json
 * and reports/mutation/summary.md. Slow (minutes per kata): not part of CI.
 * StrykerJS is a maintainer-only package: `npm run setup:maintainer` installs it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { REPO_ROOT } from '../../lib/plot-files';
import { findKata } from '../shared/kata-arg';
import { listKatas } from '../shared/kata-list';
import { resolveExtra } from './extras';

const program = new Command()
  .name('mutation')
  .description('StrykerJS mutation score of solutions/ against the kata tests, per kata')
  .argument('[katas...]', 'kata numbers or names (all when none)')
  .option('--report-only', 'summarise the reports of earlier runs, run nothing')
  .parse();

/** The parts of Stryker's JSON report (mutation-testing-report-schema) read here. */
interface MutationReport {
  files: Record<string, { source: string; mutants: { mutatorName: string; replacement?: string; status: string; location: { start: { line: number } } }[] }>;
}

const REPORTS = path.join(REPO_ROOT, 'reports', 'mutation');

function runStryker(folder: string): void {
  const stryker = resolveExtra('@stryker-mutator/core/bin/stryker.js', 'npm run mutation');
  resolveExtra('@stryker-mutator/jest-runner', 'npm run mutation');
  const result = spawnSync(
    process.execPath,
    [stryker, 'run', 'tools/maintainer/mutation/stryker.config.json', '--mutate', `solutions/${folder}/**/*.ts`],
    { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, KATA_TREE: 'solutions', KATA_ANIMATE: '0' } },
  );
  if (result.status !== 0) throw new Error(`Stryker failed on ${folder} (exit ${result.status}).`);
  fs.renameSync(path.join(REPORTS, 'mutation.json'), path.join(REPORTS, `${folder}.json`));
}

function summarise(folder: string): string {
  const file = path.join(REPORTS, `${folder}.json`);
  if (!fs.existsSync(file)) return `## ${folder}\n\nNo report: run \`npm run mutation -- ${folder.slice(0, 2)}\`.\n`;
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as MutationReport;
  const mutants = Object.values(report.files).flatMap((f) => f.mutants.map((m) => ({ ...m, lines: f.source.split('\n') })));
  const count = (status: string) => mutants.filter((m) => m.status === status).length;
  const detected = count('Killed') + count('Timeout');
  const valid = mutants.filter((m) => !['CompileError', 'RuntimeError', 'Ignored'].includes(m.status)).length;
  const survivors = mutants
    .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
    .sort((a, b) => a.location.start.line - b.location.start.line)
    .map((m) => {
      const line = m.location.start.line;
      const code = (m.lines[line - 1] ?? '').trim().slice(0, 100);
      return `- line ${line}, ${m.mutatorName}${m.status === 'NoCoverage' ? ' (no test runs it)' : ''}: \`${code}\` → \`${(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80)}\``;
    });
  return [
    `## ${folder}`,
    '',
    `Score ${((100 * detected) / Math.max(1, valid)).toFixed(1)}%: ${detected} of ${valid} mutants detected ` +
      `(killed ${count('Killed')}, timed out ${count('Timeout')}, survived ${count('Survived')}, no coverage ${count('NoCoverage')}).`,
    '',
    ...(survivors.length > 0 ? ['Survivors:', ...survivors] : ['No survivors.']),
    '',
  ].join('\n');
}

function main(): void {
  const folders = (program.args.length > 0 ? program.args.map(findKata) : listKatas()).map((k) => k.folder);
  const { reportOnly } = program.opts<{ reportOnly?: boolean }>();
  fs.mkdirSync(REPORTS, { recursive: true });
  if (!reportOnly) for (const folder of folders) runStryker(folder);
  const all = listKatas().map((k) => summarise(k.folder));
  const summary = `# Mutation score of solutions/ (StrykerJS)\n\nMade by \`npm run mutation\`; the survivors are discussed in test/mutants/SURVIVORS.md.\n\n${all.join('\n')}`;
  fs.writeFileSync(path.join(REPORTS, 'summary.md'), summary);
  console.log(`\n${summary}\nWritten to ${path.relative(process.cwd(), path.join(REPORTS, 'summary.md'))}`);
}

main();
