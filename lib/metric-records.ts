/**
 * The metrics log: every bounded quantity a test checked, with its bounds,
 * one JSON file per kata in plots/metrics/<kata>.json. Written by the tests
 * (test/support/metrics-log.ts), read by `npm run kata` and `npm run gallery`.
 * JSON has no NaN or Infinity, so non-finite numbers are written as the
 * strings "NaN", "Infinity" and "-Infinity" and read back as numbers.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface MetricRecord {
  /** The test's full name (describe and test titles). */
  test: string;
  name: string;
  value: number;
  low: number;
  high: number;
  pass: boolean;
  /** The range calibration measured on valid recipes, when the test gives one, and over what. */
  measured?: [number, number];
  measuredOver?: string;
}

const NON_FINITE: Record<string, number> = { NaN, Infinity, '-Infinity': -Infinity };

export function metricsFile(plotsDir: string, kata: string): string {
  return path.join(plotsDir, 'metrics', `${kata}.json`);
}

export function encodeMetricRecords(records: MetricRecord[]): string {
  return `${JSON.stringify(records, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`;
}

export function decodeMetricRecords(json: string): MetricRecord[] {
  return JSON.parse(json, (_, v: unknown) => (typeof v === 'string' && v in NON_FINITE ? NON_FINITE[v] : v)) as MetricRecord[];
}

/** The kata's records, or [] when its tests have not written any. */
export function readMetricRecords(plotsDir: string, kata: string): MetricRecord[] {
  const file = metricsFile(plotsDir, kata);
  return fs.existsSync(file) ? decodeMetricRecords(fs.readFileSync(file, 'utf8')) : [];
}

/** A number as the tools print it: NaN, ±∞, or five significant digits (exponent when very large or small). */
export function formatMetric(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  const magnitude = Math.abs(value);
  return magnitude >= 1e5 || (magnitude < 1e-3 && value !== 0) ? value.toExponential(3) : String(Number(value.toPrecision(5)));
}

/** A passing value outside the range measured on valid recipes: worth a look, not a failure. */
export function outsideMeasured(record: MetricRecord): boolean {
  if (!record.pass || !record.measured || !Number.isFinite(record.value)) return false;
  const [low, high] = record.measured;
  return record.value < low || record.value > high;
}

/** "passes; outside the range measured on valid recipes (49-149, over ...)", for a record where outsideMeasured() holds. */
export function describeMeasured(record: MetricRecord): string {
  const [low, high] = record.measured ?? [NaN, NaN];
  const over = record.measuredOver ? `: ${record.measuredOver}` : '';
  return `passes; outside the range measured on valid recipes (${formatMetric(low)} to ${formatMetric(high)}${over})`;
}

/** "validation RMSE: 12.04, above its bound 10", for a failed record. */
export function describeFailure(record: MetricRecord): string {
  const value = formatMetric(record.value);
  if (Number.isNaN(record.value)) return `${record.name}: NaN (bounds [${formatMetric(record.low)}, ${formatMetric(record.high)}])`;
  if (record.value < record.low) return `${record.name}: ${value}, below its bound ${formatMetric(record.low)}`;
  if (record.value > record.high) return `${record.name}: ${value}, above its bound ${formatMetric(record.high)}`;
  return `${record.name}: ${value}, within [${formatMetric(record.low)}, ${formatMetric(record.high)}]`;
}
