/**
 * The grader against hostile submissions (test/tools/attacks/catalogue.ts),
 * graded in one --class run beside honest classmates. For every attack: its
 * points equal what its honest content earns; and for the run: classmates
 * score what they score alone, the checkout, node_modules and the class
 * folder are unchanged, no process outlives the grader, the reports on disk
 * 15 s after it exits are the ones it wrote, no canary (an environment value,
 * a file in the home folder, a file the launching shell left open) reaches a
 * report, nothing reaches the network, every report parses with one row or
 * test case per real one and stays small, and the grader's own process stays
 * within a stated CPU time and memory per submission (run.json). A class of
 * one staller and one honest classmate finishes within the staller's limit
 * plus a stated margin of the honest classmate graded alone.
 *
 * Kata 01 only, to keep the run short: the attacks do not depend on the kata.
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import ts from 'typescript';
import { REPO_ROOT } from '../../lib/plot-files';
import { sandboxUnavailable } from '../../tools/instructor/grading/sandbox';
import { ATTACKS, type Attack } from './attacks/catalogue';

const KATA = '01-linear-model';
const HONEST = { 'honest-solution': 'solution', 'honest-stub': 'stub' } as const;
const STABLE_AFTER_EXIT_MS = 15_000;
/** grading.json of these runs, tighter than the default so that the run stays short: CPU seconds per phase, MiB, idle seconds. */
const LIMITS = { cpu: 15, memory: 1280, idle: 20 };
const IN_CLASS = ATTACKS.filter((a) => !a.alone);
const ALONE = ATTACKS.filter((a) => a.alone);
/** No report may be larger than this, whatever a kata returned (a 20 MiB string once made a 63 MB junit.xml). */
const MAX_REPORT_BYTES = 512 * 1024;
/**
 * The grader's own process, per submission: CPU seconds and peak memory, with
 * a fixed part for starting (ts-node compiling it) and the canary. Measured on
 * this class of 39 (2-core machine shared with other jobs, load about 9): 15 s
 * and 265 MiB in all (its largest message, a 30 MiB constant, parsed once).
 */
const GRADER_CPU_SECONDS = { fixed: 10, perSubmission: 0.5 };
const GRADER_PEAK_MIB = 400;
/** A class with one staller takes at most the staller's idle limit, and this, more than its honest classmate alone. */
const STALL_MARGIN_SECONDS = 90;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'grade-attacks-'));
const home = path.join(scratch, 'home');
const classDir = path.join(scratch, 'class');
const out = path.join(scratch, 'out');
const canaryEnv = `canary-env-${crypto.randomBytes(8).toString('hex')}`;
const canaryFile = `canary-file-${crypto.randomBytes(8).toString('hex')}`;
const canaryFd = `canary-descriptor-${crypto.randomBytes(8).toString('hex')}`;
/** A file the instructor's shell has open when it starts the grader, as descriptor 100 (Node.js marks low-numbered ones close-on-exec itself). */
const openFile = path.join(scratch, 'open-in-the-shell.txt');
const config = path.join(scratch, 'grading.json');

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function kataSource(base: 'stub' | 'solution'): string {
  return path.join(REPO_ROOT, base === 'stub' ? 'katas' : 'solutions', KATA);
}

