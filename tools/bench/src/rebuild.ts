import { businessDateOf } from '@wih/domain';
import { collectionOf } from '@wih/application';
import { PROJECTIONS, type CaseDoc } from '@wih/projections';
import { SqliteReadStore } from '@wih/read-store';
import { Command, InvalidArgumentError } from 'commander';
import { copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeTempDir, type TempDir } from './cleanup';
import { generateHistory, type HistoryCounts } from './history';
import { describeMachine, loadAverage, machineLine } from './machine';
import { formatTargets, writeJson, type Target } from './report';
import { caseloadLatency, type CaseloadResult } from './rebuild-queries';
import { rebuildInMemory, rebuildInProcess, rebuildInWorkers, type InMemoryRebuild, type ProjectionRebuild } from './rebuild-projections';
import { breakdownTable, latencyTable, throughputTable, type ThroughputRow } from './rebuild-report';
import { readYourWrites, type ReadYourWritesPass } from './rebuild-ryw';
import { bareScan, storeScan, throughput, type Throughput } from './rebuild-scan';

interface RebuildOptions {
  readonly cases: number;
  readonly seed: number;
  readonly keep: boolean;
  readonly file?: string;
  readonly out: string;
  readonly queries: number;
  readonly commands: number;
  readonly batchSize?: number;
  readonly threads: number;
  readonly workers: boolean;
  readonly whatIf: boolean;
}

/** The runner's batch size in the what-if run: ten times the shipped one. */
const WHAT_IF_BATCH = 5000;

const EVENTS_PER_SECOND = 100_000;
const MAX_SCAN_RATIO = 3;
/** Every projection rebuilt together, in one pass over the log (issue #15, decision 0042). */
const PASS_TARGET = { eventsPerSecond: 250_000, maxScanRatio: 1.5 };
const CASELOAD_P99_MS = 20;
const READ_YOUR_WRITES_P99_MS = 5;
const SCAN_BATCH = 1000;
const LOAD_WARNING = 0.5;
/** ReadModels' default poll interval (the API's), and a short one that shows what the interval costs. */
const API_POLL_MS = 10;
const FAST_POLL_MS = 1;

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

const progress = (message: string) => console.error(`[bench rebuild] ${message}`);

/** Generation counts beside a kept log, so that a later `--file` run can report and check them. */
const countsFileOf = (log: string) => `${log}.json`;

interface Log {
  readonly file: string;
  readonly history: HistoryCounts | null;
  /** A log the user keeps (reused or --keep) is written to only through a copy. */
  readonly pristine: boolean;
}

async function generate(o: RebuildOptions, file: string, keepCounts: boolean): Promise<HistoryCounts> {
  progress(`generating ${o.cases} cases (seed ${o.seed})`);
  const history = await generateHistory({ cases: o.cases, seed: o.seed, file, onProgress: (n) => progress(`  ${n} cases`) });
  progress(`generated ${history.events} events (${history.caseEvents} case events) in ${history.seconds.toFixed(1)} s`);
  if (keepCounts) writeFileSync(countsFileOf(file), `${JSON.stringify(history, null, 2)}\n`);
  return history;
}

async function prepareLog(o: RebuildOptions, work: TempDir): Promise<Log> {
  if (o.file === undefined) {
    const file = join(work.path, 'events.sqlite');
    return { file, history: await generate(o, file, o.keep), pristine: o.keep };
  }
  const file = resolve(o.file);
  if (existsSync(file) && statSync(file).size > 0) {
    progress(`reusing the log ${o.file}`);
    const counts = countsFileOf(file);
    return { file, history: existsSync(counts) ? (JSON.parse(readFileSync(counts, 'utf8')) as HistoryCounts) : null, pristine: true };
  }
  return { file, history: await generate(o, file, true), pristine: true };
}

const totalOf = (name: string, parts: readonly ProjectionRebuild[], seconds: number, note?: string): Throughput =>
  throughput(name, parts[0]?.events ?? 0, seconds, note);

