import { COMMIT_CHANNEL, type StoreTiming } from '@wih/event-store';
import diagnosticsChannel from 'node:diagnostics_channel';
import { createCases, visits, warmUp, withStore, type InProcessOptions } from './in-process';
import { rawInsertBatched, type Synchronous } from './raw-sqlite';
import { named, type RunResult } from './result';

/** The commits the store made during a run, from its diagnostics channel (count = appends in the group). */
export interface GroupStats {
  readonly commits: number;
  readonly appends: number;
  /** Appends per commit. */
  readonly size: { readonly mean: number; readonly p50: number; readonly p90: number; readonly max: number };
  /** Time inside the commits (the transaction: revision checks, JSON, inserts, fsync), ms. */
  readonly commitMs: { readonly total: number; readonly p50: number; readonly p99: number };
}

const nearestRank = (sorted: readonly number[], q: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];

export function groupStats(commits: readonly Pick<StoreTiming, 'durationMs' | 'count'>[]): GroupStats {
  const sizes = commits.map((c) => c.count).sort((a, b) => a - b);
  const times = commits.map((c) => c.durationMs).sort((a, b) => a - b);
  const appends = sizes.reduce((n, x) => n + x, 0);
  return {
    commits: commits.length,
    appends,
    size: {
      mean: commits.length === 0 ? 0 : appends / commits.length,
      p50: nearestRank(sizes, 0.5),
      p90: nearestRank(sizes, 0.9),
      max: sizes.at(-1) ?? 0,
    },
    commitMs: { total: times.reduce((n, x) => n + x, 0), p50: nearestRank(times, 0.5), p99: nearestRank(times, 0.99) },
  };
}

/**
 * Per command, in µs: the wall time, the share spent inside the store's commits (from the channel),
 * the rest (read the stream or the cached state, fold, decide, encode, the event loop's turns, the
 * waits for a group), and the process's CPU time.
 */
export interface PerCommand {
  readonly wallUs: number;
  readonly inCommitUs: number;
  readonly outsideCommitUs: number;
  readonly cpuUs: number;
}

export interface GroupCommitRun extends RunResult {
  readonly inFlight: number;
  readonly synchronous: Synchronous;
  readonly groups: GroupStats;
  readonly perCommand: PerCommand;
}

/** `n` visits in flight on fresh cases, with the store's commits recorded off its diagnostics channel. */
async function inFlightRun(o: InProcessOptions, synchronous: Synchronous, inFlight: number[]): Promise<GroupCommitRun[]> {
  return withStore(synchronous === 'FULL' ? 'full' : 'normal', async (bench) => {
    await warmUp(bench, o);
    const runs: GroupCommitRun[] = [];
    for (const n of inFlight) {
      // Fresh cases for each run (2 events each), so every run reads streams of the same length.
      const { ids } = await createCases(bench, o.cases);
      const commits: StoreTiming[] = [];
      const record = (message: unknown) => commits.push(message as StoreTiming);
      diagnosticsChannel.subscribe(COMMIT_CHANNEL, record);
      const cpu = process.cpuUsage();
      const { result, conflicts } = await visits(bench, ids, o.commands, n);
      const used = process.cpuUsage(cpu);
      diagnosticsChannel.unsubscribe(COMMIT_CHANNEL, record);
      const groups = groupStats(commits);
      const us = (ms: number) => (ms * 1000) / result.ops;
      const wallMs = result.seconds * 1000;
      runs.push({
        ...named(`in-process visits, ${n} in flight, synchronous=${synchronous}`, synchronous === 'FULL' ? 'measured' : 'info', result, {
          conflicts,
        }),
        inFlight: n,
        synchronous,
        groups,
        perCommand: {
          wallUs: us(wallMs),
          inCommitUs: us(groups.commitMs.total),
          outsideCommitUs: us(wallMs - groups.commitMs.total),
          cpuUs: us(used.user / 1000 + used.system / 1000),
        },
      });
    }
    return runs;
  });
}

