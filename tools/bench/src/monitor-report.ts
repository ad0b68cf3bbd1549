import type { IntervalHistogram } from 'node:perf_hooks';

/** Something that held the API's event loop: a GC pause, a store commit or checkpoint, a block. */
export interface Pause {
  /** Start, ms since the epoch (the benchmark's and the API's clocks agree on it). */
  readonly at: number;
  readonly ms: number;
  readonly cause: string;
}

export interface Durations {
  readonly count: number;
  readonly totalMs: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** How many took 5 ms or more. */
  readonly atLeast5ms: number;
}

export interface MonitorReport {
  readonly windowMs: number;
  /** CPU time of the API process (all threads) over the window. */
  readonly cpuMs: number;
  /** monitorEventLoopDelay over the window, ms. */
  readonly loopDelay: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
  /** GC pauses by kind and loop blocks (ticks late by 3 ms or more). */
  readonly pauses: Record<string, Durations>;
  readonly commits: Durations & { readonly appends: number };
  readonly checkpoints: Durations & { readonly frames: number };
  readonly heapUsedMiB: number;
  /** Every pause of 1 ms or more, commits and checkpoints included: the tail is matched against these. */
  readonly timeline: Pause[];
}

/** The report without its timeline, and which pause each request slower than `overMs` overlapped. */
export type MonitorSummary = Omit<MonitorReport, 'timeline'> & {
  readonly tail: { readonly overMs: number; readonly slow: number; readonly blame: Record<string, number> };
};

const SIGNIFICANT_MS = 1;

export const durations = (values: readonly number[]): Durations => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
  return {
    count: sorted.length,
    totalMs: sorted.reduce((sum, x) => sum + x, 0),
    p50: at(0.5),
    p99: at(0.99),
    max: sorted.at(-1) ?? 0,
    atLeast5ms: sorted.filter((x) => x >= 5).length,
  };
};

const groupBy = (pauses: readonly Pause[]): Record<string, Durations> => {
  const groups = new Map<string, number[]>();
  for (const p of pauses) groups.set(p.cause, [...(groups.get(p.cause) ?? []), p.ms]);
  return Object.fromEntries([...groups].map(([cause, ms]) => [cause, durations(ms)]));
};

interface Recorded {
  readonly windowMs: number;
  readonly cpuMs: number;
  readonly delay: IntervalHistogram;
  readonly pauses: readonly Pause[];
  readonly commits: readonly { startedAt: number; durationMs: number; count: number }[];
  readonly checkpoints: readonly { startedAt: number; durationMs: number; count: number }[];
  readonly heapUsedMiB: number;
}

export function summarize(r: Recorded): MonitorReport {
  const ms = (ns: number) => ns / 1e6;
  const asPauses = (cause: string, items: Recorded['commits']): Pause[] => items.map((c) => ({ at: c.startedAt, ms: c.durationMs, cause }));
  const timeline = [...r.pauses, ...asPauses('sqlite commit', r.commits), ...asPauses('wal checkpoint (worker)', r.checkpoints)]
    .filter((p) => p.ms >= SIGNIFICANT_MS)
    .sort((a, b) => a.at - b.at);
  return {
    windowMs: r.windowMs,
    cpuMs: r.cpuMs,
    loopDelay: { p50: ms(r.delay.percentile(50)), p90: ms(r.delay.percentile(90)), p99: ms(r.delay.percentile(99)), max: ms(r.delay.max) },
    pauses: groupBy(r.pauses),
    commits: { ...durations(r.commits.map((c) => c.durationMs)), appends: r.commits.reduce((n, c) => n + c.count, 0) },
    checkpoints: { ...durations(r.checkpoints.map((c) => c.durationMs)), frames: r.checkpoints.reduce((n, c) => n + c.count, 0) },
    heapUsedMiB: r.heapUsedMiB,
    timeline,
  };
}

/** A request of the open loop: due at `due` (ms since the epoch), answered `ms` later. */
export interface TimedRequest {
  readonly due: number;
  readonly ms: number;
}

const overlap = (p: Pause, r: TimedRequest): number => Math.max(0, Math.min(p.at + p.ms, r.due + r.ms) - Math.max(p.at, r.due));

/**
 * Blames each request slower than `thresholdMs` on the pause that overlapped it most: a specific
 * cause (GC, commit, checkpoint) before a plain loop block, which may contain one of them;
 * `no pause seen` when nothing of 1 ms or more overlapped (queueing, the client, the network).
 */
export function attributeTail(requests: readonly TimedRequest[], timeline: readonly Pause[], thresholdMs: number): Record<string, number> {
  const blame: Record<string, number> = {};
  for (const request of requests.filter((r) => r.ms > thresholdMs)) {
    const overlapping = timeline.filter((p) => overlap(p, request) >= SIGNIFICANT_MS);
    const specific = overlapping.filter((p) => p.cause !== 'loop block');
    const pick = (specific.length > 0 ? specific : overlapping).reduce<Pause | undefined>(
      (best, p) => (best === undefined || overlap(p, request) > overlap(best, request) ? p : best),
      undefined,
    );
    const cause = pick?.cause ?? 'no pause seen';
    blame[cause] = (blame[cause] ?? 0) + 1;
  }
  return blame;
}

const f = (x: number) => x.toFixed(1);
const line = (name: string, d: Durations) =>
  `  ${name.padEnd(24)} ${String(d.count).padStart(6)} × p50 ${f(d.p50)} ms, p99 ${f(d.p99)} ms, max ${f(d.max)} ms, total ${f(d.totalMs)} ms, ${d.atLeast5ms} ≥ 5 ms`;

/** The monitor's summary as printed after the table. */
export const formatMonitor = (run: string, m: MonitorSummary): string =>
  [
    `API event loop during "${run}" (${f(m.windowMs / 1000)} s, CPU ${f(m.cpuMs / 1000)} s, heap ${f(m.heapUsedMiB)} MiB at the end):`,
    `  loop delay               p50 ${f(m.loopDelay.p50)} ms, p90 ${f(m.loopDelay.p90)} ms, p99 ${f(m.loopDelay.p99)} ms, max ${f(m.loopDelay.max)} ms`,
    ...Object.entries(m.pauses)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([cause, d]) => line(cause, d)),
    line(`sqlite commits (${m.commits.appends} appends)`.slice(0, 24), m.commits),
    line('wal checkpoints (worker)', m.checkpoints),
    `  requests > ${m.tail.overMs} ms: ${m.tail.slow}; overlapped most by: ${
      Object.entries(m.tail.blame)
        .sort(([, a], [, b]) => b - a)
        .map(([c, n]) => `${c} ${n}`)
        .join(', ') || '–'
    }`,
  ].join('\n');
