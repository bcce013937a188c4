/**
 * The instructor's GitHub Actions workflow (.github/workflows/grade-course.yml
 * in their private copy of this repository): a matrix of shards, each fetching
 * its learners' katas with a read-only token and grading them with the
 * hardened grader under the secret variant key; a last job merges the shards
 * into the course report. Every command it runs is an npm script of this
 * repository that the tools' tests run locally (test/tools/course-workflow.test.ts).
 */
import { stringify } from 'yaml';

/** GitHub Actions runs at most this many jobs from one matrix. */
export const MAX_MATRIX_JOBS = 256;
/** A job may run at most this long on GitHub-hosted runners. */
export const MAX_JOB_MINUTES = 360;
/** Learners per shard when not told: a shard then takes well under an hour on a 2-core runner (docs/instructors.md, "Grading a course"). */
export const DEFAULT_LEARNERS_PER_SHARD = 20;
/** Submissions graded at once on a GitHub-hosted Linux runner of a private repository (2 cores). */
export const RUNNER_JOBS = 2;

export const SECRETS = {
  /** Read-only access to the learners' repositories (a fine-grained token: Contents read-only). */
  token: 'CLASSROOM_READ_TOKEN',
  /** The variant key: at least 16 random characters (openssl rand -hex 32). */
  variantKey: 'KATA_VARIANT_KEY',
} as const;

export interface InstructorWorkflowOptions {
  /** The roster's path inside the repository, with forward slashes. */
  roster: string;
  learners: number;
  shards: number;
  /** Katas graded and the per-kata time limit, to bound a shard's time. */
  katas: number;
  timeLimitSeconds: number;
}

/** bubblewrap on the runner, and Ubuntu 24.04's AppArmor profile that lets it make user namespaces (the script says how). */
export const SANDBOX_SETUP = 'bash .ci/sandbox-setup.sh';

export function defaultShardCount(learners: number): number {
  return Math.min(MAX_MATRIX_JOBS, Math.max(1, Math.ceil(learners / DEFAULT_LEARNERS_PER_SHARD)));
}

/** The worst case of one shard: every kata of every learner running to its time limit, RUNNER_JOBS at once, plus setup. */
export function shardTimeoutMinutes(options: Pick<InstructorWorkflowOptions, 'learners' | 'shards' | 'katas' | 'timeLimitSeconds'>): number {
  const perShard = Math.ceil(options.learners / options.shards);
  const gradingMinutes = (perShard * options.katas * options.timeLimitSeconds) / RUNNER_JOBS / 60;
  return Math.min(MAX_JOB_MINUTES, Math.ceil(gradingMinutes) + 20);
}

const checkout = { name: 'Check out the grader (this private repository)', uses: 'actions/checkout@v4', with: { 'persist-credentials': false } };
const setupNode = { uses: 'actions/setup-node@v4', with: { 'node-version': 20, cache: 'npm' } };
const install = { name: 'Install', run: 'node tools/learner/setup.js --ci' };

/** The commands of the steps, by step id: what the tests run locally with the same environment variables. */
export const COMMANDS = {
  fetch: 'npm run grade:fetch -- --roster "$ROSTER" --shard "$SHARD" --into "$CLASS_DIR"',
  grade: 'npm run grade -- --class "$CLASS_DIR" --roster "$ROSTER" --shard "$SHARD" --variant-key-env KATA_VARIANT_KEY --out "$SHARD_DIR"',
  merge: 'npm run grade:merge -- "$SHARDS_DIR"/shard-* --out "$REPORT_DIR"',
} as const;

export function instructorWorkflow(options: InstructorWorkflowOptions): string {
  const shards = Array.from({ length: options.shards }, (_, i) => i + 1);
  const workflow = {
    name: 'Grade the course',
    on: { workflow_dispatch: {} },
    // The workflow's own token reads this repository and nothing else; learners' repositories are read with CLASSROOM_READ_TOKEN.
    permissions: { contents: 'read' },
    concurrency: { group: 'grade-course', 'cancel-in-progress': false },
    env: { ROSTER: options.roster },
    jobs: {
      grade: {
        name: `Grade shard \${{ matrix.shard }} of ${options.shards}`,
        'runs-on': 'ubuntu-24.04',
        'timeout-minutes': shardTimeoutMinutes(options),
        strategy: { 'fail-fast': false, matrix: { shard: shards } },
        env: {
          SHARD: `\${{ matrix.shard }}/${options.shards}`,
          // Job-level env may use the github context, not runner: .grading/ is git-ignored.
          CLASS_DIR: '${{ github.workspace }}/.grading/class',
          SHARD_DIR: '${{ github.workspace }}/.grading/shard',
        },
        steps: [
          checkout,
          setupNode,
          install,
          { name: 'Let the sandbox (bubblewrap) make its namespaces', run: SANDBOX_SETUP },
          {
            id: 'fetch',
            name: "Fetch this shard's learners' katas (read-only token)",
            env: { GH_TOKEN: `\${{ secrets.${SECRETS.token} }}` },
            run: COMMANDS.fetch,
          },
          {
            id: 'grade',
            name: 'Grade this shard: hardened grader, secret variants',
            env: { KATA_VARIANT_KEY: `\${{ secrets.${SECRETS.variantKey} }}` },
            run: COMMANDS.grade,
          },
          {
            name: 'Upload the shard',
            uses: 'actions/upload-artifact@v4',
            with: { name: 'shard-${{ matrix.shard }}', path: '${{ env.SHARD_DIR }}', 'if-no-files-found': 'error', 'retention-days': 14 },
          },
        ],
      },
      merge: {
        name: 'Merge the shards into the course report',
        needs: ['grade'],
        'runs-on': 'ubuntu-24.04',
        'timeout-minutes': 30,
        env: { SHARDS_DIR: '${{ github.workspace }}/.grading/shards', REPORT_DIR: '${{ github.workspace }}/.grading/course-report' },
        steps: [
          checkout,
          setupNode,
          install,
          { name: 'Download every shard', uses: 'actions/download-artifact@v4', with: { pattern: 'shard-*', path: '${{ env.SHARDS_DIR }}' } },
          { id: 'merge', name: 'Merge (refuses missing or mismatched shards)', run: COMMANDS.merge },
          {
            name: 'Upload the course report (gradebook.csv, class-summary.md, per-learner reports)',
            uses: 'actions/upload-artifact@v4',
            with: { name: 'course-report', path: '${{ env.REPORT_DIR }}', 'if-no-files-found': 'error', 'retention-days': 30 },
          },
        ],
      },
    },
  };
  const header = [
    `# Generated by \`npm run classroom:instructor -- --roster ${options.roster} --shards ${options.shards}\` (${options.learners} learners).`,
    '# Rerun it after the roster grows or grading.json changes; do not edit by hand.',
    `# Secrets: ${SECRETS.token} (read-only access to the learners' repositories), ${SECRETS.variantKey} (the variant key).`,
    '# Run it from the Actions tab (workflow_dispatch); the gradebook is in the course-report artifact.',
  ];
  return `${header.join('\n')}\n${stringify(workflow, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
