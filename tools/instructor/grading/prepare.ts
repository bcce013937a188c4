/**
 * The first phase of grading a submission, in one sandbox: its TypeScript
 * becomes JavaScript there, and only the kata modules the graded katas' tests
 * import, and the kata modules those import (kata 03 imports kata 02's), are
 * transpiled at all; then each module the tests import is loaded there and
 * reports its exports (its manifest), from which the bridges are written
 * (bridge.ts). Each request is a phase of the submission's CPU budget
 * (budget.ts), with a wall-clock limit; its replies are capped like every other (a manifest
 * is checked and reduced as it arrives), so that what a module exports cannot
 * cost the grader more than its limits. A host killed during a request by no
 * limit (host-kill.ts) is the machine's when the kernel's out-of-memory killer
 * acted; otherwise the request is made once more, in a fresh sandbox, and the
 * CPU the killed attempt used is not charged: a phase charges at most its limit.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ModuleManifest } from './bridge-client';
import { type SubmissionBudget, WALL_FACTOR } from './budget';
import { KATA_MODULE } from './child/kata-module';
import { MAX_EXPORTED_NAMES } from './child/exported-names';
import { exportNameProblem, quotedName } from './child/wire';
import { KataConnection, KataHostError, type Reply, SandboxStartError, WIRE_CAPS } from './connection';
import { type HostKill, killedCall, oomKillerActed, oomKillProblem, readOomKills, reloadedNote } from './host-kill';
import { type SandboxLayout, type SandboxLimits, type StopReason, stopDetail } from './sandbox';

/** The transpiled modules come back in one reply: larger than a kata's. */
const PREPARE_CAPS = { ...WIRE_CAPS, messageChars: 32 * 2 ** 20, requestChars: 32 * 2 ** 20, totalChars: 64 * 2 ** 20 };
/**
 * A module's manifest as written into its bridge. No cap on all of them together: the
 * modules are those the repository's tests import (testedModules), so their number, and
 * with it the total, is the repository's, and one kata's large constants never cost
 * another kata its load.
 */
export const MAX_MANIFEST_CHARS = 2 ** 20;
const MAX_EXPORTS = 256;

/** The kata modules a test file imports (`@kata/NN-slug/file`). */
export function testedModules(testFiles: string[]): string[] {
  const modules = new Set<string>();
  for (const file of testFiles) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(/@kata\/(\d\d-[a-z0-9-]+\/[A-Za-z0-9_-]+)/g)) modules.add(match[1] as string);
  }
  return [...modules].sort();
}

export interface Prepared {
  manifests: Map<string, ModuleManifest>;
  /** What its sandboxes used, attempts made again included (what the budget was charged may be less). */
  cpuSeconds: number;
  peakMemoryBytes: number;
  /** Set when a limit (or the wire) stopped the preparing sandbox: what it was doing and why ("loading 01-x/y: it used more than 5 s of CPU time"), and which limit. */
  stopped?: string;
  stoppedBy?: StopReason['kind'];
  /** Set when the sandbox could not start: the grader's or the machine's fault. */
  graderError?: string;
  /**
   * The request made again after its host was killed from outside, if one
   * was, with the note for the katas whose tests import its module (every
   * kata when it was the transpiling).
   */
  loadNotes: { module?: string; note: string }[];
}

const loadError = (module: string, message: string): ModuleManifest => ({ error: { name: 'KataLoadError', message: `Loading ${module} failed: ${message}` } });

/** The first exported name of `names` the tests cannot import, as a load error naming it, or undefined. */
export function refusedExport(module: string, names: Iterable<string>): ModuleManifest | undefined {
  for (const name of names) {
    const problem = exportNameProblem(name);
    if (problem) return loadError(module, `it exports ${quotedName(name)}, ${problem}.`);
  }
  return undefined;
}

/**
 * Why a module the tests import was not transpiled: its file was left out of
 * the copy (workspace.ts says why), or the submission has none.
 */
export function missingModule(module: string, leftOut: Readonly<Record<string, string>> = {}): ModuleManifest {
  const why = Object.hasOwn(leftOut, `${module}.ts`) ? leftOut[`${module}.ts`] : undefined;
  return loadError(module, why ? `the submission's katas/${module}.ts was not read: it ${why}.` : `the submission has no katas/${module}.ts.`);
}

