/**
 * `npm run reset -- 03`: puts kata 03's original stub back. The learner's
 * file is first copied to .kata-backups/03-deep-relu/ (git-ignored) under a
 * name that keeps its .ts ending (deep-relu.2026-11-28T08-40-13-947Z.ts), and
 * the path printed. `--list` lists the backups, newest first; `--restore`
 * puts the newest back (after backing up the current file in turn).
 * The original comes from git: the upstream branch when there is one
 * (origin/HEAD), else the first commit that has the file.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { REPO_ROOT } from '../../lib/plot-files';
import { findKata } from '../shared/kata-arg';
import { type Kata } from '../shared/kata-list';

const program = new Command()
  .name('reset')
  .description("Restore a kata's original stub, keeping a backup of your file")
  .argument('<kata>', 'kata number or name, e.g. 03')
  .option('--list', "list the kata's backups, newest first", false)
  .option('--restore', 'put the newest backup back (your current file is backed up first)', false)
  .parse();

function git(args: string[]): string {
  return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function originalRef(file: string): string {
  try {
    git(['rev-parse', '--verify', '--quiet', 'origin/HEAD']);
    git(['cat-file', '-e', `origin/HEAD:${file}`]);
    return 'origin/HEAD';
  } catch {
    const first = git(['log', '--diff-filter=A', '--format=%H', '--', file]).trim().split('\n').pop();
    if (!first) throw new Error(`git has no original of ${file}: is this a clone of the repository?`);
    return first;
  }
}

const backupDir = (kata: Kata) => path.join('.kata-backups', kata.folder);
/** deep-relu.ts -> deep-relu.<stamp>.ts; the stamp sorts as time does. */
const BACKUP_NAME = /^(.+)\.(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z)\.ts$/;

interface Backup { file: string; original: string; stamp: string }

function listBackups(kata: Kata): Backup[] {
  const dir = path.join(REPO_ROOT, backupDir(kata));
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((name) => ({ name, match: BACKUP_NAME.exec(name) }))
    .filter((b) => b.match)
    .map(({ name, match }) => ({ file: path.join(backupDir(kata), name), original: `${match?.[1]}.ts`, stamp: match?.[2] as string }))
    .sort((a, b) => b.stamp.localeCompare(a.stamp) || a.file.localeCompare(b.file));
}

function backUp(kata: Kata, name: string, content: string, stamp: string): string {
  const backup = path.join(backupDir(kata), `${name.replace(/\.ts$/, '')}.${stamp}.ts`);
  fs.mkdirSync(path.join(REPO_ROOT, path.dirname(backup)), { recursive: true });
  fs.writeFileSync(path.join(REPO_ROOT, backup), content);
  return backup;
}

function reset(kata: Kata, stamp: string): void {
  const dir = path.join('katas', kata.folder);
  const files = fs.readdirSync(path.join(REPO_ROOT, dir)).filter((f) => f.endsWith('.ts'));
  for (const name of files) {
    const file = path.join(dir, name);
    const original = git(['show', `${originalRef(file)}:${file}`]);
    const current = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
    if (current === original) {
      console.log(`${file} is already the original stub.`);
      continue;
    }
    const backup = backUp(kata, name, current, stamp);
    fs.writeFileSync(path.join(REPO_ROOT, file), original);
    console.log(`${file} is the original stub again. Your version is in ${backup}. (npm run reset -- ${kata.number} --restore puts it back.)`);
  }
}

function restore(kata: Kata, stamp: string): void {
  const backups = listBackups(kata);
  const newest = backups[0];
  if (!newest) throw new Error(`Kata ${kata.number} has no backups in ${backupDir(kata)}/: npm run reset -- ${kata.number} makes one.`);
  // Every file backed up at the newest backup's time: one reset's worth.
  for (const backup of backups.filter((b) => b.stamp === newest.stamp)) {
    const file = path.join('katas', kata.folder, backup.original);
    const current = fs.existsSync(path.join(REPO_ROOT, file)) ? fs.readFileSync(path.join(REPO_ROOT, file), 'utf8') : undefined;
    const content = fs.readFileSync(path.join(REPO_ROOT, backup.file), 'utf8');
    if (current === content) {
      console.log(`${file} is already the same as ${backup.file}.`);
      continue;
    }
    // The stub needs no backup (git has it); anything else the learner wrote does.
    const isStub = current !== undefined && current === git(['show', `${originalRef(file)}:${file}`]);
    const saved = current === undefined || isStub ? undefined : backUp(kata, backup.original, current, stamp);
    fs.writeFileSync(path.join(REPO_ROOT, file), content);
    console.log(`${file} is your version of ${backup.stamp} again (from ${backup.file}).${saved ? ` What it held is in ${saved}.` : ''}`);
  }
}

function main(): void {
  const kata = findKata(program.args[0] ?? '');
  const options = program.opts<{ list: boolean; restore: boolean }>();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  if (options.list) {
    const backups = listBackups(kata);
    if (backups.length === 0) console.log(`Kata ${kata.number} has no backups yet.`);
    for (const b of backups) console.log(`${b.stamp}  ${b.file}`);
    return;
  }
  if (options.restore) restore(kata, stamp);
  else reset(kata, stamp);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
