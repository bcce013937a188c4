/**
 * What the grader says, and to whom, without running a kata: exported names
 * the tests cannot import (refused, each named, whatever its class), errors
 * from the bridge without the grader's own source, what of a large kata
 * folder is read (by name, the kata's own files first), a submission with
 * nothing to grade (a 0, never "not graded"), and a report that cannot be
 * written (which file, and that the output was emptied).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { formatExecError } from 'jest-message-util';
import ts from 'typescript';
import { writeBridges } from '../../tools/instructor/grading/bridge';
import { kataModule, studentFacing } from '../../tools/instructor/grading/bridge-client';
import { exportedNames } from '../../tools/instructor/grading/child/exported-names';
import { moduleSpecifiers } from '../../tools/instructor/grading/child/module-specifiers';
import { PLOT_WRITE_FAILURES_ENV, writePlotFile } from '../../lib/plot-files';
import { gradeClass } from '../../tools/instructor/grading/course/grade-class';
import { abandonOutput, OutputWriteError } from '../../tools/instructor/grading/output-files';
import { limitProblem } from '../../tools/instructor/grading/grade-kata';
import { firstPlotWriteFailure } from '../../tools/instructor/grading/grading-status';
import { asManifest, missingModule, refusedExport } from '../../tools/instructor/grading/prepare';
import { type KataGrade, writeReports } from '../../tools/instructor/grading/reports';
import { findKatasFolder, LISTED_FACTOR, MAX_ENTRIES, MAX_FILE_BYTES, MAX_FOLDER_ENTRIES, readSubmission } from '../../tools/instructor/grading/workspace';

const GRADER_DIR = path.resolve(__dirname, '../../tools/instructor/grading');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'grading-messages-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Each class of name a submission may export that the tests cannot import, with how its refusal reads. */
const REFUSED: [string, string, RegExp][] = [
  ['the module system’s own', '__esModule', /it exports "__esModule", a name the module system keeps for itself/],
  ['the prototype', '__proto__', /it exports "__proto__", a name every object already has/],
  ['what every object has', 'constructor', /it exports "constructor", a name every object already has/],
  ['what every object has', 'hasOwnProperty', /it exports "hasOwnProperty", a name every object already has/],
  ['a function’s', 'prototype', /it exports "prototype", a name every object already has/],
  ['a thenable’s', 'then', /it exports "then", .*changes how the module is read/],
  ['not an identifier', 'weird name', /it exports "weird name", which is not a name the tests can import/],
  ['not an identifier', '1st', /it exports "1st", which is not a name the tests can import/],
  ['not an identifier', '€uro', /it exports "€uro", which is not a name the tests can import/],
  ['longer than 100 characters', `é${'x'.repeat(100)}`, /it exports "éx{39}"… \(101 characters\), which is not a name the tests can import \(an identifier of at most 100 characters/],
];

describe('exported names', () => {
  test('are read from the source without running it: values, not types; re-exports and defaults by the name they export', () => {
    const source = `
      export const a = 1, { b, c: [d] } = { b: 2, c: [3] };
      export function f() {}
      export class K {}
      export enum E { X }
      export namespace N { export const y = 1; }
      const esm = 0; export { esm as __esModule, esm as "weird name" };
      export * as ns from './other';
      export * from './everything';
      export type { T as constructor };
      export interface then {}
      export type toJSON = number;
      export declare const ambient: number;
      export { type T as prototype };
      export default 42;
      type T = number;`;
    expect(exportedNames(ts, source, '01-x/y.ts')).toEqual(['a', 'b', 'd', 'f', 'K', 'E', 'N', '__esModule', 'weird name', 'ns', 'default']);
    expect(exportedNames(ts, 'export default function named() {}\nexport const __proto__ = 1;', 'x.ts')).toEqual(['default', '__proto__']);
  });

  test("the modules a source names are read from it too, `export * as ns from` among them (TypeScript's preprocessor misses it)", () => {
    const source = `
      import { a } from './a';
      import type { T } from './types';
      export * as ns from './extra';
      export * from './everything';
      export { b as c } from '../02-training-data/training-data';
      const lazy = () => import('./lazy');
      const old = require('./required');
      import x = require('./legacy');`;
    expect(moduleSpecifiers(ts, source, '01-x/y.ts').sort()).toEqual(['../02-training-data/training-data', './a', './everything', './extra', './lazy', './legacy', './required', './types']);
  });

  test.each(REFUSED)('%s (%s) is refused before the module is loaded, naming it', (_class, name, says) => {
    expect(refusedExport('01-linear-model/linear-model', ['fit', name])?.error).toEqual({ name: 'KataLoadError', message: expect.stringMatching(says) as string });
  });

  test.each(REFUSED)('%s (%s) reported by a loaded module (or a forged manifest) is refused, naming it', (_class, name, says) => {
    const value = JSON.parse(`{"$t":"object","v":{"fit":{"$t":"function","id":0},${JSON.stringify(name)}:{"$t":"number","v":1}}}`) as unknown;
    const manifest = asManifest('01-linear-model/linear-model', { id: 1, ok: true, value });
    expect(manifest.error?.name).toBe('KataLoadError');
    expect(manifest.error?.message).toMatch(/^Loading 01-linear-model\/linear-model failed: /);
    expect(manifest.error?.message).toMatch(says);
  });

  test.each(REFUSED)('%s (%s) in a manifest fails the import with a KataLoadError naming it, never an error of the bridge', (_class, name, says) => {
    const manifest = JSON.parse(`{"exports":{"fit":{"kind":"function"},${JSON.stringify(name)}:{"kind":"value","value":1}}}`) as Parameters<typeof kataModule>[1];
    let thrown: unknown;
    try {
      kataModule('01-linear-model/linear-model', manifest);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).name).toBe('KataLoadError');
    expect((thrown as Error).message).toMatch(says);
  });

  test('names the tests can import pass through, default and module-system look-alikes among them', () => {
    // Identifiers as JavaScript defines them, Unicode letters and joiners among them, up to 100 characters (code points).
    const names = ['default', 'module', 'exports', 'require', '__filename', 'esModule', '__esmodule', 'données', '𝑥', '℘', 'x\u200d', `é${'x'.repeat(99)}`, 'fit'];
    expect(refusedExport('01-linear-model/linear-model', names)).toBeUndefined();
    const manifest = { exports: Object.fromEntries(names.map((n) => [n, n === 'fit' || n === 'default' ? { kind: 'function' as const } : { kind: 'value' as const, value: n }])) };
    const exports = kataModule('01-linear-model/linear-model', manifest);
    expect(exports.__esModule).toBe(true);
    expect(typeof exports.default).toBe('function');
    expect(exports.module).toBe('module');
    expect(exports.__esmodule).toBe('__esmodule');
    expect(exports['données']).toBe('données');
    expect(exports['𝑥']).toBe('𝑥');
  });

  test('a bridge module carries its manifest as data: a "__proto__" key inside a constant stays a key, and is refused as one', () => {
    const dir = path.join(scratch, 'bridges');
    const value = JSON.parse('{"$t":"object","v":{"__proto__":{"$t":"object","v":{"polluted":1}}}}') as unknown;
    writeBridges(dir, new Map([['01-linear-model/linear-model', { exports: { CONFIG: { kind: 'value', value } } }]]));
    const text = fs.readFileSync(path.join(dir, '01-linear-model', 'linear-model.js'), 'utf8');
    let received: unknown;
    new Function('module', 'require', text)({ exports: {} }, () => ({ kataModule: (_module: string, manifest: unknown) => (received = manifest) }));
    const carried = (received as { exports: { CONFIG: { value: { v: object } } } }).exports.CONFIG.value.v;
    expect(Object.keys(carried)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(carried)).toBe(Object.prototype);
  });
});

