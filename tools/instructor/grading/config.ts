/** grading.json: points per kata and the limits of one kata run. */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../../lib/plot-files';
import type { SandboxLimits } from './sandbox';

export interface GradingConfig {
  /** CPU seconds the sandbox of one kata run may use, all its processes together. */
  timeLimitSeconds: number;
  /** The V8 heap limit inside the sandbox. */
  maxHeapMiB: number;
  /** Resident memory of the sandbox's whole process tree (heap, Buffers, native). Default: maxHeapMiB + 1024. */
  memoryLimitMiB?: number;
  /** Processes the sandbox may run at once. Default: 16. */
  maxProcesses?: number;
  /** Wall-clock seconds a kata may sit on a call or a module load while computing less than 1 s of it. Default: 60. */
  idleSeconds?: number;
  points: Record<string, number>;
}

export function readGradingConfig(file = path.join(REPO_ROOT, 'grading.json')): GradingConfig {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<GradingConfig>;
  if (!raw.points || typeof raw.timeLimitSeconds !== 'number' || typeof raw.maxHeapMiB !== 'number') {
    throw new Error(`${file} needs "points", "timeLimitSeconds" and "maxHeapMiB".`);
  }
  return raw as GradingConfig;
}

export function sandboxLimits(config: GradingConfig): SandboxLimits {
  return {
    cpuSeconds: config.timeLimitSeconds,
    heapMiB: config.maxHeapMiB,
    memoryMiB: config.memoryLimitMiB ?? config.maxHeapMiB + 1024,
    processes: config.maxProcesses ?? 16,
    idleSeconds: config.idleSeconds ?? 60,
  };
}
