/**
 * Fetching learners' katas for grading: a shallow, sparse clone of each
 * repository with only katas/ checked out, by plain git. The token (read-only,
 * from GH_TOKEN) reaches git as an HTTP header through the environment, the
 * way actions/checkout passes it: never in a URL, an argument or a stored config.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type Learner } from './roster';

const CLONE_TIMEOUT_MS = 180_000;

function gitEnvironment(url: string, token: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GH_TOKEN: '', GITHUB_TOKEN: '' };
  if (token && url.startsWith('https://')) {
    const origin = new URL(url).origin;
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = `http.${origin}/.extraheader`;
    env.GIT_CONFIG_VALUE_0 = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
  }
  return env;
}

/** Clones one learner's katas/ into `into/<name>`; returns the commit fetched, or throws with git's reason. */
export function fetchKatas(learner: Learner, into: string, token: string | undefined): string {
  const dir = path.join(into, learner.name);
  const env = gitEnvironment(learner.url, token);
  const git = (args: string[], cwd?: string) => {
    const run = spawnSync('git', args, { cwd, env, encoding: 'utf8', timeout: CLONE_TIMEOUT_MS });
    if (run.status !== 0) {
      const reason = (run.stderr || run.error?.message || `exit ${run.status}`).trim().split('\n').slice(-2).join(' ');
      throw new Error(`git ${args[0]} failed: ${reason}`);
    }
    return run.stdout.trim();
  };
  try {
    git(['clone', '--quiet', '--depth', '1', '--filter=blob:none', '--no-checkout', '--', learner.url, dir]);
    git(['sparse-checkout', 'set', '--no-cone', '/katas/'], dir);
    git(['checkout', '--quiet'], dir);
    const commit = git(['rev-parse', 'HEAD'], dir);
    // Only the katas are graded; the learner's history is not needed.
    fs.rmSync(path.join(dir, '.git'), { recursive: true, force: true });
    return commit;
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
