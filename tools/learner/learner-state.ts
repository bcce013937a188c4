/** What the learner tools remember between runs: .kata-state.json at the repository root (git-ignored). */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/plot-files';
import { type TestOutcome } from '../shared/run-katas';

/** One kata's last test results, and the fingerprint of the files they were run on. */
export interface KataResult {
  fingerprint: string;
  outcomes: TestOutcome[];
  /** For the first failing test: the checked value against its bound, from the metrics log. */
  firstFailureDetail?: string;
  /** When it ran (ISO time). */
  ranAt: string;
}

export interface LearnerState {
  /** How many hints of each kata ("03") and task ("5") have been shown. */
  hintsShown: Record<string, Record<string, number>>;
  /** The last results of each kata folder ("03-deep-relu"). */
  lastResults: Record<string, KataResult>;
}

export const STATE_FILE = path.join(REPO_ROOT, '.kata-state.json');

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function readState(): LearnerState {
  try {
    const parsed = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as Partial<LearnerState>;
    // Hint counts per kata, from before hints were counted per task, start over.
    const hintsShown = Object.fromEntries(Object.entries(parsed.hintsShown ?? {}).filter(([, v]) => isRecord(v)));
    return { hintsShown, lastResults: parsed.lastResults ?? {} };
  } catch {
    return { hintsShown: {}, lastResults: {} };
  }
}

export function writeState(state: LearnerState): void {
  fs.writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}
