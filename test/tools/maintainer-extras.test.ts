/**
 * Maintainer-only packages (StrykerJS, playwright-core) live in
 * tools/maintainer/extras, with their own lock file: the repository's own
 * package.json, which learners install, does not list them, and a tool that
 * needs one that is missing says how to install it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/plot-files';
import { EXTRAS_DIR, MissingExtraError, resolveExtra } from '../../tools/maintainer/extras';

const MAINTAINER_ONLY = ['@stryker-mutator/core', '@stryker-mutator/jest-runner', 'playwright-core'];
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, unknown> | undefined>;

test('the learner-facing package.json lists none of them; the extras package lists them all, with a lock file', () => {
  const root = readJson(path.join(REPO_ROOT, 'package.json'));
  const listed = Object.keys({ ...root.dependencies, ...root.devDependencies, ...root.optionalDependencies });
  for (const name of MAINTAINER_ONLY) expect(listed).not.toContain(name);
  const extras = readJson(path.join(EXTRAS_DIR, 'package.json'));
  expect(Object.keys({ ...extras.dependencies, ...extras.devDependencies }).sort()).toEqual([...MAINTAINER_ONLY].sort());
  const lock = readJson(path.join(EXTRAS_DIR, 'package-lock.json'));
  for (const name of MAINTAINER_ONLY) expect(lock.packages?.[`node_modules/${name}`]).toBeDefined();
  // The extras use the repository's own jest: npm must not install a second one for the runner's peer dependency.
  expect(lock.packages?.['node_modules/jest']).toBeUndefined();
  expect(readJson(path.join(REPO_ROOT, 'package.json')).scripts?.['setup:maintainer']).toBe('npm ci --prefix tools/maintainer/extras --no-audit --no-fund');
});

test('a missing one is named, with the command that installs it', () => {
  expect(() => resolveExtra('no-such-maintainer-package/bin/tool.js', 'npm run something')).toThrow(MissingExtraError);
  expect(() => resolveExtra('no-such-maintainer-package', 'npm run something')).toThrow(
    /npm run something needs no-such-maintainer-package, a maintainer-only package that learners do not install\. Install the maintainer tools with `npm run setup:maintainer`/,
  );
});
