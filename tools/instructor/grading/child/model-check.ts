/**
 * A model that comes over the wire is checked before tfjs rebuilds it: a
 * topology is data that becomes work (layers built, weights allocated) in
 * the process that decodes it, which for a kata's reply is the tests' own.
 * Accepted: Sequential and functional models of the layer classes a kata
 * here has a use for, whose every inbound name exists, of at most
 * MAX_LAYERS layers, MAX_WIDTH units per layer and MAX_PARAMETERS
 * parameters, each weight named by its layer and of the shape its layer's
 * configuration gives, all of them present in the weight data and nothing
 * else. The weights' initializers are replaced by zeros before the rebuild
 * (the weights sent overwrite them anyway; an orthogonal initializer on a
 * wide layer alone takes minutes). Every rejection names what it measured.
 */

export const MAX_LAYERS = 64;
export const MAX_WIDTH = 4096;
export const MAX_PARAMETERS = 2 ** 20;
/** Inputs to one merge layer, and dimensions of an input. */
const MAX_INPUTS = 16;
const MAX_RANK = 3;

export class ModelCheckError extends Error {
  override name = 'ModelCheckError';
}

const fail = (message: string): never => {
  throw new ModelCheckError(`A model the grader cannot accept: ${message}`);
};

type Shape = number[];
type Config = Record<string, unknown>;

const SAME_SHAPE = new Set(['Activation', 'Dropout', 'Rescaling']);
const MERGE = new Set(['Multiply', 'Add', 'Subtract', 'Average', 'Maximum', 'Minimum']);
const LAYER_CLASSES = new Set(['InputLayer', 'Dense', 'Concatenate', 'BatchNormalization', ...SAME_SHAPE, ...MERGE]);
const REGULARIZERS = new Set(['L1L2', 'L1', 'L2']);
const CONSTRAINTS = new Set(['MaxNorm', 'MinMaxNorm', 'NonNeg', 'UnitNorm']);
const INITIALIZER_KEYS = ['kernel_initializer', 'bias_initializer', 'beta_initializer', 'gamma_initializer', 'moving_mean_initializer', 'moving_variance_initializer'];

function isObject(value: unknown): value is Config {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown, what: string, max: number): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > max) fail(`${what} is ${JSON.stringify(value)?.slice(0, 40)}, not a whole number from 1 to ${max}.`);
  return value as number;
}

function size(shape: Shape): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** The shape without the batch dimension, from a layer's batch_input_shape (or input_shape). */
function declaredInput(config: Config, layer: string): Shape | undefined {
  const batch = config.batch_input_shape ?? config.batchInputShape;
  const plain = config.input_shape ?? config.inputShape;
  const dims = Array.isArray(batch) ? batch.slice(1) : Array.isArray(plain) ? plain : undefined;
  if (!dims) return undefined;
  if (dims.length < 1 || dims.length > MAX_RANK) fail(`${layer} declares an input of rank ${dims.length} (at most ${MAX_RANK}).`);
  const shape = dims.map((d, i) => count(d, `${layer}'s input dimension ${i + 1}`, MAX_WIDTH));
  if (size(shape) > MAX_WIDTH) fail(`${layer}'s input has ${size(shape)} values (at most ${MAX_WIDTH}).`);
  return shape;
}

interface Weight {
  name: string;
  shape: Shape;
}

/** The layer's output shape and the weights its configuration gives it, from its input shapes. */
function inferLayer(className: string, config: Config, layer: string, inputs: Shape[]): { output: Shape; weights: Weight[] } {
  if (className === 'InputLayer') return { output: declaredInput(config, layer) ?? fail(`${layer} declares no input shape.`), weights: [] };
  if (inputs.length === 0) fail(`${layer} has no input.`);
  const first = inputs[0] as Shape;
  const last = first[first.length - 1] as number;
  if (MERGE.has(className) || className === 'Concatenate') {
    if (inputs.length < 2 || inputs.length > MAX_INPUTS) fail(`${layer} merges ${inputs.length} inputs (2 to ${MAX_INPUTS}).`);
    const same = (a: Shape, b: Shape, upTo: number) => a.length === b.length && a.slice(0, upTo).every((d, i) => d === b[i]);
    if (className === 'Concatenate') {
      if (config.axis !== undefined && config.axis !== -1 && config.axis !== first.length) fail(`${layer} concatenates along an axis other than the last.`);
      if (!inputs.every((s) => same(s, first, first.length - 1))) fail(`${layer}'s inputs differ in shape.`);
      const width = inputs.reduce((sum, s) => sum + (s[s.length - 1] as number), 0);
      if (width > MAX_WIDTH) fail(`${layer} makes ${width} units (at most ${MAX_WIDTH}).`);
      return { output: [...first.slice(0, -1), width], weights: [] };
    }
    if (!inputs.every((s) => same(s, first, first.length))) fail(`${layer}'s inputs differ in shape.`);
    return { output: first, weights: [] };
  }
  if (inputs.length !== 1) fail(`${layer} takes one input, not ${inputs.length}.`);
  if (SAME_SHAPE.has(className)) return { output: first, weights: [] };
  if (className === 'Dense') {
    const units = count(config.units, `${layer}'s units`, MAX_WIDTH);
    const weights = [{ name: `${layer}/kernel`, shape: [last, units] }];
    if (config.use_bias !== false) weights.push({ name: `${layer}/bias`, shape: [units] });
    return { output: [...first.slice(0, -1), units], weights };
  }
  // BatchNormalization, along the last axis.
  if (config.axis !== undefined && config.axis !== -1 && config.axis !== first.length) fail(`${layer} normalises along an axis other than the last.`);
  const names = [...(config.scale !== false ? ['gamma'] : []), ...(config.center !== false ? ['beta'] : []), 'moving_mean', 'moving_variance'];
  return { output: first, weights: names.map((n) => ({ name: `${layer}/${n}`, shape: [last] })) };
}