function fill(text: string, port: number, hostIp: string): string {
  const solutionJs = ts.transpileModule(fs.readFileSync(path.join(REPO_ROOT, 'solutions', KATA, 'linear-model.ts'), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  return text
    .replaceAll('__REPO__', REPO_ROOT)
    .replaceAll('__CLASS__', classDir)
    .replaceAll('__OUT__', out)
    .replaceAll('__HOME__', home)
    .replaceAll('__PORT__', String(port))
    .replaceAll('__HOST_IP__', hostIp)
    .replaceAll('__SOLUTION_JS__', solutionJs);
}

function makeSubmission(name: string, base: 'stub' | 'solution', attack: Attack | undefined, port: number, hostIp: string, into = classDir): void {
  const dir = path.join(into, name, 'katas', KATA);
  fs.mkdirSync(dir, { recursive: true });
  for (const file of fs.readdirSync(kataSource(base))) fs.copyFileSync(path.join(kataSource(base), file), path.join(dir, file));
  if (attack?.code) fs.appendFileSync(path.join(dir, 'linear-model.ts'), `\n${fill(attack.code, port, hostIp)}\n`);
  for (const [file, entry] of Object.entries(attack?.files ?? {})) {
    const target = path.join(dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if ('symlink' in entry) fs.symlinkSync(fill(entry.symlink, port, hostIp), target);
    else fs.writeFileSync(target, fill(entry.content, port, hostIp));
  }
}

/** Every file under a folder, links as their targets, never followed. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!fs.existsSync(dir)) return files;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, full);
    if (entry.isSymbolicLink()) files.set(rel, `link -> ${fs.readlinkSync(full)}`);
    else if (entry.isFile()) files.set(rel, fs.readFileSync(full, 'utf8'));
    else if (entry.isDirectory()) files.set(rel, 'dir');
  }
  return files;
}

/** A hash of every path, link target and file content under a folder. */
function checksum(dir: string): string {
  const hash = crypto.createHash('sha256');
  const entries = fs.readdirSync(dir, { recursive: true, withFileTypes: true });
  const paths = entries.map((e) => path.join(e.parentPath, e.name)).sort();
  for (const full of paths) {
    const stat = fs.lstatSync(full);
    hash.update(`${path.relative(dir, full)}\0${stat.mode}\0`);
    if (stat.isSymbolicLink()) hash.update(fs.readlinkSync(full));
    else if (stat.isFile()) hash.update(fs.readFileSync(full));
  }
  return hash.digest('hex');
}

/** PID namespaces, and bubblewrap processes, alive now. */
function namespaces(): Set<string> {
  const found = new Set<string>();
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      found.add(fs.readlinkSync(`/proc/${pid}/ns/pid`));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/**
 * Processes in the given PID namespaces that belong to this checkout's
 * sandboxes: a namespace lives as long as its bubblewrap init, whose command
 * line names this checkout's node_modules (other sandboxes on the machine are not ours).
 */
function processesIn(spaces: Set<string>): string[] {
  const bySpace = new Map<string, string[]>();
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const space = fs.readlinkSync(`/proc/${pid}/ns/pid`);
      if (spaces.has(space)) bySpace.set(space, [...(bySpace.get(space) ?? []), `${pid}: ${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`]);
    } catch {
      // gone
    }
  }
  const ours = `${path.join(REPO_ROOT, 'node_modules')} /sandbox/node_modules`;
  return [...bySpace.values()].filter((list) => list.some((p) => p.includes(ours))).flat();
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs the grader as an instructor's shell would, with a file of its own open on descriptor 100. */
function grade(args: string[]): Promise<Run> {
  const started = Date.now();
  const open = fs.openSync(openFile, 'r+');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', 'tools/instructor/grade.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, KATA_CANARY: canaryEnv, HOME: home },
      stdio: ['pipe', 'pipe', 'pipe', ...Array<'ignore'>(97).fill('ignore'), open],
    });
    fs.closeSync(open);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
  });
}

/** Points per submission name, as the grader printed them. */
function printedPoints(stdout: string): Map<string, number> {
  const points = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const match = /^(.*): (\d+\.\d) \/ \d+ points/.exec(line);
    if (!match) continue;
    const name = match[1]?.startsWith('"') ? (JSON.parse(match[1]) as string) : (match[1] as string);
    points.set(name, Number(match[2]));
  }
  return points;
}

function testStatuses(results: string): string[] {
  const parsed = JSON.parse(results) as { tests: { name: string; status: string }[] };
  return parsed.tests.map((t) => `${t.name}: ${t.status}`);
}

