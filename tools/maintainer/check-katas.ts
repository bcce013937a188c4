/**
 * The invariants that keep the katas honest (rustlings' `dev check`):
 * - every kata has a README, hints, a stub with a TODO, a solution with the
 *   same file names, and a test file;
 * - every test of every kata FAILS against the stub (no vacuous test), except
 *   its type check, which must pass: a stub compiles;
 * - (the solutions passing is `npm run test:solutions`, which CI runs too).
 * Usage: npm run check:katas
 */
import fs from 'node:fs';
import path from 'node:path';
import { TYPE_CHECK_TEST_TITLE } from '../../lib/kata-type-error';
import { REPO_ROOT } from '../../lib/plot-files';
import { listKatas } from '../shared/kata-list';
import { runKataTests } from '../shared/run-katas';

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
async function checkStubsFail(): Promise<void> {
  const run = await runKataTests({ kataDir: path.join(REPO_ROOT, 'katas'), testFiles: katas.map((k) => k.testFile) });
  if (run.problem) problems.push(`jest ${run.problem} on the stubs:\n${run.stderrTail.slice(-2000)}`);
  for (const kata of katas) {
    // A file that failed before any test ran is reported as one test titled 'test file'.
    const outcomes = (run.byKata.get(kata.folder) ?? []).filter((o) => o.title !== 'test file');
    if (outcomes.length === 0) {
      problems.push(`${kata.testFile} ran no test against the stub`);
      continue;
    }
    // The type check is the one test a stub passes: a stub must compile.
    const typeCheck = outcomes.find((o) => o.title === TYPE_CHECK_TEST_TITLE);
    if (!typeCheck) problems.push(`${kata.testFile} has no type-check test: end it with testCompiles(__filename) (test/support/type-check.ts)`);
    else if (typeCheck.status !== 'passed') problems.push(`kata ${kata.number}'s stub does not compile: ${(typeCheck.message ?? '').split('\n').slice(0, 4).join(' ')}`);
    const taskTests = outcomes.filter((o) => o !== typeCheck);
    const passed = taskTests.filter((o) => o.status === 'passed');
    for (const test of passed) problems.push(`kata ${kata.number}: "${test.title}" passes against the stub: it checks nothing the learner writes`);
    console.log(`kata ${kata.number}: ${taskTests.length - passed.length}/${taskTests.length} tests fail against the stub, and it compiles`);
  }
}

async function main(): Promise<void> {
  await checkStubsFail();
  if (problems.length > 0) {
    console.error(`\ncheck:katas found ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  console.log(`check:katas: ${katas.length} kata(s) laid out right; every test fails against its stub.`);
}

void main();
