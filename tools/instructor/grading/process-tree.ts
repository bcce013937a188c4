/**
 * What a process tree uses, read from /proc: CPU time (including children
 * it has reaped, so nothing that exits escapes the count), memory and the
 * number of processes. The grader's watchdogs sample it; bubblewrap's PID
 * namespace keeps every descendant, detached or not, under the sandbox's
 * root process (its init reaps orphans).
 *
 * Memory is resident memory plus page tables (VmRSS + VmPTE): page tables are
 * kernel memory no RSS shows, and a process that touches one page in every
 * few MiB of a huge mapping makes as much of them as it has resident pages.
 */
import fs from 'node:fs';

/** Linux reports times in clock ticks; USER_HZ is 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

export interface TreeUsage {
  cpuSeconds: number;
  memoryBytes: number;
  processes: number;
  pids: number[];
}

interface Stat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime: the process's own threads. */
  ownTicks: number;
  /** cutime + cstime: children it has waited for. */
  reapedTicks: number;
}

function readStat(pid: string): Stat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // exited meanwhile
  }
  // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  const at = (field: number) => Number(fields[field - 3]);
  return { pid: Number(pid), ppid: at(4), comm: text.slice(text.indexOf('(') + 1, close), ownTicks: at(14) + at(15), reapedTicks: at(16) + at(17) };
}

/** VmRSS + VmPTE, in bytes; 0 for a process gone meanwhile (or a zombie). */
function memoryOf(pid: number): number {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0;
  }
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return (kib('VmRSS') + kib('VmPTE')) * 1024;
}

/** Every process on the machine, by parent. */
function processesByParent(): Map<number, Stat[]> {
  const children = new Map<number, Stat[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(stat);
    children.set(stat.ppid, list);
  }
  return children;
}

function findStat(children: Map<number, Stat[]>, pid: number): Stat | undefined {
  for (const list of children.values()) for (const s of list) if (s.pid === pid) return s;
  return undefined;
}

function descendants(children: Map<number, Stat[]>, root: Stat, stopAt?: (s: Stat) => boolean): { inside: Stat[]; cut: Stat[] } {
  const inside: Stat[] = [];
  const cut: Stat[] = [];
  const queue = [root];
  for (let s = queue.shift(); s; s = queue.shift()) {
    inside.push(s);
    for (const child of children.get(s.pid) ?? []) (stopAt?.(child) ? cut : queue).push(child);
  }
  return { inside, cut };
}

function usageOf(tree: Stat[], ticks: (s: Stat) => number): TreeUsage {
  return {
    cpuSeconds: tree.reduce((sum, s) => sum + ticks(s), 0) / TICKS_PER_SECOND,
    memoryBytes: tree.reduce((sum, s) => sum + memoryOf(s.pid), 0),
    processes: tree.length,
    pids: tree.map((s) => s.pid),
  };
}

const EMPTY: TreeUsage = { cpuSeconds: 0, memoryBytes: 0, processes: 0, pids: [] };

export function treeUsage(root: number): TreeUsage {
  const children = processesByParent();
  const rootStat = findStat(children, root);
  if (!rootStat) return EMPTY;
  return usageOf(descendants(children, rootStat).inside, (s) => s.ownTicks + s.reapedTicks);
}

/**
 * A process tree split in two: the root and its own helpers, and the subtrees
 * that start at a process `isSeparate` picks (sandboxes started by the test
 * process). CPU the root has reaped is counted with the separate subtrees:
 * the children a test process waits for are its sandboxes.
 */
export function splitTreeUsage(root: number, isSeparate: (comm: string) => boolean): { own: TreeUsage; separate: TreeUsage } | undefined {
  const children = processesByParent();
  const rootStat = findStat(children, root);
  if (!rootStat) return undefined;
  const { inside, cut } = descendants(children, rootStat, (s) => isSeparate(s.comm));
  const separate = cut.flatMap((s) => descendants(children, s).inside);
  const own = usageOf(inside, (s) => (s === rootStat ? s.ownTicks : s.ownTicks + s.reapedTicks));
  const sandboxes = usageOf(separate, (s) => s.ownTicks + s.reapedTicks);
  return { own, separate: { ...sandboxes, cpuSeconds: sandboxes.cpuSeconds + rootStat.reapedTicks / TICKS_PER_SECOND } };
}