export interface GroupCommitPart {
  /** Raw FULL inserts, N rows per transaction, for each N in flight and each group size the store committed. */
  readonly raw: RunResult[];
  readonly runs: GroupCommitRun[];
}

const rawBatched = async (o: InProcessOptions, batch: number, why: string): Promise<RunResult> =>
  named(
    `raw SQLite insert, synchronous=FULL, ${batch} rows per transaction (${why})`,
    'baseline',
    await rawInsertBatched({ rows: o.commands, streams: o.cases, warmup: o.warmup, batch, synchronous: 'FULL' }),
  );

/**
 * Group commit against its raw floor in the same run: for each in-flight count N, raw FULL inserts
 * in transactions of N rows, the store's visits with N in flight (FULL, then NORMAL: what the CPU
 * alone allows), and raw inserts in transactions of the median group the store actually committed.
 */
export async function groupCommitPart(o: InProcessOptions, inFlight: readonly number[]): Promise<GroupCommitPart> {
  const raw: RunResult[] = [];
  for (const n of inFlight) raw.push(await rawBatched(o, n, `${n} in flight`));
  const full = await inFlightRun(o, 'FULL', [...inFlight]);
  const normal = await inFlightRun(o, 'NORMAL', [...inFlight]);
  for (const run of full) {
    const size = Math.max(1, Math.round(run.groups.size.p50));
    if (!inFlight.includes(size) && !raw.some((r) => r.name.includes(`, ${size} rows per`)))
      raw.push(await rawBatched(o, size, `median group at ${run.inFlight} in flight`));
  }
  return { raw, runs: [...full, ...normal] };
}

const rawFor = (part: GroupCommitPart, rows: number) => part.raw.find((r) => r.name.includes(`, ${rows} rows per`));

/** The table printed after the append table: each store run beside the raw batches of its N and of its median group. */
export function formatGroupCommit(part: GroupCommitPart): string {
  const lines = part.raw.map(
    (r) =>
      `${r.name}: ${r.opsPerSecond.toFixed(0)} rows/s, ${((r.seconds * 1e6) / r.ops).toFixed(1)} µs per row, transaction p50 ${r.latency.p50.toFixed(2)} ms, p99 ${r.latency.p99.toFixed(2)} ms`,
  );
  for (const run of part.runs) {
    const byN = rawFor(part, run.inFlight);
    const byGroup = rawFor(part, Math.max(1, Math.round(run.groups.size.p50)));
    const g = run.groups;
    const p = run.perCommand;
    lines.push(
      `${run.name}: ${run.opsPerSecond.toFixed(0)} commands/s` +
        (byN ? `, ${(run.opsPerSecond / byN.opsPerSecond).toFixed(2)}× raw batches of ${run.inFlight}` : '') +
        (byGroup
          ? `, ${(run.opsPerSecond / byGroup.opsPerSecond).toFixed(2)}× raw batches of the median group (${Math.round(g.size.p50)})`
          : '') +
        `; p50 ${run.latency.p50.toFixed(2)} / p99 ${run.latency.p99.toFixed(2)} ms; ${run.errors} errors, ${run.conflicts ?? 0} conflicts retried` +
        `\n    ${g.commits} commits of ${g.appends} appends: group size mean ${g.size.mean.toFixed(1)}, p50 ${g.size.p50}, p90 ${g.size.p90}, max ${g.size.max}; commit p50 ${g.commitMs.p50.toFixed(2)} / p99 ${g.commitMs.p99.toFixed(2)} ms` +
        `\n    per command: wall ${p.wallUs.toFixed(0)} µs = in commits ${p.inCommitUs.toFixed(0)} + outside ${p.outsideCommitUs.toFixed(0)}; CPU ${p.cpuUs.toFixed(0)} µs`,
    );
  }
  return lines.join('\n');
}
