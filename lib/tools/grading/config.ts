/** grading.json: points per kata and the limits of one kata run. */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../plot-files';

export interface GradingConfig {
  timeLimitSeconds: number;
  maxHeapMiB: number;
  points: Record<string, number>;
}

export function readGradingConfig(file = path.join(REPO_ROOT, 'grading.json')): GradingConfig {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<GradingConfig>;
  if (!raw.points || typeof raw.timeLimitSeconds !== 'number' || typeof raw.maxHeapMiB !== 'number') {
    throw new Error(`${file} needs "points", "timeLimitSeconds" and "maxHeapMiB".`);
  }
  return raw as GradingConfig;
}