async function rebuilds(o: RebuildOptions, log: Log, work: TempDir) {
  const names = PROJECTIONS.map((p) => p.name);
  const batchSize = o.batchSize;
  const scratch = join(work.path, 'read-scratch.sqlite');
  const threads = o.threads;
  const alone = async (name: string, size = batchSize, on = threads): Promise<ProjectionRebuild> => {
    removeDatabase(scratch);
    const [result] = await rebuildInProcess({
      eventsFile: log.file,
      readsFile: scratch,
      projections: [name],
      batchSize: size,
      timed: true,
      threads: on,
    });
    return result;
  };
  const onThreads = threads > 1 ? `, ${threads} threads` : '';
  progress(`rebuilding ${names.join(', ')} one after the other${onThreads}`);
  // One after the other; a projection of a category the history does not write (activities) reads nothing: no row of its own.
  const each = async (on: number): Promise<ProjectionRebuild[]> => {
    const done: ProjectionRebuild[] = [];
    for (const name of names) done.push(await alone(name, batchSize, on));
    return done.filter((r) => r.events > 0);
  };
  const sequential = await each(threads);
  let single: ProjectionRebuild[] = [];
  if (threads > 1) {
    progress(`rebuilding ${names.join(', ')} one after the other on the runner's thread alone`);
    single = await each(1);
  }
  progress(`rebuilding all projections at once in one process${threads > 1 ? ', in one pass over the log' : ''}${onThreads}`);
  const readsFile = join(work.path, 'read.sqlite');
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const concurrent = await rebuildInProcess({ eventsFile: log.file, readsFile, projections: names, batchSize, threads });
  const concurrentSeconds = (performance.now() - started) / 1000;
  const concurrentCpu = process.cpuUsage(cpuBefore);
  const caughtUp = (parts: readonly ProjectionRebuild[]) =>
    parts
      .filter((r) => r.events > 0)
      .map((r) => `${r.projection} caught up after ${r.seconds.toFixed(1)} s`)
      .join('; ');
  const cpuNote = (r: ProjectionRebuild) =>
    [
      r.cpuSeconds === undefined ? '' : `CPU ${r.cpuSeconds.toFixed(1)} s (all threads)`,
      r.foldSeconds === undefined
        ? ''
        : `partitioned fold ${r.foldSeconds.toFixed(1)} s, then commit + indexes ${(r.seconds - r.foldSeconds).toFixed(1)} s`,
      r.parts === undefined
        ? ''
        : `threads (CPU / wall s): ${r.parts.map((p) => `${p.cpuSeconds?.toFixed(1) ?? '?'} / ${p.wallSeconds?.toFixed(1) ?? '?'}`).join(', ')}`,
    ]
      .filter(Boolean)
      .join('; ');
  const rows: ThroughputRow[] = [
    ...sequential.map((r) => ({
      ...throughput(`rebuild ${r.projection}${onThreads}`, r.events, r.seconds, cpuNote(r)),
      kind: 'measured' as const,
    })),
    ...single.map((r) => ({
      ...throughput(`rebuild ${r.projection}, runner's thread alone`, r.events, r.seconds, cpuNote(r)),
      kind: 'info' as const,
    })),
    {
      ...totalOf(
        `rebuild ${names.join(' + ')}, one after the other`,
        sequential,
        sequential.reduce((s, r) => s + r.seconds, 0),
      ),
      kind: 'info',
    },
    {
      ...totalOf(
        threads > 1 ? 'all projections in one pass' : `rebuild ${names.join(' + ')}, concurrent, one process`,
        concurrent,
        concurrentSeconds,
        [
          caughtUp(concurrent),
          `CPU ${((concurrentCpu.user + concurrentCpu.system) / 1e6).toFixed(1)} s (all threads)`,
          ...concurrent
            .filter((r) => r.foldSeconds !== undefined)
            .map(
              (r) =>
                `${r.projection}: pass ${r.foldSeconds?.toFixed(1)} s, then its commit + indexes ${(r.seconds - (r.foldSeconds ?? 0)).toFixed(1)} s`,
            ),
          ...concurrent
            .filter((r) => r.parts !== undefined)
            .slice(0, 1)
            .map(
              (r) =>
                `pass threads (CPU / wall s): ${r.parts?.map((p) => `${p.cpuSeconds?.toFixed(1) ?? '?'} / ${p.wallSeconds?.toFixed(1) ?? '?'}`).join(', ')}`,
            ),
        ].join('; '),
      ),
      kind: 'measured',
      ...(threads > 1 ? { target: PASS_TARGET } : {}),
    },
  ];
  if (o.workers) {
    progress('rebuilding all projections in worker threads, one per projection');
    removeDatabase(scratch);
    const t0 = performance.now();
    const parts = await rebuildInWorkers({ eventsFile: log.file, readsFile: scratch, projections: names, batchSize });
    rows.push({
      ...totalOf(`rebuild ${names.join(' + ')}, one worker thread each`, parts, (performance.now() - t0) / 1000, caughtUp(parts)),
      kind: 'info',
    });
  }
  const whatIf: { batched: ProjectionRebuild[]; inMemory: InMemoryRebuild[] } = { batched: [], inMemory: [] };
  if (o.whatIf) {
    for (const name of names) {
      progress(`what if: ${name} with batches of ${WHAT_IF_BATCH}, then folded in memory and written once`);
      const batched = await alone(name, WHAT_IF_BATCH);
      whatIf.batched.push(batched);
      rows.push({ ...throughput(`what if: rebuild ${name}, batches of ${WHAT_IF_BATCH}`, batched.events, batched.seconds), kind: 'info' });
      removeDatabase(scratch);
      const memory = await rebuildInMemory(log.file, scratch, name);
      whatIf.inMemory.push(memory);
      rows.push({
        ...throughput(
          `what if: ${name} folded in memory, each doc written once`,
          memory.events,
          memory.foldSeconds + memory.writeSeconds,
          `fold ${memory.foldSeconds.toFixed(1)} s, write ${memory.documents} docs ${memory.writeSeconds.toFixed(1)} s`,
        ),
        kind: 'info',
      });
    }
  }
  removeDatabase(scratch);
  return { rows, readsFile, sequential, single, concurrent, whatIf };
}

