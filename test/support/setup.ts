import { matchPlotBaseline } from './plot-snapshot';
import { TREE } from './tree';
import { writeMetricsLog } from './metrics-log';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Saves the PNG under plots/ and compares it with test/baselines/<name>.png. */
      toMatchPlotBaseline(name: string): R;
    }
  }
}

expect.extend({
  toMatchPlotBaseline(this: jest.MatcherContext, png: Buffer, name: string) {
    return matchPlotBaseline(this, png, name, TREE === 'solutions');
  },
});

afterAll(() => {
  const testPath = expect.getState().testPath;
  if (testPath) writeMetricsLog(testPath);
});
