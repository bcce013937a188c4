/**
 * `npm run export:student -- <dir>`: the repository a class works in. It holds
 * what a learner needs (katas, their tests and baselines, lib/ with the
 * learner tools, the reference models kata 05 works on, the Classroom
 * workflow) and nothing that holds or needs the answers: no solutions/, no
 * mutation cases or calibration (they are built from the solutions), no
 * maintainer tools. Files are taken from git's index (what is committed or
 * staged), picked by an allow-list, so that a new file stays out until it is
 * listed here. The README is written for students, with a note to instructors.
 * Its package.json and lock file list only the packages its files use (no
 * StrykerJS, Playwright or other maintainer tools): what a learner installs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { Command } from 'commander';
import ts from 'typescript';
import { REPO_ROOT } from '../../lib/plot-files';

const ALLOWED: RegExp[] = [
  /^katas\//,
  /^lib\//,
  // The learner's tools, and the grader a learner may run on their own work (--trusted).
  /^tools\/README\.md$/,
  /^tools\/(learner|shared)\//,
  /^tools\/instructor\/grade\.ts$/,
  /^tools\/instructor\/grading\//,
  /^test\/\d\d-[a-z0-9-]+\.test\.ts$/,
  /^test\/plot-comparison\.test\.ts$/,
  /^test\/(support|baselines)\//,
  // The plot specs and tolerances the kata tests import; a calibration script that reads the solutions stays out (below).
  /^test\/calibration\//,
  /^test\/plot-specs\//,
  /^test\/README\.md$/,
  /^(package-lock\.json|tsconfig\.json|jest\.config\.ts|grading\.json|LICENSE|\.gitignore)$/,
  /^\.github\/workflows\/classroom\.yml$/,
];

/** The npm scripts that work without the solutions and the maintainer tools. */
const SCRIPTS = ['setup', 'test', 'watch', 'kata', 'hint', 'reset', 'gallery', 'grade'];

/** Packages the export needs besides those its files import: what its npm scripts and jest config run. */
const TOOLING = ['jest', 'ts-jest', 'ts-node', 'esbuild', 'esbuild-register', 'typescript', 'cross-env', '@types/node', '@types/jest'];

/** The npm package a bare import names ('@scope/name/file' -> '@scope/name'), or undefined for a file, a built-in or a kata. */
function packageOf(specifier: string): string | undefined {
  if (/^(\.|\/|node:|@kata\/)/.test(specifier)) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  return builtinModules.includes(name) ? undefined : name;
}

/** The npm packages the exported source files use: TypeScript's own scan (import, export from, require, import()) and require.resolve('...'). */
export function importedPackages(root: string, files: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files.filter((f) => /\.(ts|js)$/.test(f))) {
    const source = fs.readFileSync(path.join(root, file), 'utf8');
    const specifiers = [
      ...ts.preProcessFile(source, true, true).importedFiles.map((ref) => ref.fileName),
      ...[...source.matchAll(/require\.resolve\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1] as string),
    ];
    for (const specifier of specifiers) {
      const name = packageOf(specifier);
      if (name) names.add(name);
    }
  }
  return names;
}

interface PackageJson {
  scripts: Record<string, string>;
  dependencies?: Record<string, string> | undefined;
  devDependencies?: Record<string, string> | undefined;
  optionalDependencies?: Record<string, string> | undefined;
}

