/**
 * Values as data, between the grader's test process and the sandboxed child
 * that runs a submission. Both sides use this file: the child encodes what a
 * kata returns, the parent decodes it, and the other way round for arguments.
 * Only data crosses: JSON values, non-finite numbers, typed arrays, tensors
 * (dtype, shape, values), tfjs layers models (tfjs' own serialisation:
 * topology, weights and training config), errors (name and a capped message),
 * and, from parent to child only, callbacks as ids. Decoding never runs code
 * that came over the wire, refuses keys that are not data (__proto__,
 * constructor, the names Object.prototype gives every object, then, toJSON),
 * and rebuilds a model only after checking its topology (model-check.ts).
 * What a message may cost before it is parsed at all is connection.ts's.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { checkModel } from './model-check';

type Tf = typeof tfjs;

export const MAX_MESSAGE_CHARS = 2000;

export type Wire =
  | null
  | boolean
  | number
  | string
  | Wire[]
  | { $t: 'undefined' }
  | { $t: 'number'; v: 'NaN' | 'Infinity' | '-Infinity' | '-0' }
  | { $t: 'object'; v: Record<string, Wire> }
  | { $t: 'typed'; kind: TypedKind; v: number[] }
  | { $t: 'tensor'; dtype: string; shape: number[]; v: number[] }
  | { $t: 'model'; artifacts: WireArtifacts }
  | { $t: 'argModel'; index: number }
  | { $t: 'optimizer'; className: string; config: unknown }
  | { $t: 'function'; id: number }
  | { $t: 'error'; name: string; message: string };

export interface WireArtifacts {
  modelTopology: unknown;
  weightSpecs: unknown;
  /** base64 */
  weightData: string;
  trainingConfig?: unknown;
  /** The model was compiled with the call's argument optimizer of this index. */
  optimizerArg?: number;
}

const TYPED = { Float32Array, Float64Array, Int32Array, Uint8Array, Int16Array, Uint16Array, Int8Array, Uint32Array } as const;
type TypedKind = keyof typeof TYPED;

export class WireError extends Error {
  override name = 'WireError';
}

/**
 * Names that are not data: on a plain object they would shadow what every
 * object has (a prototype, toString...), make it a thenable for await, or
 * change how JSON.stringify writes it.
 */
const NOT_DATA = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype', 'then', 'toJSON']);

/** Whether a key or an exported name may travel: a data name. */
export function isDataName(name: string): boolean {
  return !NOT_DATA.has(name);
}

/**
 * An exported name as the tests import it: a JavaScript identifier (Unicode
 * letters included, as the language defines them: ID_Start or $ or _, then
 * ID_Continue, $, or the zero-width joiners) of at most 100 code points.
 */
const EXPORT_NAME = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]{0,99}$/u;

/**
 * Why a kata module's exported name cannot reach the tests, or undefined when
 * it can. Said after "it exports "name", ...": the same reasons whether the
 * name was read from the source before it ran or reported by the module once
 * loaded.
 */
export function exportNameProblem(name: string): string | undefined {
  if (!EXPORT_NAME.test(name)) return 'which is not a name the tests can import (an identifier of at most 100 characters: a letter, _ or $, then letters, digits, _ or $)';
  if (name === '__esModule') return 'a name the module system keeps for itself (it marks a compiled ES module): rename the export';
  if (!isDataName(name)) return 'a name every object already has, or one that changes how the module is read (then, toJSON): rename the export';
  return undefined;
}

/** A name as messages quote it: whole when short, else its start and its length (a cut name would look shorter than it is). */
export function quotedName(name: string): string {
  const characters = [...name];
  return characters.length <= 60 ? JSON.stringify(name) : `${JSON.stringify(characters.slice(0, 40).join(''))}… (${characters.length} characters)`;
}

