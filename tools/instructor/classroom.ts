/**
 * Writes .github/workflows/classroom.yml, a GitHub Classroom autograding
 * workflow with one test per kata, its points taken from grading.json (the one
 * place weights are set). `npm run classroom` regenerates it; a test checks
 * that the committed file is what this writes.
 *
 * It runs in the learner's own repository, where the learner controls the
 * workflow, the tests and the lock file: quick feedback, and it says so. The
 * grade of record comes from the instructor's workflow (npm run
 * classroom:instructor) or `npm run grade`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/plot-files';
import { readGradingConfig } from './grading/config';
import { listKatas } from '../shared/kata-list';

export const WORKFLOW_FILE = path.join(REPO_ROOT, '.github', 'workflows', 'classroom.yml');

export function classroomWorkflow(): string {
  const config = readGradingConfig();
  const katas = listKatas();
  const minutes = Math.max(1, Math.ceil(config.timeLimitSeconds / 60));
  const steps = katas.map(
    (k) => `      - name: kata ${k.number} (quick feedback, not the grade of record)
        id: kata-${k.number}
        uses: classroom-resources/autograding-command-grader@v1
        with:
          test-name: ${k.folder}
          setup-command: ''
          command: npx jest --ci ${k.testFile}
          timeout: ${minutes}
          max-score: ${config.points[k.folder] ?? 0}`,
  );
  const env = katas.map((k) => `          KATA-${k.number}_RESULTS: "\${{ steps.kata-${k.number}.outputs.result }}"`);
  return `# Generated from grading.json by \`npm run classroom\`: edit that file, not this one.
# Quick feedback for the learner on every push. It runs in the learner's repository, which the
# learner controls, so it is not the grade of record: that comes from the instructor's workflow
# (npm run classroom:instructor) or npm run grade, on the instructor's copy of the tests.
name: Autograding Tests
on: [push, repository_dispatch, workflow_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - name: Install (node-canvas build packages only if needed)
        run: node tools/learner/setup.js --ci
${steps.join('\n')}
      - name: Autograding Reporter (quick feedback; the grade of record is the instructor's)
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
${env.join('\n')}
        with:
          runners: ${katas.map((k) => `kata-${k.number}`).join(',')}
`;
}

if (require.main === module) {
  fs.mkdirSync(path.dirname(WORKFLOW_FILE), { recursive: true });
  fs.writeFileSync(WORKFLOW_FILE, classroomWorkflow());
  console.log(`Wrote ${path.relative(process.cwd(), WORKFLOW_FILE)}`);
}
