import { matchPlotBaseline, type PlotTolerance } from './plot-snapshot';
import { TREE } from './tree';
import { writeMetricsLog } from './metrics-log';
import { markStalePlots } from './stale-plots';

/** When this test file started: plot files older than that were not written by this run. */
const STARTED_MS = Date.now();

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Saves the PNG under plots/ and compares it with test/baselines/<name>.png, within the kata's tolerance. */
      toMatchPlotBaseline(name: string, tolerance?: Partial<PlotTolerance>): R;
    }
  }
}

expect.extend({
  toMatchPlotBaseline(this: jest.MatcherContext, png: Buffer, name: string, tolerance?: Partial<PlotTolerance>) {
    return matchPlotBaseline(this, png, name, TREE === 'solutions', undefined, tolerance);
  },
});

afterAll(() => {
  const testPath = expect.getState().testPath;
  if (!testPath) return;
  writeMetricsLog(testPath);
  markStalePlots(testPath, STARTED_MS);
});