interface LayerEntry {
  className: string;
  name: string;
  config: Config;
  inbound: unknown;
}

function layerEntries(layers: unknown[]): LayerEntry[] {
  if (layers.length < 1 || layers.length > MAX_LAYERS) fail(`it has ${layers.length} layers (1 to ${MAX_LAYERS}).`);
  const names = new Set<string>();
  return layers.map((raw, i) => {
    if (!isObject(raw) || !isObject(raw.config)) fail(`layer ${i + 1} is not a layer.`);
    const entry = raw as { class_name?: unknown; name?: unknown; config: Config; inbound_nodes?: unknown };
    const className = entry.class_name;
    if (typeof className !== 'string' || !LAYER_CLASSES.has(className)) {
      fail(`layer ${i + 1} is a ${JSON.stringify(className)?.slice(0, 60)}; the grader rebuilds only ${[...LAYER_CLASSES].join(', ')} (a custom layer class exists only in the kata's process).`);
    }
    const name = entry.name ?? entry.config.name;
    if (typeof name !== 'string' || !/^[\w.-]{1,128}$/.test(name) || names.has(name)) fail(`layer ${i + 1} has a missing, malformed or repeated name.`);
    names.add(name as string);
    if (entry.config.dtype !== undefined && entry.config.dtype !== 'float32') fail(`${name} computes in ${String(entry.config.dtype).slice(0, 20)}, not float32.`);
    for (const [key, value] of Object.entries(entry.config)) {
      const allowed = key.endsWith('_regularizer') ? REGULARIZERS : key.endsWith('_constraint') ? CONSTRAINTS : undefined;
      if (allowed && value !== null && !(isObject(value) && typeof value.class_name === 'string' && allowed.has(value.class_name))) {
        fail(`${name}'s ${key} is not one of tfjs' own (${[...allowed].join(', ')}).`);
      }
    }
    return { className: className as string, name: name as string, config: entry.config, inbound: entry.inbound_nodes };
  });
}

/** The weights a Sequential model's layers have, in order. */
function sequentialWeights(entries: LayerEntry[]): Weight[] {
  let shape = entries[0]?.className === 'InputLayer' ? undefined : declaredInput(entries[0]?.config ?? {}, entries[0]?.name ?? 'layer 1');
  if (!shape && entries[0]?.className !== 'InputLayer') fail('its first layer declares no input shape.');
  const weights: Weight[] = [];
  for (const [i, e] of entries.entries()) {
    if (MERGE.has(e.className) || e.className === 'Concatenate') fail(`${e.name}, a ${e.className}, needs several inputs: a Sequential model has one path.`);
    if (e.className === 'InputLayer' && i > 0) fail(`${e.name} is an input layer after the first.`);
    const inferred = inferLayer(e.className, e.config, e.name, shape ? [shape] : []);
    shape = inferred.output;
    weights.push(...inferred.weights);
  }
  return weights;
}

/** A reference to a layer's output: [layer name, node index, tensor index(, kwargs)]. */
function tensorRef(ref: unknown, outputs: Map<string, Shape[]>, where: string): Shape {
  if (!Array.isArray(ref) || ref.length < 3 || ref.length > 4) fail(`${where} holds a malformed reference.`);
  const [name, node, tensor, kwargs] = ref as unknown[];
  if (typeof name !== 'string' || !outputs.has(name)) fail(`${where} names ${JSON.stringify(name)?.slice(0, 60)}, which is no earlier layer of the model.`);
  const shapes = outputs.get(name as string) as Shape[];
  if (!Number.isSafeInteger(node) || (node as number) < 0 || (node as number) >= shapes.length || tensor !== 0) fail(`${where} names an output of ${String(name)} that does not exist.`);
  if (kwargs !== undefined && (!isObject(kwargs) || Object.keys(kwargs).length > 0)) fail(`${where} passes arguments to a layer.`);
  return shapes[node as number] as Shape;
}

