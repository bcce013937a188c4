/**
 * The compiler in the loop: `npm test` (and `npm test -- NN`) reports the type
 * errors of the kata files under test, as one failing test per kata that names
 * file, line and error. The kata tests themselves run transpiled only, which
 * is fast but blind to types.
 *
 * The check costs a few seconds of one core, mostly TypeScript reading the
 * declarations of tfjs, so it runs in a child process beside the tests:
 * - startTypeCheck(), from jest's globalSetup, starts one check of the katas
 *   whose test files this run will run (lib/kata-type-errors.ts), leaving out
 *   those whose result for these very files is already there;
 * - each kata's test (testCompiles(), the last of its file) waits for its
 *   kata's result, recognised by a fingerprint of the files' contents, and
 *   starts a check itself when none is under way (a watch rerun, say);
 * - stopTypeCheck(), from globalTeardown, ends a check nobody waits for.
 * Results are kept per kata in node_modules/.cache/kata-type-check/: a run
 * whose files have not changed reuses them and checks nothing.
 *
 * Not in grading mode (KATA_BRIDGE_DIR): grades count the tests of behaviour only
 * (docs/instructors.md says why).
 * KATA_TYPECHECK=0 turns it off.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatTypeError, type KataTypeError, TYPE_CHECK_TEST_TITLE } from '../../lib/kata-type-error';
import { kataTreeDir, REPO_ROOT } from './kata-tree-dir';

/** One kata's result, in its own file. */
export interface TypeCheckResult {
  /** Of the files checked: a result for other file contents is stale. */
  fingerprint: string;
  errors?: KataTypeError[];
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

/** A hash of everything the check reads that can change: the tree's kata files, lib/ and tsconfig.json. */
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

/** Where a kata's result and the pid of the check that writes it are kept. */
export function resultFiles(kataDir: string, kata: string): { result: string; pid: string } {
  const key = crypto.createHash('sha256').update(kataDir).digest('hex').slice(0, 12);
  return { result: path.join(CACHE_DIR, `${key}-${kata}.json`), pid: path.join(CACHE_DIR, `${key}-${kata}.pid`) };
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

function startChild(kataDir: string, katas: string[], print: string): ChildProcess {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', CHILD, kataDir, print, ...katas], {
    cwd: REPO_ROOT,
    stdio: 'ignore',
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  for (const kata of katas) fs.writeFileSync(resultFiles(kataDir, kata).pid, String(child.pid));
  // Below the tests' priority: it uses a core they leave idle, and never slows a training against its time limit.
  try {
    os.setPriority(child.pid as number, 10);
  } catch {
    // Not allowed here: it then runs at the tests' priority.
  }
  return child;
}

const running = globalThis as { __KATA_TYPE_CHECK__?: ChildProcess };

/**
 * From globalSetup: starts the check of the katas this run will test (`runs` says whether a kata's
 * test file is among them), leaving out those whose result for the current files exists.
 */
export function startTypeCheck(runs: (kata: string) => boolean): void {
  if (!typeCheckWanted()) return;
  const kataDir = kataTreeDir();
  if (!fs.existsSync(kataDir)) return;
  const print = fingerprint(kataDir);
  const katas = Object.keys(kataFiles(kataDir)).filter((kata) => runs(kata) && readResult(resultFiles(kataDir, kata).result)?.fingerprint !== print);
  if (katas.length > 0) running.__KATA_TYPE_CHECK__ = startChild(kataDir, katas, print);
}

/** From globalTeardown: a check still running when every test has finished has no one waiting for it. */
export function stopTypeCheck(): void {
  const child = running.__KATA_TYPE_CHECK__;
  if (child && child.exitCode === null) child.kill();
  delete running.__KATA_TYPE_CHECK__;
}

/** Waits for the kata's result for the tree's current files, starting the check itself when no one else runs it. */
async function currentResult(kataDir: string, kata: string): Promise<TypeCheckResult> {
  const print = fingerprint(kataDir);
  const where = resultFiles(kataDir, kata);
  const deadline = performance.now() + WAIT_SECONDS * 1000 * Math.max(1, Number(process.env.KATA_TIME_SCALE ?? 1) || 1);
  let ownChild: ChildProcess | undefined;
  try {
    for (;;) {
      const result = readResult(where.result);
      if (result?.fingerprint === print) return result;
      if (!ownChild && !alive(where.pid)) ownChild = startChild(kataDir, [kata], print);
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
      const result = await currentResult(kataTreeDir(), kata);
      if (result.error) {
        throw withoutStack(new KataTypeCheckError(`The TypeScript check of your kata files could not run: ${result.error}. That is not about your code; npm run typecheck runs the compiler by hand.`));
      }
      const errors = result.errors ?? [];
      if (errors.length === 0) return;
      const shown = errors.slice(0, 10).map((error) => `  ${formatTypeError(error, REPO_ROOT).replace(/\n/g, '\n    ')}`);
      throw withoutStack(
        new KataTypeCheckError(
          `TypeScript finds ${errors.length} type error${errors.length === 1 ? '' : 's'} in ${kata} and the files it imports ` +
            `(the other tests run your code without checking types, so they may pass):\n${shown.join('\n')}` +
            (errors.length > shown.length ? `\n  ... and ${errors.length - shown.length} more (npm run typecheck lists them all)` : ''),
        ),
      );
    },
    (WAIT_SECONDS + 20) * 1000,
  );
}
