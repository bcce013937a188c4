/**
 * `npm run reset -- 03`: puts kata 03's original stub back. The learner's
 * file is first copied to .kata-backups/ (git-ignored), and the path printed.
 * The original comes from git: the upstream branch when there is one
 * (origin/HEAD), else the first commit that has the file.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { REPO_ROOT } from '../plot-files';
import { findKata } from './kata-arg';

const program = new Command()
  .name('reset')
  .description("Restore a kata's original stub, keeping a backup of your file")
  .argument('<kata>', 'kata number or name, e.g. 03')
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

function main(): void {
  const kata = findKata(program.args[0] ?? '');
  const dir = path.join('katas', kata.folder);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const files = fs.readdirSync(path.join(REPO_ROOT, dir)).filter((f) => f.endsWith('.ts'));
  for (const name of files) {
    const file = path.join(dir, name);
    const original = git(['show', `${originalRef(file)}:${file}`]);
    const current = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
    if (current === original) {
      console.log(`${file} is already the original stub.`);
      continue;
    }
    const backup = path.join('.kata-backups', kata.folder, `${name}.${stamp}`);
    fs.mkdirSync(path.join(REPO_ROOT, path.dirname(backup)), { recursive: true });
    fs.writeFileSync(path.join(REPO_ROOT, backup), current);
    fs.writeFileSync(path.join(REPO_ROOT, file), original);
    console.log(`${file} is the original stub again. Your version is in ${backup}.`);
  }
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
