/**
 * The sandbox a submission runs in: bubblewrap (https://github.com/containers/bubblewrap),
 * the unprivileged sandboxing tool Flatpak is built on. Inside:
 * - read-only: the submission's kata files, transpiled (/sandbox/katas; in
 *   the preparing sandbox also their TypeScript, /sandbox/source), the same
 *   of lib/ without tools/ and models/ (/sandbox/lib), node_modules, the kata
 *   host (/sandbox/grader), /usr and the Node.js install; nothing else of the
 *   machine: no solutions/, no test/, no baselines, no home folder, no /etc;
 * - a private /tmp (64 MiB) and /dev/shm (1 MiB), the only writable places;
 *   its own /proc and /dev; new user, PID, network, IPC, UTS and cgroup
 *   namespaces (no network at all), and no further user namespace; a new
 *   session (no terminal to type into); all capabilities dropped; an
 *   unprivileged uid (65534; when the grader runs as root, also outside);
 *   a system-call filter (seccomp.ts: no sockets, no memory outside RSS) and
 *   low limits on open files, processes and POSIX message queues, so that
 *   kernel memory no RSS shows stays small;
 * - no descriptor of the grader's but its pipes: every other one the starting
 *   process has open is covered by /dev/null in the child;
 * - an environment of its own: nothing of the grader's is passed on, not even
 *   to bubblewrap, whose init's environment a kata can read;
 * - limits over the whole process tree, enforced from outside by a watchdog
 *   that samples /proc every WATCH_MS: CPU time (not wall time, so that a
 *   neighbour's load cannot push an honest kata over), memory (resident
 *   memory, heap, Buffers and native memory alike, and page tables) and the
 *   number of processes; at a limit the sandbox is killed at once (SIGKILL;
 *   its PID namespace takes every descendant with it).
 *
 * Where the folders live does not matter: bubblewrap runs as the grader's
 * user, who can reach them, or, when the grader runs as root, as nobody, who
 * may not (a clone under a 700 home, a private TMPDIR). Then each sandbox
 * starts in a mount namespace of its own in which root first binds what the
 * sandbox needs into one stage folder nobody can reach, a fixed place; the
 * machine's own mounts are never touched.
 */
import { type ChildProcess, spawn, spawnSync, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../../lib/plot-files';
import { openDescriptors } from './child/descriptors';
import { treeUsage } from './process-tree';
import { seccompFilter, seccompSupported } from './seccomp';

export const WATCH_MS = 100;
/** The sandbox's writable /tmp and /dev/shm (tmpfs: memory outside every process's RSS). */
const TMP_BYTES = 64 * 2 ** 20;
const SHM_BYTES = 2 ** 20;
const NOBODY = 65534;
/** Tasks (threads count: Node itself runs about 11) the sandbox's user may have at once. */
const NPROC_PER_SANDBOX = 256;
/**
 * Open files per process: the kata host uses about 25. Each pipe holds at
 * most 64 KiB (the filter refuses larger ones, and sockets), so this bounds
 * what pipes can keep outside RSS: 4 MiB a process.
 */
export const NOFILE_PER_PROCESS = 128;
/** Where the seccomp filter reaches bubblewrap (a pipe), after stdin, stdout, stderr and the reply channel. */
const SECCOMP_FD = 4;
/**
 * The environment bubblewrap itself starts with: the sandbox's init keeps it,
 * and a kata can read /proc/1/environ, so nothing of the grader's goes in.
 */
const STARTER_ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };

export interface SandboxLayout {
  /** The submission's kata modules, transpiled. */
  katasDir: string;
  /** lib/ without tools/ and models/, transpiled. */
  libDir: string;
  /** The kata host (child/), transpiled. */
  hostDir: string;
  /** The submission's kata folders as copied (TypeScript): only the preparing sandbox sees them (prepare.ts). */
  sourceDir?: string;
  /** Root only: an empty folder anyone can reach, where each sandbox's own mount namespace binds what it needs (makeMountStage). */
  mountStage?: string;
}

export interface SandboxLimits {
  cpuSeconds: number;
  /** Memory of the whole tree (resident memory and page tables). */
  memoryMiB: number;
  /** V8's heap limit for the kata host (an honest out-of-memory error before the watchdog's kill). */
  heapMiB: number;
  processes: number;
  /** Wall-clock seconds a kata may sit on a request computing less than 1 s of it (connection.ts). */
  idleSeconds: number;
}

