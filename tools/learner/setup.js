#!/usr/bin/env node
'use strict';
/**
 * `npm run setup`: installs what the katas need, on Linux, macOS and Windows.
 * Plain JavaScript with no dependencies: it runs before anything is installed.
 *   node tools/learner/setup.js          npm ci in a fresh clone, npm install once node_modules exists
 *   node tools/learner/setup.js --ci     npm ci (CI: exactly the lock file)
 *
 * node-canvas (the plots) installs a prebuilt binary when one exists for this
 * machine and can be downloaded; otherwise npm builds it from source, which
 * needs Cairo and Pango. When neither is there (no prebuilt binary reachable,
 * and pkg-config finds no Cairo or Pango), the install would fail: on Debian
 * and Ubuntu this installs them with apt-get first; elsewhere it prints the
 * platform's one-line command and stops. After the install it checks that
 * node-canvas loads (on Debian and Ubuntu, installing the packages and
 * rebuilding it if not), and says which TensorFlow.js backend will run.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const CI = process.argv.includes('--ci');

/** Debian's and Ubuntu's packages that node-canvas builds against. */
const APT_PACKAGES = ['build-essential', 'pkg-config', 'libcairo2-dev', 'libpango1.0-dev', 'libjpeg-dev', 'libgif-dev', 'librsvg2-dev'];
/** node-canvas' own instructions (https://github.com/Automattic/node-canvas#compiling), one line per platform. */
const OTHER_COMMANDS = {
  darwin: 'brew install pkg-config cairo pango libpng jpeg giflib librsvg pixman python-setuptools',
  fedora: 'sudo dnf install gcc-c++ cairo-devel pango-devel libjpeg-turbo-devel giflib-devel librsvg2-devel',
  alpine: 'sudo apk add build-base g++ cairo-dev pango-dev jpeg-dev giflib-dev librsvg-dev',
  win32: 'see https://github.com/Automattic/node-canvas/wiki/Installation:-Windows (node-canvas ships a prebuilt binary for Windows x64)',
  other: 'install Cairo and Pango with their development files (https://github.com/Automattic/node-canvas#compiling)',
};

const say = (line) => console.log(`setup: ${line}`);
const fail = (line) => {
  console.error(`setup: ${line}`);
  process.exit(1);
};

