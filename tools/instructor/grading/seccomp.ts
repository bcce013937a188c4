/**
 * The sandbox's system-call filter (seccomp BPF, loaded by bubblewrap's
 * --seccomp). The watchdog sees resident memory only: these calls would let a
 * kata keep memory no process's RSS shows, or reach past its namespaces, so
 * they fail with EPERM (Node.js and tfjs use none of them, or fall back):
 * - memory outside every RSS: memfd_create, memfd_secret, SysV shared memory,
 *   message queues and semaphores, POSIX message queues, io_uring and Linux
 *   AIO; kernel objects with no per-process limit (POSIX timers, file locks);
 *   sockets of every kind (their buffers are memory of the kernel's, and
 *   neither the host nor an honest kata opens one: its pipes and channel
 *   come open), pipes made larger (F_SETPIPE_SZ);
 * - reach: ptrace, process_vm_*, pidfd_getfd, bpf, perf_event_open,
 *   userfaultfd, the kernel keyring, inotify and fanotify, unshare and setns.
 * With the low open-files limit (sandbox.ts), a process's pipes then hold at
 * most 64 KiB each. Other architectures' system calls (x32, i386 on x86-64)
 * are refused. Written out here because Node.js has no binding
 * for libseccomp; the program is a straight list of comparisons.
 */

/** struct seccomp_data: nr at 0, arch at 4, args[i] at 16 + 8 i (low 32 bits first: little-endian). */
const NR = 0;
const ARCH = 4;
const argLow = (i: number) => 16 + 8 * i;

const RET_ALLOW = 0x7fff0000;
const RET_KILL_PROCESS = 0x80000000;
const retErrno = (errno: number) => 0x00050000 | errno;
const EPERM = 1;

const F_SETPIPE_SZ = 1031;
/** F_SETLK, F_SETLKW, F_OFD_SETLK, F_OFD_SETLKW: each lock is kernel memory, and nothing counts them. */
const FCNTL_LOCKS = [6, 7, 37, 38];

interface Architecture {
  audit: number;
  /** Numbers at or above this belong to another ABI on the same architecture (x32). */
  foreignFrom?: number;
  denied: number[];
  fcntl: number;
}

// Numbers from the kernel's syscall tables (arch/x86/entry/syscalls/syscall_64.tbl, include/uapi/asm-generic/unistd.h).
const ARCHITECTURES: Record<string, Architecture> = {
  x64: {
    audit: 0xc000003e,
    foreignFrom: 0x40000000,
    // memfd_create, memfd_secret, shmget, msgget, semget, mq_open, io_uring_setup/enter/register,
    // io_setup, timer_create, flock, socket, socketpair, userfaultfd, bpf, perf_event_open, add_key,
    // request_key, keyctl, ptrace, process_vm_readv/writev, inotify_init, inotify_init1, fanotify_init,
    // pidfd_getfd, unshare, setns
    denied: [319, 447, 29, 68, 64, 240, 425, 426, 427, 206, 222, 73, 41, 53, 323, 321, 298, 248, 249, 250, 101, 310, 311, 253, 294, 300, 438, 272, 308],
    fcntl: 72,
  },
  arm64: {
    audit: 0xc00000b7,
    denied: [279, 447, 194, 186, 190, 180, 425, 426, 427, 0, 107, 32, 198, 199, 282, 280, 241, 217, 218, 219, 117, 270, 271, 26, 262, 438, 97, 268],
    fcntl: 25,
  },
};

type Code = { load: number } | { ret: number } | { jeq: number; to: string; else?: string } | { jge: number; to: string };
type Instruction = Code | { label: string };

const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;

/** Assembles the program: labels resolve to forward jumps (BPF jumps only forward, at most 255 instructions). */
function assemble(program: Instruction[]): Buffer {
  const code = program.filter((i): i is Code => !('label' in i));
  const at = new Map<string, number>();
  let index = 0;
  for (const i of program) {
    if ('label' in i) at.set(i.label, index);
    else index++;
  }
  const out = Buffer.alloc(code.length * 8);
  const jump = (from: number, label: string | undefined) => {
    if (label === undefined) return 0;
    const target = at.get(label);
    if (target === undefined || target <= from || target - from - 1 > 255) throw new Error(`seccomp: bad jump to ${label}`);
    return target - from - 1;
  };
  code.forEach((i, n) => {
    let op: number;
    let jt = 0;
    let jf = 0;
    let k: number;
    if ('load' in i) [op, k] = [LD_W_ABS, i.load];
    else if ('ret' in i) [op, k] = [RET_K, i.ret];
    else if ('jeq' in i) [op, k, jt, jf] = [JEQ_K, i.jeq, jump(n, i.to), jump(n, i.else)];
    else [op, k, jt] = [JGE_K, i.jge, jump(n, i.to)];
    out.writeUInt16LE(op, n * 8);
    out.writeUInt8(jt, n * 8 + 2);
    out.writeUInt8(jf, n * 8 + 3);
    out.writeUInt32LE(k >>> 0, n * 8 + 4);
  });
  return out;
}

/** Whether this machine's architecture has a filter (x86-64 and arm64). */
export function seccompSupported(arch: string = process.arch): boolean {
  return Object.hasOwn(ARCHITECTURES, arch);
}

/** The compiled filter for bubblewrap's --seccomp, for this machine's architecture. */
export function seccompFilter(arch: string = process.arch): Buffer {
  const a = ARCHITECTURES[arch];
  if (!a || !Object.hasOwn(ARCHITECTURES, arch)) throw new Error(`The sandbox's system-call filter is written for x64 and arm64 Linux, not ${arch}.`);
  return assemble([
    { load: ARCH },
    { jeq: a.audit, to: 'native' },
    { ret: RET_KILL_PROCESS },
    { label: 'native' },
    { load: NR },
    ...(a.foreignFrom !== undefined ? [{ jge: a.foreignFrom, to: 'deny' } as Instruction] : []),
    ...a.denied.map((nr) => ({ jeq: nr, to: 'deny' })),
    { jeq: a.fcntl, to: 'fcntl' },
    { ret: RET_ALLOW },
    { label: 'deny' },
    { ret: retErrno(EPERM) },
    { label: 'fcntl' },
    { load: argLow(1) },
    ...[F_SETPIPE_SZ, ...FCNTL_LOCKS].map((cmd) => ({ jeq: cmd, to: 'deny-late' })),
    { ret: RET_ALLOW },
    { label: 'deny-late' },
    { ret: retErrno(EPERM) },
  ]);
}