const removeDatabase = (file: string) => {
  for (const path of [file, `${file}-wal`, `${file}-shm`]) rmSync(path, { force: true });
};

/** The rebuilt read model must hold what the generator decided: every case, in its final status. */
async function checkReadModel(readsFile: string, history: HistoryCounts | null) {
  const reads = new SqliteReadStore(readsFile);
  try {
    const collection = collectionOf('cases', 1);
    const byStatus = Object.fromEntries(
      await Promise.all(
        (['referred', 'active', 'rejected', 'closed'] as const).map(
          async (status) => [status, await reads.count(collection, [{ field: 'status', op: 'eq', value: status }])] as const,
        ),
      ),
    ) as Record<CaseDoc['status'], number>;
    const cases = await reads.count(collection);
    const active = await reads.find<CaseDoc>(collection, {
      filters: [{ field: 'status', op: 'eq', value: 'active' }],
      sortBy: 'receivedOn',
      limit: 1_000_000,
    });
    const caseworkers = [...new Set(active.map((d) => d.doc.assignedCaseworkerId).filter((id): id is string => id !== null))].sort();
    if (history) {
      const expected = JSON.stringify(history.byStatus);
      if (cases !== history.cases || JSON.stringify(byStatus) !== expected) {
        throw new Error(
          `the rebuilt cases model disagrees with the generator: ${cases} cases ${JSON.stringify(byStatus)}, expected ${history.cases} ${expected}`,
        );
      }
    }
    return { cases, byStatus, caseworkers };
  } finally {
    await reads.close();
  }
}

