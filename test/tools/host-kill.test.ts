/**
 * A kata host killed by SIGKILL in the middle of a call, by nobody in the
 * grader (tools/instructor/grading/host-kill.ts): a kill from outside, once,
 * costs the kata nothing (the kata is graded again, with a note); a
 * submission that kills itself is graded again once and then fails with what
 * was measured and the possible causes (so does a module that kills
 * itself as it loads, loaded again once; a load killed from outside after
 * computing a while is made again, and its killed attempt not charged); a
 * kill while the kernel's out-of-memory killer acted is the machine's (not
 * graded, exit code 3).
 *
 * The kills are the test's own, made deterministic: the kata, in its first
 * call of adamStepBound(), shows a marker as its process title and waits for
 * SIGUSR2; the test kills the first process that shows it (SIGKILL, as the
 * out-of-memory killer does) and lets every later one go on; a module that
 * computes as it loads is killed once it has used so much CPU (its
 * /proc/<pid>/stat), which makes that kill's cost deterministic too. The
 * out-of-memory kill count is read from a file the test writes
 * (KATA_TEST_OOM_COUNTER_FILE), raised just before its kill.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/plot-files';
import { endedAsKilled, type HostKill, killedCall, readOomKills } from '../../tools/instructor/grading/host-kill';
import { sandboxUnavailable } from '../../tools/instructor/grading/sandbox';

const KATA = '01-linear-model';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'host-kill-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const config = path.join(scratch, 'grading.json');
fs.writeFileSync(config, JSON.stringify({ timeLimitSeconds: 30, maxHeapMiB: 1024, memoryLimitMiB: 1536, points: { [KATA]: 10 } }));
const MARKER = `kata-kill-me-${crypto.randomBytes(6).toString('hex')}`;

/** The reference solution of kata 01 with `code` appended (it runs when the module loads, in the sandbox). */
function submission(name: string, code: string): string {
  const dir = path.join(scratch, name);
  fs.cpSync(path.join(REPO_ROOT, 'solutions', KATA), path.join(dir, 'katas', KATA), { recursive: true });
  fs.appendFileSync(path.join(dir, 'katas', KATA, 'linear-model.ts'), `\n${code}\n`);
  return dir;
}

/** adamStepBound() that, once per process, shows MARKER and waits for SIGUSR2 before it answers. */
const WAITS_FOR_THE_TEST = `
{
  const original = exports.adamStepBound;
  let released;
  exports.adamStepBound = async (...args) => {
    released ??= new Promise((resolve) => {
      process.on('SIGUSR2', resolve);
      process.title = '${MARKER}';
    });
    await released;
    process.title = 'kata-host';
    return original(...args);
  };
}`;

/** adamStepBound() that kills its own process. */
const KILLS_ITSELF = `
exports.adamStepBound = () => { process.kill(process.pid, 'SIGKILL'); };
`;

/** A module that kills its own process as it loads (before the tests, in the preparing sandbox). */
const KILLS_ITSELF_AT_LOAD = `
process.kill(process.pid, 'SIGKILL');
`;

/** CPU seconds every kata process spends as its module loads, and the CPU seconds at which the test kills the first one. */
const LOAD_SECONDS = 8;
const KILL_AT_SECONDS = 7;

/** A module that computes for LOAD_SECONDS of CPU as it loads, showing MARKER meanwhile. */
const COMPUTES_AT_LOAD = `
{
  process.title = '${MARKER}';
  const start = process.cpuUsage();
  for (let used = process.cpuUsage(start); used.user + used.system < ${LOAD_SECONDS} * 1e6; used = process.cpuUsage(start));
  process.title = 'kata-host';
}
`;

