/**
 * The sandboxed side of grading: runs inside bubblewrap with the submission's
 * kata files, a copy of lib/ and node_modules, nothing else. It first closes
 * every descriptor it was handed but its pipes, loads tfjs and says it is
 * ready: up to that line no kata code has run, so a host that ends before it
 * is the sandbox or the machine failing, never the kata (connection.ts).
 * Then it answers the grader's requests, one JSON line each on stdin; replies
 * go out as JSON lines on fd 3 (the kata's own stdout and stderr are separate
 * pipes the grader drops). Everything after the ready line is within the
 * submission's reach: the grader trusts none of what comes back beyond
 * decoding it as data, within caps (wire.ts, connection.ts).
 *
 * Requests: {id, op: 'transpile', modules} (the preparing sandbox only: the
 * TypeScript of /sandbox/source, and of the kata modules it imports, as
 * JavaScript, with the names each exports) | {id, op: 'manifest', module} | {id, op: 'call', module, name,
 * args} | {id, op: 'numTensors'}. Replies: {id, ok, value | error,
 * argModels?}; callback events: {event: 'callback', id, fn, args}; first of
 * all {event: 'ready'}.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type * as tfjs from '@tensorflow/tfjs';
import { closeInheritedDescriptors } from './descriptors';
import { exportedNames } from './exported-names';
import { KATA_MODULE } from './kata-module';
import { moduleSpecifiers } from './module-specifiers';
import { transpileOptions } from './transpile-options';
import { decode, disposeSent, encode, encodeError, encodeModel, modelsIn, optimizersIn, type Wire } from './wire';

// Anything its starter handed on besides the pipes and the channel (fd 3) goes
// (the starter covers its own descriptors with /dev/null: sandbox.ts).
closeInheritedDescriptors(3);

const KATA_ROOT = process.env.KATA_SANDBOX_KATAS ?? '/sandbox/katas';
const SOURCE_ROOT = path.join(KATA_ROOT, '..', 'source');
// The same tfjs the katas get from lib/tf.ts (lib/load-tf.js caches it per process).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { tf } = require(path.join(KATA_ROOT, '..', 'lib', 'tf')) as { tf: typeof tfjs };

const replies = fs.createWriteStream('', { fd: 3 });
function send(message: object): void {
  replies.write(`${JSON.stringify(message)}\n`);
}

/** Modules one transpile request may return: the kata modules the tests import and what those import. */
const MAX_TRANSPILED = 64;

function load(module: string): Record<string, unknown> {
  if (!KATA_MODULE.test(module)) throw new Error(`Not a kata module: ${module}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(KATA_ROOT, module)) as Record<string, unknown>;
}

/** A relative import of `from` as a kata module ("../02-x/y" from "03-z/w"), or undefined (lib/, packages, subfolders). */
function importedModule(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)).replace(/\.(ts|js)$/, '');
  return KATA_MODULE.test(target) ? target : undefined;
}

/**
 * The modules' TypeScript, and that of the kata modules they import, as
 * JavaScript, each with the names its source exports (exported-names.ts);
 * missing modules are left out. A module whose source the compiler cannot
 * take (nesting deep enough to overflow its stack, say) comes back as the
 * error it threw: the submission's, for that module alone.
 */
function transpile(modules: unknown): Record<string, { js: string; exports: string[] } | { error: string }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const out: Record<string, { js: string; exports: string[] } | { error: string }> = {};
  const queue = (Array.isArray(modules) ? modules : []).filter((m): m is string => typeof m === 'string' && KATA_MODULE.test(m));
  for (let module = queue.shift(); module !== undefined && Object.keys(out).length < MAX_TRANSPILED; module = queue.shift()) {
    if (Object.hasOwn(out, module)) continue;
    let source: string;
    try {
      source = fs.readFileSync(path.join(SOURCE_ROOT, `${module}.ts`), 'utf8');
    } catch {
      continue;
    }
    try {
      out[module] = {
        js: ts.transpileModule(source, { compilerOptions: transpileOptions(ts), fileName: `${module}.ts` }).outputText,
        exports: exportedNames(ts, source, `${module}.ts`),
      };
      for (const specifier of moduleSpecifiers(ts, source, `${module}.ts`)) {
        const imported = importedModule(module, specifier);
        if (imported) queue.push(imported);
      }
    } catch (error) {
      const { name, message } = encodeError(error);
      out[module] = { error: `${name}: ${message}` };
    }
  }
  return out;
}

async function manifest(module: string): Promise<Wire> {
  const exports = load(module);
  const out: Record<string, Wire> = {};
  for (const [name, value] of Object.entries(exports)) {
    if (name === '__esModule') continue;
    // A constant is read once, as it is: a promise would be waited for without end.
    out[name] = typeof value === 'function' ? { $t: 'function', id: 0 } : await encode(value, { tf, constant: true }).catch((e: unknown) => encodeError(e));
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
  let request: { id: number; op: string; module: string; modules: unknown; name: string; args: unknown };
  try {
    request = JSON.parse(line) as typeof request;
  } catch {
    return;
  }
  try {
    if (request.op === 'transpile') send({ id: request.id, ok: true, value: { $t: 'object', v: transpile(request.modules) } });
    else if (request.op === 'manifest') send({ id: request.id, ok: true, value: await manifest(request.module) });
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
send({ event: 'ready' });
