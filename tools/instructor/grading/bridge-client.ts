/**
 * What a generated bridge module (bridge.ts) runs in the grader's test
 * process: each kata export becomes an async function that sends its
 * arguments to the sandboxed kata host and decodes the reply as data;
 * exported constants are the values the host reported before the run.
 * Also installs `__KATA_BRIDGE__` (test/support/kata-calls.ts), so that leak
 * checks count the tensors alive in the host.
 *
 * Grading settings come from KATA_GRADING (JSON, set by tools/instructor/grade.ts).
 * What stopped the kata, or kept its sandbox from starting, goes to the
 * status file for the grader (grading-status.ts).
 *
 * Errors reach the tests (and so the learner's report) without the grader's
 * own stack frames (this folder, the generated bridges): jest shows the code
 * of the first frame it finds, which should be the test's line, never the
 * grader's source.
 */
import fs from 'node:fs';
import type * as tfjs from '@tensorflow/tfjs';
import { parseJsonForTf, tf } from '../../../lib/tf';
import { KataConnection, KataHostError } from './connection';
import { writeStatus } from './grading-status';
import { killedCall, type OomReading, readOomKills } from './host-kill';
import type { SandboxLayout, SandboxLimits } from './sandbox';
import { decode, decodeModel, decodeNumber, disposeSent, encode, exportNameProblem, isDataName, modelsIn, optimizersIn, quotedName, type WireArtifacts } from './child/wire';

export interface GradingSettings extends SandboxLayout {
  limits: SandboxLimits;
  /** Where a limit stop is recorded for the grader (JSON StopReason). */
  statusFile: string;
  /** The kernel's out-of-memory kill count when the run started (host-kill.ts). */
  oomKillsAtStart: OomReading;
  /** Whether this is the kata's first run: one whose host is killed during a call is graded again. */
  firstRun: boolean;
}

export function gradingSettings(): GradingSettings {
  const text = process.env.KATA_GRADING;
  if (!text) throw new Error('KATA_GRADING is not set: bridge modules run only under npm run grade.');
  return JSON.parse(text) as GradingSettings;
}

let connection: KataConnection | undefined;
function host(): KataConnection {
  if (connection) return connection;
  const settings = gradingSettings();
  connection = new KataConnection(settings, settings.limits, {
    onLimit: (stop) => writeStatus(settings.statusFile, { stop }),
    onStartFailure: (startFailure) => writeStatus(settings.statusFile, { startFailure }),
    onKilled: (measured) => {
      const killed = { ...measured, oomBefore: settings.oomKillsAtStart, oomAfter: readOomKills() };
      writeStatus(settings.statusFile, { killed });
      return killedCall(killed, settings.firstRun);
    },
    parse: parseJsonForTf,
  });
  return connection;
}

(globalThis as { __KATA_BRIDGE__?: unknown }).__KATA_BRIDGE__ = {
  async numTensors(): Promise<number> {
    if (!connection || connection.stopped) return 0;
    const site = new Error();
    try {
      const reply = await connection.request({ op: 'numTensors' });
      return reply.ok && typeof reply.value === 'number' && Number.isSafeInteger(reply.value) ? reply.value : 0;
    } catch (error) {
      throw studentFacing(error, site);
    }
  },
};

/**
 * Whether a stack line is a frame the learner has no use for: the grader's own
 * code (this folder, a generated bridge module), or jest's and Node.js's
 * (jest shows the first frame it is given, even one of its own).
 */
function hiddenFrame(line: string): boolean {
  const bridgeDir = process.env.KATA_BRIDGE_DIR;
  return line.includes(__dirname) || (bridgeDir !== undefined && bridgeDir !== '' && line.includes(bridgeDir)) || /[/\\]node_modules[/\\]|\(node:/.test(line);
}

/**
 * An error as the tests see it: its name and message, then the frames of
 * `site` (where the tests called in, by default here) that are the tests' own,
 * so that jest's code frame, if any, is the test's line.
 */
export function studentFacing(error: unknown, site: { stack?: string | undefined } = new Error()): Error {
  const e = error instanceof Error ? error : new Error(String(error));
  const frames = (site.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line) && !hiddenFrame(line));
  e.stack = [`${e.name}: ${e.message}`, ...frames].join('\n');
  return e;
}

function toError(wire: unknown): Error {
  const w = (typeof wire === 'object' && wire !== null ? wire : {}) as { name?: unknown; message?: unknown };
  const error = new Error(String(w.message ?? 'The kata failed.').slice(0, 2100));
  error.name = String(w.name ?? 'Error').slice(0, 100);
  return error;
}