describe("errors from the bridge show the test's code, never the grader's", () => {
  const config = { rootDir: path.resolve(__dirname, '../..'), testMatch: [] };

  test('a module that failed to load: the message, as jest prints it, with no frame or code of the grader', () => {
    let thrown: unknown;
    try {
      kataModule('01-linear-model/linear-model', { error: { name: 'KataLoadError', message: 'Loading 01-linear-model/linear-model failed: the submission has no katas/01-linear-model/linear-model.ts.' } });
    } catch (error) {
      thrown = error;
    }
    const shown = formatExecError(thrown as Error, config, { noStackTrace: false }, undefined);
    expect(shown).toMatch(/KataLoadError: Loading 01-linear-model\/linear-model failed: the submission has no katas\/01-linear-model\/linear-model\.ts\./);
    expect(shown).not.toMatch(/bridge-client|toError|instructor\/grading|node_modules/);
    expect((thrown as Error).stack).toMatch(/grading-messages\.test\.ts/);
  });

  test("the grader's frames and the generated bridges' are left out of a stack; the test's stay", () => {
    const bridgeDir = path.join(os.tmpdir(), 'kata-grade-xyz', 'submission-0', 'bridge');
    const before = process.env.KATA_BRIDGE_DIR;
    process.env.KATA_BRIDGE_DIR = bridgeDir;
    try {
      const stack = [
        'Error',
        `    at toError (${GRADER_DIR}/bridge-client.ts:55:17)`,
        `    at KataConnection.failAll (${GRADER_DIR}/connection.ts:300:5)`,
        `    at Object.<anonymous> (${bridgeDir}/01-linear-model/linear-model.js:3:80)`,
        `    at ModuleExecutor.exec (${config.rootDir}/node_modules/jest-runtime/build/index.js:3055:26)`,
        '    at Module._compile (node:internal/modules/cjs/loader:1521:14)',
        `    at Object.<anonymous> (${config.rootDir}/test/01-linear-model.test.ts:12:5)`,
      ].join('\n');
      const error = studentFacing(Object.assign(new Error('The kata was stopped: it used too much.'), { name: 'KataHostError' }), { stack });
      expect(error.stack).toBe(`KataHostError: The kata was stopped: it used too much.\n    at Object.<anonymous> (${config.rootDir}/test/01-linear-model.test.ts:12:5)`);
    } finally {
      if (before === undefined) delete process.env.KATA_BRIDGE_DIR;
      else process.env.KATA_BRIDGE_DIR = before;
    }
  });
});