/**
 * Why a kata was stopped: a limit; 'wall' a request not answered in time;
 * 'protocol' bytes of its own on the grader's channel, or messages past the
 * wire's caps (connection.ts).
 */
export type StopReason = { kind: 'cpu' | 'memory' | 'processes' | 'protocol' | 'wall'; detail: string };

/** A stop as said after "it": what the wire's details leave out, where it happened, said once. */
export function stopDetail(stop: StopReason): string {
  return stop.kind === 'protocol' ? `${stop.detail} on its channel to the grader (file descriptor 3, the grader's alone)` : stop.detail;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function bwrapPath(): string | undefined {
  return onPath('bwrap');
}

const asRoot = () => process.getuid?.() === 0;

/** Root only: an empty folder that nobody can reach, for the sandboxes' own bind mounts. Remove it with removeMountStage. */
export function makeMountStage(): string | undefined {
  if (!asRoot()) return undefined;
  const reachable = (dir: string) => {
    for (let d = path.resolve(dir); ; d = path.dirname(d)) {
      if ((fs.statSync(d).mode & 0o001) === 0) return false;
      if (d === path.dirname(d)) return true;
    }
  };
  const base = [os.tmpdir(), '/tmp'].find((d) => {
    try {
      return reachable(d);
    } catch {
      return false;
    }
  });
  if (!base) throw new Error('no folder anyone can reach for the sandbox stage (neither TMPDIR nor /tmp).');
  const stage = fs.mkdtempSync(path.join(base, 'kata-stage-'));
  fs.chmodSync(stage, 0o755);
  return stage;
}

export function removeMountStage(stage: string | undefined): void {
  if (stage) fs.rmSync(stage, { recursive: true, force: true });
}

/** /usr and the merged-/usr links or folders. */
function systemBinds(): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const top of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(top);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push('--symlink', fs.readlinkSync(top), top);
    else if (stat.isDirectory()) args.push('--ro-bind', top, top);
  }
  return args;
}

/** The Node.js install when it lives outside /usr: bound at its own path, so that the binary finds its libraries. */
function nodePrefix(): string | undefined {
  const prefix = path.dirname(path.dirname(fs.realpathSync(process.execPath)));
  return prefix.startsWith('/usr/') || prefix === '/usr' ? undefined : prefix;
}

/** Folders bound into the sandbox: host path, sandbox path. */
function folderBinds(layout: SandboxLayout): [string, string][] {
  const prefix = nodePrefix();
  const binds: [string, string][] = [
    [layout.katasDir, '/sandbox/katas'],
    [layout.libDir, '/sandbox/lib'],
    [path.join(REPO_ROOT, 'node_modules'), '/sandbox/node_modules'],
    [layout.hostDir, '/sandbox/grader'],
  ];
  if (layout.sourceDir) binds.push([layout.sourceDir, '/sandbox/source']);
  if (prefix) binds.push([prefix, prefix]);
  return binds.map(([from, to]) => [path.resolve(from), to]);
}

const HOST_PROGRAM = (limits: SandboxLimits) => [fs.realpathSync(process.execPath), `--max-old-space-size=${limits.heapMiB}`, '/sandbox/grader/kata-host.js'];

/** bubblewrap's arguments, with each bound folder's source as given. */
function bwrapArgs(binds: [string, string][], program: string[], seccompFd: number): string[] {
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin',
    HOME: '/tmp',
    KATA_SANDBOX_KATAS: '/sandbox/katas',
    // The backend the tests see, so that both sides compute alike (lib/load-tf.js checks the value).
    ...(process.env.KATA_BACKEND ? { KATA_BACKEND: process.env.KATA_BACKEND } : {}),
  };
  return [
    ...systemBinds(),
    ...binds.flatMap(([from, to]) => ['--ro-bind', from, to]),
    '--proc', '/proc',
    '--dev', '/dev',
    // Files in a tmpfs are memory no process's RSS shows: the writable places are small.
    '--size', String(TMP_BYTES), '--tmpfs', '/tmp',
    '--size', String(SHM_BYTES), '--tmpfs', '/dev/shm',
    '--remount-ro', '/dev',
    '--remount-ro', '/',
    '--unshare-all',
    '--unshare-user',
    // A user namespace inside would give the kata mounts of its own (a tmpfs as large as it likes).
    '--disable-userns',
    '--hostname', 'sandbox',
    '--die-with-parent',
    '--new-session',
    '--cap-drop', 'ALL',
    '--uid', String(NOBODY),
    '--gid', String(NOBODY),
    '--chdir', '/sandbox',
    '--clearenv',
    ...Object.entries(env).flatMap(([k, v]) => ['--setenv', k, v]),
    '--seccomp', String(seccompFd),
    '--',
    '/usr/bin/prlimit', `--nproc=${NPROC_PER_SANDBOX}`, `--nofile=${NOFILE_PER_PROCESS}`, '--msgqueue=0', '--core=0', '--',
    ...program,
  ];
}

