/**
 * The grader's end of a sandboxed kata host (child/kata-host.ts): requests
 * out as JSON lines, replies in as JSON lines on fd 3, within caps. The host
 * is started on first use and again after it ends on its own (a kata that
 * calls process.exit()), but not after a limit stopped it: the CPU budget
 * counts every restart, and once it is spent every call fails with the reason.
 *
 * Everything after the host's ready line is the kata's to write, so what it
 * costs this process is bounded before any parsing: each line by its length
 * and by what parsing it would build (json-bounds.ts), each request by the
 * bytes and callback events it brings, the connection by its total bytes. A
 * line that is not a message, a reply or event for a request that was never
 * made, or a cap passed, stops the kata for good ('protocol'), as does a
 * request not answered within its wall-clock limit, or one the host sits on
 * for its idle limit (grading.json's idleSeconds, 60 by default) computing
 * less than IDLE_MIN_CPU_SECONDS of it ('wall':
 * a load or a call that waits for ever, at little or no CPU, would otherwise
 * hold the grader until its backstop; an honest kata computes while a
 * request is open, and gets many times that even on a machine loaded 30
 * times over its cores, beyond which the rule is not applied). A host that ends
 * before its ready line never ran kata code: that is the sandbox or the
 * machine failing (SandboxStartError), reported as such, never as the kata's.
 * A host killed by SIGKILL during a call when no limit of the grader's sent it
 * is handed to `onKilled` (host-kill.ts says who may have killed it), which may
 * give the connection up: its tests then run again in a fresh sandbox.
 */
import type { Readable, Writable } from 'node:stream';
import { fairShareSeconds } from './fair-share';
import { endedAsKilled, type HostKill } from './host-kill';
import { jsonOverLimits, type JsonLimits } from './json-bounds';
import { type Sandbox, type SandboxLayout, type SandboxLimits, type StopReason, startSandbox, stopDetail } from './sandbox';

export interface WireCaps {
  /** One line (a reply or an event). The largest honest reply, kata 02's dataset, is under 1 MiB. */
  messageChars: number;
  /** All lines one request brings (its events and its reply). */
  requestChars: number;
  /** All lines of the connection, every restart included. */
  totalChars: number;
  /** Callback events one request may bring (an onEpochEnd per epoch). */
  eventsPerRequest: number;
  json: JsonLimits;
}

export const WIRE_CAPS: WireCaps = {
  messageChars: 8 * 2 ** 20,
  requestChars: 32 * 2 ** 20,
  totalChars: 256 * 2 ** 20,
  eventsPerRequest: 100_000,
  json: { maxDepth: 160, maxContainers: 200_000, maxScalars: 2_000_000 },
};

/** A request open for the idle limit while the host computed less than this stops the kata. */
export const IDLE_MIN_CPU_SECONDS = 1;
/** The rule applies while a computing process would get at least this many times IDLE_MIN_CPU_SECONDS (a load up to 30 times the cores). */
const IDLE_FAIR_SHARE = 2;
/** Lines for requests already answered or given up on (a late reply each, a late event or two): more is a flood. */
const MAX_LATE_LINES = 1000;

/** The host's stderr kept until its ready line, to say why a sandbox could not start. */
const START_LOG_CHARS = 4000;

export interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: unknown;
  argModels?: unknown[];
}

export interface CallbackEvent {
  event: 'callback';
  id: number;
  fn: number;
  args: unknown;
}

export class KataHostError extends Error {
  override name = 'KataHostError';
}

/** The sandbox ended before its host was ready: the grader's or the machine's fault, not the kata's. */
export class SandboxStartError extends Error {
  override name = 'SandboxStartError';
}

interface Pending {
  /** The request, as a phrase (requestPhrase). */
  call: string;
  resolve(reply: Reply): void;
  reject(error: Error): void;
  onEvent?: (event: CallbackEvent) => void;
  chars: number;
  events: number;
}

export interface RequestOptions {
  onEvent?: (event: CallbackEvent) => void;
  /** Wall-clock seconds before the kata is stopped for not answering (a load that never ends, at no CPU). */
  timeoutSeconds?: number;
}

export interface ConnectionOptions {
  /** Called once when a limit (or the wire) stops the host. */
  onLimit?: (reason: StopReason) => void;
  /** Called once when the sandbox could not start. */
  onStartFailure?: (reason: string) => void;
  /** JSON.parse of the realm the replies are used in (tfjs wants its own objects: lib/tf.ts parseJsonForTf). */
  parse?: (text: string) => unknown;
  caps?: WireCaps;
  /**
   * Called for each host killed by SIGKILL during a call that no limit stopped:
   * the message the call fails with, and whether every later call fails with
   * it too (the connection given up). Without it, such a call fails as any
   * other that its host ended under.
   */
  onKilled?: (kill: Omit<HostKill, 'oomBefore' | 'oomAfter'>) => { message: string; giveUp: boolean };
}

