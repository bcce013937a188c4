/**
 * A run filtered with -t (or one whose plot test failed before drawing) does not refresh every
 * plot of the kata: the older files stay in plots/ beside the fresh ones. After each test file,
 * the kata's plot files not written during its run are marked stale (plots/runs/<kata>.json,
 * which npm run gallery shows), and its diff images not written during the run are removed: a
 * diff describes a comparison that did not run this time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { kataPlotFiles, plotsDir, type StalePlots, stalePlotsFile, writePlotFile } from '../../lib/plot-files';
import { animationBeingDrawn } from './animation-render';
import { diffDir } from './plot-snapshot';

export function markStalePlots(testPath: string, startedMs: number): void {
  const kata = path.basename(testPath).replace(/\.test\.ts$/, '');
  if (!/^\d\d-/.test(kata)) return;
  const dir = plotsDir();
  const olderThanRun = (file: string) => fs.existsSync(file) && fs.statSync(file).mtimeMs < startedMs;
  const diff = path.join(diffDir(), `${kata}-diff.png`);
  if (olderThanRun(diff)) fs.rmSync(diff);
  // A training animation recorded in this run may still be being drawn (animation-render.ts).
  const drawing = animationBeingDrawn(kata, startedMs, dir);
  const stale = kataPlotFiles(kata)
    .filter((file) => !(drawing && file.startsWith(`${kata}-training.`)))
    .filter((file) => olderThanRun(path.join(dir, file)))
    .map((file) => ({ file, writtenAt: fs.statSync(path.join(dir, file)).mtime.toISOString() }));
  const record = stalePlotsFile(dir, kata);
  if (stale.length === 0) {
    fs.rmSync(record, { force: true });
    return;
  }
  const marked: StalePlots = { ranAt: new Date().toISOString(), stale };
  writePlotFile(record, `${JSON.stringify(marked, null, 2)}\n`);
}
