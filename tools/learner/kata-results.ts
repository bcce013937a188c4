/**
 * The learner's current test results per kata, running only what changed:
 * a kata whose files have the fingerprint of its last run keeps that run's
 * results (.kata-state.json); the others run now, in one jest process.
 * Shared by `npm run kata` and `npm run hint`.
 */
import fs from 'node:fs';
import { describeFailure, metricsFile, readMetricRecords } from '../../lib/metric-records';
import { plotsDir } from '../../lib/plot-files';
import { kataFingerprint } from './kata-fingerprint';
import { type Kata } from '../shared/kata-list';
import { type KataResult, readState, writeState } from './learner-state';
import { type KataRun, runKataTests, type TestOutcome } from '../shared/run-katas';

export interface CurrentResults {
  byKata: Map<string, KataResult>;
  /** Katas whose last results were reused (their files have not changed). */
  reused: string[];
  /** Katas run now. */
  ran: string[];
  /** The run, when there was one. */
  run?: KataRun;
}

export function firstFailure(outcomes: TestOutcome[] | undefined): TestOutcome | undefined {
  return outcomes?.find((o) => o.status !== 'passed');
}

/** The failed check of the first failing test, as "name value is above its bound high", from the metrics log. */
function failureDetail(folder: string, failure: TestOutcome | undefined): string | undefined {
  if (!failure) return undefined;
  const failed = readMetricRecords(plotsDir(), folder).find((r) => !r.pass && r.test.endsWith(failure.title));
  return failed ? describeFailure(failed) : undefined;
}

export interface ResultOptions {
  kataDir: string;
  /** Run every kata, whatever changed. */
  rerunAll?: boolean;
  /** Told which katas are about to run, before they do. */
  onRun?: (folders: string[]) => void;
}

export async function currentResults(katas: Kata[], options: ResultOptions): Promise<CurrentResults> {
  const state = readState();
  const fingerprints = new Map(katas.map((k) => [k.folder, kataFingerprint(options.kataDir, k.folder)]));
  const fresh = (k: Kata) => !options.rerunAll && state.lastResults[k.folder]?.fingerprint === fingerprints.get(k.folder);
  const reused = katas.filter(fresh).map((k) => k.folder);
  const stale = katas.filter((k) => !fresh(k));
  const byKata = new Map<string, KataResult>(reused.map((folder) => [folder, state.lastResults[folder] as KataResult]));
  if (stale.length === 0) return { byKata, reused, ran: [] };

  options.onRun?.(stale.map((k) => k.folder));
  // A kata that fails before its first check writes no log: an old one must not be read as this run's.
  for (const kata of stale) fs.rmSync(metricsFile(plotsDir(), kata.folder), { force: true });
  const run = await runKataTests({ kataDir: options.kataDir, testFiles: stale.map((k) => k.testFile) });
  for (const kata of stale) {
    const outcomes = run.byKata.get(kata.folder) ?? [];
    const detail = failureDetail(kata.folder, firstFailure(outcomes));
    const result: KataResult = { fingerprint: fingerprints.get(kata.folder) as string, outcomes, ranAt: new Date().toISOString(), ...(detail ? { firstFailureDetail: detail } : {}) };
    byKata.set(kata.folder, result);
    // Only a run that finished is worth keeping.
    if (!run.problem && outcomes.length > 0) state.lastResults[kata.folder] = result;
  }
  writeState(state);
  return { byKata, reused, ran: stale.map((k) => k.folder), run };
}
