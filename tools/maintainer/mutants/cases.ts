/**
 * The mutation check's cases, read from test/mutants/NN-slug.ts (format in
 * test/mutants/types.ts), and the katas trees they run in: a scratch copy of
 * solutions/ beside a link to lib/, with one kata's file replaced by the case.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MutantCase } from '../../../test/mutants/types';
import { REPO_ROOT } from '../../../lib/plot-files';
import { type Kata, listKatas } from '../../shared/kata-list';

export interface KataCase extends MutantCase {
  kata: Kata;
}

export const MUTANTS_DIR = path.join(REPO_ROOT, 'test', 'mutants');

/** Every case of the given katas (all katas when none is given), checked for form. */
export function loadCases(katas: Kata[] = listKatas()): KataCase[] {
  const all: KataCase[] = [];
  for (const kata of katas) {
    const file = path.join(MUTANTS_DIR, `${kata.folder}.ts`);
    if (!fs.existsSync(file)) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { cases } = require(file) as { cases?: MutantCase[] };
    if (!Array.isArray(cases)) throw new Error(`${path.relative(REPO_ROOT, file)} exports no \`cases\` array.`);
    const names = new Set<string>();
    for (const c of cases) {
      const where = `${kata.folder} case "${c.name}"`;
      if (!/^[a-z0-9][a-z0-9-]*$/.test(c.name)) throw new Error(`${where}: the name must be kebab-case.`);
      if (names.has(c.name)) throw new Error(`${where}: the name is used twice.`);
      names.add(c.name);
      if (!c.edits === !c.file) throw new Error(`${where}: give exactly one of \`edits\` and \`file\`.`);
      if (c.kind === 'wrong' && !c.failing) throw new Error(`${where}: a wrong case names the test that must fail (\`failing\`).`);
      if (c.kind === 'valid' && c.message) throw new Error(`${where}: only a wrong case has an expected failure \`message\`.`);
      all.push({ ...c, kata });
    }
  }
  return all;
}

/** The one .ts file of a kata's solution, which a case replaces. */
export function solutionFile(kata: Kata): string {
  const dir = path.join(REPO_ROOT, 'solutions', kata.folder);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
  if (files.length !== 1) throw new Error(`solutions/${kata.folder} has ${files.length} .ts files; a case replaces exactly one.`);
  return path.join(dir, files[0] as string);
}

/** The case's version of the kata file: the reference with its edits made, or its whole file. */
export function caseSource(c: KataCase): string {
  if (c.file) return fs.readFileSync(path.join(MUTANTS_DIR, c.kata.folder, c.file), 'utf8');
  let source = fs.readFileSync(solutionFile(c.kata), 'utf8');
  for (const edit of c.edits ?? []) {
    const count = source.split(edit.find).length - 1;
    if (count !== 1) {
      throw new Error(
        `${c.kata.folder} case "${c.name}" is stale: it expects to find ${JSON.stringify(edit.find.slice(0, 80))} ` +
          `once in solutions/${c.kata.folder}, found it ${count} times. Update the case to the current solution.`,
      );
    }
    source = source.replace(edit.find, () => edit.replace);
  }
  return source;
}

export interface CaseTree {
  /** A folder laid out like katas/ (KATA_DIR). */
  kataDir: string;
  /** The case's kata file in it. */
  kataFile: string;
  remove(): void;
}

/**
 * A scratch katas tree: every solution, with this case's kata file (or the
 * reference when no case is given). Given a `slot` folder, the tree is laid
 * there, replacing what the slot held: a runner that reuses one slot per
 * worker keeps its files' paths the same from case to case, and jest's
 * transform cache then only has the changed kata file to compile.
 */
export function makeCaseTree(kata: Kata, c?: KataCase, slot?: string): CaseTree {
  const root = slot ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kata-case-'));
  const kataDir = path.join(root, 'katas');
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'solutions'), kataDir, { recursive: true });
  // The katas import ../../lib/...: point that at this repository's library.
  fs.symlinkSync(path.join(REPO_ROOT, 'lib'), path.join(root, 'lib'), 'dir');
  const kataFile = path.join(kataDir, kata.folder, path.basename(solutionFile(kata)));
  if (c) fs.writeFileSync(kataFile, caseSource(c));
  return { kataDir, kataFile, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}