/**
 * What an abort may mean (exit code 134 is 128 + SIGABRT, as bubblewrap passes
 * a signal on): the candidates, since the kata's own output, which would say
 * which, is not read.
 */
function abortHint(code: number | null, signal: NodeJS.Signals | null): string {
  if (code !== 134 && signal !== 'SIGABRT') return '';
  return ': it aborted, as Node.js does when a process runs out of its JavaScript heap (grading.json\'s maxHeapMiB) or on another fatal error';
}

/** A request as a phrase for messages: "a call of fit", "the loading of 01-x/y". */
function requestPhrase(message: Record<string, unknown>): string {
  if (typeof message.name === 'string') return `a call of ${message.name}`;
  if (message.op === 'manifest') return `the loading of ${String(message.module)}`;
  return `its ${String(message.op)} request`;
}

export class KataConnection {
  private sandbox: Sandbox | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Requests answered or given up: a late reply or event for one is dropped (and counted). */
  private readonly finished = new Set<number>();
  private cpuUsed = 0;
  private peakMemory = 0;
  private totalChars = 0;
  private lateLines = 0;
  /** Set when a limit stopped the host: every later request fails with it. */
  stopped: StopReason | undefined;
  /** Set when the sandbox could not start. */
  startFailure: string | undefined;
  /** Set when onKilled gave the connection up: every later request fails with it. */
  private givenUp: string | undefined;
  /** Set once close() killed the host: its end is the grader's doing. */
  private closed = false;

  private idleTimer: NodeJS.Timeout | undefined;
  private readonly caps: WireCaps;
  private readonly parse: (text: string) => unknown;

  constructor(
    private readonly layout: SandboxLayout,
    private limits: SandboxLimits,
    private readonly options: ConnectionOptions = {},
  ) {
    this.caps = options.caps ?? WIRE_CAPS;
    this.parse = options.parse ?? JSON.parse;
  }

