import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { httpRuns, OPEN_LOOP_PREFIX, type HttpOptions } from './http-runs';
import { IN_FLIGHT_PREFIX, inProcessRuns, inProcessWithoutFsync, SEQUENTIAL, type InProcessOptions } from './in-process';
import { describeMachine, loadAverage, machineLine } from './machine';
import { rawInsertAtRate, rawInsertBaseline } from './raw-sqlite';
import { formatGroupCommit, groupCommitPart } from './group-commit';
import { formatMonitor } from './monitor-report';
import { formatTable, formatTargets, ratiosTo, writeJson, type Target } from './report';
import { named, type RunResult } from './result';

interface AppendOptions extends InProcessOptions, HttpOptions {
  readonly out: string;
  /** `--in-flight 32,128`: group commit at these counts against raw batches of the same size; `--no-group-commit` skips it. */
  readonly inFlight: number[];
  readonly groupCommit: boolean;
  /** `--no-in-process` / `--no-http` skip a part; the raw baseline always runs (ratios need it). */
  readonly inProcess: boolean;
  readonly http: boolean;
}

const COMMANDS_PER_SECOND = 5000;
const HTTP_P99_MS = 10;
const LOAD_WARNING = 0.5;

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

const positiveIntList = (value: string): number[] => value.split(',').map((v) => positiveInt(v.trim()));

const progress = (message: string) => console.error(`[bench append] ${message}`);

/** What the targets ask for, read off the runs they are about (absent when a part was skipped). */
function targetsOf(o: AppendOptions, runs: readonly RunResult[]): Target[] {
  const find = (name: string) => runs.find((r) => r.name === name);
  const perSecond = (run: RunResult): Target => ({
    target: `in-process ≥ ${COMMANDS_PER_SECOND} commands/s (${run.name})`,
    met: run.opsPerSecond >= COMMANDS_PER_SECOND && run.errors === 0,
    measured: `${run.opsPerSecond.toFixed(0)} commands/s, ${run.errors} errors`,
  });
  // The rate counts as achieved within 2 %: the last answers arrive after the last scheduled send.
  const http = (run: RunResult): Target => ({
    target: `HTTP p99 ≤ ${HTTP_P99_MS} ms at ${o.rate} requests/s, no errors`,
    met: run.latency.p99 <= HTTP_P99_MS && run.errors === 0 && run.opsPerSecond >= 0.98 * o.rate,
    measured: `p99 ${run.latency.p99.toFixed(2)} ms at ${run.opsPerSecond.toFixed(1)} requests/s, ${run.errors} errors`,
  });
  const sequential = find(SEQUENTIAL);
  const concurrent = find(`${IN_FLIGHT_PREFIX}${o.concurrency} in flight`);
  const open = find(`${OPEN_LOOP_PREFIX}${o.rate}/s`);
  return [...(sequential ? [perSecond(sequential)] : []), ...(concurrent ? [perSecond(concurrent)] : []), ...(open ? [http(open)] : [])];
}

async function inProcessParts(o: AppendOptions): Promise<RunResult[]> {
  progress('in-process command handling');
  return [...(await inProcessRuns(o)), await inProcessWithoutFsync(o)];
}

async function httpPart(o: AppendOptions): Promise<RunResult[]> {
  progress(`raw SQLite inserts at ${o.rate}/s for ${o.seconds} s`);
  const paced = await rawInsertAtRate({ rate: o.rate, seconds: o.seconds, streams: o.httpCases });
  progress(`HTTP: ${o.rate} requests/s for ${o.seconds} s, then ${o.clients} clients for ${o.closedSeconds} s`);
  return [
    named(`raw SQLite insert, synchronous=FULL, open loop at ${o.rate}/s`, 'info', paced, { sendLag: paced.sendLag }),
    ...(await httpRuns(o)),
  ];
}