/**
 * As root: each bound folder is first bound, in a mount namespace of the
 * sandbox's own, to <stage>/<n>, which nobody can reach whatever the path to
 * the folder; then bubblewrap starts as nobody. The script gets its paths as
 * arguments, never inside its text.
 */
const STAGE_SCRIPT = [
  'set -e',
  'stage=$1; shift',
  'mount -t tmpfs -o size=64k,mode=0755 kata-stage "$stage"',
  'n=0',
  'while [ "$1" != -- ]; do mkdir "$stage/$n"; mount --bind "$1" "$stage/$n"; n=$((n + 1)); shift; done',
  'shift',
  'exec "$@"',
].join('\n');

export interface SandboxCommand {
  command: string;
  args: string[];
}

/** The command that starts `program` in a sandbox (the kata host by default), the seccomp filter read from `seccompFd`. */
export function sandboxCommand(layout: SandboxLayout, program: string[], seccompFd = SECCOMP_FD): SandboxCommand {
  const bwrap = bwrapPath();
  if (!bwrap) throw new Error('bubblewrap is not installed.');
  const binds = folderBinds(layout);
  if (!asRoot()) return { command: bwrap, args: bwrapArgs(binds, program, seccompFd) };
  const [unshare, setpriv] = [onPath('unshare'), onPath('setpriv')];
  if (!unshare || !setpriv || !layout.mountStage) throw new Error('grading as root needs util-linux (unshare, setpriv, mount) and a mount stage.');
  const staged = binds.map(([, to], n): [string, string] => [path.join(layout.mountStage as string, String(n)), to]);
  return {
    command: unshare,
    args: [
      '--mount', '--propagation', 'private', '--',
      '/bin/sh', '-c', STAGE_SCRIPT, 'stage', layout.mountStage, ...binds.map(([from]) => from), '--',
      setpriv, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--',
      bwrap, ...bwrapArgs(staged, program, seccompFd),
    ],
  };
}

/** Why there is no sandbox here, or undefined when bubblewrap works with every option grading uses. */
export function sandboxUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `the sandbox needs Linux (bubblewrap and user namespaces); this is ${process.platform}.`;
  if (!seccompSupported()) return `the sandbox's system-call filter is written for x64 and arm64 Linux; this is ${process.arch}.`;
  if (!bwrapPath()) return 'bubblewrap is not installed (Debian and Ubuntu: sudo apt-get install bubblewrap).';
  if (asRoot() && !(onPath('unshare') && onPath('setpriv'))) return 'grading as root needs util-linux (unshare, setpriv) to start sandboxes as nobody.';
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'kata-probe-'));
  let stage: string | undefined;
  try {
    stage = makeMountStage();
    const layout = { katasDir: empty, libDir: empty, hostDir: empty, ...(stage ? { mountStage: stage } : {}) };
    const { command, args } = sandboxCommand(layout, ['/usr/bin/true'], 0);
    const probe = spawnSync(command, args, { input: seccompFilter(), encoding: 'utf8', timeout: 20_000, cwd: '/', env: STARTER_ENV });
    if (probe.status === 0) return undefined;
    return (
      `bubblewrap cannot create a sandbox here (${(probe.stderr || probe.error?.message || 'no reason given').trim()}). ` +
      'Grading needs bubblewrap 0.8 or newer (--disable-userns, --size). ' +
      'Unprivileged user namespaces are probably restricted. On Ubuntu 24.04 (GitHub\'s ubuntu-24.04 and ubuntu-latest runners too), ' +
      'AppArmor restricts them: load Ubuntu\'s own profile for bubblewrap (`sudo apt-get install apparmor-profiles && ' +
      'sudo install -m 0644 /usr/share/apparmor/extra-profiles/bwrap-userns-restrict /etc/apparmor.d/ && ' +
      'sudo apparmor_parser -r /etc/apparmor.d/bwrap-userns-restrict`); elsewhere check `sysctl kernel.unprivileged_userns_clone` ' +
      'and `sysctl user.max_user_namespaces`.'
    );
  } finally {
    removeMountStage(stage);
    fs.rmSync(empty, { recursive: true, force: true });
  }
}

