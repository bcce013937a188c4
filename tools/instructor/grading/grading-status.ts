/**
 * The status file a kata's test run leaves for the grader: what stopped the
 * kata (a limit, the wire), or kept its sandbox from starting. Written by the
 * bridge in the tests' process, in the grader's own scratch folder, which no
 * sandbox can reach; read back with a size cap all the same.
 */
import fs from 'node:fs';
import type { StopReason } from './sandbox';

export interface GradingStatus {
  stop?: StopReason;
  startFailure?: string;
}

const MAX_STATUS_BYTES = 64 * 1024;
const KINDS = new Set(['cpu', 'memory', 'processes', 'protocol', 'wall']);

export function readStatus(file: string): GradingStatus {
  let raw: { stop?: { kind?: unknown; detail?: unknown }; startFailure?: unknown };
  try {
    if (fs.statSync(file).size > MAX_STATUS_BYTES) return {};
    raw = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof raw;
  } catch {
    return {};
  }
  const stop = raw.stop && KINDS.has(raw.stop.kind as string) ? { kind: raw.stop.kind as StopReason['kind'], detail: String(raw.stop.detail).slice(0, 300) } : undefined;
  return {
    ...(stop ? { stop } : {}),
    ...(typeof raw.startFailure === 'string' ? { startFailure: raw.startFailure.slice(0, 4200) } : {}),
  };
}

/** Adds to what the file says (the first stop and the first start failure are kept). */
export function writeStatus(file: string, update: GradingStatus): void {
  const current = readStatus(file);
  fs.writeFileSync(file, JSON.stringify({ ...update, ...current }));
}
