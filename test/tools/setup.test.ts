/**
 * .ci/setup.sh on a machine where node-canvas must be built: the first npm
 * install fails (no Cairo), the script installs the system packages and
 * tries again. The newcomer sees one line on what is installed and why, not
 * the first attempt's errors, unless the second attempt fails too.
 * npm, pkg-config and apt-get are stand-ins on PATH; nothing is installed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../lib/plot-files';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'setup-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A bin folder of stand-ins; npm fails its first `failures` calls with node-gyp's kind of output. */
function standIns(name: string, failures: number): string {
  const bin = path.join(scratch, name);
  fs.mkdirSync(bin);
  const script = (file: string, body: string) => fs.writeFileSync(path.join(bin, file), `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
  script('npm', `count=$(cat "${bin}/npm-calls" 2>/dev/null || echo 0); echo $((count + 1)) > "${bin}/npm-calls"
echo "npm $*" >> "${bin}/log"
if [ "$count" -lt ${failures} ]; then echo "gyp ERR! build error: Package pangocairo was not found (call $((count + 1)))" >&2; exit 1; fi
echo "added 512 packages"`);
  script('pkg-config', 'exit 1');
  script('apt-get', `echo "apt-get $*" >> "${bin}/log"`);
  return bin;
}

function setup(bin: string) {
  return spawnSync('bash', [path.join(REPO_ROOT, '.ci', 'setup.sh')], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
}

test('the expected first failure stays out of sight; one line says what is installed and why', () => {
  const bin = standIns('recovers', 1);
  const run = setup(bin);
  const out = `${run.stdout}${run.stderr}`;
  expect(run.status).toBe(0);
  expect(out).not.toMatch(/gyp ERR!/);
  expect(out).toMatch(/setup: installing Cairo and Pango development packages with apt-get: node-canvas, which draws the plots, has no prebuilt binary/);
  expect(out).toMatch(/setup: done\./);
  expect(fs.readFileSync(path.join(bin, 'log'), 'utf8')).toMatch(/npm install[^\n]*\napt-get update[^\n]*\napt-get install [^\n]*libcairo2-dev[^\n]*\nnpm install/);
});

test('when the second attempt fails too, both attempts\' errors are shown', () => {
  const run = setup(standIns('fails', 2));
  expect(run.status).not.toBe(0);
  expect(run.stderr).toMatch(/gyp ERR! build error: Package pangocairo was not found \(call 2\)/);
  expect(run.stderr).toMatch(/the first install attempt, before the system packages, said:\ngyp ERR! build error: Package pangocairo was not found \(call 1\)/);
});
