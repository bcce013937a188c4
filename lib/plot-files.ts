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