/** A manifest reply as data: function names, and constants as the wire gave them, within the caps. */
export function asManifest(module: string, reply: Reply): ModuleManifest {
  if (!reply.ok) {
    const e = (typeof reply.error === 'object' && reply.error !== null ? reply.error : {}) as { name?: unknown; message?: unknown };
    return { error: { name: String(e.name ?? 'Error').slice(0, 100), message: String(e.message ?? 'The module failed to load.').slice(0, 2100) } };
  }
  const v = reply.value as { $t?: unknown; v?: unknown } | undefined;
  const entries = v?.$t === 'object' && typeof v.v === 'object' && v.v !== null ? Object.entries(v.v) : [];
  if (entries.length > MAX_EXPORTS) return loadError(module, `it exports more than ${MAX_EXPORTS} names.`);
  const refused = refusedExport(module, entries.map(([name]) => name));
  if (refused) return refused;
  // (Not named \`exports\`: CommonJS output would read this module's own exported constants from it.)
  const named: NonNullable<ModuleManifest['exports']> = {};
  for (const [name, wire] of entries) {
    Object.defineProperty(named, name, {
      value: (wire as { $t?: unknown })?.$t === 'function' ? { kind: 'function' } : { kind: 'value', value: wire },
      enumerable: true,
    });
  }
  const manifest = { exports: named };
  if (JSON.stringify(manifest).length > MAX_MANIFEST_CHARS) return loadError(module, `its exported constants take more than ${MAX_MANIFEST_CHARS / 2 ** 20} MiB.`);
  return manifest;
}

