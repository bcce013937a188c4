import fs from 'node:fs';
import { classroomWorkflow, WORKFLOW_FILE } from '../../tools/instructor/classroom';
import { readGradingConfig } from '../../tools/instructor/grading/config';

test('the committed GitHub Classroom workflow is the one grading.json generates (npm run classroom)', () => {
  expect(fs.readFileSync(WORKFLOW_FILE, 'utf8')).toBe(classroomWorkflow());
});

test('every kata has points in grading.json and a step in the workflow', () => {
  const { points } = readGradingConfig();
  const workflow = fs.readFileSync(WORKFLOW_FILE, 'utf8');
  for (const [kata, score] of Object.entries(points)) {
    expect(workflow).toContain(`test-name: ${kata}\n`);
    expect(workflow).toMatch(new RegExp(`command: npx jest --ci test/${kata}\\.test\\.ts\\n\\s+timeout: \\d+\\n\\s+max-score: ${score}\\n`));
  }
});

test("the learner's workflow says in its step names that it is quick feedback, not the grade of record", () => {
  const workflow = fs.readFileSync(WORKFLOW_FILE, 'utf8');
  const stepNames = [...workflow.matchAll(/^\s+- name: (.*)$/gm)].map((m) => m[1] as string).filter((n) => /^kata \d\d|Reporter/.test(n));
  expect(stepNames.length).toBe(Object.keys(readGradingConfig().points).length + 1);
  for (const name of stepNames) expect(name).toMatch(/quick feedback.*grade of record/);
});
