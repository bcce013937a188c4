/**
 * The invariants that keep the katas honest (rustlings' `dev check`):
 * - every kata has a README, hints, a stub with a TODO, a solution with the
 *   same file names, and a test file;
 * - every test of every kata FAILS against the stub (no vacuous test);
 * - (the solutions passing is `npm run test:solutions`, which CI runs too).
 * Usage: npm run check:katas
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../plot-files';
import { listKatas } from './kata-list';

interface JestJson {
  testResults: { name: string; assertionResults: { title: string; status: string }[] }[];
}

const problems: string[] = [];
const katas = listKatas();
if (katas.length === 0) problems.push('no katas found under katas/');

for (const kata of katas) {
  const stubDir = path.join(REPO_ROOT, 'katas', kata.folder);
  const solutionDir = path.join(REPO_ROOT, 'solutions', kata.folder);
  for (const file of ['README.md', 'hints.md']) {
    if (!fs.existsSync(path.join(stubDir, file))) problems.push(`katas/${kata.folder} has no ${file}`);
  }
  const stubFiles = fs.readdirSync(stubDir).filter((f) => f.endsWith('.ts'));
  if (stubFiles.length === 0) problems.push(`katas/${kata.folder} has no .ts stub`);
  for (const file of stubFiles) {
    if (!fs.readFileSync(path.join(stubDir, file), 'utf8').includes('TODO')) problems.push(`katas/${kata.folder}/${file} has no TODO`);
    if (!fs.existsSync(path.join(solutionDir, file))) problems.push(`solutions/${kata.folder}/${file} is missing`);
  }
  if (!fs.existsSync(path.join(REPO_ROOT, kata.testFile))) problems.push(`${kata.testFile} is missing`);
}

// One jest run over every kata's tests, against the stubs.
const jsonFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'check-katas-')), 'report.json');
const jest = spawnSync(
  process.execPath,
  [require.resolve('jest/bin/jest'), '--ci', '--json', `--outputFile=${jsonFile}`, '--silent', ...katas.map((k) => k.testFile)],
  { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, KATA_TREE: 'katas', KATA_DIR: path.join(REPO_ROOT, 'katas') }, maxBuffer: 64 << 20 },
);
let report: JestJson | undefined;
try {
  report = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as JestJson;
} catch {
  problems.push(`jest did not report on the stubs:\n${jest.stderr.slice(-2000)}`);
}
for (const kata of katas) {
  const result = report?.testResults.find((r) => r.name.endsWith(`${kata.folder}.test.ts`));
  if (!report) break;
  if (!result || result.assertionResults.length === 0) {
    problems.push(`${kata.testFile} ran no test against the stub`);
    continue;
  }
  const passed = result.assertionResults.filter((a) => a.status === 'passed');
  for (const test of passed) problems.push(`kata ${kata.number}: "${test.title}" passes against the stub: it checks nothing the learner writes`);
  console.log(`kata ${kata.number}: ${result.assertionResults.length - passed.length}/${result.assertionResults.length} tests fail against the stub`);
}

if (problems.length > 0) {
  console.error(`\ncheck:katas found ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`check:katas: ${katas.length} kata(s) laid out right; every test fails against its stub.`);
