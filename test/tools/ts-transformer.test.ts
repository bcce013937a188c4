/**
 * test/support/ts-transformer.js: ts-jest behind a cache key of its own, so that a jest
 * process whose files all come from the cache never loads TypeScript. Its key must change
 * whenever ts-jest's output could, and its output must be ts-jest's.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/plot-files';

const TRANSFORMER = path.join(REPO_ROOT, 'test', 'support', 'ts-transformer.js');
const OPTIONS = { tsconfig: '<rootDir>/tsconfig.json' };

/** Runs `script` in a plain Node process (no jest module registry) with `transformer` in scope. */
function inNode(script: string): string {
  const run = spawnSync(process.execPath, ['-e', `const transformer = require(${JSON.stringify(TRANSFORMER)}).createTransformer(${JSON.stringify(OPTIONS)});\n${script}`], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim();
}

describe('the transformer in front of ts-jest', () => {
  test('computing a cache key loads neither ts-jest nor TypeScript', () => {
    const loaded = inNode(`
      transformer.getCacheKey('export const a: number = 1;', '/repo/a.ts', { configString: '{}' });
      // Their package.json files (read for the versions in the key) are not code.
      console.log(Object.keys(require.cache).filter((file) => /node_modules[\\\\/](typescript|ts-jest)[\\\\/].*\\.js$/.test(file)).length);
    `);
    expect(loaded).toBe('0');
  });

  test('the key changes with the source, the path, jest\'s configuration and the instrumenting flag, and only with them', () => {
    const keys = JSON.parse(
      inNode(`
      const key = (source, file, options) => transformer.getCacheKey(source, file, { configString: '{}', ...options });
      console.log(JSON.stringify([
        key('const a = 1;', '/repo/a.ts'),
        key('const a = 1;', '/repo/a.ts'),
        key('const a = 2;', '/repo/a.ts'),
        key('const a = 1;', '/repo/b.ts'),
        key('const a = 1;', '/repo/a.ts', { configString: '{"x":1}' }),
        key('const a = 1;', '/repo/a.ts', { instrument: true }),
      ]));
    `),
    ) as string[];
    expect(keys[1]).toBe(keys[0]);
    expect(new Set(keys).size).toBe(5);
  });

  test("its output is ts-jest's own", () => {
    const file = path.join(REPO_ROOT, 'lib', 'metrics.ts');
    const source = fs.readFileSync(file, 'utf8');
    const same = inNode(`
      const options = { config: { rootDir: ${JSON.stringify(REPO_ROOT)}, cwd: ${JSON.stringify(REPO_ROOT)}, globals: {}, testMatch: [], testRegex: [], moduleFileExtensions: ['ts', 'js'], extensionsToTreatAsEsm: [] }, configString: '{}', cacheFS: new Map(), transformerConfig: ${JSON.stringify(OPTIONS)}, supportsStaticESM: false, instrument: false };
      const ours = transformer.process(${JSON.stringify(source)}, ${JSON.stringify(file)}, options);
      const theirs = require('ts-jest').default.createTransformer(${JSON.stringify(OPTIONS)}).process(${JSON.stringify(source)}, ${JSON.stringify(file)}, options);
      console.log(ours.code === theirs.code && ours.code.includes('exports.'));
    `);
    expect(same).toBe('true');
  });
});
