import { businessDateOf } from '@wih/domain';
import { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startApi, type RunningApi } from './api-process';
import { makeTempDir } from './cleanup';
import { closedLoop, openLoop, type OpenLoopResult } from './drive';
import { CASEWORKER, FACHSTELLE, makeFixtures } from './fixtures';
import { generateHistory } from './history';
import { ApiClient } from './http-client';
import { describeMachine, loadAverage, machineLine } from './machine';

interface ReportLoadOptions {
  cases: number;
  seed: number;
  file?: string;
  rate: number;
  seconds: number;
  httpCases: number;
  warmup: number;
  out: string;
  api?: string;
}

const EVALUATOR = { userId: 'eva', role: 'evaluator' } as const;
const progress = (message: string) => console.error(`[bench report-load] ${message}`);

interface Run {
  readonly name: string;
  readonly commands: Omit<OpenLoopResult, 'requests'>;
  readonly reports?: { count: number; seconds: number[] };
}

/**
 * `npm run bench -- report-load`: HTTP visits at a fixed rate (open loop, as in `append`) against
 * the compiled API on the generated history (100,000 cases, ~1M events), first without, then while
 * annual reports over that history are built back to back, then without again (drift). Projections
 * are off in the API (RUN_PROJECTIONS=false, as in production with apps/projector), so the only
 * difference between the runs is the report. Rate limits are lifted: they are not measured here.
 */
async function run(o: ReportLoadOptions): Promise<void> {
  const machine = describeMachine();
  const temp = makeTempDir('wih-bench-report-load-');
  const file = o.file ?? join(temp.path, 'events.sqlite');
  try {
    if (!existsSync(file)) {
      progress(`generating ${o.cases} cases (seed ${o.seed})`);
      const counts = await generateHistory({ cases: o.cases, seed: o.seed, file });
      progress(`${counts.caseEvents} case events in ${counts.seconds.toFixed(1)} s`);
    }
    const loadBefore = loadAverage();
    progress(`${machineLine(machine)}; load average ${loadBefore}`);
    const api = await startApi({
      main: o.api,
      listening: true,
      prepare: (dir) => copyFileSync(file, join(dir, 'events.sqlite')),
      env: { RUN_PROJECTIONS: 'false', RUN_RETENTION: 'false', RATE_LIMIT: 'off', RATE_LIMIT_EVALUATION: 'off' },
    });
    try {
      const runs = await measure(api, o);
      const load = { before: loadBefore, after: loadAverage() };
      report(runs, machineLine(machine), load, o);
      mkdirSync(join(o.out, '..'), { recursive: true });
      writeFileSync(
        o.out,
        `${JSON.stringify({ benchmark: 'report-load', machine, load, options: o, baseline: runs[0].name, runs }, null, 2)}\n`,
      );
      console.log(`results written to ${o.out}`);
    } finally {
      await api.stop();
    }
  } finally {
    temp.remove();
  }
}

