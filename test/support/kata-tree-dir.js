'use strict';
/**
 * The folder `@kata/...` resolves to when the kata runs in this process (learner mode, the
 * solutions, a mutation case): KATA_DIR, else the tree KATA_TREE names. kata-resolver.js
 * resolves the alias with it; the type check (type-check.ts) checks the same files. Grading
 * mode (KATA_BRIDGE_DIR) resolves the alias to bridges instead: no kata file is here.
 * Plain JavaScript: jest loads the resolver without transforming it.
 */
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

function kataTreeDir(env = process.env) {
  return path.resolve(env.KATA_DIR ?? path.join(REPO_ROOT, env.KATA_TREE === 'solutions' ? 'solutions' : 'katas'));
}

module.exports = { REPO_ROOT, kataTreeDir };
