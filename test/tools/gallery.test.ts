/**
 * The plot gallery in a real browser: Debian's chromium driven by
 * playwright-core. Every image on the page must load. The screenshot is kept
 * as a test artifact in plots/gallery-screenshot.png.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { plotsDir, REPO_ROOT } from '../../lib/plot-files';
import { buildGallery } from '../../lib/tools/gallery';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('the gallery shows every kata, and every image on it loads in chromium', async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: apt-get install chromium (bash .ci/run does), or set CHROMIUM_PATH.`);
  // Plots and metrics from a real run of two katas against the solutions, into a scratch plots folder.
  const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--ci', 'test/01-', 'test/06-'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, KATA_TREE: 'solutions', KATA_PLOTS_DIR: scratch },
  });
  expect(run.status).toBe(0);
  // A diff image, as a failed comparison leaves one.
  fs.mkdirSync(path.join(scratch, '__diff_output__'), { recursive: true });
  fs.copyFileSync(path.join(scratch, '06-right-feature.png'), path.join(scratch, '__diff_output__', '06-right-feature-diff.png'));
  const page = buildGallery(scratch);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const tab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await tab.goto(pathToFileURL(page).href);
    const images = await tab.$$eval('img', (list) => list.map((img) => ({ src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0 })));
    // Kata 01 and 06: yours and the reference; kata 06 also its diff; the other katas: references only.
    expect(images.length).toBeGreaterThanOrEqual(2 + 3 + 4);
    expect(images.filter((i) => !i.loaded)).toEqual([]);
    const sections = await tab.$$eval('section h2', (list) => list.map((h) => h.textContent));
    expect(sections).toEqual(fs.readdirSync(path.join(REPO_ROOT, 'katas')).filter((f) => /^\d\d-/.test(f)).sort());
    expect(await tab.locator('[id="01-linear-model"] tr.pass').count()).toBeGreaterThan(0);
    fs.mkdirSync(plotsDir(), { recursive: true });
    await tab.screenshot({ path: path.join(plotsDir(), 'gallery-screenshot.png'), fullPage: false });
  } finally {
    await browser.close();
  }
});
