/**
 * The sandbox a submission runs in: bubblewrap (https://github.com/containers/bubblewrap),
 * the unprivileged sandboxing tool Flatpak is built on. Inside:
 * - read-only: the submission's kata files, copied and transpiled
 *   (/sandbox/katas), the same of lib/ without tools/ and models/
 *   (/sandbox/lib), node_modules, the kata host (/sandbox/grader), /usr and
 *   the Node.js install; nothing else of the
 *   machine: no solutions/, no test/, no baselines, no home folder, no /etc;
 * - a private /tmp (64 MiB) and /dev/shm (1 MiB), the only writable places;
 *   its own /proc and /dev; new user, PID, network, IPC, UTS and
 *   cgroup namespaces (no network at all); a new session (no terminal to type
 *   into); all capabilities dropped; an unprivileged uid (65534 when the
 *   grader runs as root);
 * - an environment of its own: nothing of the grader's is passed on;
 * - limits over the whole process tree, enforced from outside by a watchdog
 *   that samples /proc every WATCH_MS: CPU time (not wall time, so that a
 *   neighbour's load cannot push an honest kata over), resident memory
 *   (heap, Buffers and native memory alike) and the number of processes; at
 *   a limit the sandbox is killed at once (SIGKILL; its PID namespace takes
 *   every descendant with it). RLIMIT_NPROC inside bounds a fork bomb
 *   between two samples.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../../lib/plot-files';
import { treeUsage } from './process-tree';

export const WATCH_MS = 100;
/** The sandbox's writable /tmp and /dev/shm (tmpfs: memory outside every process's RSS). */
const TMP_BYTES = 64 * 2 ** 20;
const SHM_BYTES = 2 ** 20;
const NOBODY = 65534;
/** Tasks (threads count: Node itself runs about 11) the sandbox's uid may have at once. */
const NPROC_PER_SANDBOX = 256;

export interface SandboxLayout {
  /** The submission's kata folders: its .ts files, copied and transpiled. */
  katasDir: string;
  /** lib/ without tools/ and models/, copied and transpiled. */
  libDir: string;
  /** The kata host (child/), transpiled. */
  hostDir: string;
}

export interface SandboxLimits {
  cpuSeconds: number;
  /** Resident memory of the whole tree. */
  memoryMiB: number;
  /** V8's heap limit for the kata host (an honest out-of-memory error before the watchdog's kill). */
  heapMiB: number;
  processes: number;
}

/** Why a kata was stopped: a limit, or ('protocol') bytes of its own on the grader's channel (connection.ts). */
export type StopReason = { kind: 'cpu' | 'memory' | 'processes' | 'protocol'; detail: string };

export function bwrapPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(path.delimiter)) {
    const candidate = path.join(dir, 'bwrap');
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Why there is no sandbox here, or undefined when bubblewrap works. */
export function sandboxUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `the sandbox needs Linux (bubblewrap and user namespaces); this is ${process.platform}.`;
  const bwrap = bwrapPath();
  if (!bwrap) return 'bubblewrap is not installed (Debian and Ubuntu: sudo apt-get install bubblewrap).';
  // The options grading relies on: --size needs bubblewrap 0.8 or newer.
  const probe = spawnSync(bwrap, [...systemBinds(), '--size', '1048576', '--tmpfs', '/tmp', '--remount-ro', '/', '--unshare-all', '--die-with-parent', '--new-session', '--', '/usr/bin/true'], {
    encoding: 'utf8',
    timeout: 20_000,
    ...dropRoot(),
  });
  if (probe.status !== 0) {
    return (
      `bubblewrap cannot create a sandbox here (${(probe.stderr || probe.error?.message || 'no reason given').trim()}). ` +
      'Grading needs bubblewrap 0.8 or newer. ' +
      'Unprivileged user namespaces are probably restricted. On Ubuntu 24.04 (GitHub\'s ubuntu-24.04 and ubuntu-latest runners too), ' +
      'AppArmor restricts them: load Ubuntu\'s own profile for bubblewrap (`sudo apt-get install apparmor-profiles && ' +
      'sudo install -m 0644 /usr/share/apparmor/extra-profiles/bwrap-userns-restrict /etc/apparmor.d/ && ' +
      'sudo apparmor_parser -r /etc/apparmor.d/bwrap-userns-restrict`); elsewhere check `sysctl kernel.unprivileged_userns_clone` ' +
      'and `sysctl user.max_user_namespaces`.'
    );
  }
  return undefined;
}