/** The CPU seconds a process has used (utime + stime in /proc/<pid>/stat, clock ticks of 1/100 s), or undefined once it is gone. */
function cpuSecondsOf(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Kills `pid` by SIGKILL once it has used `seconds` of CPU. */
function killAtCpu(pid: number, seconds: number): void {
  const timer = setInterval(() => {
    const used = cpuSecondsOf(pid);
    if (used === undefined) clearInterval(timer);
    else if (used >= seconds) {
      clearInterval(timer);
      kill(pid, 'SIGKILL');
    }
  }, 20);
}

/** Processes showing MARKER, each handed to `onMarked` once, with its rank (1 for the first); returns how to stop watching. */
function watchMarked(onMarked: (pid: number, rank: number) => void): () => void {
  const seen = new Set<number>();
  const timer = setInterval(() => {
    for (const entry of fs.readdirSync('/proc')) {
      const pid = Number(entry);
      if (!/^\d+$/.test(entry) || seen.has(pid)) continue;
      let commandLine: string;
      try {
        commandLine = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (!commandLine.includes(MARKER)) continue;
      seen.add(pid);
      onMarked(pid, seen.size);
    }
  }, 50);
  return () => clearInterval(timer);
}

interface Graded {
  status: number | null;
  stdout: string;
  summary: string;
  results: string;
}

/** Grades a submission's kata 01 (beside the canary), watching for marked processes meanwhile. */
async function grade(name: string, dir: string, env: NodeJS.ProcessEnv, onMarked?: (pid: number, rank: number) => void, gradingConfig = config): Promise<Graded> {
  const out = path.join(scratch, `out-${name}`);
  const stopWatching = onMarked ? watchMarked(onMarked) : () => undefined;
  const args = [require.resolve('ts-node/dist/bin'), '--transpile-only', 'tools/instructor/grade.ts', '--katas', dir, '--out', out, '--config', gradingConfig, '--only', '01'];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.resume();
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  stopWatching();
  const read = (file: string) => (fs.existsSync(path.join(out, file)) ? fs.readFileSync(path.join(out, file), 'utf8') : '');
  return { status, stdout, summary: read('summary.md'), results: read(path.join('results', KATA, 'results.json')) };
}

const kill = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(pid, signal);
  } catch {
    // gone meanwhile
  }
};

describe('what a kill by SIGKILL is told from', () => {
  test('a sandbox ended as SIGKILL ends it: the signal, or the exit code bubblewrap passes on (128 + 9)', () => {
    expect(endedAsKilled(137, null)).toBe(true);
    expect(endedAsKilled(null, 'SIGKILL')).toBe(true);
    expect(endedAsKilled(0, null)).toBe(false);
    expect(endedAsKilled(134, null)).toBe(false);
    expect(endedAsKilled(null, 'SIGTERM')).toBe(false);
  });

  test("the out-of-memory kill count is read from vmstat's oom_kill line, or said to be unreadable", () => {
    const file = path.join(scratch, 'vmstat');
    fs.writeFileSync(file, 'nr_free_pages 12\noom_kill 42\nnr_foo 1\n');
    expect(readOomKills(file)).toEqual({ kills: 42 });
    fs.writeFileSync(file, 'nr_free_pages 12\n');
    expect(readOomKills(file)).toEqual({ unreadable: expect.stringMatching(/no oom_kill line/) as unknown });
    expect(readOomKills(path.join(scratch, 'missing'))).toEqual({ unreadable: expect.stringMatching(/could not be read \(ENOENT\)/) as unknown });
  });

  test('a killed call gives its run up in a first run or when the out-of-memory killer acted; in a second run it lists the candidates', () => {
    const measured: HostKill = { call: 'a call of fit', ended: 'exit code 137', cpuSeconds: 2, cpuLimitSeconds: 30, peakMemoryMiB: 300, memoryLimitMiB: 1536, oomBefore: { kills: 1 }, oomAfter: { kills: 1 } };
    expect(killedCall(measured, true)).toEqual({ giveUp: true, message: expect.stringMatching(/runs it again/) as unknown });
    expect(killedCall({ ...measured, oomAfter: { kills: 2 } }, false)).toEqual({ giveUp: true, message: expect.stringMatching(/out-of-memory killer acted/) as unknown });
    const second = killedCall(measured, false);
    expect(second.giveUp).toBe(false);
    expect(second.message).toMatch(/not by this grader's limits \(CPU used 2\.0 of 30 s.*not by the kernel's out-of-memory killer.*its own code may end its process.*killed it twice/);
    expect(killedCall({ ...measured, oomAfter: { unreadable: 'x has no oom_kill line' } }, false).message).toMatch(/could not be checked \(x has no oom_kill line\).*out-of-memory killer among others/);
  });
});

const sandboxMissing = sandboxUnavailable();
const describeSandboxed = sandboxMissing ? describe.skip : describe;
if (sandboxMissing) console.warn(`Kill tests skipped: ${sandboxMissing}`);