function targetsOf(rows: readonly ThroughputRow[], scan: Throughput, caseload: CaseloadResult, ryw: ReadYourWritesPass): Target[] {
  const rebuildTargets = rows
    .filter((r) => r.kind === 'measured')
    .flatMap((r): Target[] => {
      const ratio = r.seconds / r.events / (scan.seconds / scan.events);
      const { eventsPerSecond, maxScanRatio } = r.target ?? { eventsPerSecond: EVENTS_PER_SECOND, maxScanRatio: MAX_SCAN_RATIO };
      return [
        {
          target: `${r.name}: ≥ ${eventsPerSecond.toLocaleString('en-US')} events/s`,
          met: r.eventsPerSecond >= eventsPerSecond,
          measured: `${Math.round(r.eventsPerSecond).toLocaleString('en-US')} events/s`,
        },
        { target: `${r.name}: ≤ ${maxScanRatio}× the store scan`, met: ratio <= maxScanRatio, measured: `${ratio.toFixed(2)}×` },
      ];
    });
  return [
    ...rebuildTargets,
    {
      target: `caseload p99 ≤ ${CASELOAD_P99_MS} ms`,
      met: caseload.overall.p99 <= CASELOAD_P99_MS,
      measured: `p99 ${caseload.overall.p99.toFixed(2)} ms over ${caseload.overall.count} queries`,
    },
    {
      target: `read-your-writes (cases) p99 ≤ ${READ_YOUR_WRITES_P99_MS} ms`,
      met: ryw.cases.p99 <= READ_YOUR_WRITES_P99_MS && ryw.stale === 0,
      measured: `p99 ${ryw.cases.p99.toFixed(2)} ms over ${ryw.cases.count} commands, ${ryw.stale} stale reads`,
    },
  ];
}

const describeHistory = (h: HistoryCounts): string =>
  [
    `${h.cases.toLocaleString('en-US')} cases of ${h.households.toLocaleString('en-US')} households (${h.repeatCases} repeat cases), ${h.firstOn} – ${h.lastOn}`,
    `${h.events.toLocaleString('en-US')} events: ${h.caseEvents.toLocaleString('en-US')} case events, ${h.householdEvents.toLocaleString('en-US')} household reservations`,
    `by type: ${Object.entries(h.byType)
      .map(([t, n]) => `${t} ${n}`)
      .join(', ')}`,
    `status at the end: ${Object.entries(h.byStatus)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}; housing secured ${h.housingSecured} of ${h.approved} approved`,
    `extended ${h.extendedCases}, reassigned ${h.reassignedCases}, out-of-order visits ${h.outOfOrderVisits}; ${h.caseworkers} caseworkers, ${h.fachstelle} Fachstelle users`,
  ].join('\n');