const sandboxMissing = sandboxUnavailable();
const describeSandboxed = sandboxMissing ? describe.skip : describe;
if (sandboxMissing) console.warn(`Attack tests skipped: ${sandboxMissing}`);

describeSandboxed('npm run grade against hostile submissions, in one class run', () => {
  const solo = new Map<string, { points: number; tests: string[]; seconds: number }>();
  let run: Run;
  let aloneRun: Run;
  const aloneClass = path.join(scratch, 'alone-class');
  let atExit: Map<string, string>;
  let afterWait: Map<string, string>;
  let survivors: string[];
  let connections = 0;
  const before = { git: '', nodeModules: '', classDir: '' };
  const after = { git: '', nodeModules: '', classDir: '' };

  beforeAll(async () => {
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, '.gitconfig'), `[user]\n  name = ${canaryFile}\n`);
    fs.writeFileSync(path.join(home, 'canary.txt'), canaryFile);
    fs.writeFileSync(config, JSON.stringify({ timeLimitSeconds: LIMITS.cpu, maxHeapMiB: 512, memoryLimitMiB: LIMITS.memory, maxProcesses: 16, idleSeconds: LIMITS.idle, points: { [KATA]: 10 } }));
    fs.writeFileSync(openFile, canaryFd);

    const listener = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '0.0.0.0', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    const hostIp = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address ?? '127.0.0.1';

    for (const [name, base] of Object.entries(HONEST)) makeSubmission(name, base, undefined, port, hostIp);
    for (const attack of IN_CLASS) makeSubmission(attack.name, attack.base, attack, port, hostIp);
    makeSubmission('honest-solution', 'solution', undefined, port, hostIp, aloneClass);
    for (const attack of ALONE) makeSubmission(attack.name, attack.base, attack, port, hostIp, aloneClass);
    // A linked kata folder: never followed.
    fs.symlinkSync(path.join(REPO_ROOT, 'solutions', '02-training-data'), path.join(classDir, 'answers-by-symlink', 'katas', '02-training-data'));

    before.git = spawnSync('git', ['status', '--porcelain'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout;
    before.nodeModules = checksum(path.join(REPO_ROOT, 'node_modules'));
    before.classDir = checksum(classDir);
    const spacesBefore = namespaces();

    const classRun = grade(['--class', classDir, '--out', out, '--config', config, '--only', '01', '--jobs', '2']);
    run = await classRun;
    const exitedAt = Date.now();
    atExit = snapshot(out);
    const newSpaces = new Set([...namespaces()].filter((s) => !spacesBefore.has(s)));
    survivors = processesIn(newSpaces);
    // Classmates alone, while the reports are watched.
    const soloRuns = Object.keys(HONEST).map(async (name) => {
      const soloOut = path.join(scratch, `solo-${name}`);
      const r = await grade(['--katas', path.join(classDir, name), '--out', soloOut, '--config', config, '--only', '01']);
      expect(r.status).toBe(0);
      solo.set(name, {
        points: [...printedPoints(r.stdout).values()][0] ?? NaN,
        tests: testStatuses(fs.readFileSync(path.join(soloOut, 'results', KATA, 'results.json'), 'utf8')),
        seconds: r.seconds,
      });
    });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, exitedAt + STABLE_AFTER_EXIT_MS - Date.now())));
    afterWait = snapshot(out);
    await Promise.all(soloRuns);
    aloneRun = await grade(['--class', aloneClass, '--out', path.join(scratch, 'alone-out'), '--config', config, '--only', '01', '--jobs', '2']);
    listener.close();
    after.git = spawnSync('git', ['status', '--porcelain'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout;
    after.nodeModules = checksum(path.join(REPO_ROOT, 'node_modules'));
    after.classDir = checksum(classDir);
  }, 1_500_000);

  test('grading runs to the end, exit code 0, a line for every submission', () => {
    expect(run.stderr).not.toMatch(/grade:/);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').filter((l) => /not graded/.test(l))).toEqual([]);
    expect([...printedPoints(run.stdout).keys()].sort()).toEqual([...Object.keys(HONEST), ...IN_CLASS.map((a) => a.name)].sort());
  });

  /** The reports of one submission: every file under its report folder. */
  const reportsOf = (name: string, files: Map<string, string>) => [...files].filter(([file]) => file.startsWith(`${reportFolderOf(name)}${path.sep}`)).map(([, text]) => text);
  const reportFolderOf = (name: string) => (JSON.parse(atExit.get('manifest.json') ?? '{}') as { submissions?: { name: string; folder: string }[] }).submissions?.find((s) => s.name === name)?.folder ?? name;

  test.each(IN_CLASS.map((a) => [a.name.split('\n')[0] as string, a] as const))('%s: scores what its honest content scores alone', (_, attack) => {
    const honest = attack.honest === 'stopped' ? 0 : solo.get(attack.base === 'stub' ? 'honest-stub' : 'honest-solution')?.points;
    expect(printedPoints(run.stdout).get(attack.name)).toBe(honest);
    const reports = reportsOf(attack.name, atExit);
    if (attack.reportSays) expect(reports.some((text) => attack.reportSays?.test(text))).toBe(true);
    if (attack.reportBound) {
      const measured = reports.map((text) => attack.reportBound?.pattern.exec(text)?.[1]).find((m) => m !== undefined);
      expect(Number(measured)).toBeLessThanOrEqual(attack.reportBound.max);
    }
  });

  test("the grader's own process stays within its CPU time and memory per submission; each tests' process within its limits", () => {
    const runFile = JSON.parse(atExit.get('run.json') ?? '{}') as {
      grader: { cpuSeconds: number; peakRssMiB: number };
      timings: Record<string, { usage?: { verdictCpuSeconds: number; verdictPeakMiB: number; sandboxCpuSeconds: number } }>;
    };
    const submissions = Object.keys(HONEST).length + IN_CLASS.length;
    console.log(`grader: ${runFile.grader.cpuSeconds.toFixed(1)} s CPU, ${runFile.grader.peakRssMiB.toFixed(0)} MiB peak, for ${submissions} submissions`);
    expect(runFile.grader.cpuSeconds).toBeLessThanOrEqual(GRADER_CPU_SECONDS.fixed + GRADER_CPU_SECONDS.perSubmission * submissions);
    expect(runFile.grader.peakRssMiB).toBeLessThanOrEqual(GRADER_PEAK_MIB);
    const usages = Object.values(runFile.timings).flatMap((t) => (t.usage ? [t.usage] : []));
    const most = (key: 'verdictCpuSeconds' | 'verdictPeakMiB' | 'sandboxCpuSeconds') => Math.max(...usages.map((u) => u[key])).toFixed(1);
    console.log(`per submission at most: tests' process ${most('verdictCpuSeconds')} s CPU and ${most('verdictPeakMiB')} MiB; sandboxes ${most('sandboxCpuSeconds')} s CPU`);
    for (const [name, timing] of Object.entries(runFile.timings)) {
      if (!timing.usage) continue;
      // Within the limits, give or take what the watchdogs (every 100 and 250 ms) see late.
      expect(`${name}: ${timing.usage.verdictCpuSeconds <= LIMITS.cpu + 1 && timing.usage.verdictPeakMiB <= LIMITS.memory && timing.usage.sandboxCpuSeconds <= LIMITS.cpu + 1}`).toBe(`${name}: true`);
    }
  });

  test('a class of one staller and one honest classmate takes at most the staller\'s idle limit and a margin more than the classmate alone', () => {
    expect(aloneRun.status).toBe(0);
    for (const attack of ALONE) {
      expect(printedPoints(aloneRun.stdout).get(attack.name)).toBe(attack.honest === 'stopped' ? 0 : solo.get('honest-solution')?.points);
    }
    expect(printedPoints(aloneRun.stdout).get('honest-solution')).toBe(solo.get('honest-solution')?.points);
    const alone = solo.get('honest-solution')?.seconds ?? NaN;
    console.log(`class with a staller: ${aloneRun.seconds.toFixed(0)} s; its honest classmate alone: ${alone.toFixed(0)} s`);
    expect(aloneRun.seconds).toBeLessThanOrEqual(alone + LIMITS.idle + STALL_MARGIN_SECONDS);
  });

  test("every classmate's tests and points equal a solo run's", () => {
    for (const name of Object.keys(HONEST)) {
      expect(printedPoints(run.stdout).get(name)).toBe(solo.get(name)?.points);
      expect(testStatuses(atExit.get(path.join(name, 'results', KATA, 'results.json')) ?? '{}')).toEqual(solo.get(name)?.tests);
    }
    expect(solo.get('honest-solution')?.points).toBe(10);
    expect(solo.get('honest-stub')?.points).toBeLessThan(10);
  });

  test('the checkout, node_modules and the class folder are unchanged', () => {
    expect(after.git).toBe(before.git);
    expect(after.nodeModules).toBe(before.nodeModules);
    expect(after.classDir).toBe(before.classDir);
  });

  test('no process outlives the grader', () => {
    expect(survivors).toEqual([]);
  });

  test('the reports on disk 15 s after the grader exits are the ones it wrote, and the class summary matches what it printed', () => {
    expect([...afterWait.keys()].sort()).toEqual([...atExit.keys()].sort());
    for (const [file, content] of atExit) expect(afterWait.get(file)).toBe(content);
    for (const [file] of atExit) expect(fs.lstatSync(path.join(out, file)).isSymbolicLink()).toBe(false);
    const summary = atExit.get('class-summary.md') ?? '';
    const rows = summary.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| submission') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(Object.keys(HONEST).length + IN_CLASS.length);
    for (const [name, points] of printedPoints(run.stdout)) {
      expect(rows.filter((r) => r.endsWith(` | ${points.toFixed(1)} / 10 | ${points.toFixed(1)} |`)).length).toBeGreaterThan(0);
      if (/^[a-z-]+$/.test(name)) expect(rows.filter((r) => r.startsWith(`| ${name} |`))).toHaveLength(1);
    }
  });

  test('no canary (environment, home folder, a file the shell left open) reaches a report, though the attacks did send their loot there; the open file is unchanged', () => {
    for (const [file, content] of atExit) {
      expect(`${file}: ${content.includes(canaryEnv)}`).toBe(`${file}: false`);
      expect(`${file}: ${content.includes(canaryFile)}`).toBe(`${file}: false`);
      expect(`${file}: ${content.includes(canaryFd)}`).toBe(`${file}: false`);
    }
    expect([...atExit.values()].some((text) => text.includes('LOOT '))).toBe(true);
    expect(fs.readFileSync(openFile, 'utf8')).toBe(canaryFd);
    expect(connections).toBe(0);
  });

  test('every report parses: one test case per test, one summary row per kata, whatever the messages and names', () => {
    for (const [file, content] of atExit) {
      if (file.endsWith('junit.xml')) {
        expect(XMLValidator.validate(content)).toBe(true);
        expect(content.match(/<testcase /g)?.length).toBe(testStatuses(atExit.get(path.join(path.dirname(file), 'results', KATA, 'results.json')) ?? '{"tests":[]}').length || 1);
      }
      if (file.endsWith('summary.md') && file !== 'class-summary.md') {
        expect(content.split('\n').filter((l) => l.startsWith('| 0')).length).toBe(1);
      }
      if (file.endsWith('results.json')) expect(() => JSON.parse(content)).not.toThrow();
      expect(`${file}: ${Buffer.byteLength(content) <= MAX_REPORT_BYTES}`).toBe(`${file}: true`);
    }
  });
});
