/**
 * A kata host that died by SIGKILL in the middle of a call, with no limit of
 * the grader's behind it (every kill the grader sends, its watchdog's and its
 * timers', is recorded as a stop before it is sent, and closing a host is
 * known too: connection.ts). Nothing
 * inside the sandbox can tell who sent it, so what can be measured decides:
 * - the kernel's out-of-memory killer acted during the kata (/proc/vmstat
 *   oom_kill went up): the machine's doing, reported as not graded;
 * - otherwise the kata is graded once more in a fresh sandbox: killed again
 *   the same way, it is the submission's failure, with what was measured and
 *   the possible causes (its own code, or something on the machine that
 *   kills twice); not killed, the second run counts, with a note.
 * The status file carries the facts from the tests' process to the grader
 * (grading-status.ts). While the modules load, before the tests, only the
 * killed request is made once more (prepare.ts).
 */
import fs from 'node:fs';

/** Where the kernel counts its out-of-memory kills (Linux 4.13 and later). Tests name a file of their own. */
const OOM_COUNTER_FILE = '/proc/vmstat';
const OOM_COUNTER_FILE_FOR_TESTS = 'KATA_TEST_OOM_COUNTER_FILE';

export type OomReading = { kills: number } | { unreadable: string };

export function oomCounterFile(): string {
  return process.env[OOM_COUNTER_FILE_FOR_TESTS] || OOM_COUNTER_FILE;
}

/** The kernel's count of out-of-memory kills since boot, or why it cannot be read. */
export function readOomKills(file = oomCounterFile()): OomReading {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { unreadable: `${file} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  const count = /^oom_kill (\d+)$/m.exec(text)?.[1];
  return count === undefined ? { unreadable: `${file} has no oom_kill line (Linux before 4.13)` } : { kills: Number(count) };
}

/**
 * Whether a sandbox ended as SIGKILL ends a process: the signal itself (its
 * bubblewrap killed), or exit code 137, which bubblewrap returns when the
 * program inside dies by signal 9 (128 + the signal), and which that program
 * could also return itself (exit(137)).
 */
export function endedAsKilled(code: number | null, signal: NodeJS.Signals | null): boolean {
  return signal === 'SIGKILL' || code === 137;
}

/** What was measured when a host died by SIGKILL during a call. */
export interface HostKill {
  /** The request it died in, as a phrase: "a call of fit", "the loading of 01-x/y". */
  call: string;
  /** How its sandbox ended: "exit code 137" or "SIGKILL". */
  ended: string;
  cpuSeconds: number;
  cpuLimitSeconds: number;
  peakMemoryMiB: number;
  memoryLimitMiB: number;
  /** The out-of-memory kill count when the kata's run started, and when the host died. */
  oomBefore: OomReading;
  oomAfter: OomReading;
}

/** true: the out-of-memory killer acted meanwhile; false: it did not; undefined: it could not be told. */
export function oomKillerActed(kill: HostKill): boolean | undefined {
  if (!('kills' in kill.oomBefore) || !('kills' in kill.oomAfter)) return undefined;
  return kill.oomAfter.kills > kill.oomBefore.kills;
}

function limitsText(kill: HostKill): string {
  return `not by this grader's limits (CPU used ${kill.cpuSeconds.toFixed(1)} of ${Number(kill.cpuLimitSeconds.toFixed(1))} s, memory at most ${kill.peakMemoryMiB.toFixed(0)} of ${kill.memoryLimitMiB} MiB, sampled every 100 ms)`;
}

function oomText(kill: HostKill): string {
  const { oomBefore, oomAfter } = kill;
  if ('unreadable' in oomBefore || 'unreadable' in oomAfter) {
    const why = 'unreadable' in oomBefore ? oomBefore.unreadable : (oomAfter as { unreadable: string }).unreadable;
    return `whether the kernel's out-of-memory killer acted could not be checked (${why})`;
  }
  return `not by the kernel's out-of-memory killer (oom_kill in ${oomCounterFile()} unchanged at ${oomAfter.kills})`;
}

/** Who may have killed it: the kernel's out-of-memory killer too when it could not be checked. */
function candidatesText(kill: HostKill): string {
  const machine = oomKillerActed(kill) === undefined ? "something on this machine (the kernel's out-of-memory killer among others)" : 'something on this machine';
  return `its own code may end its process (process.kill, or exit code 137), or ${machine} killed it twice`;
}

const killedText = (kill: HostKill) => `killed by SIGKILL (${kill.ended}) during ${kill.call}`;

/** The grader error when the out-of-memory killer acted during the kata. */
export function oomKillProblem(kill: HostKill): string {
  const before = (kill.oomBefore as { kills: number }).kills;
  const after = (kill.oomAfter as { kills: number }).kills;
  return (
    `the kata's process was ${killedText(kill)} while the kernel's out-of-memory killer acted (oom_kill in ${oomCounterFile()} went from ${before} to ${after}): ` +
    `the machine, or a memory limit set on the grader's processes, ran out of memory; the kata stayed within its own limit (its largest sample ${kill.peakMemoryMiB.toFixed(0)} of ${kill.memoryLimitMiB} MiB).`
  );
}

/**
 * How a call whose host was killed so fails. The run is given up (its later
 * calls fail at once, sparing the CPU) when its result will not count: in a
 * kata's first run, which is graded again, and when the out-of-memory killer
 * acted, which leaves the kata not graded. In the second run the host starts
 * again at the next call, as after any other end, and the call says what was measured.
 */
export function killedCall(kill: HostKill, firstRun: boolean): { message: string; giveUp: boolean } {
  if (oomKillerActed(kill)) return { message: `The kata's process was ${killedText(kill)} while the kernel's out-of-memory killer acted: not graded.`, giveUp: true };
  if (firstRun) return { message: `The kata's process was ${killedText(kill)}, ${limitsText(kill)}: the grader runs it again in a fresh sandbox.`, giveUp: true };
  return { message: `The kata's process was ${killedText(kill)}, as it was the first time, ${limitsText(kill)} and ${oomText(kill)}: ${candidatesText(kill)}.`, giveUp: false };
}

/** The kata's note when the second run was killed again (its failed calls say so one by one). */
export function killedTwiceNote(first: HostKill, second: HostKill): string {
  return `Graded twice: both runs' processes were killed by SIGKILL (during ${first.call}, then during ${second.call}), ${limitsText(second)} and ${oomText(second)}: ${candidatesText(second)}. The second run counts.`;
}

/** A first kill as the notes of a run or load made again say it: how, and what was measured. */
function firstKillText(first: HostKill): string {
  return `${killedText(first)}, ${limitsText(first)} and ${oomText(first)}`;
}

/** The kata's note when the second run was not killed: it counts. */
export function retriedNote(first: HostKill): string {
  return `Graded twice: the first run's process was ${firstKillText(first)}; the second run, counted here, was not killed from outside (a limit of the grader may still have stopped it, as the report says).`;
}

/**
 * The submission's note when a module's loading (or the transpiling) was killed and made again,
 * and the second attempt was not killed: its outcome is the one reported.
 */
export function reloadedNote(first: HostKill, lostSeconds: number, loading: boolean): string {
  const who = loading ? "something on this machine or the module's own code (process.kill, say)" : 'something on this machine (no kata code runs while transpiling)';
  return (
    `${loading ? 'Loaded' : 'Transpiled'} twice: the preparing sandbox's process was ${firstKillText(first)}; ${who} killed it; ` +
    `it was made again in a fresh sandbox, which was not killed (its outcome is the one reported), and the ${lostSeconds.toFixed(1)} s of CPU the killed attempt used are not charged to the submission.`
  );
}