export function capMessage(text: string, max = MAX_MESSAGE_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters cut)` : text;
}

/** An error from the other side, as data: its name and message, capped, and nothing else. */
export function encodeError(error: unknown): { $t: 'error'; name: string; message: string } {
  const name = error instanceof Error && typeof error.name === 'string' ? error.name : 'Error';
  const message = error instanceof Error && typeof error.message === 'string' ? error.message : String(error);
  return { $t: 'error', name: capMessage(name, 100), message: capMessage(message) };
}

function encodeNumber(n: number): Wire {
  if (Number.isNaN(n)) return { $t: 'number', v: 'NaN' };
  if (n === Infinity) return { $t: 'number', v: 'Infinity' };
  if (n === -Infinity) return { $t: 'number', v: '-Infinity' };
  if (Object.is(n, -0)) return { $t: 'number', v: '-0' };
  return n;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === null || proto === Object.prototype || (proto as { constructor?: { name?: string } })?.constructor?.name === 'Object';
}

export interface EncodeContext {
  tf: Tf;
  /** Models already on the other side (arguments of this call): sent back as references. */
  argModels?: tfjs.LayersModel[];
  /** Optimizers passed in (child side): a returned model compiled with one says which. */
  argOptimizers?: tfjs.Optimizer[];
  /** Functions found in the value (parent side): given ids. */
  functions?: ((...args: unknown[]) => unknown)[];
  /** Tensors and models met while encoding (child side: disposed after the reply is sent). */
  seen?: Set<{ dispose(): unknown }>;
  /** An exported constant (child side): read as it is, a promise refused rather than waited for. */
  constant?: boolean;
}

export async function encodeModel(tf: Tf, model: tfjs.LayersModel, argOptimizers: tfjs.Optimizer[] = []): Promise<WireArtifacts> {
  let artifacts: tfjs.io.ModelArtifacts | undefined;
  const handler = tf.io.withSaveHandler(async (a: tfjs.io.ModelArtifacts) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
  });
  await model.save(handler);
  // The training config (loss, optimizer and its settings) without the optimizer's state:
  // saving that (includeOptimizer) leaves a tensor behind in tfjs 4.22.
  let trainingConfig: unknown;
  try {
    trainingConfig = model.optimizer ? (model as unknown as { getTrainingConfig(): unknown }).getTrainingConfig() : undefined;
    // tfjs saves a loss only by name (a function comes out as {}): its own
    // mean-squared-error functions, which a model may be compiled with, by their name.
    // The same two functions as test/support/mse-loss.ts accepts: child/ is copied alone into the sandbox and imports nothing outside it.
    if (trainingConfig && (model.loss === tf.losses.meanSquaredError || model.loss === tf.metrics.meanSquaredError)) {
      trainingConfig = { ...(trainingConfig as object), loss: 'mean_squared_error' };
    }
  } catch {
    trainingConfig = undefined; // a loss or optimizer tfjs cannot serialise
  }
  if (!artifacts) throw new WireError('tfjs did not serialise the model.');
  const weightData = artifacts.weightData as ArrayBuffer;
  return {
    modelTopology: artifacts.modelTopology,
    weightSpecs: artifacts.weightSpecs,
    weightData: Buffer.from(weightData).toString('base64'),
    ...(trainingConfig ? { trainingConfig } : {}),
    ...(model.optimizer && argOptimizers.includes(model.optimizer) ? { optimizerArg: argOptimizers.indexOf(model.optimizer) } : {}),
  };
}

export async function encode(value: unknown, ctx: EncodeContext, depth = 0): Promise<Wire> {
  if (depth > 64) throw new WireError('The value is nested more than 64 levels deep.');
  if (value === undefined) return { $t: 'undefined' };
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return encodeNumber(value);
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'function') {
    if (!ctx.functions) throw new WireError('A function cannot be returned to the tests: return data (numbers, arrays, objects, tensors, models).');
    ctx.functions.push(value as (...args: unknown[]) => unknown);
    return { $t: 'function', id: ctx.functions.length - 1 };
  }
  if (typeof value !== 'object') throw new WireError(`A ${typeof value} cannot be sent between the tests and the kata.`);
  const { tf } = ctx;
  // A promise among the values (a kata call's result passed on unawaited) travels as what it resolves to.
  if (typeof (value as { then?: unknown }).then === 'function') {
    if (ctx.constant) throw new WireError('An exported promise cannot be read by the tests in grading mode: export data, or a function that returns it.');
    return encode(await (value as Promise<unknown>), ctx, depth + 1);
  }
  if (value instanceof tf.Tensor) {
    ctx.seen?.add(value);
    const values = Array.from(await value.data(), (v) => (typeof v === 'number' ? v : Number(v)));
    return { $t: 'tensor', dtype: value.dtype, shape: [...value.shape], v: values.map(encodeNumber) as number[] };
  }
  if (value instanceof tf.LayersModel) {
    const index = ctx.argModels?.indexOf(value) ?? -1;
    if (index >= 0) return { $t: 'argModel', index };
    ctx.seen?.add(value);
    return { $t: 'model', artifacts: await encodeModel(tf, value, ctx.argOptimizers) };
  }
  if (value instanceof tf.Optimizer) {
    return { $t: 'optimizer', className: value.getClassName(), config: value.getConfig() as unknown };
  }
  if (Array.isArray(value)) {
    const out: Wire[] = [];
    for (const item of value) out.push(await encode(item, ctx, depth + 1));
    return out;
  }
  if (ArrayBuffer.isView(value)) {
    const kind = value.constructor.name as TypedKind;
    if (!(kind in TYPED)) throw new WireError(`A ${kind} cannot be sent between the tests and the kata.`);
    return { $t: 'typed', kind, v: Array.from(value as unknown as ArrayLike<number>, (v) => encodeNumber(v) as number) };
  }
  if (value instanceof Error) return encodeError(value);
  if (!isPlainObject(value)) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw new WireError(`A ${name} cannot be sent between the tests and the kata: use numbers, arrays, plain objects, tensors or models.`);
  }
  const out: Record<string, Wire> = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(out, key, { value: await encode(item, ctx, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return { $t: 'object', v: out };
}

export interface DecodeContext {
  tf: Tf;
  argModels?: tfjs.LayersModel[];
  /** Optimizers the parent passed (parent side): a returned model compiled with one gets it back. */
  argOptimizers?: tfjs.Optimizer[];
  /** Child side: builds a callback that reports a call of function `id`. */
  makeFunction?: (id: number) => (...args: unknown[]) => unknown;
  /** Tensors, models and optimizers created while decoding. */
  created?: Set<{ dispose(): unknown }>;
}

export function decodeNumber(v: unknown): number {
  switch (v) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
    default:
      if (typeof v === 'number') return v;
      throw new WireError(`Not a number: ${typeof v}`);
  }
}

function numbers(list: unknown): number[] {
  if (!Array.isArray(list)) throw new WireError('Expected a list of numbers.');
  return list.map((v) => (typeof v === 'number' ? v : decodeNumber((v as { v?: unknown })?.v)));
}

/** A tfjs optimizer class registered by tfjs itself (sgd, adam...), or an error. */
function registeredOptimizer(tf: Tf, className: unknown): [tfjs.serialization.SerializableConstructor<tfjs.serialization.Serializable>, tfjs.serialization.FromConfigMethod<tfjs.serialization.Serializable>] {
  const registered = tf.serialization.SerializationMap.getMap().classNameMap;
  const entry = typeof className === 'string' && Object.hasOwn(registered, className) ? registered[className] : undefined;
  if (!entry || !(entry[0].prototype instanceof tf.Optimizer)) throw new WireError(`Not a tfjs optimizer: ${String(className).slice(0, 60)}.`);
  return entry;
}

/** A flat settings object: finite numbers, booleans, short strings or null, under data names. */
function isSettings(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.entries(value).length <= 32 &&
    Object.entries(value).every(
      ([k, v]) => isDataName(k) && (v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 64)),
    )
  );
}

/** tfjs' training config (loss, metrics, optimizer and its settings), checked: names only, no structure to build. */
function checkTrainingConfig(tf: Tf, config: unknown): tfjs.io.TrainingConfig {
  const c = (typeof config === 'object' && config !== null ? config : {}) as Record<string, unknown>;
  const names = (v: unknown) => typeof v === 'string' ? v.length <= 64 : Array.isArray(v) ? v.length <= 8 && v.every((x) => typeof x === 'string' && x.length <= 64) : false;
  const metrics = c.metrics === undefined || names(c.metrics) || (typeof c.metrics === 'object' && c.metrics !== null && Object.keys(c.metrics).length === 0);
  const optimizer = c.optimizer_config as { class_name?: unknown; config?: unknown } | undefined;
  if (!names(c.loss) || !metrics || typeof optimizer !== 'object' || optimizer === null || !isSettings(optimizer.config ?? {})) {
    throw new WireError('A model with a training configuration the grader cannot read: a loss by name, metrics by name, a tfjs optimizer and its settings.');
  }
  registeredOptimizer(tf, optimizer.class_name);
  return { loss: c.loss as string, ...(c.metrics !== undefined ? { metrics: c.metrics as string[] } : {}), optimizer_config: { class_name: optimizer.class_name as string, config: optimizer.config ?? {} } } as tfjs.io.TrainingConfig;
}

export async function decodeModel(tf: Tf, a: WireArtifacts): Promise<tfjs.LayersModel> {
  if (typeof a !== 'object' || a === null || typeof a.weightData !== 'string') throw new WireError('A malformed model.');
  const bytes = Buffer.from(a.weightData, 'base64');
  const checked = checkModel(a.modelTopology, a.weightSpecs, bytes.byteLength);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const artifacts = {
    modelTopology: checked.modelTopology as tfjs.io.ModelArtifacts['modelTopology'],
    weightSpecs: a.weightSpecs as tfjs.io.WeightsManifestEntry[],
    weightData,
    ...(a.trainingConfig ? { trainingConfig: checkTrainingConfig(tf, a.trainingConfig) } : {}),
  };
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

export async function decode(wire: unknown, ctx: DecodeContext, depth = 0): Promise<unknown> {
  if (depth > 64) throw new WireError('The value is nested more than 64 levels deep.');
  if (wire === null || typeof wire === 'boolean' || typeof wire === 'string' || typeof wire === 'number') return wire;
  if (Array.isArray(wire)) {
    const out: unknown[] = [];
    for (const item of wire) out.push(await decode(item, ctx, depth + 1));
    return out;
  }
  if (typeof wire !== 'object') throw new WireError(`Unexpected ${typeof wire} on the wire.`);
  const w = wire as { $t?: unknown } & Record<string, unknown>;
  const { tf } = ctx;
  switch (w.$t) {
    case 'undefined':
      return undefined;
    case 'number':
      return decodeNumber(w.v);
    case 'object': {
      if (typeof w.v !== 'object' || w.v === null || Array.isArray(w.v)) throw new WireError('A malformed object.');
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(w.v as Record<string, unknown>)) {
        if (!isDataName(key)) throw new WireError(`An object with a key that is not data: ${key}.`);
        Object.defineProperty(out, key, { value: await decode(item, ctx, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'typed': {
      const Kind = TYPED[w.kind as TypedKind];
      if (!Object.hasOwn(TYPED, w.kind as string) || !Kind) throw new WireError('A malformed typed array.');
      return Kind.from(numbers(w.v));
    }
    case 'tensor': {
      const shape = numbers(w.shape);
      if (!['float32', 'int32', 'bool'].includes(w.dtype as string)) throw new WireError(`A tensor of dtype ${String(w.dtype)} cannot be sent.`);
      const tensor = tf.tensor(numbers(w.v), shape, w.dtype as 'float32');
      ctx.created?.add(tensor);
      return tensor;
    }
    case 'model': {
      const artifacts = w.artifacts as WireArtifacts;
      const model = await decodeModel(tf, artifacts);
      const own = typeof artifacts.optimizerArg === 'number' ? ctx.argOptimizers?.[artifacts.optimizerArg] : undefined;
      if (own && model.optimizer) {
        // The optimizer the test passed, as in-process: disposing the model's optimizer disposes the test's.
        const fresh = model.optimizer;
        model.compile({ optimizer: own, loss: model.loss });
        fresh.dispose();
      }
      ctx.created?.add(model);
      return model;
    }
    case 'argModel': {
      const model = ctx.argModels?.[w.index as number];
      if (!model) throw new WireError('A reference to a model that was not an argument.');
      return model;
    }
    case 'optimizer': {
      // Only the optimizers tfjs registers itself (sgd, adam...), built from their settings.
      const entry = registeredOptimizer(tf, w.className);
      if (!isSettings(w.config)) throw new WireError('An optimizer with settings that are not plain numbers.');
      const optimizer = entry[1](entry[0], w.config as tfjs.serialization.ConfigDict) as tfjs.Optimizer;
      ctx.created?.add(optimizer);
      return optimizer;
    }
    case 'function':
      if (!ctx.makeFunction || typeof w.id !== 'number') throw new WireError('A function came back from the kata: katas return data only.');
      return ctx.makeFunction(w.id);
    case 'error': {
      const error = new Error(capMessage(String(w.message)));
      error.name = capMessage(String(w.name), 100);
      return error;
    }
    default:
      throw new WireError('An unknown value on the wire.');
  }
}

/** The instances of `kind` (models, optimizers) among a call's arguments, in the order encode/decode meet them. */
export function instancesIn<T>(tf: Tf, kind: abstract new (...args: never[]) => T, value: unknown, found: T[] = [], depth = 0): T[] {
  if (depth > 64 || typeof value !== 'object' || value === null) return found;
  if (value instanceof kind) {
    if (!found.includes(value)) found.push(value);
    return found;
  }
  if (value instanceof tf.Tensor || value instanceof tf.LayersModel || value instanceof tf.Optimizer || ArrayBuffer.isView(value)) return found;
  for (const item of Array.isArray(value) ? value : Object.values(value)) instancesIn(tf, kind, item, found, depth + 1);
  return found;
}

export function modelsIn(tf: Tf, value: unknown): tfjs.LayersModel[] {
  return instancesIn(tf, tf.LayersModel, value);
}

export function optimizersIn(tf: Tf, value: unknown): tfjs.Optimizer[] {
  return instancesIn(tf, tf.Optimizer, value);
}

/** Disposes a tensor, an optimizer, or a model with its optimizer (tfjs keeps an optimizer it did not create by name). */
export function disposeSent(item: { dispose(): unknown; optimizer?: { dispose(): unknown } | null }): void {
  const optimizer = item.optimizer;
  try {
    item.dispose();
  } catch {
    // disposed already
  }
  try {
    optimizer?.dispose();
  } catch {
    // disposed already
  }
}
