/**
 * The type check of one katas tree, run beside the tests (type-check.ts starts it):
 *   node -r ts-node/register/transpile-only type-check-child.ts <kata dir> <result file> <fingerprint>
 * Writes the result file once, whole (written aside, then renamed), with the fingerprint it was
 * given, so that a test never reads a half-written result or one for other file contents.
 */
import fs from 'node:fs';
import path from 'node:path';
import { kataTypeErrors } from '../../lib/kata-type-errors';
import { kataFiles, type TypeCheckResult } from './type-check';
import { REPO_ROOT } from './kata-tree-dir';

function writeAtomically(file: string, result: TypeCheckResult): void {
  const aside = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(aside, JSON.stringify(result));
  fs.renameSync(aside, file);
}

function main(): void {
  const [kataDir, resultFile, fingerprint] = process.argv.slice(2) as [string, string, string];
  const started = performance.now();
  try {
    const byKata = kataTypeErrors(kataFiles(kataDir), { tsconfig: path.join(REPO_ROOT, 'tsconfig.json') });
    writeAtomically(resultFile, { fingerprint, byKata, seconds: (performance.now() - started) / 1000 });
  } catch (error) {
    writeAtomically(resultFile, { fingerprint, error: error instanceof Error ? error.message : String(error) });
  }
}

main();
