/**
 * File descriptors a process holds, and those it would pass on to every
 * program it starts: the ones without close-on-exec, which
 * /proc/<pid>/fdinfo shows among a descriptor's flags (O_CLOEXEC). Node.js
 * opens its own with it, and sets it at start on some it inherited (the
 * low-numbered ones), not on all: a file the launching shell opened as
 * descriptor 100 stays inheritable. The grader closes those at its start
 * (grade.ts), the kata host at its own; the sandbox's starter covers every
 * open descriptor with /dev/null anyway (../sandbox.ts).
 */
import fs from 'node:fs';

/** O_CLOEXEC in /proc/<pid>/fdinfo's octal "flags" field. */
const O_CLOEXEC = 0o2000000;

/** Every descriptor open in this process. */
export function openDescriptors(): number[] {
  try {
    return fs
      .readdirSync('/proc/self/fd')
      .map(Number)
      .filter((fd) => Number.isInteger(fd));
  } catch {
    return [];
  }
}

/** Descriptors above `keep` without close-on-exec: not this Node.js process's own. */
export function inheritedDescriptors(keep = 2): number[] {
  const found: number[] = [];
  for (const fd of openDescriptors()) {
    if (fd <= keep) continue;
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

/** Closes every descriptor above `keep` found inherited; returns how many. */
export function closeInheritedDescriptors(keep = 2): number {
  const fds = inheritedDescriptors(keep);
  for (const fd of fds) {
    try {
      fs.closeSync(fd);
    } catch {
      // closed already
    }
  }
  return fds.length;
}
