import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { httpRuns, type HttpOptions } from './http-runs';
import { inProcessRuns, inProcessWithoutFsync, type InProcessOptions } from './in-process';
import { describeMachine, loadAverage, machineLine } from './machine';
import { rawInsertBaseline } from './raw-sqlite';
import { formatTable, formatTargets, ratiosTo, writeJson, type Target } from './report';
import { named, type RunResult } from './result';

interface AppendOptions extends InProcessOptions, HttpOptions {
  readonly out: string;
}

const COMMANDS_PER_SECOND = 5000;
const HTTP_P99_MS = 10;
const LOAD_WARNING = 0.5;

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

const progress = (message: string) => console.error(`[bench append] ${message}`);

/** What the targets ask for, read off the runs they are about. */
function targetsOf(o: AppendOptions, sequential: RunResult, concurrent: RunResult, open: RunResult): Target[] {
  const perSecond = (run: RunResult): Target => ({
    target: `in-process ≥ ${COMMANDS_PER_SECOND} commands/s (${run.name})`,
    met: run.opsPerSecond >= COMMANDS_PER_SECOND && run.errors === 0,
    measured: `${run.opsPerSecond.toFixed(0)} commands/s, ${run.errors} errors`,
  });
  // The rate counts as achieved within 2 %: the last answers arrive after the last scheduled send.
  const achieved = open.opsPerSecond >= 0.98 * o.rate;
  return [perSecond(sequential), perSecond(concurrent), {
    target: `HTTP p99 ≤ ${HTTP_P99_MS} ms at ${o.rate} requests/s, no errors`,
    met: open.latency.p99 <= HTTP_P99_MS && open.errors === 0 && achieved,
    measured: `p99 ${open.latency.p99.toFixed(2)} ms at ${open.opsPerSecond.toFixed(1)} requests/s, ${open.errors} errors`,
  }];
}

async function runAppend(o: AppendOptions): Promise<void> {
  const machine = describeMachine();
  const startedAt = new Date().toISOString();
  const loadBefore = loadAverage();
  progress(`${machineLine(machine)}; load average ${loadBefore}`);
  if (loadBefore > LOAD_WARNING) progress('warning: the machine is busy, figures will be pessimistic (and fsync times noisy)');
  progress('raw SQLite inserts');
  const raw = named('raw SQLite insert, synchronous=FULL', 'baseline',
    rawInsertBaseline({ rows: o.commands, streams: o.cases, warmup: o.warmup, synchronous: 'FULL' }));
  const rawNormal = named('raw SQLite insert, synchronous=NORMAL', 'info',
    rawInsertBaseline({ rows: o.commands, streams: o.cases, warmup: o.warmup, synchronous: 'NORMAL' }));
  progress('in-process command handling');
  const inProcess = await inProcessRuns(o);
  const withoutFsync = await inProcessWithoutFsync(o);
  progress(`HTTP: ${o.rate} requests/s for ${o.seconds} s, then ${o.clients} clients for ${o.closedSeconds} s`);
  const http = await httpRuns(o);
  const runs = [raw, rawNormal, ...inProcess, withoutFsync, ...http];
  const sequential = inProcess.find((r) => r.name === 'in-process visits, sequential') as RunResult;
  const concurrent = inProcess.find((r) => r.name === `in-process visits, ${o.concurrency} in flight`) as RunResult;
  const targets = targetsOf(o, sequential, concurrent, http[0]);
  const load = { before: loadBefore, after: loadAverage() };
  console.log(`\nAppend (write side) — ${machineLine(machine)}; load average ${load.before} → ${load.after}\n`);
  console.log(formatTable(raw, runs));
  console.log(`\n${formatTargets(targets)}`);
  const out = resolve(o.out);
  const results = runs.map((run) => ({ ...run, ratios: ratiosTo(raw, run) }));
  writeJson(out, { benchmark: 'append', startedAt, machine, load, options: o, baseline: raw.name, results, targets });
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
    .action((options: AppendOptions) => runAppend(options));
