/**
 * A loaded machine never fails a correct solution: the reference suite
 * (npm run test:solutions) passes with four busy-looping processes beside it
 * (on 2 cores, a load average of about 6 with jest's own workers). The time
 * limits count the test process's CPU time, not the wall clock, which this
 * load stretches three times or more.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import { REPO_ROOT } from '../../lib/plot-files';

const BUSY_PROCESSES = 4;

test(`the reference suite passes with ${BUSY_PROCESSES} busy-looping processes beside it`, async () => {
  const busy: ChildProcess[] = Array.from({ length: BUSY_PROCESSES }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  try {
    const started = performance.now();
    const suite = spawn(process.execPath, [require.resolve('jest/bin/jest'), '--ci', '--silent'], {
      cwd: REPO_ROOT,
      env: { ...process.env, KATA_TREE: 'solutions', FORCE_COLOR: '0' },
    });
    let output = '';
    suite.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    suite.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const loadDuring = setInterval(() => (load = Math.max(load, os.loadavg()[0] ?? 0)), 5000);
    let load = 0;
    const status = await new Promise<number | null>((resolve) => suite.on('close', resolve));
    clearInterval(loadDuring);
    console.log(`the suite beside ${BUSY_PROCESSES} busy processes: ${((performance.now() - started) / 1000).toFixed(0)} s, highest 1-minute load average ${load.toFixed(1)} on ${os.availableParallelism()} cores`);
    expect(output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(status).toBe(0);
  } finally {
    for (const child of busy) child.kill('SIGKILL');
  }
}, 1_800_000);