describeSandboxed('npm run grade when a kata host is killed by SIGKILL during a call', () => {
  test('killed once from outside: the kata is graded again, the second run counts (full points), with a note', async () => {
    const dir = submission('killed-once', WAITS_FOR_THE_TEST);
    const killedOnce = await grade('killed-once', dir, process.env, (pid, rank) => kill(pid, rank === 1 ? 'SIGKILL' : 'SIGUSR2'));
    expect(killedOnce.stdout).toMatch(/killed-once: 10\.0 \/ 10 points/);
    expect(killedOnce.status).toBe(0);
    expect(killedOnce.summary).toMatch(/Graded twice: the first run's process was killed by SIGKILL \(exit code 137\) during a call of adamStepBound, not by this grader's limits .*not by the kernel's out-of-memory killer/);
  }, 600_000);

  test('a submission that kills itself: graded again once, then its failure, with what was measured and the candidates; exit code 0', async () => {
    const dir = submission('kills-itself', KILLS_ITSELF);
    const killsItself = await grade('kills-itself', dir, process.env);
    expect(killsItself.status).toBe(0);
    expect(killsItself.stdout).toMatch(/kills-itself: \d+\.\d \/ 10 points/);
    expect(killsItself.stdout).not.toMatch(/10\.0 \/ 10 points/);
    const failed = (JSON.parse(killsItself.results) as { tests: { status: string; message: string | null }[] }).tests.filter((t) => t.status !== 'pass');
    expect(failed.length).toBeGreaterThan(0);
    for (const t of failed) {
      expect(t.message).toMatch(/killed by SIGKILL \(exit code 137\) during a call of adamStepBound, as it was the first time, not by this grader's limits \(CPU used [\d.]+ of [\d.]+ s/);
      expect(t.message).toMatch(/not by the kernel's out-of-memory killer .*: its own code may end its process \(process\.kill, or exit code 137\), or something on this machine killed it twice/);
    }
    expect(killsItself.summary).toMatch(/Graded twice: both runs' processes were killed by SIGKILL \(during a call of adamStepBound, then during a call of adamStepBound\)/);
  }, 600_000);

  test('a module that kills itself as it loads: loaded again once, then its failure, with the candidates', async () => {
    const dir = submission('kills-itself-at-load', KILLS_ITSELF_AT_LOAD);
    const killsAtLoad = await grade('kills-itself-at-load', dir, process.env);
    expect(killsAtLoad.status).toBe(0);
    expect(killsAtLoad.stdout).toMatch(/kills-itself-at-load: 0\.0 \/ 10 points/);
    expect(killsAtLoad.results).toMatch(/Loading 01-linear-model\/linear-model failed: The kata's process was killed by SIGKILL \(exit code 137\) during the loading of 01-linear-model\/linear-model, as it was the first time, not by this grader's limits/);
    expect(killsAtLoad.results).toMatch(/its own code may end its process/);
  }, 600_000);

  test('killed from outside once while its module loads, after computing: the load is made again, the killed attempt not charged, with a note', async () => {
    // The budget of one kata (timeLimitSeconds) holds two loads and the tests, not three loads: charged for the killed
    // attempt too (KILL_AT_SECONDS), the kata's tests would be stopped by the CPU limit.
    const budget = path.join(scratch, 'grading-load.json');
    fs.writeFileSync(budget, JSON.stringify({ timeLimitSeconds: 2 * LOAD_SECONDS + 5, maxHeapMiB: 1024, memoryLimitMiB: 1536, points: { [KATA]: 10 } }));
    const dir = submission('killed-at-load', COMPUTES_AT_LOAD);
    const killedAtLoad = await grade('killed-at-load', dir, process.env, (pid, rank) => rank === 1 && killAtCpu(pid, KILL_AT_SECONDS), budget);
    expect(killedAtLoad.stdout).toMatch(/killed-at-load: 10\.0 \/ 10 points/);
    expect(killedAtLoad.status).toBe(0);
    expect(killedAtLoad.summary).toMatch(
      /- 01-linear-model: Loaded twice: the preparing sandbox's process was killed by SIGKILL \(exit code 137\) during the loading of 01-linear-model\/linear-model, not by this grader's limits .*not by the kernel's out-of-memory killer.*the [\d.]+ s of CPU the killed attempt used are not charged/,
    );
  }, 600_000);

  test("killed while the kernel's out-of-memory killer acted: not graded (a grader error, exit code 3), with the counts measured", async () => {
    const counter = path.join(scratch, 'fake-vmstat');
    fs.writeFileSync(counter, 'nr_free_pages 1000\noom_kill 7\n');
    const dir = submission('out-of-memory', WAITS_FOR_THE_TEST);
    const env = { ...process.env, KATA_TEST_OOM_COUNTER_FILE: counter };
    const oom = await grade('out-of-memory', dir, env, (pid, rank) => {
      if (rank === 1) fs.writeFileSync(counter, 'nr_free_pages 0\noom_kill 8\n');
      kill(pid, rank === 1 ? 'SIGKILL' : 'SIGUSR2');
    });
    expect(oom.status).toBe(3);
    expect(oom.stdout).toMatch(/out-of-memory: not graded: grader error \(01-linear-model: the kata's process was killed by SIGKILL \(exit code 137\) during a call of adamStepBound while the kernel's out-of-memory killer acted \(oom_kill in \S+ went from 7 to 8\)/);
    expect(oom.summary).toMatch(/not graded: grader error/);
  }, 600_000);
});
