/**
 * The status file a kata's test run leaves for the grader: what stopped the
 * kata (a limit, the wire), or kept its sandbox from starting, or what was
 * measured when its host was killed during a call (host-kill.ts). Written by the
 * bridge in the tests' process, in the grader's own scratch folder, which no
 * sandbox can reach; read back with a size cap all the same.
 */
import fs from 'node:fs';
import type { HostKill, OomReading } from './host-kill';
import type { StopReason } from './sandbox';

export interface GradingStatus {
  stop?: StopReason;
  startFailure?: string;
  /** The first kill by SIGKILL during a call that no limit sent. */
  killed?: HostKill;
}

const MAX_STATUS_BYTES = 64 * 1024;
const KINDS = new Set(['cpu', 'memory', 'processes', 'protocol', 'wall']);

/** At most the first maxBytes of a file the tests' process wrote, or undefined when it cannot be read. */
function readHead(file: string, maxBytes: number): string | undefined {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(maxBytes);
      return buffer.subarray(0, fs.readSync(fd, buffer, 0, maxBytes, 0)).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

export function readStatus(file: string): GradingStatus {
  let raw: { stop?: { kind?: unknown; detail?: unknown }; startFailure?: unknown; killed?: unknown };
  try {
    // A status larger than the cap is cut, and then not JSON: read as no status.
    raw = JSON.parse(readHead(file, MAX_STATUS_BYTES + 1) ?? '') as typeof raw;
  } catch {
    return {};
  }
  const stop = raw.stop && KINDS.has(raw.stop.kind as string) ? { kind: raw.stop.kind as StopReason['kind'], detail: String(raw.stop.detail).slice(0, 300) } : undefined;
  return {
    ...(stop ? { stop } : {}),
    ...(typeof raw.startFailure === 'string' ? { startFailure: raw.startFailure.slice(0, 4200) } : {}),
    ...(asHostKill(raw.killed) ? { killed: raw.killed as HostKill } : {}),
  };
}

function isOomReading(value: unknown): value is OomReading {
  const r = value as Partial<{ kills: unknown; unreadable: unknown }> | null;
  return typeof r === 'object' && r !== null && (typeof r.kills === 'number' || typeof r.unreadable === 'string');
}

function asHostKill(value: unknown): value is HostKill {
  const k = value as Partial<Record<keyof HostKill, unknown>> | null;
  if (typeof k !== 'object' || k === null) return false;
  const numbers = [k.cpuSeconds, k.cpuLimitSeconds, k.peakMemoryMiB, k.memoryLimitMiB].every((n) => typeof n === 'number');
  return numbers && typeof k.call === 'string' && typeof k.ended === 'string' && isOomReading(k.oomBefore) && isOomReading(k.oomAfter);
}

/** Adds to what the file says (the first stop, start failure and kill are kept). */
export function writeStatus(file: string, update: GradingStatus): void {
  const current = readStatus(file);
  fs.writeFileSync(file, JSON.stringify({ ...update, ...current }));
}

/** The first plot file the tests' process recorded it could not write (lib/plot-files.ts's writePlotFile), if any. */
export function firstPlotWriteFailure(failures: string): { file: string; message: string } | undefined {
  const text = readHead(failures, 8192);
  if (text === undefined) return undefined;
  try {
    const first = JSON.parse(text.split('\n')[0] ?? '') as { file?: unknown; message?: unknown };
    return { file: String(first.file).slice(0, 1000), message: String(first.message).slice(0, 2000) };
  } catch {
    return { file: failures, message: 'the tests could not write a plot file (its record is unreadable)' };
  }
}
