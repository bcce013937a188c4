/**
 * `npm run gallery`: one HTML page, plots/index.html, with for each kata your
 * latest plot beside the reference baseline and, when they differ, where
 * (plot-difference.ts), side by side; the animation of the training where a
 * kata's test records one, next; and the checked metrics against their
 * bounds. Run the tests first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { describeMeasured, formatMetric, type MetricRecord, outsideMeasured, readMetricRecords } from '../../lib/metric-records';
import { plotsDir, readStalePlots, REPO_ROOT } from '../../lib/plot-files';
import { listKatas } from '../shared/kata-list';
import { plotDifference } from './plot-difference';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function figure(caption: string, src: string | undefined, missing: string): string {
  return src
    ? `<figure><a href="${escape(src)}"><img src="${escape(src)}" alt="${escape(caption)}"></a><figcaption>${escape(caption)}</figcaption></figure>`
    : `<figure class="missing"><div>${escape(missing)}</div><figcaption>${escape(caption)}</figcaption></figure>`;
}

/** The difference image of your plot against the reference, written to <dir>/gallery/, as a figure, or a note when there is none. */
function differenceFigure(dir: string, kata: string, yoursFile: string, referenceFile: string): { figure?: string; note?: string } {
  const difference = plotDifference(referenceFile, yoursFile);
  if (!difference) return { note: 'Your plot and the reference differ in size.' };
  if (difference.differing === 0) return { note: 'Your plot matches the reference pixel for pixel.' };
  const file = path.join(dir, 'gallery', `${kata}-difference.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, difference.png);
  const share = ((100 * difference.differing) / difference.total).toFixed(2);
  return {
    figure: figure(
      `difference: ${difference.differing} pixels (${share}%); red: ink only in yours, blue: ink only in the reference`,
      path.relative(dir, file).split(path.sep).join('/'),
      '',
    ),
  };
}

/** A checked metric: its value, bounds and verdict, and a note when it passes outside the range valid recipes measured. */
function metricRow(m: MetricRecord): string {
  const verdict = !m.pass ? 'OUTSIDE' : outsideMeasured(m) ? escape(describeMeasured(m)) : 'within';
  const kind = !m.pass ? 'fail' : outsideMeasured(m) ? 'unusual' : 'pass';
  return `<tr class="${kind}"><td>${escape(m.name)}</td><td>${formatMetric(m.value)}</td><td>[${formatMetric(m.low)}, ${formatMetric(m.high)}]</td><td>${verdict}</td></tr>`;
}

export function buildGallery(dir: string, baselineDir = path.join(REPO_ROOT, 'test', 'baselines')): string {
  const sections = listKatas().map((kata) => {
    const rel = (file: string) => (fs.existsSync(file) ? path.relative(dir, file).split(path.sep).join('/') : undefined);
    const yoursFile = path.join(dir, `${kata.folder}.png`);
    const referenceFile = path.join(baselineDir, `${kata.folder}.png`);
    const yours = rel(yoursFile);
    const reference = rel(referenceFile);
    const animation = rel(path.join(dir, `${kata.folder}-training.gif`));
    const rows = readMetricRecords(dir, kata.folder).map(metricRow).join('\n');
    // Plot files the last run did not write (it ran with -t, or failed before drawing) are marked as such.
    const stale = new Map((readStalePlots(dir, kata.folder)?.stale ?? []).map((s) => [s.file, s.writtenAt]));
    const freshness = (file: string) => (stale.has(file) ? ` (not refreshed by the last run: from ${stale.get(file)})` : '');
    const difference = yours && reference ? differenceFigure(dir, kata.folder, yoursFile, referenceFile) : {};
    return `<section id="${kata.folder}">
<h2>${escape(kata.folder)}</h2>
<div class="figures">
${figure('reference', reference, 'no baseline')}
${figure(`your plot${freshness(`${kata.folder}.png`)}`, yours, 'not drawn yet: run npm test -- ' + kata.number)}
${difference.figure ?? ''}
${animation ? figure(`watch it learn: your training, epoch by epoch${freshness(`${kata.folder}-training.gif`)}`, animation, '') : ''}
</div>
${difference.note ? `<p class="note">${escape(difference.note)}</p>` : ''}
${rows ? `<table><thead><tr><th>metric</th><th>value</th><th>bounds</th><th></th></tr></thead><tbody>\n${rows}\n</tbody></table>` : '<p class="note">No metrics recorded yet.</p>'}
</section>`;
  });
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Plot gallery: why can't my neural network learn x²?</title>
<style>
body { font-family: sans-serif; margin: 2rem; color: #222; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; flex: 1 1 30%; min-width: 380px; max-width: 32%; }
figure img { width: 100%; border: 1px solid #ccc; image-rendering: auto; }
figure.missing div { aspect-ratio: 8 / 5; display: flex; align-items: center; justify-content: center; background: #f4f4f4; color: #777; }
table { border-collapse: collapse; margin: 1rem 0 2rem; }
td, th { border: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: left; }
tr.fail td { background: #fde2e1; }
tr.unusual td { background: #fff4d6; }
.note { color: #777; }
</style></head>
<body><h1>Plot gallery</h1>
<p>Your latest plots beside the references; click an image for full size. Regenerate with <code>npm test</code> then <code>npm run gallery</code>.</p>
${sections.join('\n')}
</body></html>
`;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'index.html');
  fs.writeFileSync(file, html);
  return file;
}

if (require.main === module) {
  const options = new Command()
    .name('gallery')
    .description('Write plots/index.html: your plots, the references, where they differ, animations and metrics')
    .option('--plots <folder>', 'the plots folder', plotsDir())
    .parse()
    .opts<{ plots: string }>();
  console.log(`Gallery: ${path.relative(process.cwd(), buildGallery(path.resolve(options.plots)))}`);
}
