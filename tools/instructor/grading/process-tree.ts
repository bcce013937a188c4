/**
 * What a sandbox's whole process tree uses, read from /proc: CPU time
 * (including children it has reaped, so nothing that exits escapes the
 * count), resident memory and the number of processes. The grader's
 * watchdog samples it; bubblewrap's PID namespace keeps every descendant,
 * detached or not, under the sandbox's root process (its init reaps orphans).
 */
import fs from 'node:fs';

/** Linux reports times in clock ticks; USER_HZ is 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

export interface TreeUsage {
  cpuSeconds: number;
  rssBytes: number;
  processes: number;
  pids: number[];
}

interface Stat {
  pid: number;
  ppid: number;
  cpuTicks: number;
  rssPages: number;
}

function readStat(pid: string): Stat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // exited meanwhile
  }
  // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const at = (field: number) => Number(fields[field - 3]);
  return { pid: Number(pid), ppid: at(4), cpuTicks: at(14) + at(15) + at(16) + at(17), rssPages: at(24) };
}

export function treeUsage(root: number): TreeUsage {
  const children = new Map<number, Stat[]>();
  let rootStat: Stat | undefined;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (!stat) continue;
    if (stat.pid === root) rootStat = stat;
    const list = children.get(stat.ppid) ?? [];
    list.push(stat);
    children.set(stat.ppid, list);
  }
  if (!rootStat) return { cpuSeconds: 0, rssBytes: 0, processes: 0, pids: [] };
  const tree: Stat[] = [];
  const queue = [rootStat];
  for (let s = queue.shift(); s; s = queue.shift()) {
    tree.push(s);
    queue.push(...(children.get(s.pid) ?? []));
  }
  return {
    cpuSeconds: tree.reduce((sum, s) => sum + s.cpuTicks, 0) / TICKS_PER_SECOND,
    rssBytes: tree.reduce((sum, s) => sum + s.rssPages, 0) * PAGE_BYTES,
    processes: tree.length,
    pids: tree.map((s) => s.pid),
  };
}