/** Weights a kata set on a model passed to it, copied onto the test's own model. */
async function updateInPlace(model: tfjs.LayersModel, artifacts: unknown): Promise<void> {
  const changed = await decodeModel(tf, artifacts as WireArtifacts);
  try {
    const weights = changed.getWeights();
    if (weights.length === model.getWeights().length) model.setWeights(weights);
  } finally {
    disposeSent(changed);
  }
}

async function callKata(module: string, name: string, args: unknown[]): Promise<unknown> {
  // Where the test called: the frames its error shows, once the grader's are left out (formatted only if it fails).
  const site = new Error();
  try {
    return await forward(module, name, args);
  } catch (error) {
    throw studentFacing(error, site);
  }
}

async function forward(module: string, name: string, args: unknown[]): Promise<unknown> {
  const argModels = modelsIn(tf, args);
  const argOptimizers = optimizersIn(tf, args);
  const functions: ((...a: unknown[]) => unknown)[] = [];
  const wireArgs = await encode(args, { tf, functions });
  const reply = await host().request({ op: 'call', module, name, args: wireArgs }, { onEvent: (event) => {
    // Called at once, in order, before the call's reply is read: callbacks carry data only (epoch, logs).
    const fn = functions[event.fn];
    let args: unknown;
    try {
      args = constant(event.args);
    } catch {
      return;
    }
    try {
      if (fn && Array.isArray(args)) fn(...args);
    } catch {
      // a callback's error cannot reach the kata across processes; the tests check what it recorded
    }
  } });
  if (!reply.ok) throw toError(reply.error);
  const sentBack = Array.isArray(reply.argModels) ? reply.argModels : [];
  for (const [i, model] of argModels.entries()) if (sentBack[i]) await updateInPlace(model, sentBack[i]);
  return decode(reply.value, { tf, argModels, argOptimizers });
}

/** A constant as the host reported it: data only. */
function constant(wire: unknown, depth = 0): unknown {
  if (depth > 64) throw new KataHostError('An exported constant is nested more than 64 levels deep.');
  if (wire === null || typeof wire !== 'object') return wire;
  if (Array.isArray(wire)) return wire.map((item) => constant(item, depth + 1));
  const w = wire as { $t?: string; v?: unknown; name?: unknown; message?: unknown };
  switch (w.$t) {
    case 'undefined':
      return undefined;
    case 'number':
      return decodeNumber(w.v);
    case 'object': {
      if (typeof w.v !== 'object' || w.v === null) throw new KataHostError('A malformed exported object.');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(w.v)) {
        if (!isDataName(k)) throw new KataHostError(`An exported object with a key that is not data: ${k.slice(0, 60)}.`);
        Object.defineProperty(out, k, { value: constant(v, depth + 1), enumerable: true, writable: true });
      }
      return out;
    }
    case 'error':
      throw toError(w);
    default:
      throw new KataHostError(`An exported ${String(w.$t)} cannot be read by the tests in grading mode: export data, or a function that returns it.`);
  }
}

export interface ModuleManifest {
  /** Set when loading the module failed: importing the bridge throws it, as importing the kata would. */
  error?: { name: string; message: string };
  exports?: Record<string, { kind: 'function' } | { kind: 'value'; value: unknown }>;
}

/**
 * The exports object of one bridged kata module. A name the tests cannot
 * import (prepare.ts refuses them first) fails the import with a KataLoadError
 * naming it, as a module that failed to load does: never an error of this code.
 */
export function kataModule(module: string, manifest: ModuleManifest): Record<string, unknown> {
  if (manifest.error) throw studentFacing(toError(manifest.error));
  const exports: Record<string, unknown> = {};
  Object.defineProperty(exports, '__esModule', { value: true });
  for (const [name, entry] of Object.entries(manifest.exports ?? {})) {
    const problem = exportNameProblem(name);
    if (problem) throw studentFacing(toError({ name: 'KataLoadError', message: `Loading ${module} failed: it exports ${quotedName(name)}, ${problem}.` }));
    let value: unknown;
    if (entry.kind === 'function') value = (...args: unknown[]) => callKata(module, name, args);
    else {
      try {
        value = constant(entry.value);
      } catch (error) {
        value = undefined;
        process.stderr.write(`${name}: ${(error as Error).message}\n`);
      }
    }
    Object.defineProperty(exports, name, { value, enumerable: true });
  }
  return exports;
}
