/**
 * The folder `@kata/...` resolves to when the kata runs in this process (learner mode, the
 * solutions, a mutation case): KATA_DIR, else the tree KATA_TREE names. jest.config.ts maps the
 * alias with it; the type check (type-check.ts) checks the same files. Grading mode
 * (KATA_BRIDGE_DIR) resolves the alias to bridges instead: no kata file is here.
 */
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export function kataTreeDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.KATA_DIR ?? path.join(REPO_ROOT, env.KATA_TREE === 'solutions' ? 'solutions' : 'katas'));
}