/** The weights a functional model's layers have; every name a node, input or output refers to must exist. */
function functionalWeights(entries: LayerEntry[], config: Config): Weight[] {
  const outputs = new Map<string, Shape[]>();
  const weights: Weight[] = [];
  for (const e of entries) {
    const nodes = e.inbound;
    if (!Array.isArray(nodes)) fail(`${e.name} has no inbound nodes list.`);
    const calls = nodes as unknown[];
    if (e.className === 'InputLayer') {
      if (calls.length > 0) fail(`${e.name}, an input layer, has inbound nodes.`);
      outputs.set(e.name, [inferLayer(e.className, e.config, e.name, []).output]);
      continue;
    }
    if (calls.length < 1 || calls.length > MAX_INPUTS) fail(`${e.name} is called ${calls.length} times (1 to ${MAX_INPUTS}).`);
    const shapes: Shape[] = [];
    let layerWeights: Weight[] | undefined;
    for (const call of calls) {
      if (!Array.isArray(call)) fail(`${e.name} has a malformed inbound node.`);
      const inferred = inferLayer(e.className, e.config, e.name, (call as unknown[]).map((ref) => tensorRef(ref, outputs, e.name)));
      // A shared layer: every call must fit the same weights.
      if (layerWeights && JSON.stringify(layerWeights) !== JSON.stringify(inferred.weights)) fail(`${e.name} is called on inputs of different shapes.`);
      layerWeights = inferred.weights;
      shapes.push(inferred.output);
    }
    outputs.set(e.name, shapes);
    weights.push(...(layerWeights ?? []));
  }
  for (const key of ['input_layers', 'output_layers']) {
    const refs = config[key];
    if (!Array.isArray(refs) || refs.length < 1 || refs.length > MAX_INPUTS) fail(`its ${key} are missing or too many.`);
    for (const ref of refs as unknown[]) tensorRef(ref, outputs, key);
  }
  return weights;
}

export interface CheckedModel {
  /** The topology to rebuild, its initializers replaced by zeros. */
  modelTopology: Config;
  parameters: number;
}

/**
 * Checks a topology, its weight specs and the length of its weight data
 * against one another and the limits; returns what tfjs may rebuild.
 */
export function checkModel(modelTopology: unknown, weightSpecs: unknown, weightBytes: number): CheckedModel {
  if (!isObject(modelTopology) || !isObject(modelTopology.config)) fail('it has no topology.');
  const topology = modelTopology as { class_name?: unknown; config: Config };
  const layers = topology.config.layers;
  if (!Array.isArray(layers)) fail('its topology lists no layers.');
  const entries = layerEntries(layers as unknown[]);
  let expected: Weight[];
  if (topology.class_name === 'Sequential') expected = sequentialWeights(entries);
  else if (topology.class_name === 'Model' || topology.class_name === 'Functional') expected = functionalWeights(entries, topology.config);
  else expected = fail(`its class is ${JSON.stringify(topology.class_name)?.slice(0, 40)}, not Sequential or Model.`);

  const parameters = expected.reduce((sum, w) => sum + size(w.shape), 0);
  if (parameters > MAX_PARAMETERS) fail(`it has ${parameters} parameters (at most ${MAX_PARAMETERS}).`);
  if (!Array.isArray(weightSpecs) || weightSpecs.length !== expected.length) {
    fail(`its layers have ${expected.length} weights but it sends ${Array.isArray(weightSpecs) ? weightSpecs.length : 'no list of'} weight specs.`);
  }
  const byName = new Map(expected.map((w) => [w.name, w.shape]));
  for (const spec of weightSpecs as unknown[]) {
    const s = (isObject(spec) ? spec : {}) as { name?: unknown; shape?: unknown; dtype?: unknown; quantization?: unknown };
    const shape = typeof s.name === 'string' ? byName.get(s.name) : undefined;
    if (!shape || JSON.stringify(s.shape) !== JSON.stringify(shape) || s.dtype !== 'float32' || s.quantization !== undefined) {
      fail(`a weight spec (${JSON.stringify(s.name)?.slice(0, 60)}) is not one its layers have, of that shape, in float32.`);
    }
    byName.delete(s.name as string);
  }
  if (weightBytes !== parameters * 4) fail(`its weights take ${parameters * 4} bytes but ${weightBytes} were sent.`);

  const rebuilt = structuredClone(modelTopology) as { config: { layers: { config: Config }[] } };
  for (const layer of rebuilt.config.layers) {
    for (const key of INITIALIZER_KEYS) if (key in layer.config) layer.config[key] = { class_name: 'Zeros', config: {} };
  }
  return { modelTopology: rebuilt as unknown as Config, parameters };
}
