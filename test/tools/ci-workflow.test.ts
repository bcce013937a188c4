/**
 * The project's own GitHub Actions workflow (.github/workflows/ci.yml) parses
 * as the structure GitHub Actions requires and runs what it says: learner mode
 * (install, stubs fail, solutions pass) on Ubuntu, macOS and Windows, with
 * commands that need no bash; the whole of .ci/run on Ubuntu. Every npm
 * script and file it names exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../lib/plot-files';

interface Step {
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  strategy?: { matrix?: { os?: string[] } };
  steps: Step[];
}

const workflow = parse(fs.readFileSync(path.join(REPO_ROOT, '.github', 'workflows', 'ci.yml'), 'utf8')) as { on: unknown; jobs: Record<string, Job> };
const scripts = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const runs = (job: Job) => job.steps.flatMap((step) => (step.run ? [step.run] : []));

test('it runs on every push and pull request, and every job has steps', () => {
  expect(workflow.on).toEqual(expect.arrayContaining(['push', 'pull_request']));
  for (const job of Object.values(workflow.jobs)) {
    expect(typeof job['runs-on']).toBe('string');
    expect(job.steps.length).toBeGreaterThan(0);
    for (const step of job.steps) expect(Boolean(step.uses) !== Boolean(step.run)).toBe(true);
  }
});

test('learner mode on Ubuntu, macOS and Windows: Node 20, the setup script, stubs fail, solutions pass', () => {
  const learner = workflow.jobs.learner as Job;
  expect(learner['runs-on']).toBe('${{ matrix.os }}');
  expect(learner.strategy?.matrix?.os).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest']);
  const node = learner.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
  expect(node?.with?.['node-version']).toBe(20);
  expect(runs(learner)).toEqual(['node tools/learner/setup.js --ci', 'npm run check:katas', 'npm run test:solutions']);
  // Windows runs steps in PowerShell: nothing here may need bash.
  for (const step of learner.steps) {
    expect(step.shell).toBeUndefined();
    expect(step.run ?? '').not.toMatch(/\bbash\b|\.sh\b|&&|\$\(/);
  }
});

test('the whole of .ci/run on Ubuntu', () => {
  const full = workflow.jobs.full as Job;
  expect(full['runs-on']).toBe('ubuntu-latest');
  expect(runs(full)).toEqual(['bash .ci/run']);
});

test('every npm script and file the workflow and .ci/run name exists', () => {
  const ciRun = fs.readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8');
  const commands = [...Object.values(workflow.jobs).flatMap(runs), ciRun].join('\n');
  for (const [, script] of commands.matchAll(/npm run ([\w:-]+)/g)) expect(Object.keys(scripts)).toContain(script);
  for (const [file] of commands.matchAll(/(?:\.ci|tools)\/[\w./-]+\.(?:js|sh)|\.ci\/run/g)) expect(fs.existsSync(path.join(REPO_ROOT, file))).toBe(true);
});

test('.ci/run checks the suite and the variants on every backend installable here (cpu and wasm)', () => {
  const ciRun = fs.readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8');
  const loop = /for backend in ([\w ]+); do\n([\s\S]*?)\ndone/.exec(ciRun);
  expect(loop?.[1]?.split(' ').sort()).toEqual(['cpu', 'wasm']);
  expect(loop?.[2]).toMatch(/KATA_BACKEND="\$backend" npm run test:solutions/);
  expect(loop?.[2]).toMatch(/KATA_BACKEND="\$backend" npm run check:variants/);
});
