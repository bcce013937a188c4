/**
 * Plot snapshots. Baselines live in test/baselines/, are written only from
 * the reference solutions (`npm run baselines`) and are committed. A learner's
 * run never writes one: a missing baseline fails with a message, and a failed
 * comparison leaves a diff image under plots/__diff_output__/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { configureToMatchImageSnapshot } from 'jest-image-snapshot';
import { plotsDir, REPO_ROOT, savePlot } from '../../lib/plot-files';

/** The committed baselines; a grader may point KATA_BASELINE_DIR at a private copy. */
export const BASELINE_DIR = path.resolve(process.env.KATA_BASELINE_DIR ?? path.join(REPO_ROOT, 'test', 'baselines'));

/**
 * Tolerance, calibrated by test/plot-comparison.test.ts: a plot whose curve
 * moved by about 1% of its range passes; a flat line where the parabola
 * should be, or the parabola shifted by a tenth of the axis, fails.
 * The images are blurred first (radius BLUR px) so that a curve drawn a pixel
 * or two away, as another backend's float rounding can do, is close to its
 * baseline; then at most FAILURE_THRESHOLD of the pixels may differ by more
 * than pixelmatch's per-pixel colour threshold.
 */
export interface PlotTolerance {
  blur: number;
  /** The largest fraction of pixels that may differ (0.005 = 0.5%). */
  failureThreshold: number;
  /** pixelmatch's per-pixel colour threshold. */
  colourThreshold: number;
}

export const PLOT_TOLERANCE: PlotTolerance = { blur: 4, failureThreshold: 0.005, colourThreshold: 0.1 };

export function diffDir(): string {
  return path.join(plotsDir(), '__diff_output__');
}

/** A kata's test may pass its own tolerance, calibrated in that kata (see its README). */
export function comparePlot(snapshotsDir: string, tolerance: Partial<PlotTolerance> = {}) {
  const { blur, failureThreshold, colourThreshold } = { ...PLOT_TOLERANCE, ...tolerance };
  // jest-image-snapshot as loaded by the test environment, outside jest's module
  // sandbox, where pngjs, glur and pixelmatch run at full speed: the comparison
  // then runs in this process (about 0.1 s) instead of a child process (about 0.4 s).
  const outside = (globalThis as { __KATA_IMAGE_SNAPSHOT__?: typeof import('jest-image-snapshot') }).__KATA_IMAGE_SNAPSHOT__;
  return (outside?.configureToMatchImageSnapshot ?? configureToMatchImageSnapshot)({
    blur,
    failureThreshold,
    failureThresholdType: 'percent',
    customDiffConfig: { threshold: colourThreshold },
    customSnapshotsDir: snapshotsDir,
    customDiffDir: diffDir(),
    // Inside jest's module sandbox pngjs' Paeth filter, used to write the diff
    // image, runs about 20 times slower (measured 3.3 s vs 0.17 s): without the
    // environment's copy, compare in a child process.
    runInProcess: outside !== undefined,
    noColors: true,
  });
}

interface SnapshotState { _updateSnapshot: 'all' | 'new' | 'none' }

/**
 * The matcher behind `expect(png).toMatchPlotBaseline(name)`. `mayWrite` is
 * true only for the solutions tree run with -u (npm run baselines).
 */
export function matchPlotBaseline(
  context: jest.MatcherContext,
  png: Buffer,
  name: string,
  mayWrite: boolean,
  snapshotsDir = BASELINE_DIR,
  tolerance: Partial<PlotTolerance> = {},
): jest.CustomMatcherResult {
  const saved = savePlot(name, png);
  const state = context.snapshotState as unknown as SnapshotState;
  const writing = mayWrite && state._updateSnapshot === 'all';
  const baseline = path.join(snapshotsDir, `${name}.png`);
  if (!writing && !fs.existsSync(baseline)) {
    return {
      pass: false,
      message: () =>
        `There is no baseline plot ${path.relative(REPO_ROOT, baseline)} to compare ${path.relative(REPO_ROOT, saved)} with. ` +
        'Baselines come from the reference solutions only: run `npm run baselines` in a clone of the repository ' +
        '(never from your own katas) and commit the result.',
    };
  }
  // jest-image-snapshot writes baselines when the update mode allows it; for
  // every run but `npm run baselines` we hand it a state that says "never".
  const snapshotState = writing ? state : Object.assign(Object.create(state) as object, { _updateSnapshot: 'none' });
  const result = comparePlot(snapshotsDir, tolerance).call(
    { ...context, snapshotState } as never,
    png,
    { customSnapshotIdentifier: name },
  ) as jest.CustomMatcherResult;
  if (result.pass) return result;
  return {
    pass: false,
    message: () =>
      `${result.message()}\nYour plot: ${path.relative(REPO_ROOT, saved)}   baseline: ${path.relative(REPO_ROOT, baseline)}\n` +
      `The diff image (baseline | difference | yours) is in ${path.relative(REPO_ROOT, diffDir())}/.`,
  };
}