/** Writes the transpiled modules the host returned into katasDir; returns the modules written, each with the names its source exports. */
/** Writes what a transpile request returned; returns the modules of the reply the compiler failed on, each with its error. */
function writeTranspiled(reply: Reply, sourceDir: string, katasDir: string, written: Map<string, string[]>): Map<string, string> {
  const failed = new Map<string, string>();
  const v = reply.value as { $t?: unknown; v?: unknown } | undefined;
  if (!reply.ok || v?.$t !== 'object' || typeof v.v !== 'object' || v.v === null) throw new SandboxStartError('The sandbox did not transpile the submission (an answer the kata host never gives).');
  for (const [module, transpiled] of Object.entries(v.v)) {
    // Before the first kata module loads, the host is the grader's own code: this is a check, not a defence.
    const t = (typeof transpiled === 'object' && transpiled !== null ? transpiled : {}) as { js?: unknown; exports?: unknown; error?: unknown };
    const js = t.js;
    if (!KATA_MODULE.test(module) || !fs.existsSync(path.join(sourceDir, `${module}.ts`))) continue;
    // The compiler failed on this module's source (kata-host.ts): the submission's, for it alone.
    if (typeof t.error === 'string') failed.set(module, t.error.slice(0, 1000));
    if (typeof js !== 'string') continue;
    fs.mkdirSync(path.join(katasDir, path.dirname(module)), { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(katasDir, `${module}.js`), js, { mode: 0o644 });
    written.set(module, Array.isArray(t.exports) ? t.exports.slice(0, MAX_EXPORTED_NAMES).map(String) : []);
  }
  return failed;
}

/**
 * Transpiles the modules, then loads each. Each request (the transpiling,
 * each module's loading) is a phase of the submission's budget of its own: at
 * most one kata's limit, and no more than is left, and WALL_FACTOR times one
 * kata's limit in wall-clock time. A module whose loading a limit stops fails
 * alone, with that limit. Each module loads in a fresh sandbox of its own
 * (after the transpiling, which runs no kata code): what one module's code
 * does as it loads (patching require, the host's writes, timers, files held
 * open, a loop left running) never reaches another
 * module's loading or the exports it reports.
 */
export async function prepareSubmission(
  layout: SandboxLayout & { sourceDir: string },
  /** grading.json's limits of one kata run; each request's CPU limit comes from the budget. */
  limits: SandboxLimits,
  modules: string[],
  /** Files of the submission left out of the copy, and why (workspace.ts): said when a module is missing. */
  leftOut: Readonly<Record<string, string>>,
  budget: SubmissionBudget,
): Promise<Prepared> {
  const oomAtStart = readOomKills();
  let kills = 0;
  let lastKill: HostKill | undefined;
  let oomKill: HostKill | undefined;
  const open = () =>
    new KataConnection(layout, limits, {
      caps: PREPARE_CAPS,
      onKilled: (measured) => {
        const kill = { ...measured, oomBefore: oomAtStart, oomAfter: readOomKills() };
        kills += 1;
        lastKill = kill;
        if (oomKillerActed(kill)) oomKill = kill;
        return { message: killedCall(kill, kills === 1).message, giveUp: oomKill !== undefined };
      },
    });
  let connection = open();
  /** CPU seconds of the connections closed so far, and the largest memory they saw. */
  let closedCpu = 0;
  let closedPeak = 0;
  let firstStop: string | undefined;
  let firstStopKind: StopReason['kind'] | undefined;
  /** Whether a module has loaded in the current sandbox (the next one then loads in a fresh one). */
  let moduleLoaded = false;
  /** Later requests go to a fresh sandbox; this one's CPU and memory are kept for the totals. */
  const freshSandbox = () => {
    moduleLoaded = false;
    closedCpu += connection.cpuSeconds();
    closedPeak = Math.max(closedPeak, connection.peakMemoryBytes());
    connection.close();
    connection = open();
  };
  /** The request made again after a kill from outside, and the CPU its killed attempt used: not charged. */
  let repeated: { kill: HostKill; lostSeconds: number; module?: string } | undefined;
  /**
   * A request as one phase of the budget. Made once more when the first kill
   * of its host was during it and was not the out-of-memory killer's: with the
   * same CPU and wall-clock time as the first attempt had, as a kata's second
   * run has (grade-kata.ts); the killed attempt is not charged. After a
   * stop, later requests go to a fresh sandbox.
   */
  const ask = async (message: Record<string, unknown>): Promise<Reply> => {
    const reservation = budget.reserve();
    if (reservation.seconds <= 0) {
      reservation.settle(0);
      throw new KataHostError(`the submission's CPU budget (${budget.totalSeconds} s) was spent before it${firstStop ? `: ${firstStop}` : ''}.`);
    }
    const before = { cpu: connection.cpuSeconds(), at: Date.now() };
    const attempt = () => {
      connection.allowCpu(reservation.seconds);
      return connection.request(message, { timeoutSeconds: Math.max(1, Math.ceil(WALL_FACTOR * budget.phaseSeconds)) });
    };
    try {
      const killsBefore = kills;
      try {
        return await attempt();
      } catch (error) {
        if (killsBefore !== 0 || kills !== 1 || oomKill || !lastKill) throw error;
        // The kill's CPU figure counts from this request's allowance (connection.ts): what the killed attempt used.
        repeated = { kill: lastKill, lostSeconds: Math.max(0, lastKill.cpuSeconds), ...(typeof message.module === 'string' ? { module: message.module } : {}) };
        before.cpu = connection.cpuSeconds();
        return await attempt();
      }
    } finally {
      const charged = connection.cpuSeconds() - before.cpu;
      reservation.settle(charged);
      if (connection.stopped) {
        if (firstStop === undefined) {
          firstStop = `${describeRequest(message)}: ${limitText(connection.stopped)}`;
          firstStopKind = connection.stopped.kind;
        }
        freshSandbox();
      }
    }
  };
  const manifests = new Map<string, ModuleManifest>();
  const done = (startFailure?: string): Prepared => {
    connection.close();
    const graderError = startFailure ?? (oomKill ? oomKillProblem(oomKill) : undefined);
    const killedAgain = repeated !== undefined && kills > 1;
    return {
      manifests,
      cpuSeconds: closedCpu + connection.cpuSeconds(),
      peakMemoryBytes: Math.max(closedPeak, connection.peakMemoryBytes()),
      ...(firstStop ? { stopped: firstStop, ...(firstStopKind ? { stoppedBy: firstStopKind } : {}) } : {}),
      ...(graderError ? { graderError } : {}),
      loadNotes: repeated && !killedAgain && !graderError ? [{ ...(repeated.module ? { module: repeated.module } : {}), note: reloadedNote(repeated.kill, repeated.lostSeconds, repeated.module !== undefined) }] : [],
    };
  };
  // Each tested module, with the kata modules it imports, transpiled by a request (a phase) of its own, all before any kata code runs.
  const transpiled = new Map<string, string[]>();
  const transpileFailed = new Map<string, string>();
  for (const module of modules) {
    if (transpiled.has(module) || transpileFailed.has(module)) continue;
    try {
      // A module the compiler failed on fails every tested module whose request reached it (kata 03's reaches kata 02's).
      const [failed] = writeTranspiled(await ask({ op: 'transpile', modules: [module] }), layout.sourceDir, layout.katasDir, transpiled);
      if (failed) transpileFailed.set(module, `transpiling ${failed[0]} failed: ${failed[1]}`);
    } catch (error) {
      if (error instanceof SandboxStartError) return done(error.message);
      transpileFailed.set(module, `transpiling it and the kata modules it imports failed: ${(error as Error).message}`);
    }
  }
  for (const module of modules) {
    const failure = transpileFailed.get(module);
    if (failure !== undefined) {
      manifests.set(module, loadError(module, failure));
      continue;
    }
    const names = transpiled.get(module);
    if (!names) {
      manifests.set(module, missingModule(module, leftOut));
      continue;
    }
    // A name its source exports that the tests cannot import: refused before the module runs (its own code may fail on it).
    const refused = refusedExport(module, names);
    if (refused) {
      manifests.set(module, refused);
      continue;
    }
    // Each module loads in a sandbox of its own: what one module's code does as it loads (a patched
    // require or write, a timer, files held open) never reaches another module's loading or what it reports.
    if (moduleLoaded) freshSandbox();
    moduleLoaded = true;
    let manifest: ModuleManifest;
    try {
      manifest = asManifest(module, await ask({ op: 'manifest', module }));
    } catch (error) {
      if (error instanceof SandboxStartError) return done(error.message);
      manifest = loadError(module, (error as Error).message);
    }
    manifests.set(module, manifest);
  }
  return done();
}

/** A request of this phase as a phrase: "transpiling", "loading 01-x/y". */
function describeRequest(message: Record<string, unknown>): string {
  return message.op === 'manifest' ? `loading ${String(message.module)}` : `transpiling ${Array.isArray(message.modules) ? message.modules.map(String).join(', ') : 'the submission'}`;
}

/** What a stop says, after "loading 01-x/y: ". */
function limitText(stop: StopReason): string {
  return `it ${stopDetail(stop)}`;
}
