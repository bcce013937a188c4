/**
 * Where plots a person should look at are written: plots/ at the repository
 * root (git-ignored), or KATA_PLOTS_DIR when a grader points it elsewhere.
 */
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..');

export function plotsDir(): string {
  return path.resolve(process.env.KATA_PLOTS_DIR ?? path.join(REPO_ROOT, 'plots'));
}

/** Writes `<plots>/<name>.png` and returns its path. */
export function savePlot(name: string, png: Buffer): string {
  const dir = plotsDir();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  fs.writeFileSync(file, png);
  return file;
}