async function measure(api: RunningApi, o: ReportLoadOptions): Promise<Run[]> {
  const caseworker = new ApiClient(api.baseUrl, api.secret, CASEWORKER);
  const fachstelle = new ApiClient(api.baseUrl, api.secret, FACHSTELLE);
  const evaluator = new ApiClient(api.baseUrl, api.secret, EVALUATOR);
  const fixtures = makeFixtures();
  const ids = Array.from({ length: o.httpCases }, () => randomUUID());
  const setup = [
    await closedLoop((i) => caseworker.post('/api/cases', JSON.stringify(fixtures.referral(ids[i]))), {
      concurrency: 4,
      total: ids.length,
    }),
    await closedLoop((i) => fachstelle.post(`/api/cases/${ids[i]}/approval`, JSON.stringify(fixtures.approval)), {
      concurrency: 4,
      total: ids.length,
    }),
  ];
  if (setup.some((r) => r.errors > 0)) throw new Error(`setup failed: ${JSON.stringify(setup.map((r) => r.errorKinds))}`);
  const body = JSON.stringify(fixtures.visit);
  const post = (i: number) => caseworker.post(`/api/cases/${ids[i % ids.length]}/visits`, body);
  await closedLoop(post, { concurrency: 1, total: o.warmup });
  const year = Number(businessDateOf(new Date()).slice(0, 4)) - 1;
  // One report first, unmeasured: starts the evaluation thread and warms the page cache for the log.
  progress(`a first annual report ${year} (warm-up)`);
  await evaluator.get(`/api/evaluation/annual-report/${year}`);

  const plain = async (name: string): Promise<Run> => {
    progress(`${name}: ${o.rate} visits/s for ${o.seconds} s`);
    const { requests: _requests, ...commands } = await openLoop(post, { rate: o.rate, seconds: o.seconds });
    return { name, commands };
  };
  const withReports = async (name: string): Promise<Run> => {
    progress(`${name}: ${o.rate} visits/s for ${o.seconds} s, annual reports back to back`);
    let running = true;
    const seconds: number[] = [];
    const reports = (async () => {
      while (running) {
        const started = performance.now();
        await evaluator.get(`/api/evaluation/annual-report/${year}`);
        seconds.push((performance.now() - started) / 1000);
      }
    })();
    const { requests: _requests, ...commands } = await openLoop(post, { rate: o.rate, seconds: o.seconds });
    running = false;
    await reports;
    return { name, commands, reports: { count: seconds.length, seconds } };
  };
  return [
    await plain('visits, no report (baseline)'),
    await withReports('visits while annual reports are built'),
    await plain('visits, no report (again, drift)'),
  ];
}

function report(runs: Run[], machine: string, load: { before: number; after: number }, o: ReportLoadOptions): void {
  const base = runs[0].commands.latency;
  console.log(`\nCommands during an annual report — ${machine}; load average ${load.before} → ${load.after}; ${o.cases} cases\n`);
  console.log(
    `${'run'.padEnd(42)}  ${'req/s'.padStart(7)}  ${'p50 ms'.padStart(7)}  ${'p99 ms'.padStart(7)}  ${'max ms'.padStart(8)}  ${'p99 ÷ base'.padStart(10)}  errors  reports (s)`,
  );
  for (const { name, commands, reports } of runs) {
    const l = commands.latency;
    const built = reports ? `${reports.count}: ${reports.seconds.map((s) => s.toFixed(1)).join(', ')}` : '–';
    console.log(
      `${name.padEnd(42)}  ${commands.opsPerSecond.toFixed(1).padStart(7)}  ${l.p50.toFixed(2).padStart(7)}  ${l.p99.toFixed(2).padStart(7)}  ${l.max.toFixed(1).padStart(8)}  ${`${(l.p99 / base.p99).toFixed(2)}×`.padStart(10)}  ${String(commands.errors).padStart(6)}  ${built}`,
    );
  }
}

export const reportLoadCommand = (): Command =>
  new Command('report-load')
    .description(
      'HTTP command latency at a fixed rate while annual reports over the generated history are built, against the same load without',
    )
    .option('--cases <n>', 'cases to generate', (v) => Number(v), 100_000)
    .option('--seed <n>', 'seed of the generator', (v) => Number(v), 1)
    .option('--file <path>', 'reuse a generated event log (generated there when missing)')
    .option('--rate <n>', 'HTTP arrival rate, requests/s', (v) => Number(v), 200)
    .option('--seconds <n>', 'duration of each fixed-rate run', (v) => Number(v), 20)
    .option('--http-cases <n>', 'cases the visits are spread over', (v) => Number(v), 500)
    .option('--warmup <n>', 'unmeasured visits before the runs', (v) => Number(v), 500)
    .option('--api <main.js>', 'run another compiled API (e.g. an earlier build)')
    .option('--out <file>', 'results as JSON', 'tmp/bench-report-load.json')
    .action((options: ReportLoadOptions) => run(options));
