/**
 * The type check of some katas of a tree, run beside the tests (type-check.ts starts it):
 *   node -r ts-node/register/transpile-only type-check-child.ts <kata dir> <fingerprint> <kata>...
 * Writes one result file per kata, whole (written aside, then renamed), with the fingerprint it
 * was given, so that a test never reads a half-written result or one for other file contents.
 */
import fs from 'node:fs';
import path from 'node:path';
import { kataTypeErrors } from '../../lib/kata-type-errors';
import { kataFiles, resultFiles, type TypeCheckResult } from './type-check';
import { REPO_ROOT } from './kata-tree-dir';

function writeAtomically(file: string, result: TypeCheckResult): void {
  const aside = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(aside, JSON.stringify(result));
  fs.renameSync(aside, file);
}

function main(): void {
  const [kataDir, fingerprint, ...katas] = process.argv.slice(2) as [string, string, ...string[]];
  const started = performance.now();
  const files = kataFiles(kataDir);
  let outcome: (kata: string) => TypeCheckResult;
  try {
    const byKata = kataTypeErrors(Object.fromEntries(katas.map((kata) => [kata, files[kata] ?? []])), { tsconfig: path.join(REPO_ROOT, 'tsconfig.json') });
    const seconds = (performance.now() - started) / 1000;
    outcome = (kata) => ({ fingerprint, errors: byKata[kata] ?? [], seconds });
  } catch (error) {
    outcome = () => ({ fingerprint, error: error instanceof Error ? error.message : String(error) });
  }
  for (const kata of katas) writeAtomically(resultFiles(kataDir, kata).result, outcome(kata));
}

main();