describe('reading a large kata folder', () => {
  const katas = (name: string) => {
    const dir = path.join(scratch, name, 'katas');
    fs.mkdirSync(path.join(dir, '01-linear-model'), { recursive: true });
    fs.writeFileSync(path.join(dir, '01-linear-model', 'linear-model.ts'), 'export const x = 1;\n');
    return dir;
  };
  const extras = (dir: string, count: number) => {
    for (let i = 0; i < count; i++) fs.writeFileSync(path.join(dir, `a${String(i).padStart(5, '0')}.ts`), '');
  };

  test("the kata's own file is read whatever the order; the extras kept are the first by name; the note says how many were left out and why", () => {
    const dir = katas('three-hundred');
    extras(path.join(dir, '01-linear-model'), 300);
    const content = readSubmission(dir);
    const kept = content.files.map((f) => f.path);
    expect(kept[0]).toBe('01-linear-model/linear-model.ts');
    expect(kept.slice(1)).toEqual(Array.from({ length: MAX_FOLDER_ENTRIES - 1 }, (_, i) => `01-linear-model/a${String(i).padStart(5, '0')}.ts`));
    expect(content.notes).toContain(
      `01-linear-model has 301 entries, more than the ${MAX_FOLDER_ENTRIES} looked at: the kata's own file (linear-model.ts) first, then the others by name; the last 45 by name were left out.`,
    );
    expect(readSubmission(dir)).toEqual(content);
  });

  test('a folder too large to list in full keeps only the kata’s own file, and says so', () => {
    const dir = katas('many');
    extras(path.join(dir, '01-linear-model'), MAX_FOLDER_ENTRIES * LISTED_FACTOR + 10);
    const content = readSubmission(dir);
    expect(content.files.map((f) => f.path)).toEqual(['01-linear-model/linear-model.ts']);
    expect(content.notes.join('\n')).toMatch(
      new RegExp(`01-linear-model has more than ${MAX_FOLDER_ENTRIES * LISTED_FACTOR} entries, too many to list in full .*: looked for by name only, the kata's own file \\(linear-model\\.ts\\) \\(1 found\\); every other entry was left out\\.`),
    );
  });

  test("a katas folder of many entries: this repository's kata folders are read first", () => {
    const dir = katas('crowded');
    for (let i = 0; i < MAX_ENTRIES + 20; i++) fs.mkdirSync(path.join(dir, `00-junk-${String(i).padStart(5, '0')}`));
    const content = readSubmission(dir);
    expect(content.folders[0]).toBe('01-linear-model');
    expect(content.files.map((f) => f.path)).toEqual(['01-linear-model/linear-model.ts']);
    expect(content.notes[0]).toMatch(new RegExp(`^the katas folder has ${MAX_ENTRIES + 21} entries, more than the ${MAX_ENTRIES} looked at: this repository's kata folders first`));
    expect(findKatasFolder(path.dirname(dir))).toBe(dir);
  });

  test("the kata's own files are read before another kata's extras, so the byte cap never leaves one out", () => {
    const dir = katas('heavy');
    const big = Buffer.alloc(MAX_FILE_BYTES, 32);
    for (let i = 0; i < 9; i++) fs.writeFileSync(path.join(dir, '01-linear-model', `a${i}.ts`), big);
    fs.mkdirSync(path.join(dir, '07-products-and-gates'));
    fs.writeFileSync(path.join(dir, '07-products-and-gates', 'products-and-gates.ts'), 'export const y = 2;\n');
    const kept = readSubmission(dir).files.map((f) => f.path);
    expect(kept).toContain('01-linear-model/linear-model.ts');
    expect(kept).toContain('07-products-and-gates/products-and-gates.ts');
  });

  test('a kata folder named in other capitals is left out with a note saying how it should be named, and the kata says why it was not read', () => {
    const dir = path.join(scratch, 'capitals', 'katas');
    fs.mkdirSync(path.join(dir, '01-Linear-Model'), { recursive: true });
    fs.writeFileSync(path.join(dir, '01-Linear-Model', 'linear-model.ts'), 'export const x = 1;\n');
    const content = readSubmission(dir);
    expect(content.folders).toEqual([]);
    expect(content.notes).toContain('01-Linear-Model was left out: kata folders are named in lower case, as 01-linear-model.');
    expect(content.leftOut['01-linear-model']).toBe('is named 01-Linear-Model, not 01-linear-model (kata folders are named in lower case)');
  });

  test('a subfolder of a kata folder, or a link, is left out with a note naming it (its modules could not load)', () => {
    const dir = katas('nested');
    fs.mkdirSync(path.join(dir, '03-deep-relu', 'helpers'), { recursive: true });
    fs.writeFileSync(path.join(dir, '03-deep-relu', 'helpers', 'scale.ts'), 'export const s = 1;\n');
    fs.symlinkSync(path.join(dir, '03-deep-relu', 'helpers'), path.join(dir, '03-deep-relu', 'shared'));
    fs.writeFileSync(path.join(dir, '03-deep-relu', 'notes.md'), 'mine\n');
    fs.mkdirSync(path.join(dir, '03-deep-relu', 'odd.ts'));
    const { files, notes } = readSubmission(dir);
    expect(files.map((f) => f.path).filter((p) => p.startsWith('03-deep-relu/'))).toEqual([]);
    expect(notes).toContain('03-deep-relu/helpers is a folder and was left out: only the .ts files directly in a kata folder are graded.');
    expect(notes).toContain('03-deep-relu/shared is a link, and links are not followed: left out.');
    expect(notes).toContain('03-deep-relu/odd.ts is a folder, not a file: left out.');
    expect(notes.join('\n')).not.toMatch(/notes\.md/);
  });

  test('a kata file or folder that is there but was not read is never said to be missing', () => {
    const dir = katas('linked');
    const file = path.join(dir, '01-linear-model', 'linear-model.ts');
    fs.renameSync(file, `${file}.real`);
    fs.symlinkSync(`${file}.real`, file);
    fs.symlinkSync(path.join(dir, '01-linear-model'), path.join(dir, '02-training-data'));
    const { leftOut, notes } = readSubmission(dir);
    expect(leftOut).toEqual({ '01-linear-model/linear-model.ts': 'is a link or cannot be opened', '02-training-data': 'is a link, and links are not followed' });
    expect(notes).toContain('02-training-data is a link, and links are not followed: left out.');
    expect(missingModule('01-linear-model/linear-model', leftOut).error?.message).toBe(
      "Loading 01-linear-model/linear-model failed: the submission's katas/01-linear-model/linear-model.ts was not read: it is a link or cannot be opened.",
    );
    expect(missingModule('01-linear-model/linear-model', {}).error?.message).toBe('Loading 01-linear-model/linear-model failed: the submission has no katas/01-linear-model/linear-model.ts.');
  });
});

