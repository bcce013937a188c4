/**
 * The speed table of `npm run bench -- --suite` (issue 17's targets), from
 * measured rounds: pure functions, no process started here, so that
 * test/tools/bench-speed-table.test.ts checks the arithmetic from given numbers.
 *
 * The "unit" is the median wall time of the calibration workload
 * (calibration-workload.ts) in the same run: a figure in units compares across
 * machines where seconds do not.
 */

/** Issue 17's goals, in wall seconds on a 2-core machine at idle: the whole reference suite, and each test file as a learner runs it. */
export const TARGET_SECONDS = { suite: 10, file: 6 } as const;

export type RowKind = 'workload' | 'suite' | 'file';

/** One round of one row: its wall time (and CPU time when known), or why it failed. */
export type RoundOutcome = { ok: true; wallSeconds: number; cpuSeconds?: number } | { ok: false; why: string };

export interface MeasuredRow {
  /** What ran: "calibration workload", "the suite", or a test file's path. */
  name: string;
  kind: RowKind;
  /** In the order run. */
  rounds: RoundOutcome[];
}

export type Verdict = 'pass' | 'over' | 'failed' | '-';

export interface SpeedRow {
  name: string;
  kind: RowKind;
  /** Every round's wall seconds, in the order run (empty when a round failed: a failing run is not timed). */
  roundSeconds: number[];
  medianSeconds?: number | undefined;
  /** Median CPU seconds, when every round reported it. */
  cpuSeconds?: number | undefined;
  /** medianSeconds in units of the calibration workload. */
  units?: number | undefined;
  targetSeconds?: number | undefined;
  targetUnits?: number | undefined;
  verdict: Verdict;
  /** Why the row failed (the first failing round's reason). */
  failure?: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
}

export interface SpeedReport {
  machine: Machine;
  /** Which TensorFlow.js backend the kata tests ran on, and why (lib/tf's backendDescription). */
  backend: string;
  /** os.loadavg() (1, 5 and 15 minutes) when the run started and when it ended. */
  loadAtStart: number[];
  loadAtEnd: number[];
  repeat: number;
  /** Seconds of one unit (the calibration workload's median), when it ran. */
  unitSeconds?: number | undefined;
  rows: SpeedRow[];
}

export function median(values: number[]): number {
  if (values.length === 0) throw new Error('the median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function targetOf(kind: RowKind): number | undefined {
  return kind === 'workload' ? undefined : TARGET_SECONDS[kind];
}

/** One row: failed if any round failed (a failing run's time means nothing), else its median against its target. */
export function speedRow(measured: MeasuredRow, unitSeconds: number | undefined): SpeedRow {
  const targetSeconds = targetOf(measured.kind);
  const targetUnits = targetSeconds !== undefined && unitSeconds !== undefined ? targetSeconds / unitSeconds : undefined;
  const base = { name: measured.name, kind: measured.kind, targetSeconds, targetUnits };
  const failed = measured.rounds.find((round) => !round.ok);
  if (failed || measured.rounds.length === 0) {
    return { ...base, roundSeconds: [], verdict: 'failed', failure: failed && !failed.ok ? failed.why : 'it never ran' };
  }
  const timed = measured.rounds as Extract<RoundOutcome, { ok: true }>[];
  const roundSeconds = timed.map((round) => round.wallSeconds);
  const medianSeconds = median(roundSeconds);
  const cpus = timed.flatMap((round) => (round.cpuSeconds === undefined ? [] : [round.cpuSeconds]));
  return {
    ...base,
    roundSeconds,
    medianSeconds,
    cpuSeconds: cpus.length === timed.length ? median(cpus) : undefined,
    units: unitSeconds !== undefined ? medianSeconds / unitSeconds : undefined,
    verdict: targetSeconds === undefined ? '-' : medianSeconds <= targetSeconds ? 'pass' : 'over',
  };
}

/** The rows of the table; the unit is the workload row's median, when that row ran without failing. */
export function speedRows(measured: MeasuredRow[]): { unitSeconds?: number | undefined; rows: SpeedRow[] } {
  const workload = measured.find((row) => row.kind === 'workload');
  const unitSeconds = workload ? speedRow(workload, undefined).medianSeconds : undefined;
  return { unitSeconds, rows: measured.map((row) => speedRow(row, unitSeconds)) };
}

const seconds = (value: number | undefined): string => (value === undefined ? '-' : value.toFixed(1));
const units = (value: number | undefined): string => (value === undefined ? '-' : value.toFixed(2));
/** A reason on one line of a Markdown table: its first line, pipes escaped. */
const oneCell = (text: string): string => (text.split('\n')[0] ?? '').replace(/\|/g, '\\|');
const load = (values: number[]): string => values.map((value) => value.toFixed(2)).join(' ');

/** The header lines: the machine, the backend, the load, the unit. */
export function speedHeader(report: SpeedReport): string[] {
  const { machine } = report;
  return [
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(0)} GiB, ${machine.os}, Node ${machine.node}`,
    `kata tests: ${report.backend}`,
    `load average (1, 5, 15 min): ${load(report.loadAtStart)} at start, ${load(report.loadAtEnd)} at end`,
    `${report.repeat} interleaved round(s); 1 unit = the calibration workload's median wall time = ${report.unitSeconds === undefined ? 'unknown (it failed)' : `${report.unitSeconds.toFixed(2)} s`}`,
  ];
}

/** The table, as Markdown (so that it pastes into the README as printed). */
export function speedTable(rows: SpeedRow[]): string[] {
  const header = ['what', 'median wall s', 'rounds s', 'CPU s', 'units', 'target s', 'target units', 'result'];
  const cells = rows.map((row) => [
    row.kind === 'file' ? `\`${row.name}\`` : row.name,
    seconds(row.medianSeconds),
    row.roundSeconds.map((value) => value.toFixed(1)).join(', ') || '-',
    seconds(row.cpuSeconds),
    units(row.units),
    seconds(row.targetSeconds),
    units(row.targetUnits),
    row.verdict === 'failed' ? `FAILED: ${oneCell(row.failure ?? '')}` : row.verdict,
  ]);
  const line = (values: string[]) => `| ${values.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...cells.map(line)];
}

export function formatSpeedReport(report: SpeedReport): string {
  return [...speedHeader(report), '', ...speedTable(report.rows)].join('\n');
}
