/**
 * The layout's one rule: imports run downward only. Each folder names who it
 * is for (see its README) and may import only the folders below it:
 *
 *   jest.config.ts       the jest configuration of every kata test run; imports nothing of ours
 *   lib/                 what katas, solutions and tests import; imports nothing else of ours
 *   katas/, solutions/   lib/ and their own tree (kata 03 imports kata 02)
 *   test/ (kata tests)   lib/, test/ and the katas through @kata/
 *   tools/shared/        lib/, jest.config.ts (to run jest with it)
 *   tools/learner/       lib/, tools/shared/
 *   tools/instructor/    lib/, tools/shared/ (its grading/child/ runs in the sandbox: nothing of ours)
 *   tools/maintainer/    anything: it measures the rest
 *   test/tools/          anything: it tests the tools
 *
 * Every relative import and require with a literal path is resolved with
 * TypeScript's own preprocessor, so a new file is checked without listing it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../../lib/plot-files';

interface Rule {
  /** Files this rule governs (the first rule whose pattern matches wins). */
  files: RegExp;
  /** The folders they may import from. */
  mayImport: RegExp[];
  why: string;
}

const LIB = /^lib\//;
const SHARED = /^tools\/shared\//;
const JEST_CONFIG = /^jest\.config\.ts$/;
const RULES: Rule[] = [
  { files: JEST_CONFIG, mayImport: [], why: 'the jest configuration is below every tool that runs jest, so it imports nothing of ours' },
  { files: /^tools\/instructor\/grading\/child\//, mayImport: [/^tools\/instructor\/grading\/child\//], why: 'the kata host runs alone in the sandbox, with nothing of the repository but its own folder' },
  { files: LIB, mayImport: [LIB], why: 'lib/ is what kata code imports; it never imports a tool, a kata or a test' },
  { files: /^katas\//, mayImport: [LIB, /^katas\//], why: "a learner's kata imports lib/ and other katas only" },
  { files: /^solutions\//, mayImport: [LIB, /^solutions\//], why: 'a solution imports lib/ and other solutions only' },
  { files: SHARED, mayImport: [LIB, SHARED, JEST_CONFIG], why: 'tools/shared/ serves every audience, so it imports none of them' },
  { files: /^tools\/learner\//, mayImport: [LIB, SHARED, /^tools\/learner\//], why: "the learner's tools never load grading or maintainer code" },
  { files: /^tools\/instructor\//, mayImport: [LIB, SHARED, /^tools\/instructor\//], why: "the instructor's tools never load learner or maintainer code" },
  { files: /^tools\/maintainer\//, mayImport: [/./], why: 'maintainer tools measure everything' },
  { files: /^test\/tools\//, mayImport: [/./], why: 'the tools\' tests test every tool' },
  { files: /^test\/mutants\//, mayImport: [/./], why: 'mutation cases are copied into a katas tree to run' },
  { files: /^test\//, mayImport: [LIB, /^test\//, /^(katas|solutions)\//], why: 'kata tests import lib/ and the kata under test, never a tool' },
];

const SOURCE = /\.(ts|js)$/;
const CANDIDATES = ['', '.ts', '.js', '.d.ts', '/index.ts', '/index.js', '.json'];

function trackedSources(): string[] {
  return execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => SOURCE.test(file) && fs.existsSync(path.join(REPO_ROOT, file)));
}

/** The repository files `file` imports by a relative path, as repository-relative paths. */
function relativeImports(file: string): string[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .map((ref) => ref.fileName)
    .filter((spec) => spec.startsWith('.'))
    .flatMap((spec) => {
      const base = path.join(path.dirname(path.join(REPO_ROOT, file)), spec);
      const found = CANDIDATES.map((ext) => base + ext).find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
      return found ? [path.relative(REPO_ROOT, found).split(path.sep).join('/')] : [];
    });
}

export function layoutViolations(files: string[], importsOf: (file: string) => string[]): string[] {
  return files.flatMap((file) => {
    const rule = RULES.find((r) => r.files.test(file));
    if (!rule) return [];
    return importsOf(file)
      .filter((target) => !rule.mayImport.some((allowed) => allowed.test(target)))
      .map((target) => `${file} imports ${target}: ${rule.why}`);
  });
}

describe('the layout: imports run downward only', () => {
  test('no file imports a folder above it', () => {
    const files = trackedSources();
    expect(files.length).toBeGreaterThan(100);
    expect(layoutViolations(files, relativeImports)).toEqual([]);
  });

  test('the rule catches an upward import (lib importing a tool, a learner tool importing the grader)', () => {
    const imports: Record<string, string[]> = {
      'lib/plot.ts': ['tools/shared/kata-list.ts'],
      'tools/learner/progress.ts': ['tools/instructor/grade.ts', 'tools/shared/run-katas.ts'],
      'tools/shared/pool.ts': ['tools/maintainer/bench.ts'],
      'tools/instructor/grading/child/wire.ts': ['lib/tf.ts'],
      'test/01-linear-model.test.ts': ['tools/learner/gallery.ts'],
      'katas/03-deep-relu/deep-relu.ts': ['solutions/02-training-data/training-data.ts'],
      'jest.config.ts': ['lib/plot-files.ts'],
    };
    const found = layoutViolations(Object.keys(imports), (file) => imports[file] ?? []);
    expect(found.map((line) => line.split(':')[0])).toEqual([
      'lib/plot.ts imports tools/shared/kata-list.ts',
      'tools/learner/progress.ts imports tools/instructor/grade.ts',
      'tools/shared/pool.ts imports tools/maintainer/bench.ts',
      'tools/instructor/grading/child/wire.ts imports lib/tf.ts',
      'test/01-linear-model.test.ts imports tools/learner/gallery.ts',
      'katas/03-deep-relu/deep-relu.ts imports solutions/02-training-data/training-data.ts',
      'jest.config.ts imports lib/plot-files.ts',
    ]);
  });

  test('every folder of tools/ and lib/ says who it is for in a README', () => {
    for (const dir of ['lib', 'tools', 'tools/learner', 'tools/instructor', 'tools/maintainer', 'tools/shared']) {
      const readme = path.join(REPO_ROOT, dir, 'README.md');
      expect(fs.existsSync(readme) ? fs.readFileSync(readme, 'utf8') : `${dir}/README.md is missing`).toMatch(/may import/i);
    }
  });
});
