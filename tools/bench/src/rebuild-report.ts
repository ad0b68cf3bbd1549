import type { LatencySummary } from './latency';
import type { ProjectionRebuild } from './rebuild-projections';
import type { Throughput } from './rebuild-scan';

/** A plain-text table: the first `left` columns left-aligned, the rest (numbers) right-aligned. */
export const textTable = (header: readonly string[], rows: readonly (readonly string[])[], left = 1): string => {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c].length)));
  const line = (row: readonly string[]) => row.map((cell, c) => (c < left ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
};

const fixed = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const times = (x: number) => `${fixed(x)}×`;
const thousands = (x: number) => Math.round(x).toLocaleString('en-US');

export interface ThroughputRow extends Throughput {
  readonly kind: 'baseline' | 'measured' | 'info';
  /** A measured row's own targets, where they differ from the single rebuilds'. */
  readonly target?: { readonly eventsPerSecond: number; readonly maxScanRatio: number };
}

/** Throughput rows with their time relative to the store scan (the baseline) and to the bare scan. */
export const throughputTable = (rows: readonly ThroughputRow[], scan: Throughput, bare: Throughput): string =>
  textTable(
    ['scenario', 'kind', 'events', 'seconds', 'events/s', 'time ÷ store scan', 'time ÷ bare scan'],
    rows.map((r) => [
      r.name,
      r.kind,
      thousands(r.events),
      r.seconds.toFixed(2),
      thousands(r.eventsPerSecond),
      times(r.seconds / r.events / (scan.seconds / scan.events)),
      times(r.seconds / r.events / (bare.seconds / bare.events)),
    ]),
    2,
  );

export const latencyTable = (rows: readonly { name: string; latency: LatencySummary }[]): string =>
  textTable(
    ['scenario', 'count', 'mean ms', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
    rows.map(({ name, latency: l }) => [name, String(l.count), fixed(l.mean), fixed(l.p50), fixed(l.p90), fixed(l.p99), fixed(l.max)]),
  );

/** Per event: the parts measured at the ports, and the remainder (the runner's and projection's JavaScript). */
export const breakdownTable = (runs: readonly ProjectionRebuild[]): string =>
  textTable(
    [
      'projection',
      'total',
      'read log',
      'load docs',
      'commit (JSON, upserts + indexes, WAL)',
      'runner + projection JS',
      'commits',
      'doc writes/event',
    ],
    runs
      .filter((r) => r.breakdown)
      .map((r) => {
        const b = r.breakdown as NonNullable<ProjectionRebuild['breakdown']>;
        const perEvent = (ms: number) => ((ms * 1000) / r.events).toFixed(1);
        const totalMs = r.seconds * 1000;
        return [
          r.projection,
          perEvent(totalMs),
          perEvent(b.readLogMs),
          perEvent(b.loadDocsMs),
          perEvent(b.commitMs),
          perEvent(totalMs - b.readLogMs - b.loadDocsMs - b.commitMs),
          String(b.commits),
          (b.docWrites / r.events).toFixed(2),
        ];
      }),
  );
