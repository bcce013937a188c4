'use strict';
/**
 * ts-jest, loaded only when a file has to be transpiled. jest asks a transformer for a
 * file's cache key before anything else, and ts-jest answers it by loading TypeScript
 * (a 9 MB compiler) to read tsconfig.json: about 0.4 s of CPU in every jest process and
 * worker, though on a rerun every file comes from the cache. This key is computed from
 * what ts-jest's output depends on, without it: the file and its path, tsconfig.json,
 * the versions of ts-jest and TypeScript, and jest's configuration, as ts-jest's own key
 * is (ts-jest's package.json documents getCacheKey as the place for such keys).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const versions = ['ts-jest', 'typescript'].map((name) => `${name}@${require(`${name}/package.json`).version}`).join(' ');

function createTransformer(options = {}) {
  let tsJest;
  const inner = () => (tsJest ??= require('ts-jest').default.createTransformer(options));
  const tsconfigFile = path.resolve(String(options.tsconfig ?? 'tsconfig.json').replace('<rootDir>', REPO_ROOT));
  let tsconfigText;
  return {
    canInstrument: false,
    getCacheKey(source, filePath, transformOptions) {
      tsconfigText ??= fs.readFileSync(tsconfigFile, 'utf8');
      const { configString, instrument, supportsStaticESM } = transformOptions;
      return crypto
        .createHash('sha256')
        .update(JSON.stringify([versions, JSON.stringify(options), tsconfigText, configString, Boolean(instrument), Boolean(supportsStaticESM), filePath, source]))
        .digest('hex');
    },
    process(source, filePath, transformOptions) {
      return inner().process(source, filePath, transformOptions);
    },
  };
}

module.exports = { createTransformer };
