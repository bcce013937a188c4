/**
 * The grader's bounds, piece by piece and without a sandbox: what a JSON line
 * may cost before it is parsed, names that are not data, models checked
 * before tfjs rebuilds them, the seccomp program, one CPU budget per
 * submission, descriptors a process would pass on, and the watchdog over the
 * tests' process. The end-to-end attacks are test/tools/grading-attacks.test.ts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { tf } from '../../lib/tf';
import { SubmissionBudget } from '../../tools/instructor/grading/budget';
import { checkModel, MAX_PARAMETERS, MAX_WIDTH } from '../../tools/instructor/grading/child/model-check';
import { decode, decodeModel, decodeNumber, encode, encodeModel, isDataName } from '../../tools/instructor/grading/child/wire';
import { jsonOverLimits } from '../../tools/instructor/grading/json-bounds';
import { seccompFilter, seccompSupported } from '../../tools/instructor/grading/seccomp';
import { sideBySide } from '../../tools/instructor/grading/side-by-side';
import { fairShareSeconds, meterFairShare } from '../../tools/instructor/grading/fair-share';
import { testTimeScale } from '../../tools/instructor/grading/grade-kata';
import { defaultKatasAtOnce } from '../../tools/instructor/grading/grade-submission';
import { watchVerdict } from '../../tools/instructor/grading/verdict-watch';

describe('a JSON line is measured before it is parsed', () => {
  const limits = { maxDepth: 4, maxContainers: 5, maxScalars: 6 };

  test('depth, arrays and objects, and values (keys among them) are counted as JSON.parse would build them', () => {
    expect(jsonOverLimits('{"a":[1,2,{"b":null}],"c":"x"}', { ...limits, maxScalars: 7 })).toBeUndefined();
    expect(jsonOverLimits('{"a":[1,2,{"b":null}],"c":"x"}', limits)).toMatch(/more than 6 values/);
    expect(jsonOverLimits('[[[[[]]]]]', limits)).toMatch(/nested more than 4 levels/);
    expect(jsonOverLimits('[[],[],[],[],[]]', limits)).toMatch(/more than 5 arrays and objects/);
    expect(jsonOverLimits('[1,2,3,4,5,6,7]', limits)).toMatch(/more than 6 values/);
    expect(jsonOverLimits('[-1.5e10, true, false]', limits)).toBeUndefined();
  });

  test('brackets, quotes and escapes inside strings are text, not structure', () => {
    expect(jsonOverLimits(JSON.stringify(['[[[[[[{{{{{{', 'a\\"[[[[[[', '\\\\']), limits)).toBeUndefined();
  });

  test('linear in the length of the line: 8 MiB of empty arrays is refused in one pass', () => {
    const line = `[${'[],'.repeat(2 ** 21)}[]]`;
    const started = performance.now();
    expect(jsonOverLimits(line, { maxDepth: 160, maxContainers: 200_000, maxScalars: 2_000_000 })).toMatch(/arrays and objects/);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('decoding is data only', () => {
  test.each(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'then', 'toJSON'])('a key named %s is refused', async (key) => {
    expect(isDataName(key)).toBe(false);
    const wire = JSON.parse(`{"$t":"object","v":{${JSON.stringify(key)}:1}}`) as unknown;
    await expect(decode(wire, { tf })).rejects.toThrow(/not data/);
  });

  test('a number is one of the four non-finite names or a number, never a property of an object', () => {
    expect(decodeNumber('NaN')).toBeNaN();
    expect(decodeNumber('-0')).toBe(-0);
    for (const name of ['constructor', '__proto__', 'toString', 'valueOf']) expect(() => decodeNumber(name)).toThrow(/Not a number/);
  });

  test('an exported constant is read as it is: a promise is refused, not waited for', async () => {
    await expect(encode(new Promise(() => undefined), { tf, constant: true })).rejects.toThrow(/exported promise/);
  });
});

describe('models are checked before tfjs rebuilds them', () => {
  async function artifacts(model: tfjs.LayersModel) {
    const a = await encodeModel(tf, model);
    model.dispose();
    return a;
  }
  const bytes = (a: { weightData: string }) => Buffer.from(a.weightData, 'base64').byteLength;

  test("the katas' own models pass: Sequential dense, functional with multiply, rescaling and concatenate, a layer's output squared", async () => {
    const sequential = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [1], activation: 'relu' }), tf.layers.dense({ units: 1 })] });
    sequential.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    // Kata 07's shapes: two gates multiplied, rescaled, concatenated; and one layer's output multiplied by itself.
    const x = tf.input({ shape: [1] });
    const scaled = tf.layers.rescaling({ scale: 0.1 }).apply(x) as tfjs.SymbolicTensor;
    const h = tf.layers.dense({ units: 4, activation: 'tanh' }).apply(scaled) as tfjs.SymbolicTensor;
    const g = tf.layers.dense({ units: 4, activation: 'sigmoid' }).apply(scaled) as tfjs.SymbolicTensor;
    const product = tf.layers.multiply().apply([h, g]) as tfjs.SymbolicTensor;
    const both = tf.layers.concatenate().apply([product, g]) as tfjs.SymbolicTensor;
    const functional = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 1 }).apply(both) as tfjs.SymbolicTensor });
    const u = tf.input({ shape: [1] });
    const line = tf.layers.dense({ units: 1 }).apply(u) as tfjs.SymbolicTensor;
    const squared = tf.model({ inputs: u, outputs: tf.layers.multiply().apply([line, line]) as tfjs.SymbolicTensor });
    for (const model of [sequential, functional, squared]) {
      const a = await artifacts(model);
      expect(checkModel(a.modelTopology, a.weightSpecs, bytes(a)).parameters).toBeGreaterThan(0);
      const rebuilt = await decodeModel(tf, a);
      expect(rebuilt.predict(tf.tensor2d([[1]])) as tfjs.Tensor).toBeInstanceOf(tf.Tensor);
      rebuilt.dispose();
    }
  });

  test('initializers are replaced by zeros before the rebuild (the weights sent overwrite them)', async () => {
    const a = await artifacts(tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], kernelInitializer: 'orthogonal' })] }));
    const checked = checkModel(a.modelTopology, a.weightSpecs, bytes(a));
    expect(JSON.stringify(checked.modelTopology)).not.toMatch(/Orthogonal|VarianceScaling/);
    expect(JSON.stringify(a.modelTopology)).toMatch(/Orthogonal/);
  });

  describe('and refused, naming what was measured', () => {
    let base: Awaited<ReturnType<typeof artifacts>>;
    beforeAll(async () => {
      base = await artifacts(tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], name: 'first' }), tf.layers.dense({ units: 1, name: 'second' })] }));
    });
    const edited = (edit: (topology: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }) => void) => {
      const topology = structuredClone(base.modelTopology) as Parameters<typeof edit>[0];
      edit(topology);
      return topology;
    };

    test('a layer class the grader does not rebuild (a custom layer exists only in the kata)', () => {
      const t = edited((m) => ((m.config.layers[1] as { class_name: string }).class_name = 'MyGate'));
      expect(() => checkModel(t, base.weightSpecs, bytes(base))).toThrow(/is a "MyGate"; the grader rebuilds only/);
    });

    test(`a layer wider than ${MAX_WIDTH} units, or an input wider than that`, () => {
      expect(() => checkModel(edited((m) => (m.config.layers[0]!.config.units = 65536)), base.weightSpecs, bytes(base))).toThrow(/units is 65536/);
      expect(() => checkModel(edited((m) => (m.config.layers[0]!.config.batch_input_shape = [null, 1e9])), base.weightSpecs, bytes(base))).toThrow(/input dimension 1 is 1000000000/);
    });

    test('weight specs missing, of another shape, or more bytes than the specs', () => {
      expect(() => checkModel(base.modelTopology, [], bytes(base))).toThrow(/have 4 weights but it sends 0 weight specs/);
      const specs = structuredClone(base.weightSpecs) as { shape: number[] }[];
      specs[0]!.shape = [2, 4];
      expect(() => checkModel(base.modelTopology, specs, bytes(base))).toThrow(/not one its layers have/);
      expect(() => checkModel(base.modelTopology, base.weightSpecs, bytes(base) + 4)).toThrow(/weights take 52 bytes but 56 were sent/);
    });

    test(`more than ${MAX_PARAMETERS} parameters, each layer within its width`, () => {
      const layers = Array.from({ length: 70 }, (_, i) => ({ class_name: 'Dense', config: { units: 4096, name: `d${i}`, ...(i === 0 ? { batch_input_shape: [null, 4096] } : {}) } }));
      expect(() => checkModel({ class_name: 'Sequential', config: { layers } }, [], 0)).toThrow(/70 layers \(1 to 64\)/);
      expect(() => checkModel({ class_name: 'Sequential', config: { layers: layers.slice(0, 2) } }, [], 0)).toThrow(/parameters \(at most 1048576\)/);
    });
  });

  test('a functional model whose layer is fed by one that does not exist', () => {
    const topology = {
      class_name: 'Model',
      config: {
        layers: [{ name: 'd', class_name: 'Dense', config: { units: 1, name: 'd' }, inbound_nodes: [[['ghost', 0, 0, {}]]] }],
        input_layers: [['ghost', 0, 0]],
        output_layers: [['d', 0, 0]],
      },
    };
    expect(() => checkModel(topology, [], 0)).toThrow(/names "ghost", which is no earlier layer of the model/);
  });
});

describe('the seccomp program', () => {
  test('assembles for x64 and arm64 (whole instructions, jumps in range), and says so for other machines', () => {
    for (const arch of ['x64', 'arm64']) {
      const program = seccompFilter(arch);
      expect(program.length % 8).toBe(0);
      expect(program.length / 8).toBeLessThan(256);
    }
    expect(seccompSupported('ia32')).toBe(false);
    expect(() => seccompFilter('ia32')).toThrow(/x64 and arm64/);
  });
});

describe('one CPU budget per submission', () => {
  test("each phase at most one kata's limit, and never more than is left", () => {
    const budget = new SubmissionBudget(90, 180);
    expect(budget.phaseLimit()).toBe(90);
    budget.reserve().settle(120);
    expect(budget.phaseLimit()).toBe(60);
    budget.reserve().settle(75);
    expect(budget.phaseLimit()).toBe(0);
  });

  test('limits are whole hundredths of a second, as messages print them, never past the budget', () => {
    // 1.9 × 3 and 5.7 - 1.89 are 5.699999999999999 and 3.8100000000000005 in floating point.
    const budget = new SubmissionBudget(1.9, 1.9 * 3);
    expect(budget.totalSeconds).toBe(5.7);
    budget.reserve().settle(1.89);
    expect(budget.phaseLimit()).toBe(1.9);
    budget.reserve().settle(1.9);
    expect(budget.phaseLimit()).toBe(1.9); // 1.91 left: one phase's limit at most
    budget.reserve().settle(0.333);
    expect(budget.phaseLimit()).toBe(1.57);
    expect(String(new SubmissionBudget(10, 10 - 4.3).phaseLimit())).toBe('5.7');
  });

  test('phases side by side reserve their limit when they start and settle with what they used, once', () => {
    const budget = new SubmissionBudget(90, 250);
    const first = budget.reserve();
    const second = budget.reserve();
    expect([first.seconds, second.seconds]).toEqual([90, 90]);
    // 70 left unreserved: less than a whole limit, so a third waits while others are in flight.
    expect(budget.phaseLimit()).toBe(70);
    expect(budget.mayStart()).toBe(false);
    second.settle(100); // past its reservation (a watchdog's margin): what was measured is spent
    second.settle(0);
    expect(budget.spentSeconds()).toBe(100);
    expect(budget.phaseLimit()).toBe(60);
    expect(budget.mayStart()).toBe(false);
    first.settle(10);
    expect(budget.phasesInFlight()).toBe(0);
    // Nothing in flight: what is left, as when phases run one after the other.
    expect(budget.mayStart()).toBe(true);
    expect(budget.reserve().seconds).toBe(90);
    expect(budget.phaseLimit()).toBe(50);
  });

  test('katas side by side: at most so many in flight, in kata order, never together past the budget, results in kata order whatever order they end in', async () => {
    const budget = new SubmissionBudget(90, 200);
    const started: { item: string; cpuSeconds: number; inFlight: number }[] = [];
    const finish = new Map<string, (usedSeconds: number) => void>();
    let running = 0;
    let reserved = 0;
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    const graded = sideBySide<string, string>(['a', 'no-folder', 'b', 'c', 'd', 'e'], {
      atOnce: 2,
      budget,
      without: (item) => (item === 'no-folder' ? 'no folder' : undefined),
      spent: (item) => `${item}: budget spent`,
      run: (item, cpuSeconds) => {
        running += 1;
        reserved += cpuSeconds;
        started.push({ item, cpuSeconds, inFlight: running });
        // The limits of the katas in flight, and what the others used: never more than the budget.
        expect(budget.spentSeconds() + reserved).toBeLessThanOrEqual(budget.totalSeconds);
        return new Promise((resolve) =>
          finish.set(item, (usedSeconds) => {
            running -= 1;
            reserved -= cpuSeconds;
            resolve({ result: `${item}: ${usedSeconds}`, usedSeconds });
          }),
        );
      },
    });
    await settle();
    expect(started.map((s) => s.item)).toEqual(['a', 'b']);
    finish.get('b')?.(50); // b ends first: 60 unreserved, less than a limit while a runs, so c waits
    await settle();
    expect(started.map((s) => s.item)).toEqual(['a', 'b']);
    finish.get('a')?.(30);
    await settle();
    expect(started.map((s) => s.item)).toEqual(['a', 'b', 'c']);
    expect(started[2]?.cpuSeconds).toBe(90);
    finish.get('c')?.(100); // past its limit by the watchdog's margin
    await settle();
    // 20 left and nothing in flight: d gets what is left, as it would after c.
    expect(started[3]).toEqual({ item: 'd', cpuSeconds: 20, inFlight: 1 });
    finish.get('d')?.(20);
    expect(await graded).toEqual(['a: 30', 'no folder', 'b: 50', 'c: 100', 'd: 20', 'e: budget spent']);
    expect(Math.max(...started.map((s) => s.inFlight))).toBe(2);
    expect(budget.phasesInFlight()).toBe(0);
  });
});

describe('katas graded at once, and the machine they share', () => {
  test('by default the cores are divided among the submissions graded at once, at least one kata each', () => {
    expect([defaultKatasAtOnce(1, 2), defaultKatasAtOnce(2, 2), defaultKatasAtOnce(3, 2), defaultKatasAtOnce(3, 8), defaultKatasAtOnce(1, 1)]).toEqual([2, 1, 1, 2, 1]);
  });

  test("the tests' own wall-clock limits stretch further only when the grader runs more katas than there are cores", () => {
    expect([testTimeScale(1, 2), testTimeScale(2, 2), testTimeScale(4, 2)]).toEqual([4, 4, 8]);
  });

  test('the fair share of a run follows the load through it, not only at its end (katas beside it that ended leave a low load behind)', () => {
    jest.useFakeTimers();
    let load = 4;
    const loadavg = jest.spyOn(os, 'loadavg').mockImplementation(() => [load, load, load]);
    const cores = jest.spyOn(os, 'availableParallelism').mockReturnValue(2);
    try {
      const meter = meterFairShare();
      jest.advanceTimersByTime(60_000); // half a core each for a minute
      load = 1;
      jest.advanceTimersByTime(60_000);
      const share = meter.sinceStart();
      meter.end();
      expect(share.seconds).toBeCloseTo(90, 0);
      expect(share.load).toBeCloseTo(2.5, 1);
      // The load at the end alone would say a computing process got the whole 120 s.
      expect(fairShareSeconds(120).seconds).toBe(120);
    } finally {
      loadavg.mockRestore();
      cores.mockRestore();
      jest.useRealTimers();
    }
  });
});

describe('processes the grader starts', () => {
  test('a descriptor the launching shell left open is found, and closed; the process\'s own are not', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fd-')), 'open.txt');
    fs.writeFileSync(file, 'x');
    const module = JSON.stringify(require.resolve('../../tools/instructor/grading/child/descriptors'));
    const script = `const d = require(${module}); const own = require('fs').openSync(${JSON.stringify(file)}, 'r'); const found = d.inheritedDescriptors(); d.closeInheritedDescriptors(); console.log(JSON.stringify({ found, own, after: d.inheritedDescriptors() }));`;
    // The shell opens descriptor 100 as an instructor's shell would (exec 100<file: Node.js sets close-on-exec on low-numbered ones itself), then starts Node.js.
    const child = spawn('/bin/bash', ['-c', 'exec 100<"$0"; exec "$@"', file, process.execPath, '-r', require.resolve('ts-node/register/transpile-only'), '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise((resolve) => child.on('close', resolve));
    const { found, own, after } = JSON.parse(out) as { found: number[]; own: number; after: number[] };
    expect(found).toContain(100);
    expect(found).not.toContain(own);
    expect(after).toEqual([]);
  });

  test.each([
    ['CPU time', 'for (;;) {}', { cpuSeconds: 1, memoryMiB: 4096, sandboxCpuSeconds: 60 }, 'verdict-cpu'],
    ['memory', 'const a = []; for (;;) a.push(Buffer.alloc(2 ** 20, 1));', { cpuSeconds: 60, memoryMiB: 300, sandboxCpuSeconds: 60 }, 'verdict-memory'],
  ])('the watchdog stops a tests\' process at its %s', async (_what, code, limits, kind) => {
    const child = spawn(process.execPath, ['-e', code], { detached: true, stdio: 'ignore' });
    const watch = watchVerdict(child, limits);
    const started = Date.now();
    await new Promise((resolve) => child.on('exit', resolve));
    watch.end();
    expect(watch.stopped()?.kind).toBe(kind);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
