/** What the learner tools remember between runs: .kata-state.json at the repository root (git-ignored). */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../plot-files';

export interface LearnerState {
  /** How many hints of each kata ("03") have been shown. */
  hintsShown: Record<string, number>;
}

const STATE_FILE = path.join(REPO_ROOT, '.kata-state.json');

export function readState(): LearnerState {
  try {
    const parsed = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as Partial<LearnerState>;
    return { hintsShown: parsed.hintsShown ?? {} };
  } catch {
    return { hintsShown: {} };
  }
}

export function writeState(state: LearnerState): void {
  fs.writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}
