/**
 * `npm run setup` (tools/learner/setup.js) on machines where node-canvas has
 * no prebuilt binary to download and Cairo and Pango are missing: on Debian
 * and Ubuntu it installs them with apt-get BEFORE npm, so that no npm install
 * fails first; elsewhere it prints the platform's one-line command and stops.
 * Where the prebuilt binary can be downloaded, nothing is installed beside npm's
 * packages. npm, pkg-config, apt-get and sudo are stand-ins on PATH, the prebuilt
 * binary's server a local one; nothing is installed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/plot-files';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'setup-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const SETUP = path.join(REPO_ROOT, 'tools', 'learner', 'setup.js');
/** A port nothing listens on: the prebuilt binary cannot be downloaded. */
const UNREACHABLE = 'http://127.0.0.1:9/canvas.tar.gz';

/** A bin folder of stand-ins; npm fails its first `npmFailures` calls with node-gyp's kind of output. */
function standIns(name: string, npmFailures = 0): string {
  const bin = path.join(scratch, name);
  fs.mkdirSync(bin);
  const script = (file: string, body: string) => fs.writeFileSync(path.join(bin, file), `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
  script('npm', `count=$(cat "${bin}/npm-calls" 2>/dev/null || echo 0); echo $((count + 1)) > "${bin}/npm-calls"
echo "npm $*" >> "${bin}/log"
if [ "$count" -lt ${npmFailures} ]; then echo "gyp ERR! build error: Package pangocairo was not found (call $((count + 1)))" >&2; exit 1; fi
echo "added 512 packages"`);
  script('pkg-config', 'exit 1');
  script('apt-get', `echo "apt-get $*" >> "${bin}/log"`);
  script('sudo', '"$@"');
  return bin;
}

function osRelease(id: string, like = ''): string {
  const file = path.join(scratch, `os-release-${id}`);
  fs.writeFileSync(file, `ID=${id}\n${like ? `ID_LIKE="${like}"\n` : ''}`);
  return file;
}

/** Runs the installer (asynchronously: the local server must answer meanwhile). */
function setup(bin: string, env: Record<string, string>, args: string[] = []): Promise<{ status: number | null; out: string; log: string }> {
  const child = spawn(process.execPath, [SETUP, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, npm_execpath: '', ...env },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve) =>
    child.on('close', (status) => {
      const logFile = path.join(bin, 'log');
      resolve({ status, out, log: fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '' });
    }),
  );
}

const linuxOnly = process.platform === 'linux' ? test : test.skip;

linuxOnly('Debian without Cairo and no prebuilt binary: apt-get first, then one npm install that works; one line says why', async () => {
  const bin = standIns('debian');
  const run = await setup(bin, { KATA_SETUP_OS_RELEASE: osRelease('debian'), KATA_SETUP_PREBUILT_URL: UNREACHABLE });
  expect(run.status).toBe(0);
  expect(run.out).toMatch(/setup: installing Cairo and Pango development packages with apt-get: node-canvas, which draws the plots, has no prebuilt binary that can be downloaded for this machine/);
  expect(run.log).toMatch(/^apt-get update[^\n]*\napt-get install [^\n]*libcairo2-dev[^\n]*\nnpm install --no-audit --no-fund\n$/);
  expect(run.out).not.toMatch(/gyp ERR!/);
  expect(run.out).toMatch(/setup: done\. TensorFlow\.js backend: /);
});

linuxOnly('Ubuntu (ID_LIKE debian) in CI: the same, with npm ci', async () => {
  const bin = standIns('ubuntu');
  const run = await setup(bin, { KATA_SETUP_OS_RELEASE: osRelease('ubuntu', 'debian'), KATA_SETUP_PREBUILT_URL: UNREACHABLE }, ['--ci']);
  expect(run.status).toBe(0);
  expect(run.log).toMatch(/^apt-get update[^\n]*\napt-get install [^\n]*\nnpm ci --no-audit --no-fund\n$/);
});

linuxOnly('where the prebuilt binary can be downloaded, no system package is installed', async () => {
  const server = http.createServer((_, response) => response.writeHead(302, { location: 'https://example.org/' }).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const bin = standIns('prebuilt');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/canvas.tar.gz`;
    const run = await setup(bin, { KATA_SETUP_OS_RELEASE: osRelease('debian'), KATA_SETUP_PREBUILT_URL: url });
    expect(run.status).toBe(0);
    expect(run.log).toBe('npm install --no-audit --no-fund\n');
  } finally {
    server.close();
  }
});

linuxOnly('another Linux without Cairo: the one-line command for it, and no install that must fail', async () => {
  const bin = standIns('fedora');
  const run = await setup(bin, { KATA_SETUP_OS_RELEASE: osRelease('fedora'), KATA_SETUP_PREBUILT_URL: UNREACHABLE });
  expect(run.status).toBe(1);
  expect(run.out).toMatch(/needs Cairo and Pango\. Install them, then run npm run setup again:\n\s+sudo dnf install gcc-c\+\+ cairo-devel pango-devel/);
  expect(run.log).toBe('');
});

linuxOnly('when npm fails even so, the error is shown with what to install', async () => {
  const bin = standIns('npm-fails', 1);
  const run = await setup(bin, { KATA_SETUP_OS_RELEASE: osRelease('debian'), KATA_SETUP_PREBUILT_URL: UNREACHABLE });
  expect(run.status).toBe(1);
  expect(run.out).toMatch(/gyp ERR! build error: Package pangocairo was not found \(call 1\)/);
  expect(run.out).toMatch(/setup: npm could not install the packages \(see above\)\. If node-canvas failed to build, install Cairo and Pango:\n\s+sudo apt-get install -y build-essential/);
});

test('the installer is plain JavaScript that needs nothing installed: only Node.js built-ins', () => {
  const source = fs.readFileSync(SETUP, 'utf8');
  // Its own requires (the child processes it starts load canvas and lib/load-tf.js once npm has installed them).
  const required = [...source.matchAll(/^const [^=]+= require\('([^']+)'\)/gm)].map((m) => m[1]);
  expect(required.length).toBeGreaterThan(0);
  expect(required.filter((name) => !name?.startsWith('node:'))).toEqual([]);
});

linuxOnly('a fresh clone (no node_modules yet) installs exactly the lock file, with npm ci', async () => {
  const clone = path.join(scratch, 'fresh-clone');
  fs.mkdirSync(path.join(clone, 'tools', 'learner'), { recursive: true });
  fs.copyFileSync(SETUP, path.join(clone, 'tools', 'learner', 'setup.js'));
  fs.copyFileSync(path.join(REPO_ROOT, 'package-lock.json'), path.join(clone, 'package-lock.json'));
  const bin = standIns('fresh');
  const child = spawn(process.execPath, [path.join(clone, 'tools', 'learner', 'setup.js')], {
    cwd: clone,
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, npm_execpath: '', KATA_SETUP_OS_RELEASE: osRelease('debian'), KATA_SETUP_PREBUILT_URL: UNREACHABLE },
    stdio: 'ignore',
  });
  await new Promise((resolve) => child.on('close', resolve));
  // (The stand-in npm installs nothing, so the run ends at node-canvas; the first install is what counts here.)
  expect(fs.readFileSync(path.join(bin, 'log'), 'utf8')).toMatch(/^apt-get update[^\n]*\napt-get install [^\n]*\nnpm ci --no-audit --no-fund\n/);
});
