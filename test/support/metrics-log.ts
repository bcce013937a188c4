/**
 * Every bounded quantity a test checks (checkBetween) is logged with its
 * bounds, and written per test file to plots/metrics/<file>.json after the
 * file's tests, for the plot gallery (npm run gallery).
 */
import fs from 'node:fs';
import path from 'node:path';
import { plotsDir } from '../../lib/plot-files';

export interface MetricRecord {
  test: string;
  name: string;
  value: number;
  low: number;
  high: number;
  pass: boolean;
}

const records: MetricRecord[] = [];

export function logMetric(name: string, value: number, low: number, high: number): void {
  records.push({ test: expect.getState().currentTestName ?? '', name, value, low, high, pass: value >= low && value <= high });
}

export function writeMetricsLog(testPath: string): void {
  if (records.length === 0) return;
  const dir = path.join(plotsDir(), 'metrics');
  fs.mkdirSync(dir, { recursive: true });
  const name = path.basename(testPath).replace(/\.test\.ts$/, '');
  // JSON cannot hold Infinity: an open bound is written as null.
  const json = JSON.stringify(records, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
  fs.writeFileSync(path.join(dir, `${name}.json`), `${json}\n`);
}