describe('a CPU limit reached', () => {
  const limits = (cpuSeconds: number) => ({ cpuSeconds, memoryMiB: 1536 }) as Parameters<typeof limitProblem>[1];
  test("at the kata's own limit: a loop or too long a training, as the possible causes", () => {
    expect(limitProblem({ kind: 'cpu', detail: '' }, limits(5.1), 5.1)).toBe('The kata used more than 5.1 s of CPU time and was stopped (a loop that never ends, or training far too long).');
  });

  test("below it, where the submission's budget ran low: what was left, and who used the rest, never a loop", () => {
    const said = limitProblem({ kind: 'cpu', detail: '' }, limits(0.35), 5.1);
    expect(said).toMatch(/^The kata used the 0\.35 s of CPU time left of its submission's budget and was stopped: the submission's other katas used the rest \(each kata may use 5\.1 s/);
    expect(said).not.toMatch(/loop/);
  });
});

describe('a class', () => {
  const grades = (points: number): KataGrade[] => [{ kata: '01-linear-model', outcomes: [{ title: 'task 1: t', status: 'passed' }], points, maxPoints: 10, seconds: 1 }];
  const options = (classDir: string, out: string, log: (line: string) => void = () => undefined) => ({
    classDir,
    out,
    shard: { index: 1, count: 1 },
    katas: ['01-linear-model'],
    settings: { test: 'messages' },
    trusted: false,
    jobs: 1,
    log,
    show: (name: string) => name,
  });

  test('a submission with nothing to grade (an empty folder, a katas link) scores 0, said so alike in the terminal, the summary and the gradebook: never "not graded"', async () => {
    const classDir = path.join(scratch, 'class-empty');
    fs.mkdirSync(path.join(classDir, 'ada', 'katas', '01-linear-model'), { recursive: true });
    fs.mkdirSync(path.join(classDir, 'bob'));
    fs.mkdirSync(path.join(classDir, 'cy'));
    fs.symlinkSync(path.join(classDir, 'ada', 'katas'), path.join(classDir, 'cy', 'katas'));
    const out = path.join(scratch, 'out-empty');
    fs.mkdirSync(out);
    const lines: string[] = [];
    const manifest = await gradeClass(options(classDir, out, (line) => lines.push(line)), async ({ folder }) => {
      findKatasFolder(folder);
      return { grades: grades(10) };
    });
    expect(manifest.submissions.map((s) => [s.name, s.points, s.graderError])).toEqual([
      ['ada', 10, undefined],
      ['bob', 0, undefined],
      ['cy', 0, undefined],
    ]);
    expect(lines.find((l) => l.startsWith('bob:'))).toBe('bob: 0 points (nothing to grade): the submission holds no katas: expected a katas/ folder or NN-name kata folders.');
    expect(lines.find((l) => l.startsWith('cy:'))).toMatch(/^cy: 0 points \(nothing to grade\): the submission holds no katas: .*\(its katas is a link, and links are not followed\)\.$/);
    const all = [lines.join('\n'), fs.readFileSync(path.join(out, 'class-summary.md'), 'utf8'), fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8')].join('\n');
    expect(all).not.toMatch(/not graded/);
    expect(fs.readFileSync(path.join(out, 'class-summary.md'), 'utf8')).toMatch(/^\| bob \| 0 points \(nothing to grade\): the submission holds no katas: .* \| 0\.0 \|$/m);
    const rows = parse(fs.readFileSync(path.join(out, 'gradebook.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.Student, r['01-linear-model'], r.Total])).toEqual([
      ['ada', '10.0', '10.0'],
      ['bob', '0.0', '0.0'],
      ['cy', '0.0', '0.0'],
    ]);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'bob', 'results.json'), 'utf8'))).toMatchObject({ message: expect.stringMatching(/^0 points \(nothing to grade\): the submission holds no katas/) as string });
  });
});

