/**
 * File descriptors a process would pass on to the programs it starts: those
 * open without close-on-exec. Node.js opens every descriptor of its own with
 * close-on-exec, so these came from whoever started the process (a file the
 * launching shell had open, say), or from a native library. The sandbox is
 * started with each of them covered by /dev/null (sandbox.ts), and the kata
 * host closes whatever still reaches it before any kata code runs.
 */
import fs from 'node:fs';

/** O_CLOEXEC in /proc/<pid>/fdinfo's octal "flags" field. */
const O_CLOEXEC = 0o2000000;

/** Descriptors above stderr (and above `keep`) that a started program would inherit. */
export function inheritableDescriptors(keep = 2): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc/self/fd');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    const fd = Number(entry);
    if (!Number.isInteger(fd) || fd <= keep) continue;
    let info: string;
    try {
      info = fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
    } catch {
      continue; // the descriptor readdir itself used, closed meanwhile
    }
    const flags = /^flags:\s*([0-7]+)/m.exec(info)?.[1];
    if (flags !== undefined && (parseInt(flags, 8) & O_CLOEXEC) === 0) found.push(fd);
  }
  return found.sort((a, b) => a - b);
}

/** Closes every descriptor above `keep` that would be inherited; returns how many. */
export function closeInheritedDescriptors(keep = 2): number {
  const fds = inheritableDescriptors(keep);
  for (const fd of fds) {
    try {
      fs.closeSync(fd);
    } catch {
      // closed already
    }
  }
  return fds.length;
}
