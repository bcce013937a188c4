/**
 * npm run export:student: the class's repository holds no answers (no
 * solutions/, nothing built from them, no line of a solution that is not in
 * its stub), every import and npm script in it resolves, and its README
 * tells instructors to use it as the Classroom template.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/plot-files';
import { importedPackages } from '../../tools/instructor/export-student';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'export-student-'));
const out = path.join(scratch, 'class-repo');
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

let files: string[];
beforeAll(() => {
  const run = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', 'tools/instructor/export-student.ts', out], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  files = fs.readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(out, path.join(e.parentPath, e.name)));
}, 120_000);

test('no solutions, nothing built from them, no maintainer tools', () => {
  expect(files.filter((f) => /(^|\/)solutions\/|^test\/(mutants|tools)\/|tsconfig\.solutions|^\.ci\/run$|bench|make-models|check-katas|export-student/.test(f))).toEqual([]);
  for (const kata of fs.readdirSync(path.join(REPO_ROOT, 'katas'))) expect(files.some((f) => f.startsWith(`katas/${kata}/`))).toBe(true);
});

/** Lines of the repository's own learner code (stubs, lib, the kata tests), which a solution may share. */
function learnerLines(): Set<string> {
  const lines = new Set<string>();
  for (const dir of ['katas', 'lib', 'test/support', 'test/calibration']) {
    for (const entry of fs.readdirSync(path.join(REPO_ROOT, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts')) for (const l of fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8').split('\n')) lines.add(l.trim());
    }
  }
  for (const file of fs.readdirSync(path.join(REPO_ROOT, 'test')).filter((f) => /^\d\d-.*\.test\.ts$/.test(f))) {
    for (const l of fs.readFileSync(path.join(REPO_ROOT, 'test', file), 'utf8').split('\n')) lines.add(l.trim());
  }
  return lines;
}

test('no line of a reference solution that the learner code does not have appears anywhere in the export', () => {
  const texts = files.filter((f) => /\.(ts|js|md|json|yml)$/.test(f)).map((f) => fs.readFileSync(path.join(out, f), 'utf8'));
  const stub = learnerLines();
  for (const kata of fs.readdirSync(path.join(REPO_ROOT, 'solutions'))) {
    for (const file of fs.readdirSync(path.join(REPO_ROOT, 'solutions', kata))) {
      const answers = fs
        .readFileSync(path.join(REPO_ROOT, 'solutions', kata, file), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length >= 40 && !stub.has(l) && !l.startsWith('//') && !l.startsWith('*'));
      expect(answers.length).toBeGreaterThan(0);
      for (const line of answers) expect(`${kata}/${file}: ${texts.some((t) => t.includes(line))}: ${line}`).toMatch(/: false: /);
    }
  }
});

test('every relative import and every npm script resolves inside the export', () => {
  for (const file of files.filter((f) => f.endsWith('.ts') && !f.startsWith('katas/'))) {
    const source = fs.readFileSync(path.join(out, file), 'utf8');
    for (const match of source.matchAll(/(?:from|require\(|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = path.join(out, path.dirname(file), match[1] as string);
      expect(`${file} -> ${match[1]}: ${['', '.ts', '.js', '.json', '/index.ts'].some((ext) => fs.existsSync(target + ext))}`).toMatch(/: true$/);
    }
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(Object.keys(pkg.scripts)).not.toContain('test:solutions');
  for (const script of Object.values(pkg.scripts)) {
    for (const file of script.match(/[\w./-]+\.(ts|js|sh)\b/g) ?? []) expect(fs.existsSync(path.join(out, file))).toBe(true);
  }
});

test("the README is the students', and tells instructors to use the export as the Classroom template", () => {
  const readme = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
  expect(readme).toMatch(/use this exported repository, not the kata repository it came\s+>?\s*from, as your GitHub Classroom template/);
  expect(readme).not.toMatch(/test:solutions|solutions\//);
  expect(readme).toMatch(/npm test -- 01/);
});

interface Lock {
  packages: Record<string, { version?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }>;
}

/** Maintainer-only packages (tools/maintainer/extras) and the maintainer tests' own. */
const MAINTAINER_ONLY = ['@stryker-mutator/core', '@stryker-mutator/jest-runner', 'playwright-core', 'fast-xml-parser', 'omggif'];

test('package.json and the lock file list only what learners need: what the exported files use, and no maintainer tool', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8')) as Lock['packages'][string];
  const lock = JSON.parse(fs.readFileSync(path.join(out, 'package-lock.json'), 'utf8')) as Lock;
  const listed = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies };
  for (const name of MAINTAINER_ONLY) {
    expect(Object.keys(listed)).not.toContain(name);
    expect(Object.keys(lock.packages).filter((key) => key.endsWith(`node_modules/${name}`))).toEqual([]);
  }
  // The lock file is npm's own for this package.json (npm ci refuses a lock that disagrees with it).
  const root = lock.packages[''] as Lock['packages'][string];
  expect({ ...root.dependencies, ...root.devDependencies, ...root.optionalDependencies }).toEqual(listed);
  // Every package an exported file imports is installed by that lock (jest-environment-node comes with jest).
  for (const name of importedPackages(out, files)) expect(`${name}: ${Boolean(lock.packages[`node_modules/${name}`])}`).toBe(`${name}: true`);
  // Fewer packages than the repository's own lock: the maintainer tools' trees are gone.
  const full = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as Lock;
  expect(Object.keys(lock.packages).length).toBeLessThan(Object.keys(full.packages).length);
});

test('setup is the Node installer, which needs no bash: it runs on Linux, macOS and Windows', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(pkg.scripts.setup).toBe('node tools/learner/setup.js && npm test');
  expect(files).toContain('tools/learner/setup.js');
  expect(files.filter((f) => f.endsWith('.sh'))).toEqual([]);
});