describe('a report that cannot be written (a full disk)', () => {
  /** /dev/full: every write fails with ENOSPC, as on a full disk, for any user. */
  const FULL = '/dev/full';

  test('names the file and what it was to hold', () => {
    const out = path.join(scratch, 'out-full-summary');
    fs.mkdirSync(out);
    fs.symlinkSync(FULL, path.join(out, 'summary.md'));
    expect(() => writeReports(out, 'alice', grades())).toThrow(OutputWriteError);
    expect(() => writeReports(out, 'alice', grades())).toThrow(`could not write the summary of "alice" to ${path.join(out, 'summary.md')}: ENOSPC: no space left on device, write`);
  });

  test("a plot file: thrown with its name in a learner's run; recorded for the grader, not thrown, where it asked (the grader then stops)", () => {
    const dir = path.join(scratch, 'out-full-plot');
    fs.mkdirSync(dir);
    const plot = path.join(dir, '01-linear-model.png');
    fs.symlinkSync(FULL, plot);
    const failures = path.join(scratch, 'plot-write-failures.jsonl');
    const before = process.env[PLOT_WRITE_FAILURES_ENV];
    try {
      delete process.env[PLOT_WRITE_FAILURES_ENV];
      expect(() => writePlotFile(plot, Buffer.alloc(10))).toThrow(`could not write ${plot}: ENOSPC: no space left on device, write`);
      expect(firstPlotWriteFailure(failures)).toBeUndefined();
      process.env[PLOT_WRITE_FAILURES_ENV] = failures;
      writePlotFile(plot, Buffer.alloc(10));
      writePlotFile(path.join(dir, 'metrics', 'x.json'), '{}'); // written: only failures are recorded
      writePlotFile(plot, Buffer.alloc(10));
      expect(firstPlotWriteFailure(failures)).toEqual({ file: plot, message: 'ENOSPC: no space left on device, write' });
      fs.writeFileSync(failures, 'not json');
      expect(firstPlotWriteFailure(failures)?.message).toMatch(/could not write a plot file/);
    } finally {
      if (before === undefined) delete process.env[PLOT_WRITE_FAILURES_ENV];
      else process.env[PLOT_WRITE_FAILURES_ENV] = before;
    }
  });

  test('stops a class: no submission starts after it, and it comes out with the file named', async () => {
    const classDir = path.join(scratch, 'class-full');
    for (const name of ['ada', 'bob', 'cy']) fs.mkdirSync(path.join(classDir, name, 'katas', '01-linear-model'), { recursive: true });
    const out = path.join(scratch, 'out-full-class');
    fs.mkdirSync(out);
    fs.mkdirSync(path.join(out, 'ada'));
    fs.symlinkSync(FULL, path.join(out, 'ada', 'summary.md'));
    const started: string[] = [];
    const grading = gradeClass(
      { classDir, out, shard: { index: 1, count: 1 }, katas: ['01-linear-model'], settings: {}, trusted: false, jobs: 1, log: () => undefined },
      async ({ name, outDir }) => {
        started.push(name);
        writeReports(outDir, name, grades(), { timings: false });
        return { grades: grades() };
      },
    );
    await expect(grading).rejects.toThrow(`could not write the summary of "ada" to ${path.join(out, 'ada', 'summary.md')}: ENOSPC`);
    expect(started).toEqual(['ada']);
  });

  test('the output folder is emptied, and the message says so', () => {
    const out = path.join(scratch, 'out-abandoned');
    fs.mkdirSync(path.join(out, 'ada'), { recursive: true });
    fs.writeFileSync(path.join(out, 'ada', 'results.json'), '{}');
    const error = new OutputWriteError(path.join(out, 'gradebook.csv'), 'the gradebook', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
    const message = abandonOutput(out, error);
    expect(message).toBe(
      `could not write the gradebook to ${path.join(out, 'gradebook.csv')}: ENOSPC: no space left on device, write. No report of this run is kept: the output folder ${out} was emptied, as its reports were incomplete. Free space (or fix the cause) and grade again.`,
    );
    expect(fs.readdirSync(out)).toEqual([]);
  });

  function grades(): KataGrade[] {
    return [{ kata: '01-linear-model', outcomes: [{ title: 'task 1: t', status: 'passed' }], points: 10, maxPoints: 10, seconds: 1 }];
  }
});