/** The Linux distribution's ID and ID_LIKE (/etc/os-release), e.g. ['ubuntu', 'debian']. */
function linuxIds() {
  if (process.platform !== 'linux') return [];
  try {
    // KATA_SETUP_OS_RELEASE: another os-release file (test/tools/setup.test.ts plays other distributions).
    const text = fs.readFileSync(process.env.KATA_SETUP_OS_RELEASE || '/etc/os-release', 'utf8');
    const field = (name) => (new RegExp(`^${name}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1] ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    return [...field('ID'), ...field('ID_LIKE')];
  } catch {
    return [];
  }
}

const isDebianLike = () => linuxIds().some((id) => id === 'debian' || id === 'ubuntu');

/** The one-line command that installs Cairo and Pango here. */
function systemPackagesCommand() {
  if (isDebianLike()) return `sudo apt-get install -y ${APT_PACKAGES.join(' ')}`;
  if (process.platform === 'darwin' || process.platform === 'win32') return OTHER_COMMANDS[process.platform];
  const ids = linuxIds();
  if (ids.some((id) => ['fedora', 'rhel', 'centos'].includes(id))) return OTHER_COMMANDS.fedora;
  if (ids.includes('alpine')) return OTHER_COMMANDS.alpine;
  return OTHER_COMMANDS.other;
}

/** Runs a command with the output shown; returns its exit status. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.error) return fail(`could not run ${command}: ${result.error.message}`);
  return result.status ?? 1;
}

/** npm itself: the npm that runs this script (npm run setup), else the one on the PATH. */
function npm(args, options = {}) {
  const cli = process.env.npm_execpath;
  if (cli && /\.(c?js)$/.test(cli)) return run(process.execPath, [cli, ...args], options);
  // npm.cmd on Windows is a batch file: Node runs it only through the shell.
  return run('npm', args, { ...options, shell: process.platform === 'win32' });
}

function canvasLoads() {
  return spawnSync(process.execPath, ['-e', "require('canvas')"], { cwd: ROOT, stdio: 'ignore' }).status === 0;
}

/** Does pkg-config find Cairo and Pango (what a from-source build of node-canvas needs)? */
function cairoAndPangoFound() {
  const result = spawnSync('pkg-config', ['--exists', 'cairo', 'pangocairo'], { stdio: 'ignore', shell: false });
  return !result.error && result.status === 0;
}

/** The version of node-canvas the lock file installs. */
function lockedCanvasVersion() {
  try {
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
    return lock.packages?.['node_modules/canvas']?.version;
  } catch {
    return undefined;
  }
}

/**
 * The prebuilt binary prebuild-install would download for this machine
 * (its URL template: {name}-v{version}-napi-v{napi}-{platform}{libc}-{arch}.tar.gz).
 */
function prebuiltUrl(version) {
  // KATA_SETUP_PREBUILT_URL: where to look instead (a mirror, or the tests' stand-in).
  if (process.env.KATA_SETUP_PREBUILT_URL) return process.env.KATA_SETUP_PREBUILT_URL;
  let libc = '';
  if (process.platform === 'linux') {
    const report = process.report?.getReport?.();
    libc = report?.header?.glibcVersionRuntime ? '' : 'musl';
  }
  return `https://github.com/Automattic/node-canvas/releases/download/v${version}/canvas-v${version}-napi-v7-${process.platform}${libc}-${process.arch}.tar.gz`;
}

/** Does the prebuilt binary exist and answer within a few seconds? (a HEAD request; redirects mean yes) */
function reachable(url, timeoutMs = 6000) {
  return new Promise((resolve) => {
    const request = (url.startsWith('http:') ? http : https).request(url, { method: 'HEAD', timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode !== undefined && response.statusCode < 400);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
    request.end();
  });
}

function installSystemPackages(why) {
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  say(`installing Cairo and Pango development packages with apt-get: ${why} (${APT_PACKAGES.join(' ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => (sudo.length ? run('sudo', ['apt-get', ...args], { env }) : run('apt-get', args, { env }));
  if (apt(['update', '-qq']) !== 0 || apt(['install', '-y', '-qq', '--no-install-recommends', ...APT_PACKAGES]) !== 0) {
    fail(`apt-get could not install them. Install them yourself, then run npm run setup again:\n  ${systemPackagesCommand()}`);
  }
}

async function main() {
  const [major] = process.versions.node.split('.').map(Number);
  if (major < 20) fail(`Node.js 20 or newer is needed; this is ${process.versions.node} (https://nodejs.org).`);

  const version = lockedCanvasVersion();
  const needsBuild = !cairoAndPangoFound() && !(version && (await reachable(prebuiltUrl(version))));
  if (needsBuild) {
    const why = 'node-canvas, which draws the plots, has no prebuilt binary that can be downloaded for this machine and must be built';
    if (isDebianLike()) installSystemPackages(why);
    else fail(`${why}, which needs Cairo and Pango. Install them, then run npm run setup again:\n  ${systemPackagesCommand()}`);
  }

  // A fresh clone installs exactly the lock file (npm ci): faster than npm install, which asks the registry about every package.
  const fresh = !fs.existsSync(path.join(ROOT, 'node_modules')) && fs.existsSync(path.join(ROOT, 'package-lock.json'));
  const command = CI || fresh ? 'ci' : 'install';
  say(`installing the npm packages (TensorFlow.js, jest, node-canvas for the plots) with npm ${command}...`);
  // A from-source build of node-canvas compiles on every core (node-gyp reads JOBS).
  if (npm([command, '--no-audit', '--no-fund'], { env: { ...process.env, JOBS: process.env.JOBS || 'max' } }) !== 0) {
    fail(`npm could not install the packages (see above). If node-canvas failed to build, install Cairo and Pango:\n  ${systemPackagesCommand()}`);
  }

  if (!canvasLoads()) {
    const why = 'node-canvas, which draws the plots, was installed but does not load';
    if (!isDebianLike()) fail(`${why}. Install Cairo and Pango, then run npm run setup again:\n  ${systemPackagesCommand()}`);
    installSystemPackages(why);
    if (npm(['rebuild', 'canvas']) !== 0 || !canvasLoads()) fail('node-canvas still does not load (see above).');
  }

  const backend = spawnSync(process.execPath, ['-e', "const b = require('./lib/load-tf'); console.log(b.describeBackend(b.loadTf().choice))"], { cwd: ROOT, encoding: 'utf8' });
  if (backend.status !== 0) fail(`TensorFlow.js does not load:\n${backend.stderr}`);
  say(`done. ${backend.stdout.trim()}`);
}

main().catch((error) => fail(error instanceof Error ? error.stack ?? error.message : String(error)));
