/**
 * `npm run gallery`: one HTML page, plots/index.html, with for each kata your
 * latest plot, the reference baseline, the diff image when a comparison failed,
 * and the checked metrics against their bounds. Run the tests first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { plotsDir, REPO_ROOT } from '../plot-files';
import { listKatas } from './kata-list';

interface MetricRecord {
  test: string;
  name: string;
  value: number;
  low: number | null;
  high: number | null;
  pass: boolean;
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const number = (v: number | null) => (v === null ? '∞' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(Number(v.toPrecision(5))));

function figure(caption: string, src: string | undefined, missing: string): string {
  return src
    ? `<figure><img src="${escape(src)}" alt="${escape(caption)}"><figcaption>${escape(caption)}</figcaption></figure>`
    : `<figure class="missing"><div>${escape(missing)}</div><figcaption>${escape(caption)}</figcaption></figure>`;
}

export function buildGallery(dir: string, baselineDir = path.join(REPO_ROOT, 'test', 'baselines')): string {
  const sections = listKatas().map((kata) => {
    const rel = (file: string) => (fs.existsSync(file) ? path.relative(dir, file).split(path.sep).join('/') : undefined);
    const yours = rel(path.join(dir, `${kata.folder}.png`));
    const reference = rel(path.join(baselineDir, `${kata.folder}.png`));
    const diff = rel(path.join(dir, '__diff_output__', `${kata.folder}-diff.png`));
    const metricsFile = path.join(dir, 'metrics', `${kata.folder}.json`);
    const metrics = fs.existsSync(metricsFile) ? (JSON.parse(fs.readFileSync(metricsFile, 'utf8')) as MetricRecord[]) : [];
    const rows = metrics
      .map((m) => `<tr class="${m.pass ? 'pass' : 'fail'}"><td>${escape(m.name)}</td><td>${number(m.value)}</td><td>[${number(m.low)}, ${number(m.high)}]</td><td>${m.pass ? 'within' : 'OUTSIDE'}</td></tr>`)
      .join('\n');
    return `<section id="${kata.folder}">
<h2>${escape(kata.folder)}</h2>
<div class="figures">
${figure('your plot', yours, 'not drawn yet: run npm test -- ' + kata.number)}
${figure('reference', reference, 'no baseline')}
${diff ? figure('difference (reference | diff | yours)', diff, '') : ''}
</div>
${rows ? `<table><thead><tr><th>metric</th><th>value</th><th>bounds</th><th></th></tr></thead><tbody>\n${rows}\n</tbody></table>` : '<p class="note">No metrics recorded yet.</p>'}
</section>`;
  });
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Plot gallery: why can't my neural network learn x²?</title>
<style>
body { font-family: sans-serif; margin: 2rem; color: #222; }
.figures { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; max-width: 48%; }
figure img { max-width: 100%; border: 1px solid #ccc; }
figure.missing div { width: 400px; height: 250px; display: flex; align-items: center; justify-content: center; background: #f4f4f4; color: #777; }
table { border-collapse: collapse; margin: 1rem 0 2rem; }
td, th { border: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: left; }
tr.fail td { background: #fde2e1; }
.note { color: #777; }
</style></head>
<body><h1>Plot gallery</h1>
<p>Your latest plots beside the references. Regenerate with <code>npm test</code> then <code>npm run gallery</code>.</p>
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
    .description('Write plots/index.html: your plots, the references, diffs and metrics')
    .option('--plots <folder>', 'the plots folder', plotsDir())
    .parse()
    .opts<{ plots: string }>();
  console.log(`Gallery: ${path.relative(process.cwd(), buildGallery(path.resolve(options.plots)))}`);
}