/**
 * stdio for the sandbox: stdin (requests), stdout (/dev/null), stderr, fd 3 (replies),
 * fd 4 (the seccomp filter); every other descriptor open in this process is
 * covered by /dev/null in the child, so that bubblewrap starts with only the
 * channel. (Whether a descriptor would be inherited cannot be told from /proc:
 * its close-on-exec flag is not shown there reliably; covering all of them
 * is cheap and certain, and leaves this process's own as they are.)
 */
function sandboxStdio(): { stdio: StdioOptions; devNull?: number } {
  // stdout to /dev/null: a kata's output is never read, so it costs the grader nothing.
  const stdio: StdioOptions = ['pipe', 'ignore', 'pipe', 'pipe', 'pipe'];
  const open = openDescriptors().filter((fd) => fd > SECCOMP_FD);
  if (open.length === 0) return { stdio };
  const devNull = fs.openSync('/dev/null', 'r');
  for (let fd = stdio.length; fd <= Math.max(...open, devNull); fd++) stdio.push(devNull);
  return { stdio, devNull };
}

export interface Sandbox {
  child: ChildProcess;
  /** CPU seconds the tree has used so far (last sample). */
  cpuSeconds(): number;
  /** Largest memory of the tree seen by a sample, in bytes. */
  peakMemoryBytes(): number;
  kill(): void;
  /**
   * Moves the CPU limit while the sandbox runs: `totalSeconds` in the same
   * count as limits.cpuSeconds (cpuAlreadyUsed included), `shownSeconds` as
   * the stop's message says it (one request's allowance: prepare.ts).
   */
  setCpuLimit(totalSeconds: number, shownSeconds: number): void;
}

/**
 * Starts the kata host in a sandbox; stdin takes requests, fd 3 gives replies.
 * `onLimit` is called once if the watchdog stops it.
 */
export function startSandbox(layout: SandboxLayout, limits: SandboxLimits, onLimit: (reason: StopReason) => void, cpuAlreadyUsed = 0): Sandbox {
  const { command, args } = sandboxCommand(layout, HOST_PROGRAM(limits));
  const { stdio, devNull } = sandboxStdio();
  let child: ChildProcess;
  try {
    child = spawn(command, args, { stdio, detached: true, cwd: '/', env: STARTER_ENV });
  } finally {
    if (devNull !== undefined) fs.closeSync(devNull);
  }
  const filter = child.stdio[SECCOMP_FD] as NodeJS.WritableStream | null;
  filter?.on('error', () => undefined);
  filter?.end(seccompFilter());
  let cpu = 0;
  let peak = 0;
  let stopped = false;
  let cpuLimit = { total: limits.cpuSeconds, shown: limits.cpuSeconds };
  const kill = () => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  const stop = (reason: StopReason) => {
    if (stopped) return;
    stopped = true;
    kill();
    onLimit(reason);
  };
  const timer = setInterval(() => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const usage = treeUsage(child.pid);
    if (usage.processes === 0) return;
    cpu = usage.cpuSeconds;
    peak = Math.max(peak, usage.memoryBytes);
    if (cpuAlreadyUsed + cpu > cpuLimit.total) stop({ kind: 'cpu', detail: `used more than ${cpuLimit.shown} s of CPU time` });
    else if (usage.memoryBytes > limits.memoryMiB * 2 ** 20) stop({ kind: 'memory', detail: `used more than ${limits.memoryMiB} MiB of memory` });
    // The two bubblewrap processes are the sandbox's own.
    else if (usage.processes - 2 > limits.processes) stop({ kind: 'processes', detail: `started more than ${limits.processes} processes` });
  }, WATCH_MS);
  timer.unref();
  child.on('exit', () => clearInterval(timer));
  const setCpuLimit = (total: number, shown: number) => {
    cpuLimit = { total, shown };
  };
  return { child, cpuSeconds: () => cpu, peakMemoryBytes: () => peak, kill, setCpuLimit };
}
