import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RunResult } from './result';

export interface Target {
  readonly target: string;
  readonly met: boolean;
  readonly measured: string;
}

export interface Ratios {
  /** ops/s of the run ÷ rows/s of the raw baseline. */
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
}

export const ratiosTo = (baseline: RunResult, run: RunResult): Ratios => ({
  throughput: run.opsPerSecond / baseline.opsPerSecond,
  p50: run.latency.p50 / baseline.latency.p50,
  p99: run.latency.p99 / baseline.latency.p99,
});

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const ratio = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)}×`;

const COLUMNS = [
  'scenario',
  'kind',
  'ops',
  'ops/s',
  'p50 ms',
  'p99 ms',
  'max ms',
  'errors',
  'conflicts',
  'ops/s ÷ raw',
  'p50 ÷ raw',
  'p99 ÷ raw',
];

const cells = (run: RunResult, r: Ratios): string[] => [
  run.name,
  run.kind,
  String(run.ops),
  run.opsPerSecond.toFixed(0),
  ms(run.latency.p50),
  ms(run.latency.p99),
  ms(run.latency.max),
  String(run.errors),
  run.conflicts === undefined ? '–' : String(run.conflicts),
  ratio(r.throughput),
  ratio(r.p50),
  ratio(r.p99),
];

/** A plain-text table; the first column left-aligned, numbers right-aligned. */
export const formatTable = (baseline: RunResult, runs: readonly RunResult[]): string => {
  const rows = [COLUMNS, ...runs.map((run) => cells(run, ratiosTo(baseline, run)))];
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
};

export const formatTargets = (targets: readonly Target[]): string =>
  targets.map((t) => `${t.met ? 'MET    ' : 'NOT MET'}  ${t.target}: ${t.measured}`).join('\n');

export const writeJson = (file: string, value: unknown): void => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
};