/** The grader never hands a submission root: as root, the sandbox starts as nobody. */
function dropRoot(): { uid?: number; gid?: number } {
  return process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
}

/** /usr and the merged-/usr links or folders, and the Node.js install if it lives elsewhere. */
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
  const nodePrefix = path.dirname(path.dirname(fs.realpathSync(process.execPath)));
  if (!nodePrefix.startsWith('/usr/') && nodePrefix !== '/usr') args.push('--ro-bind', nodePrefix, nodePrefix);
  return args;
}

export function sandboxArgs(layout: SandboxLayout, limits: SandboxLimits): string[] {
  const nodeExec = fs.realpathSync(process.execPath);
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin',
    HOME: '/tmp',
    KATA_SANDBOX_KATAS: '/sandbox/katas',
    // The backend the tests see, so that both sides compute alike (lib/load-tf.js checks the value).
    ...(process.env.KATA_BACKEND ? { KATA_BACKEND: process.env.KATA_BACKEND } : {}),
  };
  return [
    ...systemBinds(),
    '--ro-bind', path.resolve(layout.katasDir), '/sandbox/katas',
    '--ro-bind', path.resolve(layout.libDir), '/sandbox/lib',
    '--ro-bind', path.join(REPO_ROOT, 'node_modules'), '/sandbox/node_modules',
    '--ro-bind', path.resolve(layout.hostDir), '/sandbox/grader',
    '--proc', '/proc',
    '--dev', '/dev',
    // Files in a tmpfs are memory no process's RSS shows: the writable places are small.
    '--size', String(TMP_BYTES), '--tmpfs', '/tmp',
    '--size', String(SHM_BYTES), '--tmpfs', '/dev/shm',
    '--remount-ro', '/dev',
    '--remount-ro', '/',
    '--unshare-all',
    '--hostname', 'sandbox',
    '--die-with-parent',
    '--new-session',
    '--cap-drop', 'ALL',
    '--uid', String(NOBODY),
    '--gid', String(NOBODY),
    '--chdir', '/sandbox',
    '--clearenv',
    ...Object.entries(env).flatMap(([k, v]) => ['--setenv', k, v]),
    '--',
    '/usr/bin/prlimit', `--nproc=${NPROC_PER_SANDBOX}`, '--core=0', '--',
    nodeExec,
    `--max-old-space-size=${limits.heapMiB}`,
    '/sandbox/grader/kata-host.js',
  ];
}

export interface Sandbox {
  child: ChildProcess;
  /** CPU seconds the tree has used so far (last sample). */
  cpuSeconds(): number;
  kill(): void;
}

/**
 * Starts the kata host in a sandbox; stdin takes requests, fd 3 gives replies.
 * `onLimit` is called once if the watchdog stops it.
 */
export function startSandbox(layout: SandboxLayout, limits: SandboxLimits, onLimit: (reason: StopReason) => void, cpuAlreadyUsed = 0): Sandbox {
  const bwrap = bwrapPath();
  if (!bwrap) throw new Error('bubblewrap is not installed.');
  const child = spawn(bwrap, sandboxArgs(layout, limits), {
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    detached: true,
    ...dropRoot(),
  });
  let cpu = 0;
  let stopped = false;
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
    if (cpuAlreadyUsed + cpu > limits.cpuSeconds) stop({ kind: 'cpu', detail: `used more than ${limits.cpuSeconds} s of CPU time` });
    else if (usage.rssBytes > limits.memoryMiB * 2 ** 20) stop({ kind: 'memory', detail: `used more than ${limits.memoryMiB} MiB of memory` });
    // The two bubblewrap processes are the sandbox's own.
    else if (usage.processes - 2 > limits.processes) stop({ kind: 'processes', detail: `started more than ${limits.processes} processes` });
  }, WATCH_MS);
  timer.unref();
  child.on('exit', () => clearInterval(timer));
  return { child, cpuSeconds: () => cpu, kill };
}