async function runRebuild(o: RebuildOptions): Promise<void> {
  const machine = describeMachine();
  const startedAt = new Date().toISOString();
  const loadBefore = loadAverage();
  progress(`${machineLine(machine)}; load average ${loadBefore}`);
  if (loadBefore > LOAD_WARNING) progress('warning: the machine is busy, figures will be pessimistic');
  const work = makeTempDir('wih-bench-rebuild-');
  let keptLog: string | null = null;
  try {
    const log = await prepareLog(o, work);
    progress('raw scans of the case category');
    const bare = bareScan(log.file);
    const scan = await storeScan(log.file, SCAN_BATCH);
    const rebuilt = await rebuilds(o, log, work);
    const check = await checkReadModel(rebuilt.readsFile, log.history);
    progress(`read model checked: ${check.cases} cases ${JSON.stringify(check.byStatus)}`);

    progress(`caseload: ${o.queries} queries`);
    const caseload = await caseloadLatency(new SqliteReadStore(rebuilt.readsFile), {
      queries: o.queries,
      warmup: Math.min(200, o.queries),
      seed: o.seed,
      caseworkers: check.caseworkers,
      today: businessDateOf(new Date()),
    });

    let eventsFile = log.file;
    if (log.pristine) {
      eventsFile = join(work.path, 'events-written.sqlite');
      copyFileSync(log.file, eventsFile);
    }
    progress(`read-your-writes: ${o.commands} commands with the projections running live`);
    const ryw = await readYourWrites({
      eventsFile,
      readsFile: rebuilt.readsFile,
      warmup: Math.min(50, o.commands),
      seed: o.seed,
      passes: [
        { commands: o.commands, pollMs: API_POLL_MS },
        { commands: Math.ceil(o.commands / 2), pollMs: FAST_POLL_MS },
      ],
    });
    const [apiPoll, fastPoll] = ryw.passes;

    const rows: ThroughputRow[] = [{ ...bare, kind: 'info' }, { ...scan, kind: 'baseline' }, ...rebuilt.rows];
    const targets = targetsOf(rebuilt.rows, scan, caseload, apiPoll);
    const load = { before: loadBefore, after: loadAverage() };
    console.log(`\nRebuild (read side) — ${machineLine(machine)}; load average ${load.before} → ${load.after}\n`);
    if (log.history) console.log(`${describeHistory(log.history)}\n`);
    console.log(throughputTable(rows, scan, bare));
    for (const row of rows.filter((r) => r.note)) console.log(`  ${row.name}: ${row.note}`);
    console.log(`\nWhere a rebuild's time goes (µs per event, each projection alone):\n`);
    console.log(
      breakdownTable([
        ...rebuilt.sequential,
        ...rebuilt.single.map((r) => ({ ...r, projection: `${r.projection}, one thread` })),
        ...rebuilt.whatIf.batched.map((r) => ({ ...r, projection: `${r.projection}, batches of ${WHAT_IF_BATCH}` })),
      ]),
    );
    console.log('');
    console.log(
      latencyTable([
        { name: 'caseload, all queries', latency: caseload.overall },
        ...Object.entries(caseload.byKind).map(([kind, latency]) => ({ name: `  ${kind}`, latency })),
        { name: `read-your-writes: cases doc shows the write (poll ${API_POLL_MS} ms)`, latency: apiPoll.cases },
        { name: `read-your-writes: timeline shows the write (poll ${API_POLL_MS} ms)`, latency: apiPoll.timeline },
        { name: 'the command itself (context)', latency: apiPoll.command },
        { name: `read-your-writes: cases, poll ${FAST_POLL_MS} ms (info)`, latency: fastPoll.cases },
        { name: `read-your-writes: timeline, poll ${FAST_POLL_MS} ms (info)`, latency: fastPoll.timeline },
      ]),
    );
    console.log(`\n${formatTargets(targets)}`);
    const out = resolve(o.out);
    writeJson(out, {
      benchmark: 'rebuild',
      startedAt,
      machine,
      load,
      options: o,
      history: log.history,
      baseline: scan.name,
      throughput: rows.map((r) => ({
        ...r,
        timeToStoreScan: r.seconds / r.events / (scan.seconds / scan.events),
        timeToBareScan: r.seconds / r.events / (bare.seconds / bare.events),
      })),
      projections: { sequential: rebuilt.sequential, singleThread: rebuilt.single, concurrent: rebuilt.concurrent, whatIf: rebuilt.whatIf },
      readModel: { cases: check.cases, byStatus: check.byStatus, caseworkers: check.caseworkers.length },
      caseload,
      readYourWrites: ryw,
      targets,
    });
    console.log(`\nresults written to ${o.out}`);
    if (o.keep && o.file === undefined) keptLog = log.file;
  } finally {
    if (keptLog) {
      // Everything but the log and its counts goes.
      for (const name of ['read.sqlite', 'read-scratch.sqlite', 'events-written.sqlite']) removeDatabase(join(work.path, name));
      work.keep();
      console.log(`kept the log: ${keptLog} (reuse it with --file)`);
    } else {
      work.remove();
    }
  }
}

export const rebuildCommand = (): Command =>
  new Command('rebuild')
    .description('read side: rebuild of every projection from a generated history vs raw scans; caseload and read-your-writes latency')
    .option('--cases <n>', 'cases in the generated history', positiveInt, 100_000)
    .option('--seed <n>', 'seed of the generated history', positiveInt, 1)
    .option('--file <path>', 'event log to use: reused when it exists, else generated there (and kept)')
    .option('--keep', 'keep the generated log (and its counts) for a later --file run', false)
    .option('--queries <n>', 'measured caseload queries', positiveInt, 2000)
    .option('--commands <n>', 'measured read-your-writes commands', positiveInt, 1000)
    .option('--batch-size <n>', "the projection runner's batch size (default: the shipped one)", positiveInt)
    .option(
      '--threads <n>',
      'threads a rebuild folds on (worker threads, split by stream); 1: the runner alone',
      positiveInt,
      availableParallelism(),
    )
    .option('--workers', 'also rebuild with one worker thread per projection', false)
    .option('--what-if', `also rebuild with batches of ${WHAT_IF_BATCH}, and folded in memory with each document written once`, false)
    .option('--out <file>', 'where the JSON results go', 'tmp/bench-rebuild.json')
    .action((options: RebuildOptions) => runRebuild(options));
