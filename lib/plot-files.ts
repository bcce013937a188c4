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

/** Set by the grader: a file in its own scratch folder where the tests' process records the plot files it could not write. */
export const PLOT_WRITE_FAILURES_ENV = 'KATA_PLOT_WRITE_FAILURES';

/**
 * Writes a file under the plots folder (and its folder). Where the grader
 * asked for it (PLOT_WRITE_FAILURES_ENV), a write that fails (a full disk
 * under --out) is recorded there, not thrown: it is the machine's failure, not
 * the test's, and the grader stops with it as with a report it cannot write.
 * Anywhere else it is thrown, naming the file.
 */
export function writePlotFile(file: string, data: string | Buffer): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
  } catch (error) {
    // (An error of the file system may come from another realm than this module's Error, as in jest's: its message is read as is.)
    const said = (error as { message?: unknown } | null)?.message;
    const message = typeof said === 'string' ? said : String(error);
    const failures = process.env[PLOT_WRITE_FAILURES_ENV];
    if (!failures) throw new Error(`could not write ${file}: ${message}`, { cause: error });
    fs.appendFileSync(failures, `${JSON.stringify({ file, message })}\n`);
  }
}

/** Writes `<plots>/<name>.png` and returns its path. */
export function savePlot(name: string, png: Buffer): string {
  const file = path.join(plotsDir(), `${name}.png`);
  writePlotFile(file, png);
  return file;
}

/**
 * A kata's plot files its last test run did not write (a run filtered with -t, or a test that
 * failed before drawing): still on disk from an earlier run, and marked so, by the tests.
 */
export interface StalePlots {
  /** When the run ended. */
  ranAt: string;
  /** Paths relative to the plots folder, each with when it was written. */
  stale: { file: string; writtenAt: string }[];
}

export function stalePlotsFile(dir: string, kata: string): string {
  return path.join(dir, 'runs', `${kata}.json`);
}

export function readStalePlots(dir: string, kata: string): StalePlots | undefined {
  try {
    return JSON.parse(fs.readFileSync(stalePlotsFile(dir, kata), 'utf8')) as StalePlots;
  } catch {
    return undefined;
  }
}

/** The plot files a kata's tests write: its plot, its training animation and what that cost. */
export function kataPlotFiles(kata: string): string[] {
  return [`${kata}.png`, `${kata}-training.gif`, `${kata}-training.json`];
}
