/**
 * Tests of the plot comparison itself (test/support/plot-snapshot.ts): the
 * tolerance must let through what another backend's rounding does to a plot
 * and catch what a wrong model does to it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COLOURS, renderPlot, type PlotSpec } from '../lib/plot';
import { integerRange, linspace } from '../lib/metrics';
import { comparePlot } from './support/plot-snapshot';

const X_RANGE: [number, number] = [-10, 10];
const Y_RANGE: [number, number] = [-10, 110];
const Y_SPAN = Y_RANGE[1] - Y_RANGE[0];
const X_SPAN = X_RANGE[1] - X_RANGE[0];

function plotOf(curve: (x: number) => number): Buffer {
  const xs = integerRange(-10, 10);
  const grid = linspace(-10, 10, 201);
  const spec: PlotSpec = {
    title: 'Calibration: y = x²',
    xLabel: 'x',
    yLabel: 'y',
    xRange: X_RANGE,
    yRange: Y_RANGE,
    series: [
      { label: 'data', xs, ys: xs.map((x) => x * x), style: 'points', colour: COLOURS.data },
      { label: 'model', xs: grid, ys: grid.map(curve), style: 'line', colour: COLOURS.model },
    ],
  };
  return renderPlot(spec);
}

const snapshotsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plot-calibration-'));
const BASELINE = 'parabola';

function compare(png: Buffer): { pass: boolean; message: string } {
  const context = {
    testPath: __filename,
    currentTestName: 'calibration',
    isNot: false,
    snapshotState: { _updateSnapshot: 'none', _counters: new Map(), matched: 0, unmatched: 0, added: 0, updated: 0 },
  };
  const result = comparePlot(snapshotsDir).call(context as never, png, { customSnapshotIdentifier: BASELINE }) as jest.CustomMatcherResult;
  return { pass: result.pass, message: result.message() };
}

beforeAll(() => {
  fs.writeFileSync(path.join(snapshotsDir, `${BASELINE}.png`), plotOf((x) => x * x));
});
afterAll(() => fs.rmSync(snapshotsDir, { recursive: true, force: true }));

describe('plot comparison tolerance', () => {
  test('the same plot matches its baseline', () => {
    expect(compare(plotOf((x) => x * x)).pass).toBe(true);
  });

  test('a curve perturbed by about 1% of the y range still matches', () => {
    const wobble = (x: number) => x * x + 0.01 * Y_SPAN * Math.sin(1.3 * x);
    const result = compare(plotOf(wobble));
    expect(result.message).toBe('');
    expect(result.pass).toBe(true);
  });

  test('a flat line where the parabola should be fails', () => {
    expect(compare(plotOf(() => 770 / 21)).pass).toBe(false);
  });

  test('the parabola shifted sideways by a tenth of the x axis fails', () => {
    const shift = X_SPAN / 10;
    expect(compare(plotOf((x) => (x - shift) ** 2)).pass).toBe(false);
  });

  test('the parabola shifted up by a tenth of the y axis fails', () => {
    const shift = Y_SPAN / 10;
    expect(compare(plotOf((x) => x * x + shift)).pass).toBe(false);
  });

  test('a failed comparison names the diff image it wrote', () => {
    const result = compare(plotOf(() => 0));
    expect(result.message).toMatch(/__diff_output__.*\.png/);
  });
});
