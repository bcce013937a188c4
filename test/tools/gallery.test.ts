/**
 * The plot gallery in a real browser: Debian's chromium driven by
 * playwright-core (a maintainer-only package: npm run setup:maintainer). Every image on the page must load. The screenshot is kept
 * as a test artifact in plots/gallery-screenshot.png.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCanvas, loadImage } from 'canvas';
import { encodeGif } from '../../lib/animation';
import { plotFrames } from '../../lib/plot';
import { decodeMetricRecords, encodeMetricRecords, type MetricRecord, metricsFile, readMetricRecords } from '../../lib/metric-records';
import { plotsDir, readStalePlots, REPO_ROOT } from '../../lib/plot-files';
import { buildGallery } from '../../tools/learner/gallery';
import { plotDifference } from '../../tools/learner/plot-difference';
import { requireExtra } from '../../tools/maintainer/extras';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** What this test uses of playwright-core, whose own types come with the package (a maintainer-only install). */
interface Playwright {
  chromium: { launch(options: { executablePath: string; args: string[] }): Promise<Browser> };
}
interface Browser {
  newPage(options: { viewport: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}
/** The elements $$eval hands its function, in the browser. */
interface PageElement {
  getAttribute(name: string): string | null;
  textContent: string | null;
  complete: boolean;
  naturalWidth: number;
}
interface Page {
  goto(url: string): Promise<unknown>;
  $$eval<R>(selector: string, inBrowser: (elements: PageElement[]) => R): Promise<R>;
  locator(selector: string, options?: { hasText?: string | RegExp }): { count(): Promise<number>; innerText(): Promise<string> };
  screenshot(options: { path: string; fullPage: boolean }): Promise<unknown>;
}
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gallery-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('the metrics log keeps NaN and ±Infinity as they are', () => {
  const records: MetricRecord[] = [
    { test: 't', name: 'diverged loss', value: NaN, low: 0, high: 10, pass: false },
    { test: 't', name: 'open bounds', value: -Infinity, low: -Infinity, high: Infinity, pass: true },
  ];
  const json = encodeMetricRecords(records);
  expect(json).toContain('"value": "NaN"');
  expect(json).toContain('"high": "Infinity"');
  expect(decodeMetricRecords(json)).toEqual(records);
});

test('after a run, the values that pass outside the range measured on valid recipes are listed', () => {
  const dir = fs.mkdtempSync(path.join(scratch, 'measured-'));
  const task6 = 'kata 03: a deep ReLU network approximates x² inside its training range task 6: the same network learns x² on [-10, 10] better';
  fs.mkdirSync(path.join(dir, 'metrics'), { recursive: true });
  fs.writeFileSync(
    metricsFile(dir, '03-deep-relu'),
    encodeMetricRecords([
      { test: task6, name: 'RMSE ratio few / many examples', value: 27.7, low: 10, high: Infinity, pass: true, measured: [49, 149], measuredOver: 'four recipes' },
      { test: task6, name: 'fine-grid RMSE of the 10,000-example network', value: 0.3, low: 0, high: 3, pass: true, measured: [0.16, 0.56], measuredOver: 'four recipes' },
    ]),
  );
  const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', "require('./test/support/global-teardown.ts').default()"], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, KATA_PLOTS_DIR: dir, KATA_RUN_STARTED: '0' },
  });
  expect(run.stdout).toMatch(/03-deep-relu, task 6: RMSE ratio few \/ many examples = 27\.7: passes; outside the range measured on valid recipes \(49 to 149: four recipes\)/);
  expect(run.stdout).not.toContain('fine-grid RMSE');
});

/** Your plot with one extra stroke, as a learner's plot that differs from the reference. */
async function withExtraLine(file: string): Promise<void> {
  const image = await loadImage(file);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  ctx.strokeStyle = '#D55E00';
  ctx.lineWidth = 2.5;
  ctx.beginPath();
  ctx.moveTo(100, 300);
  ctx.lineTo(700, 250);
  ctx.stroke();
  fs.writeFileSync(file, canvas.toBuffer('image/png'));
}

test('the difference image shows exactly the pixels that differ, unblurred', async () => {
  const yours = path.join(scratch, 'differs.png');
  fs.copyFileSync(path.join(REPO_ROOT, 'test', 'baselines', '01-linear-model.png'), yours);
  expect(plotDifference(path.join(REPO_ROOT, 'test', 'baselines', '01-linear-model.png'), yours)?.differing).toBe(0);
  await withExtraLine(yours);
  const difference = plotDifference(path.join(REPO_ROOT, 'test', 'baselines', '01-linear-model.png'), yours);
  // A 600 px stroke 2.5 px wide, minus where it crosses ink of the same colour: a few hundred to a few thousand pixels.
  expect(difference?.differing).toBeGreaterThan(600);
  expect(difference?.differing).toBeLessThan(4000);
});

