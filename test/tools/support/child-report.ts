/**
 * A check that needs a TensorFlow.js of its own (one backend, kernels as
 * installed at load): `script` runs with `node -e` in a fresh process on
 * `backend`, and its last line on stdout is its report, as JSON.
 */
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from '../../../lib/plot-files';

export function childReport<T>(script: string, backend: string, timeoutMs: number): T {
  const run = spawnSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, KATA_BACKEND: backend }, timeout: timeoutMs });
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  if (run.status !== 0 || !line.startsWith('{')) throw new Error(`the child process on ${backend} ended with status ${String(run.status)}: ${run.stderr.trim().slice(-800)}`);
  return JSON.parse(line) as T;
}