async function runAppend(o: AppendOptions): Promise<void> {
  const machine = describeMachine();
  const startedAt = new Date().toISOString();
  const loadBefore = loadAverage();
  progress(`${machineLine(machine)}; load average ${loadBefore}`);
  if (loadBefore > LOAD_WARNING) progress('warning: the machine is busy, figures will be pessimistic (and fsync times noisy)');
  progress('raw SQLite inserts');
  const raw = named(
    'raw SQLite insert, synchronous=FULL',
    'baseline',
    await rawInsertBaseline({ rows: o.commands, streams: o.cases, warmup: o.warmup, synchronous: 'FULL' }),
  );
  const rawNormal = named(
    'raw SQLite insert, synchronous=NORMAL',
    'info',
    await rawInsertBaseline({ rows: o.commands, streams: o.cases, warmup: o.warmup, synchronous: 'NORMAL' }),
  );
  const inProcess = o.inProcess ? await inProcessParts(o) : [];
  if (o.groupCommit) progress(`group commit at ${o.inFlight.join(', ')} in flight against raw batched inserts`);
  const groupCommit = o.groupCommit ? await groupCommitPart(o, o.inFlight) : undefined;
  const http = o.http ? await httpPart(o) : [];
  const runs = [raw, rawNormal, ...inProcess, ...http];
  const targets = targetsOf(o, runs);
  const load = { before: loadBefore, after: loadAverage() };
  console.log(`\nAppend (write side) — ${machineLine(machine)}; load average ${load.before} → ${load.after}\n`);
  console.log(formatTable(raw, runs));
  for (const run of runs) if (run.monitor) console.log(`\n${formatMonitor(run.name, run.monitor)}`);
  if (groupCommit) console.log(`\nGroup commit against raw batched FULL inserts (same run):\n${formatGroupCommit(groupCommit)}`);
  console.log(`\n${formatTargets(targets)}`);
  const out = resolve(o.out);
  const results = runs.map((run) => ({ ...run, ratios: ratiosTo(raw, run) }));
  writeJson(out, { benchmark: 'append', startedAt, machine, load, options: o, baseline: raw.name, results, groupCommit, targets });
  console.log(`\nresults written to ${o.out}`);
}

export const appendCommand = (): Command =>
  new Command('append')
    .description('write side: raw SQLite inserts vs in-process command handling vs the HTTP API')
    .option('--commands <n>', 'visits per in-process run (and rows per raw run)', positiveInt, 20_000)
    .option('--cases <n>', 'cases the in-process visits are spread over', positiveInt, 1000)
    .option('--concurrency <n>', 'commands in flight in the concurrent in-process runs', positiveInt, 8)
    .option('--hot-cases <n>', 'cases of the contended in-process run', positiveInt, 64)
    .option('--hot-commands <n>', 'visits of the contended in-process run', positiveInt, 2000)
    .option('--warmup <n>', 'unmeasured operations before each measured series', positiveInt, 500)
    .option('--rate <n>', 'HTTP arrival rate, requests/s', positiveInt, 200)
    .option('--seconds <n>', 'duration of the fixed-rate HTTP run', positiveInt, 15)
    .option('--http-cases <n>', 'cases the HTTP visits are spread over', positiveInt, 500)
    .option('--clients <n>', 'concurrent clients of the closed-loop HTTP run', positiveInt, 8)
    .option('--closed-seconds <n>', 'duration of the closed-loop HTTP run', positiveInt, 10)
    .option('--out <file>', 'where the JSON results go', 'tmp/bench-append.json')
    .option('--in-flight <list>', 'group commit: commands in flight, comma-separated', positiveIntList, [32, 128])
    .option('--no-group-commit', 'skip the group-commit runs')
    .option('--no-in-process', 'skip the in-process runs')
    .option('--no-http', 'skip the HTTP runs')
    .option('--api <main.js>', 'run another compiled API (e.g. an earlier build) in the HTTP runs')
    .option('--monitor', "preload an event-loop/GC monitor into the API and explain the open loop's tail", false)
    .action((options: AppendOptions) => runAppend(options));
