/**
 * The compiler in the loop: `npm test` (and `npm test -- NN`) reports the type
 * errors of the kata files under test, as one failing test per kata that names
 * file, line and error. The kata tests themselves run transpiled only, which
 * is fast but blind to types.
 *
 * The check costs about two seconds of one core, mostly TypeScript reading
 * tfjs' declarations, so it runs in a child process beside the tests:
 * - startTypeCheck(), from jest's globalSetup, starts it for every kata of the
 *   tree under test at once (one program, lib/kata-type-errors.ts), unless a
 *   result for these very files is already there (a rerun costs nothing);
 * - each kata's test (testCompiles(), the last of its file) waits for that
 *   result, recognised by a fingerprint of the files' contents;
 * - stopTypeCheck(), from globalTeardown, ends a check nobody waits for.
 * The result is kept in node_modules/.cache/kata-type-check/ with that
 * fingerprint: a run whose files have not changed reuses it.
 *
 * Not in grading mode (KATA_BRIDGE_DIR): the grader reports type errors itself.
 * KATA_TYPECHECK=0 turns it off.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { formatTypeError, type KataTypeError, TYPE_CHECK_TEST_TITLE } from '../../lib/kata-type-errors';
import { kataTreeDir, REPO_ROOT } from './kata-tree-dir';

export interface TypeCheckResult {
  /** Of the files checked: a result for other file contents is stale. */
  fingerprint: string;
  byKata?: Record<string, KataTypeError[]>;
  /** Set when the check itself failed (not the learner's code). */
  error?: string;
  seconds?: number;
}

const CACHE_DIR = path.join(REPO_ROOT, 'node_modules', '.cache', 'kata-type-check');
const CHILD = path.join(__dirname, 'type-check-child.ts');
/** How long a kata's test waits for the check, at most (it takes a few seconds; a loaded machine, more). */
const WAIT_SECONDS = 100;

export function typeCheckWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env.KATA_BRIDGE_DIR && env.KATA_TYPECHECK !== '0';
}

/** The katas of a tree, and their .ts files: the groups the check reports on. */
export function kataFiles(kataDir: string): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const entry of fs.readdirSync(kataDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !/^\d\d-[a-z0-9-]+$/.test(entry.name)) continue;
    groups[entry.name] = fs
      .readdirSync(path.join(kataDir, entry.name))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => path.join(kataDir, entry.name, file));
  }
  return groups;
}

/** A hash of everything the check reads that can change: the kata files, lib/ and tsconfig.json. */
export function fingerprint(kataDir: string): string {
  const lib = path.join(REPO_ROOT, 'lib');
  const files = [
    ...Object.values(kataFiles(kataDir)).flat(),
    ...fs.readdirSync(lib).filter((file) => file.endsWith('.ts') || file.endsWith('.js')).map((file) => path.join(lib, file)),
    path.join(REPO_ROOT, 'tsconfig.json'),
  ].sort();
  const hash = crypto.createHash('sha256');
  for (const file of files) hash.update(`${file}\0`).update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 20);
}

function place(kataDir: string): { result: string; pid: string } {
  const key = crypto.createHash('sha256').update(kataDir).digest('hex').slice(0, 12);
  return { result: path.join(CACHE_DIR, `${key}.json`), pid: path.join(CACHE_DIR, `${key}.pid`) };
}

function readResult(file: string): TypeCheckResult | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as TypeCheckResult;
  } catch {
    return undefined;
  }
}

function alive(pidFile: string): boolean {
  try {
    process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
}

function startChild(kataDir: string, print: string): ChildProcess {
  const where = place(kataDir);
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', CHILD, kataDir, where.result, print], {
    cwd: REPO_ROOT,
    stdio: 'ignore',
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  fs.writeFileSync(where.pid, String(child.pid));
  return child;
}

const running = globalThis as { __KATA_TYPE_CHECK__?: ChildProcess };

/** From globalSetup: starts the check of the tree under test, unless its result for these files exists. */
export function startTypeCheck(): void {
  if (!typeCheckWanted()) return;
  const kataDir = kataTreeDir();
  if (!fs.existsSync(kataDir)) return;
  const print = fingerprint(kataDir);
  if (readResult(place(kataDir).result)?.fingerprint === print) return;
  running.__KATA_TYPE_CHECK__ = startChild(kataDir, print);
}

/** From globalTeardown: a check still running when every test has finished has no one waiting for it. */
export function stopTypeCheck(): void {
  const child = running.__KATA_TYPE_CHECK__;
  if (child && child.exitCode === null) child.kill();
  delete running.__KATA_TYPE_CHECK__;
}

/** Waits for the result for the tree's current files, starting the check itself when no one else runs it. */
async function currentResult(kataDir: string): Promise<TypeCheckResult> {
  const print = fingerprint(kataDir);
  const where = place(kataDir);
  const deadline = performance.now() + WAIT_SECONDS * 1000 * Math.max(1, Number(process.env.KATA_TIME_SCALE ?? 1) || 1);
  let ownChild: ChildProcess | undefined;
  try {
    for (;;) {
      const result = readResult(where.result);
      if (result?.fingerprint === print) return result;
      // No check under way (a watch rerun, a run that skipped globalSetup's): start one.
      if (!ownChild && !alive(where.pid)) ownChild = startChild(kataDir, print);
      if (performance.now() > deadline) return { fingerprint: print, error: `it did not finish within ${WAIT_SECONDS} s` };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    if (ownChild && ownChild.exitCode === null) ownChild.kill();
  }
}

class KataTypeCheckError extends Error {
  override name = 'KataTypeCheckError';
}

/** The error names the files and lines itself: no code frame of this helper beneath it. */
function withoutStack(error: Error): Error {
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

/**
 * Registers the kata's type-check test; call it at the end of the kata's test file with
 * __filename, so that the check has run beside the other tests by the time it is read.
 */
export function testCompiles(testFile: string): void {
  if (!typeCheckWanted()) return;
  const kata = path.basename(testFile).replace(/\.test\.ts$/, '');
  test(
    TYPE_CHECK_TEST_TITLE,
    async () => {
      const kataDir = kataTreeDir();
      const result = await currentResult(kataDir);
      if (result.error) {
        throw withoutStack(new KataTypeCheckError(`The TypeScript check of your kata files could not run: ${result.error}. That is not about your code; npm run typecheck runs the compiler by hand.`));
      }
      const errors = result.byKata?.[kata] ?? [];
      if (errors.length === 0) return;
      const shown = errors.slice(0, 10).map((error) => `  ${formatTypeError(error, REPO_ROOT).replace(/\n/g, '\n    ')}`);
      throw withoutStack(new KataTypeCheckError(
        `TypeScript finds ${errors.length} type error${errors.length === 1 ? '' : 's'} in ${kata} and the files it imports ` +
          `(the other tests run your code without checking types, so they may pass):\n${shown.join('\n')}` +
          (errors.length > shown.length ? `\n  ... and ${errors.length - shown.length} more (npm run typecheck lists them all)` : ''),
      ));
    },
    (WAIT_SECONDS + 20) * 1000,
  );
}
