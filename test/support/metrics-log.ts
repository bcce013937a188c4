/**
 * Every bounded quantity a test checks (checkBetween) is logged with its
 * bounds, and written per test file to plots/metrics/<file>.json after the
 * file's tests, for the plot gallery (npm run gallery).
 */
import path from 'node:path';
import { encodeMetricRecords, type MetricRecord, metricsFile } from '../../lib/metric-records';
import type { Measured } from './teach';
import { plotsDir, writePlotFile } from '../../lib/plot-files';

const records: MetricRecord[] = [];

export function logMetric(name: string, value: number, low: number, high: number, measured?: Measured): void {
  // In grading mode the value came from a kata: what is not a number is logged as NaN, never written out as it is.
  value = typeof value === 'number' ? value : NaN;
  records.push({
    test: expect.getState().currentTestName ?? '',
    name,
    value,
    low,
    high,
    pass: value >= low && value <= high,
    ...(measured ? { measured: measured.range, measuredOver: measured.over } : {}),
  });
}

export function writeMetricsLog(testPath: string): void {
  if (records.length === 0) return;
  const file = metricsFile(plotsDir(), path.basename(testPath).replace(/\.test\.ts$/, ''));
  writePlotFile(file, encodeMetricRecords(records));
}