  request(message: Record<string, unknown>, options: RequestOptions = {}): Promise<Reply> {
    if (this.stopped) return Promise.reject(new KataHostError(`The kata was stopped: it ${stopDetail(this.stopped)}.`));
    if (this.startFailure) return Promise.reject(new SandboxStartError(this.startFailure));
    if (this.givenUp) return Promise.reject(new KataHostError(this.givenUp));
    const sandbox = (this.sandbox ??= this.start());
    const id = this.nextId++;
    let timer: NodeJS.Timeout | undefined;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { call: requestPhrase(message), resolve, reject, chars: 0, events: 0, ...(options.onEvent ? { onEvent: options.onEvent } : {}) });
      if (options.timeoutSeconds !== undefined) {
        const seconds = options.timeoutSeconds;
        timer = setTimeout(() => this.stop(sandbox, { kind: 'wall', detail: `did not answer within ${seconds} s of wall-clock time` }), seconds * 1000);
      }
      this.setRef(true);
      this.watchIdle(sandbox);
      (sandbox.child.stdin as Writable).write(`${JSON.stringify({ ...message, id })}\n`);
    }).finally(() => {
      clearTimeout(timer);
      this.pending.delete(id);
      this.finished.add(id);
      if (this.pending.size === 0) {
        this.setRef(false);
        clearInterval(this.idleTimer);
        this.idleTimer = undefined;
      }
    });
  }

  /** While a request is open, stops a host that computes less than IDLE_MIN_CPU_SECONDS in its idle limit. */
  private watchIdle(sandbox: Sandbox): void {
    if (this.idleTimer) return;
    const idle = this.limits.idleSeconds;
    const samples: { at: number; cpu: number }[] = [];
    this.idleTimer = setInterval(() => {
      const now = { at: Date.now(), cpu: this.cpuSeconds() };
      samples.push(now);
      while (samples.length > 1 && now.at - (samples[1] as { at: number }).at >= idle * 1000) samples.shift();
      const first = samples[0] as { at: number; cpu: number };
      const window = (now.at - first.at) / 1000;
      if (window >= idle && now.cpu - first.cpu < IDLE_MIN_CPU_SECONDS && fairShareSeconds(window).seconds >= IDLE_FAIR_SHARE * IDLE_MIN_CPU_SECONDS) {
        this.stop(this.sandbox ?? sandbox, {
          kind: 'wall',
          detail: `sat on a request for ${idle} s of wall-clock time, computing less than ${IDLE_MIN_CPU_SECONDS} s of it, while the tests waited for it`,
        });
      }
    }, 1000);
    this.idleTimer.unref();
  }

  /** CPU seconds every sandbox of this connection has used (the running one as last sampled). */
  cpuSeconds(): number {
    return this.cpuUsed + (this.sandbox?.cpuSeconds() ?? 0);
  }

  /** The CPU seconds the running and later sandboxes may still use, as their stop's message says it (allowCpu). */
  private cpuShown: number | undefined;
  /** This connection's CPU count when allowCpu was last called. */
  private allowedFrom = 0;

  /**
   * Lets the host use `seconds` more CPU time from now on, in place of what
   * was left of its limit: one request's allowance (prepare.ts). A stop then
   * says "used more than `seconds` s".
   */
  allowCpu(seconds: number): void {
    this.allowedFrom = this.cpuSeconds();
    this.limits = { ...this.limits, cpuSeconds: this.allowedFrom + seconds };
    this.cpuShown = seconds;
    this.sandbox?.setCpuLimit(this.limits.cpuSeconds, seconds);
  }

  /** The largest memory a sandbox of this connection was seen using, in bytes. */
  peakMemoryBytes(): number {
    return Math.max(this.peakMemory, this.sandbox?.peakMemoryBytes() ?? 0);
  }

  /** Stops the host (and everything it started). */
  close(): void {
    this.closed = true;
    this.sandbox?.kill();
  }

  private start(): Sandbox {
    const state = { ready: false };
    const sandbox = startSandbox(this.layout, this.limits, (reason) => this.stop(sandbox, reason), this.cpuUsed);
    if (this.cpuShown !== undefined) sandbox.setCpuLimit(this.limits.cpuSeconds, this.cpuShown);
    const { child } = sandbox;
    // The kata's stdout goes to /dev/null (sandbox.ts); its stderr is read and
    // dropped, and before the ready line it is the sandbox's own (bubblewrap,
    // Node.js starting) and says why a start failed.
    let startLog = '';
    (child.stderr as Readable).on('data', (chunk: Buffer) => {
      if (!state.ready && startLog.length < START_LOG_CHARS) startLog += chunk.toString('utf8').slice(0, START_LOG_CHARS - startLog.length);
    });
    (child.stdin as Writable).on('error', () => undefined);
    // The line being received, in pieces: a newline is looked for in each new
    // piece only, so a long line costs its length, not its length squared.
    let pieces: string[] = [];
    let size = 0;
    const replies = child.stdio[3] as Readable;
    replies.setEncoding('utf8');
    replies.on('data', (chunk: string) => {
      let rest = chunk;
      while (!this.stopped) {
        // The host writes JSON objects only: anything else on this channel is the kata's doing.
        if (size === 0 && rest.length > 0 && rest[0] !== '{') return this.violated(sandbox, 'wrote bytes that are not a message of the grader');
        const newline = rest.indexOf('\n');
        const piece = newline < 0 ? rest : rest.slice(0, newline);
        size += piece.length;
        this.totalChars += piece.length + 1;
        if (size > this.caps.messageChars) return this.violated(sandbox, `sent more than ${this.caps.messageChars / 2 ** 20} MiB in one message`);
        if (this.totalChars > this.caps.totalChars) return this.violated(sandbox, `sent more than ${this.caps.totalChars / 2 ** 20} MiB in all`);
        if (newline < 0) {
          pieces.push(piece);
          return;
        }
        const line = pieces.join('') + piece;
        pieces = [];
        size = 0;
        rest = rest.slice(newline + 1);
        const problem = this.dispatch(line, state);
        if (problem) return this.violated(sandbox, problem);
      }
    });
    child.on('exit', (code, signal) => {
      this.cpuUsed += sandbox.cpuSeconds();
      this.peakMemory = Math.max(this.peakMemory, sandbox.peakMemoryBytes());
      if (this.sandbox === sandbox) this.sandbox = undefined;
      if (!state.ready && !this.stopped) {
        const log = startLog.trim().replace(/\s+/g, ' ');
        this.startFailure = `The sandbox could not start (${signal ?? `exit code ${String(code)}`}${log ? `: ${log}` : ''}).`;
        this.options.onStartFailure?.(this.startFailure);
        return this.failAll(new SandboxStartError(this.startFailure));
      }
      const killed = this.killedDuringCall(sandbox, code, signal);
      if (killed) return this.failAll(new KataHostError(killed));
      const reason = this.stopped
        ? `The kata was stopped: it ${stopDetail(this.stopped)}.`
        : `The kata's process ended (${signal ?? `exit code ${String(code)}`}) before it answered${abortHint(code, signal)}.`;
      this.failAll(new KataHostError(reason));
    });
    child.on('error', (error) => {
      this.startFailure = `The sandbox could not start: ${error.message}`;
      this.options.onStartFailure?.(this.startFailure);
      this.failAll(new SandboxStartError(this.startFailure));
    });
    return sandbox;
  }

  /** A host killed by SIGKILL during a call, not by a limit nor by close(): onKilled's message (and maybe giving up), if it applies. */
  private killedDuringCall(sandbox: Sandbox, code: number | null, signal: NodeJS.Signals | null): string | undefined {
    const open = this.pending.values().next().value;
    if (!this.options.onKilled || !open || this.stopped || this.closed || !endedAsKilled(code, signal)) return undefined;
    const { message, giveUp } = this.options.onKilled({
      call: open.call,
      ended: signal ?? `exit code ${String(code)}`,
      // Against the allowance when there is one (prepare.ts: one request's), else the limit.
      // (At least 0: a kill before the sandbox's first CPU sample reads less than the count at the allowance.)
      cpuSeconds: Math.max(0, this.cpuUsed - (this.cpuShown !== undefined ? this.allowedFrom : 0)),
      cpuLimitSeconds: this.cpuShown ?? this.limits.cpuSeconds,
      peakMemoryMiB: sandbox.peakMemoryBytes() / 2 ** 20,
      memoryLimitMiB: this.limits.memoryMiB,
    });
    if (giveUp) this.givenUp = message;
    return message;
  }

  /** Hands a line to its request; returns why it is not allowed, if it is not. */
  private dispatch(line: string, state: { ready: boolean }): string | undefined {
    if (!state.ready) {
      if (line !== '{"event":"ready"}') return 'wrote before the host was ready';
      state.ready = true;
      return undefined;
    }
    const over = jsonOverLimits(line, this.caps.json);
    if (over) return `sent a message ${over}`;
    let message: unknown;
    try {
      message = this.parse(line);
    } catch {
      return 'wrote a line that is not one of the grader\'s messages';
    }
    if (typeof message !== 'object' || message === null) return 'wrote a line that is not one of the grader\'s messages';
    const m = message as Partial<Reply & CallbackEvent>;
    if (typeof m.id !== 'number') return 'wrote a message without a request';
    const pending = this.pending.get(m.id);
    // A request given up on (a test's time limit) may still be answered: dropped, its bytes counted in the total.
    if (!pending) {
      if (!this.finished.has(m.id)) return 'answered a request the grader never made';
      return ++this.lateLines > MAX_LATE_LINES ? `sent more than ${MAX_LATE_LINES} lines for requests already answered` : undefined;
    }
    pending.chars += line.length;
    if (pending.chars > this.caps.requestChars) return `sent more than ${this.caps.requestChars / 2 ** 20} MiB for one call`;
    if (m.event === 'callback') {
      if (++pending.events > this.caps.eventsPerRequest) return `called back more than ${this.caps.eventsPerRequest} times in one call`;
      pending.onEvent?.(m as CallbackEvent);
    } else if (typeof m.ok === 'boolean') pending.resolve(m as Reply);
    else return 'wrote a message that is neither a reply nor an event';
    return undefined;
  }

  /** A limit, or a request not answered in time: the host is stopped for good, with the reason. */
  private stop(sandbox: Sandbox, reason: StopReason): void {
    if (this.stopped) return;
    this.stopped = reason;
    this.options.onLimit?.(reason);
    this.failAll(new KataHostError(`The kata was stopped: it ${reason.detail}.`));
    sandbox.kill();
  }

  /**
   * The kata wrote on the grader's channel itself, or past a cap: stop it for
   * good, as a limit does (a restarted host could do it again at every call).
   */
  private violated(sandbox: Sandbox, detail: string): void {
    this.stop(sandbox, { kind: 'protocol', detail });
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  /** An idle host does not keep the test process alive. */
  private setRef(on: boolean): void {
    const child = this.sandbox?.child;
    if (!child) return;
    // stdin, stderr and the channel (stdout is /dev/null; the filter's pipe, fd 4, is closed once written).
    for (const handle of [child, child.stdin, child.stderr, child.stdio[3]]) {
      const h = handle as { ref?: () => void; unref?: () => void } | null;
      if (on) h?.ref?.();
      else h?.unref?.();
    }
  }
}
