'use strict';
/**
 * jest's resolver: `@kata/<folder>/<file>` becomes the kata file of this run (kata-tree-dir.js),
 * or in grading mode (KATA_BRIDGE_DIR) its bridge module; everything else resolves as jest
 * always does.
 *
 * Why not moduleNameMapper: jest keys its transform cache by the whole configuration, so a
 * folder written into it that changes from run to run (each grading's bridge folder in a fresh
 * scratch, a mutation case's tree) made every test, support and lib file transpile again in
 * every such run: 1.5 s of CPU for each kata graded. Read here, from the environment, the
 * folder leaves the configuration, and the cache, the same.
 */
const path = require('node:path');
const { kataTreeDir } = require('./kata-tree-dir');

const KATA_ALIAS = /^@kata\/(.+)$/;

function kataDir(env = process.env) {
  return env.KATA_BRIDGE_DIR ? path.resolve(env.KATA_BRIDGE_DIR) : kataTreeDir(env);
}

module.exports = function resolveKataAlias(request, options) {
  const alias = KATA_ALIAS.exec(request);
  return options.defaultResolver(alias ? path.join(kataDir(), alias[1]) : request, options);
};
