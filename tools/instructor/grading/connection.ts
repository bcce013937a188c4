/**
 * The grader's end of a sandboxed kata host (child/kata-host.ts): requests
 * out as JSON lines, replies in as JSON lines on fd 3, parsed as data with a
 * size cap. The host is started on first use and again after it ends on its
 * own (a kata that calls process.exit()), but not after a limit stopped it:
 * the CPU budget counts every restart, and once it is spent every call fails
 * with the reason.
 */
import type { Readable, Writable } from 'node:stream';
import { type Sandbox, type SandboxLayout, type SandboxLimits, type StopReason, startSandbox } from './sandbox';

/** Replies larger than this are refused and the host stopped for good (the largest honest reply, kata 02's dataset, is under 1 MiB). */
export const MAX_REPLY_CHARS = 64 * 2 ** 20;

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

interface Pending {
  resolve(reply: Reply): void;
  reject(error: Error): void;
  onEvent?: (event: CallbackEvent) => void;
}

export class KataConnection {
  private sandbox: Sandbox | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private cpuUsed = 0;
  /** Set when a limit stopped the host: every later request fails with it. */
  stopped: StopReason | undefined;

  constructor(
    private readonly layout: SandboxLayout,
    private readonly limits: SandboxLimits,
    private readonly onLimit: (reason: StopReason) => void = () => undefined,
    /** JSON.parse of the realm the replies are used in (tfjs wants its own objects: lib/tf.ts parseJsonForTf). */
    private readonly parse: (text: string) => unknown = JSON.parse,
  ) {}

  request(message: Record<string, unknown>, onEvent?: (event: CallbackEvent) => void): Promise<Reply> {
    if (this.stopped) return Promise.reject(new KataHostError(`The kata was stopped: it ${this.stopped.detail}.`));
    const sandbox = (this.sandbox ??= this.start());
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(onEvent ? { onEvent } : {}) });
      this.setRef(true);
      (sandbox.child.stdin as Writable).write(`${JSON.stringify({ ...message, id })}\n`);
    }).finally(() => {
      this.pending.delete(id);
      if (this.pending.size === 0) this.setRef(false);
    });
  }

  /** Stops the host (and everything it started). */
  close(): void {
    this.sandbox?.kill();
  }

  private start(): Sandbox {
    const sandbox = startSandbox(
      this.layout,
      this.limits,
      (reason) => {
        this.stopped = reason;
        this.onLimit(reason);
      },
      this.cpuUsed,
    );
    const { child } = sandbox;
    // The kata's own output is read and dropped: nothing of it reaches a report.
    (child.stdout as Readable).resume();
    (child.stderr as Readable).resume();
    (child.stdin as Writable).on('error', () => undefined);
    // The reply being received, in pieces: a newline is looked for in each new
    // piece only, so a long line costs its length, not its length squared.
    let pieces: string[] = [];
    let size = 0;
    const replies = child.stdio[3] as Readable;
    replies.setEncoding('utf8');
    replies.on('data', (chunk: string) => {
      let rest = chunk;
      while (!this.stopped) {
        // The host writes JSON objects only: anything else on this channel is the kata's doing.
        if (size === 0 && rest.length > 0 && rest[0] !== '{') return this.violated(sandbox, 'wrote bytes that are not a message of the grader on the channel to it');
        const newline = rest.indexOf('\n');
        if (newline < 0) {
          pieces.push(rest);
          size += rest.length;
          if (size > MAX_REPLY_CHARS) this.violated(sandbox, `sent more than ${MAX_REPLY_CHARS / 2 ** 20} MiB in one reply`);
          return;
        }
        const line = pieces.join('') + rest.slice(0, newline);
        pieces = [];
        size = 0;
        rest = rest.slice(newline + 1);
        if (!this.dispatch(line)) return this.violated(sandbox, 'wrote a line on the channel to the grader that is not one of its messages');
      }
    });
    child.on('exit', (code, signal) => {
      this.cpuUsed += sandbox.cpuSeconds();
      if (this.sandbox === sandbox) this.sandbox = undefined;
      const reason = this.stopped
        ? `The kata was stopped: it ${this.stopped.detail}.`
        : `The kata's process ended (${signal ?? `exit code ${String(code)}`}) before it answered.`;
      this.failAll(new KataHostError(reason));
    });
    child.on('error', (error) => this.failAll(new KataHostError(`The sandbox could not start: ${error.message}`)));
    return sandbox;
  }

  /** Hands a reply or event to its request; false when the line is not a message at all. */
  private dispatch(line: string): boolean {
    let message: unknown;
    try {
      message = this.parse(line);
    } catch {
      return false;
    }
    if (typeof message !== 'object' || message === null) return false;
    const m = message as Partial<Reply & CallbackEvent>;
    // A reply to a request that already failed (a time limit) is dropped.
    const pending = typeof m.id === 'number' ? this.pending.get(m.id) : undefined;
    if (!pending) return true;
    if (m.event === 'callback') pending.onEvent?.(m as CallbackEvent);
    else if (typeof m.ok === 'boolean') pending.resolve(m as Reply);
    return true;
  }

  /**
   * The kata wrote on the grader's channel itself: stop it for good, as a limit
   * does (a restarted host could do it again at every call), and say why.
   */
  private violated(sandbox: Sandbox, detail: string): void {
    const reason: StopReason = { kind: 'protocol', detail };
    this.stopped = reason;
    this.onLimit(reason);
    this.failAll(new KataHostError(`The kata was stopped: it ${detail}.`));
    sandbox.kill();
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  /** An idle host does not keep the test process alive. */
  private setRef(on: boolean): void {
    const child = this.sandbox?.child;
    if (!child) return;
    for (const handle of [child, ...child.stdio]) {
      const h = handle as { ref?: () => void; unref?: () => void } | null;
      if (on) h?.ref?.();
      else h?.unref?.();
    }
  }
}
