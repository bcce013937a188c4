/** The katas in this repository, read from the folder names: NN-slug. */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/plot-files';

export interface Kata {
  /** "01-linear-model" */
  folder: string;
  /** "01" */
  number: string;
  /** The test file that checks it, relative to the repository. */
  testFile: string;
}

export function listKatas(root = REPO_ROOT): Kata[] {
  return fs
    .readdirSync(path.join(root, 'katas'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d\d-[a-z0-9-]+$/.test(entry.name))
    .map((entry) => ({
      folder: entry.name,
      number: entry.name.slice(0, 2),
      testFile: path.join('test', `${entry.name}.test.ts`),
    }))
    .sort((a, b) => a.folder.localeCompare(b.folder));
}
