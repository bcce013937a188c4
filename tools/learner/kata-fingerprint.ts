/**
 * A kata's fingerprint: a hash of every file its test results depend on: the
 * kata's folder, the folders of the katas it imports (03 imports 02), its test
 * file and baseline, the shared lib/ and test/support/, and the variant.
 * Same fingerprint, same results: `npm run kata` and `npm run hint` reuse them.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/plot-files';

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** The kata folders that `folder`'s files import (`'../02-training-data/...'`), itself first, transitively. */
export function kataFolders(kataDir: string, folder: string, seen = new Set<string>()): string[] {
  if (seen.has(folder)) return [];
  seen.add(folder);
  const imported = filesUnder(path.join(kataDir, folder))
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/from\s+['"]\.\.\/(\d\d-[a-z0-9-]+)\//g)].map((m) => m[1] as string));
  return [folder, ...[...new Set(imported)].flatMap((other) => kataFolders(kataDir, other, seen))];
}

/** The files shared by every kata's tests. */
function sharedFiles(): string[] {
  return [...filesUnder(path.join(REPO_ROOT, 'lib')), ...filesUnder(path.join(REPO_ROOT, 'test', 'support')), path.join(REPO_ROOT, 'jest.config.ts')];
}

export function kataFingerprint(kataDir: string, folder: string): string {
  const hash = createHash('sha256');
  hash.update(`variant ${process.env.KATA_VARIANT ?? '0'}\nbackend ${process.env.KATA_BACKEND ?? ''}\n`);
  const files = [
    ...kataFolders(kataDir, folder).flatMap((f) => filesUnder(path.join(kataDir, f))),
    path.join(REPO_ROOT, 'test', `${folder}.test.ts`),
    path.join(REPO_ROOT, 'test', 'baselines', `${folder}.png`),
    ...sharedFiles(),
  ];
  for (const file of files) {
    hash.update(`${file}\n`);
    if (fs.existsSync(file)) hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex');
}