test('the gallery shows every kata, and every image on it loads in chromium', async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No browser at ${CHROMIUM}: apt-get install chromium (bash .ci/run does), or set CHROMIUM_PATH.`);
  const { chromium } = requireExtra<Playwright>('playwright-core', "The gallery's browser test");
  // Plots and metrics from a real run of two katas against the solutions, into a scratch plots folder.
  const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--ci', 'test/01-', 'test/06-'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, KATA_TREE: 'solutions', KATA_PLOTS_DIR: scratch },
  });
  expect(run.status).toBe(0);
  // A run of kata 06 filtered with -t draws no plot: its plot from the first run is marked stale, its stale diff image removed.
  const diff = path.join(scratch, '__diff_output__', '06-right-feature-diff.png');
  fs.mkdirSync(path.dirname(diff), { recursive: true });
  fs.writeFileSync(diff, 'an old diff');
  fs.utimesSync(diff, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  const filtered = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--ci', 'test/06-', '-t', 'task 1:'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, KATA_TREE: 'solutions', KATA_PLOTS_DIR: scratch, KATA_TYPECHECK: '0' },
  });
  expect(filtered.status).toBe(0);
  expect(readStalePlots(scratch, '06-right-feature')?.stale.map((s) => s.file)).toEqual(['06-right-feature.png']);
  expect(fs.existsSync(diff)).toBe(false);
  // Kata 06's plot differs from its reference; kata 01 has a metric that came out NaN, and one that passes outside its measured range.
  await withExtraLine(path.join(scratch, '06-right-feature.png'));
  const records = readMetricRecords(scratch, '01-linear-model');
  expect(records.length).toBeGreaterThan(0);
  records.push({ test: 'kata 01', name: 'a diverged loss', value: NaN, low: 0, high: Infinity, pass: false });
  records.push({ test: 'kata 01', name: 'an unusual ratio', value: 27.7, low: 10, high: Infinity, pass: true, measured: [49, 149], measuredOver: 'four recipes' });
  fs.writeFileSync(metricsFile(scratch, '01-linear-model'), encodeMetricRecords(records));
  // Kata 01's training animation, as its test writes it when it records one (test/support/animate.ts).
  const animation = path.join(scratch, '01-linear-model-training.gif');
  if (!fs.existsSync(animation)) {
    const frame = (caption: string) => plotFrames({ title: 't', xLabel: 'x', yLabel: 'y', series: [], xRange: [0, 1], yRange: [0, 1] }, [0, 1], [{ label: 'network', colour: '#D55E00' }]).frame([[0, 1]], caption);
    fs.writeFileSync(animation, encodeGif([frame('epoch 0'), frame('epoch 1')], { frameMs: 100, lastFrameMs: 100 }));
  }
  const page = buildGallery(scratch);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const tab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await tab.goto(pathToFileURL(page).href);
    const images = await tab.$$eval('img', (list) => list.map((img) => ({ src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0 })));
    // Kata 01 and 06: yours and the reference; kata 06 also where they differ; the other katas: references only.
    expect(images.length).toBeGreaterThanOrEqual(2 + 3 + 4);
    expect(images.map((i) => i.src)).toContain('gallery/06-right-feature-difference.png');
    expect(images.map((i) => i.src)).toContain('01-linear-model-training.gif');
    expect(await tab.locator('[id="06-right-feature"] figcaption', { hasText: /difference: \d+ pixels/ }).count()).toBe(1);
    expect(await tab.locator('[id="01-linear-model"] tr.fail', { hasText: 'a diverged loss' }).innerText()).toMatch(/a diverged loss\s+NaN\s+\[0, ∞\]\s+OUTSIDE/);
    expect(await tab.locator('[id="01-linear-model"] tr.unusual', { hasText: 'an unusual ratio' }).innerText()).toMatch(/27\.7\s+\[10, ∞\]\s+passes; outside the range measured on valid recipes \(49 to 149: four recipes\)/);
    expect(await tab.locator('[id="06-right-feature"] figcaption', { hasText: /your plot \(not refreshed by the last run: from / }).count()).toBe(1);
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
