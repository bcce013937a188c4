/**
 * The sandboxed side of grading: runs inside bubblewrap with the submission's
 * kata files, a copy of lib/ and node_modules, nothing else. It loads kata
 * modules and answers the grader's requests, one JSON line each on stdin;
 * replies go out as JSON lines on fd 3 (the kata's own stdout and stderr are
 * separate pipes the grader only caps and drops). Everything here is within
 * the submission's reach: the grader trusts none of what comes back beyond
 * decoding it as data (wire.ts).
 *
 * Requests: {id, op: 'manifest', module} | {id, op: 'call', module, name, args}
 * | {id, op: 'numTensors'}. Replies: {id, ok, value | error, argModels?};
 * callback events: {event: 'callback', id, fn, args}.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type * as tfjs from '@tensorflow/tfjs';
import { decode, disposeSent, encode, encodeError, encodeModel, modelsIn, optimizersIn, type Wire } from './wire';

const KATA_ROOT = process.env.KATA_SANDBOX_KATAS ?? '/sandbox/katas';
// The same tfjs the katas get from lib/tf.ts (lib/load-tf.js caches it per process).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { tf } = require(path.join(KATA_ROOT, '..', 'lib', 'tf')) as { tf: typeof tfjs };

const replies = fs.createWriteStream('', { fd: 3 });
function send(message: object): void {
  replies.write(`${JSON.stringify(message)}\n`);
}

const MODULE = /^\d\d-[a-z0-9-]+\/[A-Za-z0-9_-]+$/;
function load(module: string): Record<string, unknown> {
  if (!MODULE.test(module)) throw new Error(`Not a kata module: ${module}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(KATA_ROOT, module)) as Record<string, unknown>;
}

async function manifest(module: string): Promise<Wire> {
  const exports = load(module);
  const out: Record<string, Wire> = {};
  for (const [name, value] of Object.entries(exports)) {
    if (name === '__esModule') continue;
    out[name] = typeof value === 'function' ? { $t: 'function', id: 0 } : await encode(value, { tf }).catch((e: unknown) => encodeError(e));
  }
  return { $t: 'object', v: out };
}

async function call(request: { id: number; module: string; name: string; args: unknown }): Promise<void> {
  const created = new Set<{ dispose(): unknown }>();
  const makeFunction = (fn: number) => (...args: unknown[]) => {
    void encode(args, { tf }).then(
      (wire) => send({ event: 'callback', id: request.id, fn, args: wire }),
      () => undefined,
    );
  };
  const seen = new Set<{ dispose(): unknown }>();
  let argModels: tfjs.LayersModel[] = [];
  try {
    const args = (await decode(request.args, { tf, makeFunction, created })) as unknown[];
    argModels = modelsIn(tf, args);
    const argOptimizers = optimizersIn(tf, args);
    const fn = load(request.module)[request.name];
    if (typeof fn !== 'function') throw new TypeError(`${request.name} is not a function exported by ${request.module}.`);
    const result = await (fn as (...a: unknown[]) => unknown)(...args);
    const value = await encode(result, { tf, argModels, argOptimizers, seen });
    // Models passed in travel back: a kata may change one in place (new weights).
    const sentBack = [];
    for (const model of argModels) sentBack.push(await encodeModel(tf, model, argOptimizers));
    send({ id: request.id, ok: true, value, argModels: sentBack });
  } catch (error) {
    send({ id: request.id, ok: false, error: encodeError(error) });
  } finally {
    // What was sent is the parent's now: only what the kata itself leaked stays counted here.
    for (const item of new Set([...created, ...seen])) disposeSent(item);
  }
}

async function handle(line: string): Promise<void> {
  let request: { id: number; op: string; module: string; name: string; args: unknown };
  try {
    request = JSON.parse(line) as typeof request;
  } catch {
    return;
  }
  try {
    if (request.op === 'manifest') send({ id: request.id, ok: true, value: await manifest(request.module) });
    else if (request.op === 'numTensors') send({ id: request.id, ok: true, value: tf.memory().numTensors });
    else if (request.op === 'call') await call(request);
  } catch (error) {
    send({ id: request.id, ok: false, error: encodeError(error) });
  }
}

// A kata's stray async error must not end the process: the tests that call it report it.
process.on('uncaughtException', (error) => process.stderr.write(`uncaught: ${String(error)}\n`));
process.on('unhandledRejection', (error) => process.stderr.write(`unhandled rejection: ${String(error)}\n`));

readline.createInterface({ input: process.stdin }).on('line', (line) => void handle(line));
process.stdin.on('end', () => process.exit(0));