/** package.json for learners: the learner scripts, and of the dependencies only those the exported files use. */
export function learnerPackageJson(pkg: PackageJson, imported: Set<string>): PackageJson {
  const typesFor = (name: string) => name.replace(/^@types\//, '').replace(/^(.+)__(.+)$/, '@$1/$2');
  const needed = (name: string) => imported.has(name) || TOOLING.includes(name) || (name.startsWith('@types/') && imported.has(typesFor(name)));
  const only = (deps: Record<string, string> | undefined) => deps && Object.fromEntries(Object.entries(deps).filter(([name]) => needed(name)));
  const scripts = Object.fromEntries(SCRIPTS.filter((s) => pkg.scripts[s]).map((s) => [s, pkg.scripts[s] as string]));
  return {
    ...pkg,
    scripts: { ...scripts, typecheck: 'tsc -p tsconfig.json' },
    ...(pkg.dependencies ? { dependencies: only(pkg.dependencies) } : {}),
    ...(pkg.devDependencies ? { devDependencies: only(pkg.devDependencies) } : {}),
    ...(pkg.optionalDependencies ? { optionalDependencies: only(pkg.optionalDependencies) } : {}),
  };
}

/** Prunes the copied lock file to the export's package.json with npm itself, offline (every package is in the lock already). */
function pruneLockFile(out: string): void {
  const npmCli = process.env.npm_execpath;
  const args = ['install', '--package-lock-only', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'];
  const run =
    npmCli && /\.c?js$/.test(npmCli)
      ? spawnSync(process.execPath, [npmCli, ...args], { cwd: out, encoding: 'utf8' })
      : spawnSync('npm', args, { cwd: out, encoding: 'utf8', shell: process.platform === 'win32' });
  if (run.status !== 0) throw new Error(`npm could not prune the lock file to the learner's packages: ${run.stderr || run.error?.message}`);
}

export function exportedFiles(): string[] {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: export:student copies what git tracks. ${listed.stderr}`);
  return listed.stdout
    .split('\0')
    .filter(Boolean)
    .filter((file) => ALLOWED.some((rule) => rule.test(file)))
    .filter((file) => !/\.ts$/.test(file) || !/['"][./]*solutions\/|test\/mutants\//.test(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')));
}

function section(readme: string, heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) return '';
  const end = readme.indexOf('\n## ', start + 4);
  return readme.slice(start + 1, end < 0 ? undefined : end).trim();
}

export function studentReadme(readme: string): string {
  const intro = readme.slice(0, readme.indexOf('\n## ')).trim().replace(/\s*Instructors who grade[\s\S]*$/, '');
  return `${intro}

> **Instructors:** use this exported repository, not the kata repository it came
> from, as your GitHub Classroom template. The source repository holds the
> reference solutions; keep it private. Grade submissions from your private copy
> of the source repository with \`npm run grade\` (its docs/instructors.md): the
> workflow here gives students quick feedback only.

## Quick start

With Node.js 20 or newer:

    npm run setup              # install everything, then run your katas (they fail until you solve them)
    npm test -- 01             # run one kata against your code in katas/

Each failing test says which kata and task it is about and which README to read.
When all tests of a kata pass, move on to the next.

${section(readme, 'The katas')}

${section(readme, 'Where the question comes from')}

## How a kata is laid out

    katas/01-linear-model/README.md        the idea, numbered tasks, what the tests check
    katas/01-linear-model/hints.md         nudges per task, never solution code
    katas/01-linear-model/linear-model.ts  the file you edit: typed signatures, TODOs
    test/01-linear-model.test.ts           the tests of kata 01
    test/baselines/01-linear-model.png     the reference plot

${section(readme, 'What the tests expect of your code')}

## Commands

${section(readme, 'Commands').replace(/^## Commands\s*/, '')}
| \`npm run grade -- --katas katas --trusted\` | grade your own katas as the instructor would (points per kata in \`grading.json\`); \`--trusted\` because it runs your code without a sandbox |

${section(readme, 'Backends')}

${section(readme, 'Plots')}
`;
}

export function exportStudent(target: string): string[] {
  const out = path.resolve(target);
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) throw new Error(`${out} is not empty: export into a new folder.`);
  const files = exportedFiles();
  for (const file of files) {
    const from = path.join(REPO_ROOT, file);
    const to = path.join(out, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (fs.lstatSync(from).isSymbolicLink()) continue; // nothing here is a link; never follow one
    fs.copyFileSync(from, to);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
  fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(learnerPackageJson(pkg, importedPackages(out, files)), null, 2)}\n`);
  pruneLockFile(out);
  fs.writeFileSync(path.join(out, 'README.md'), studentReadme(fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')));
  return [...files, 'package.json', 'README.md'];
}

if (require.main === module) {
  const program = new Command()
    .name('export:student')
    .description('Write the repository a class works in: no solutions, no tools that need them')
    .argument('<dir>', 'a new, empty folder')
    .parse();
  try {
    const files = exportStudent(program.args[0] as string);
    console.log(`Wrote ${files.length} files to ${program.args[0]}. Use it, not this repository, as the GitHub Classroom template.`);
  } catch (error) {
    console.error(`export:student: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
