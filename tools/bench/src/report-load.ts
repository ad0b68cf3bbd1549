import { businessDateOf } from '@wih/domain';
import { PROJECTIONS } from '@wih/projections';
import { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApi, type RunningApi } from './api-process';
import { makeTempDir } from './cleanup';
import { closedLoop, openLoop, type OpenLoopResult } from './drive';
import { CASEWORKER, FACHSTELLE, makeFixtures } from './fixtures';
import { generateHistory } from './history';
import { ApiClient, HttpError } from './http-client';
import { summaryOf } from './http-runs';
import { cpuSecondsOf, describeMachine, diskSettled, higher, loadAverage, machineLine, pendingWritesMiB } from './machine';
import type { MonitorSummary } from './monitor-report';
import { startProjector } from './projector-process';

interface ReportLoadOptions {
  cases: number;
  seed: number;
  file?: string;
  rate: number;
  seconds: number;
  httpCases: number;
  warmup: number;
  evaluators: number;
  evaluationThreads: number;
  apart: boolean;
  monitor: boolean;
  out: string;
  api?: string;
  projector?: string;
  /** More environment for the API process (from KEY=VALUE), e.g. to take a part out for a comparison. */
  apiEnv: Record<string, string>;
  /** Only the visits alone, this many times (0: the whole set of runs). */
  baselines: number;
  /** READ_DIR for the API and the projector: the read store on another disk (decision 0052). */
  readDir?: string;
}

const ADMIN = { userId: 'admin-1', role: 'admin' } as const;
const target = { p99Ms: 10 };
const progress = (message: string) => console.error(`[bench report-load] ${message}`);
const seconds = (from: number) => (performance.now() - from) / 1000;

/** One annual report as one evaluator saw it: when it was asked (s into the run) and how long it took. */
interface ReportTiming {
  readonly evaluator: number;
  readonly at: number;
  readonly seconds: number;
}

/** One projection's rebuild: from the POST to the first poll that saw it done, and the server's own times. */
interface RebuildTiming {
  readonly name: string;
  readonly seconds: number;
  readonly status: string;
  readonly server: { readonly startedAt: string; readonly finishedAt: string | null; readonly total: number };
}

interface Run {
  readonly name: string;
  readonly load: { readonly before: number; readonly after: number };
  readonly commands: Omit<OpenLoopResult, 'requests'>;
  readonly reports?: readonly ReportTiming[];
  readonly rebuild?: { readonly seconds: number; readonly projections: readonly RebuildTiming[] };
  readonly monitor?: MonitorSummary;
  /** The most page cache waiting to be written to disk during the run (MiB; Linux only). */
  readonly pendingWritesPeakMiB: number | null;
  /** CPU seconds over the run: the API (all threads; its main thread alone), the projector, the load generator. */
  readonly cpuSeconds: CpuSample;
}

interface RebuildStatus {
  readonly status: 'running' | 'done' | 'failed' | 'cancelled';
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly total: number;
  readonly error: string | null;
}

/**
 * `npm run bench -- report-load`: HTTP visits at a fixed rate (open loop, as in `append`) against
 * the compiled API on the generated history (100,000 cases, ~1M events), with `apps/projector` as
 * its own process on the same data directory (RUN_PROJECTIONS=false in the API, the production
 * layout): first without other load, then while evaluators ask for annual reports back to back and
 * every projection is rebuilt (POST …/rebuild as admin, run by the projector), then without again
 * (drift). `--apart` adds the reports alone and the rebuild alone, to tell their shares apart. Rate
 * limits are lifted: they are not measured here.
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
    let dataDir = '';
    // A directory of its own per run, removed with the run's data directory.
    const readDirEnv: Record<string, string> = o.readDir ? { READ_DIR: join(o.readDir, `wih-bench-read-${process.pid}`) } : {};
    const api = await startApi({
      main: o.api,
      monitor: o.monitor,
      listening: true,
      // A copy: the runs append to it, the given log stays as it was.
      prepare: (dir) => {
        dataDir = dir;
        copyFileSync(file, join(dir, 'events.sqlite'));
      },
      env: {
        RUN_PROJECTIONS: 'false',
        RUN_RETENTION: 'false',
        RATE_LIMIT: 'off',
        RATE_LIMIT_EVALUATION: 'off',
        EVALUATION_THREADS: String(o.evaluationThreads),
        ...readDirEnv,
        ...o.apiEnv,
      },
    });
    const projector = startProjector(dataDir, readDirEnv, o.projector);
    try {
      const { runs, setup } = await measure(api, projector.child.pid, o);
      const load = { before: loadBefore, after: loadAverage() };
      report(runs, machineLine(machine), load, o);
      mkdirSync(join(o.out, '..'), { recursive: true });
      const baseline = runs[0];
      writeFileSync(
        o.out,
        `${JSON.stringify(
          {
            benchmark: 'report-load',
            startedAt: new Date().toISOString(),
            machine,
            load,
            options: o,
            setup,
            baseline: baseline.name,
            runs: runs.map((r) => ({ ...r, p99RatioToBaseline: r.commands.latency.p99 / baseline.commands.latency.p99 })),
          },
          null,
          2,
        )}\n`,
      );
      console.log(`results written to ${o.out}`);
    } finally {
      await projector.stop();
      await api.stop();
      if (readDirEnv.READ_DIR) rmSync(readDirEnv.READ_DIR, { recursive: true, force: true });
    }
  } finally {
    temp.remove();
  }
}

/**
 * A status poll again after a dropped connection (a keep-alive socket the server closed as it was
 * reused shows as `fetch failed`): the poll is not what is measured. An HTTP error answer throws at once.
 */
async function patiently<T>(ask: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ask();
    } catch (error) {
      if (error instanceof HttpError || attempt >= attempts) throw error;
      await sleep(200);
    }
  }
}

type CpuSample = Record<'api' | 'apiMainThread' | 'projector' | 'loadGenerator', number | null>;

/** CPU time used so far by the API (all its threads, and its main thread alone), the projector and this process. */
const cpuNow = (api: RunningApi, projectorPid: number | undefined): CpuSample => {
  const own = process.cpuUsage();
  return {
    api: cpuSecondsOf(api.pid),
    apiMainThread: cpuSecondsOf(api.pid, api.pid),
    projector: cpuSecondsOf(projectorPid),
    loadGenerator: (own.user + own.system) / 1e6,
  };
};
const cpuSince = (from: CpuSample, to: CpuSample): CpuSample =>
  Object.fromEntries(
    Object.entries(to).map(([who, s]) => {
      const before = from[who as keyof CpuSample];
      return [who, s === null || before === null ? null : s - before];
    }),
  ) as CpuSample;

/** Starts a rebuild of every projection at once and resolves when the last has finished. */
async function rebuildAll(admin: ApiClient): Promise<{ seconds: number; projections: RebuildTiming[] }> {
  const started = performance.now();
  const one = async (name: string): Promise<RebuildTiming> => {
    const from = performance.now();
    await admin.post(`/api/admin/projections/${name}/rebuild`, '{}');
    for (;;) {
      const status = await patiently(() => admin.getJson<RebuildStatus>(`/api/admin/projections/${name}/rebuild`));
      if (status.status !== 'running') {
        if (status.status !== 'done') throw new Error(`rebuild of ${name}: ${status.status} ${status.error ?? ''}`);
        const { startedAt, finishedAt, total } = status;
        return { name, seconds: seconds(from), status: status.status, server: { startedAt, finishedAt, total } };
      }
      await sleep(250);
    }
  };
  const projections = await Promise.all(PROJECTIONS.map((p) => one(p.name)));
  return { seconds: seconds(started), projections };
}

/** Until every projection runs live and has caught up with the log (nothing left to project). */
async function caughtUp(admin: ApiClient, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const statuses = await patiently(() => admin.getJson<{ status: string; lag: string }[]>('/api/admin/projections'));
    if (statuses.length === PROJECTIONS.length && statuses.every((s) => s.lag === '0')) return;
    await sleep(250);
  }
  throw new Error('the projections did not catch up');
}

async function measure(api: RunningApi, projectorPid: number | undefined, o: ReportLoadOptions) {
  const caseworker = new ApiClient(api.baseUrl, api.secret, CASEWORKER);
  const fachstelle = new ApiClient(api.baseUrl, api.secret, FACHSTELLE);
  const admin = new ApiClient(api.baseUrl, api.secret, ADMIN);
  const evaluators = Array.from(
    { length: o.evaluators },
    (_, i) => new ApiClient(api.baseUrl, api.secret, { userId: `eva-${i + 1}`, role: 'evaluator' }),
  );
  const year = Number(businessDateOf(new Date()).slice(0, 4)) - 1;

  // The read side of the copied log does not exist yet: built once with the fast path (a rebuild),
  // which stands in for a live catch-up from position 0 (the live runners would project event by event).
  progress('building the read side once (a rebuild of every projection, unmeasured)');
  const first = await rebuildAll(admin);
  await caughtUp(admin);
  progress(`read side built in ${first.seconds.toFixed(1)} s`);
  // The evaluation thread folds the log when the API starts (decision 0044): the first report waits for it.
  const firstReportFrom = performance.now();
  await evaluators[0].get(`/api/evaluation/annual-report/${year}`);
  const firstReport = seconds(firstReportFrom);
  progress(`a first annual report ${year} (warm-up; waits for the fold at start): ${firstReport.toFixed(1)} s`);

  const fixtures = makeFixtures();
  const ids = Array.from({ length: o.httpCases }, () => randomUUID());
  const created = [
    await closedLoop((i) => caseworker.post('/api/cases', JSON.stringify(fixtures.referral(ids[i]))), {
      concurrency: 4,
      total: ids.length,
    }),
    await closedLoop((i) => fachstelle.post(`/api/cases/${ids[i]}/approval`, JSON.stringify(fixtures.approval)), {
      concurrency: 4,
      total: ids.length,
    }),
  ];
  if (created.some((r) => r.errors > 0)) throw new Error(`setup failed: ${JSON.stringify(created.map((r) => r.errorKinds))}`);
  const body = JSON.stringify(fixtures.visit);
  const post = (i: number) => caseworker.post(`/api/cases/${ids[i % ids.length]}/visits`, body);
  await closedLoop(post, { concurrency: 1, total: o.warmup });
  await caughtUp(admin);

  const measured = async (name: string, load: { reports: boolean; rebuild: boolean }): Promise<Run> => {
    progress(`${name}: ${o.rate} visits/s for at least ${o.seconds} s`);
    const loadBefore = loadAverage();
    const started = performance.now();
    let running = true;
    const reports: ReportTiming[] = [];
    // Each evaluator asks for the next report when the last one answered (with fewer evaluation
    // threads than evaluators, the others' requests wait in the gate: that wait is in their time).
    const asking = load.reports
      ? evaluators.map(async (evaluator, e) => {
          while (running) {
            const from = performance.now();
            await evaluator.get(`/api/evaluation/annual-report/${year}`);
            reports.push({ evaluator: e + 1, at: (from - started) / 1000, seconds: seconds(from) });
          }
        })
      : [];
    let rebuilt: Awaited<ReturnType<typeof rebuildAll>> | undefined;
    const rebuilding = load.rebuild ? rebuildAll(admin).then((r) => (rebuilt = r)) : Promise.resolve(undefined);
    let rebuildFailed: unknown;
    rebuilding.catch((error: unknown) => (rebuildFailed = error));
    let pendingPeak = pendingWritesMiB();
    const sampling = setInterval(() => (pendingPeak = higher(pendingPeak, pendingWritesMiB())), 250);
    const cpuBefore = cpuNow(api, projectorPid);
    api.monitor?.start();
    const { requests, ...commands } = await openLoop(post, {
      rate: o.rate,
      seconds: o.seconds,
      until: () => !load.rebuild || rebuilt !== undefined || rebuildFailed !== undefined,
    });
    const monitorReport = await api.monitor?.stop();
    const cpu = cpuSince(cpuBefore, cpuNow(api, projectorPid));
    clearInterval(sampling);
    running = false;
    await Promise.all(asking);
    await rebuilding;
    await caughtUp(admin);
    const result: Run = {
      name,
      load: { before: loadBefore, after: loadAverage() },
      commands,
      ...(load.reports ? { reports } : {}),
      ...(rebuilt ? { rebuild: rebuilt } : {}),
      ...(monitorReport ? { monitor: summaryOf(monitorReport, requests) } : {}),
      pendingWritesPeakMiB: pendingPeak,
      cpuSeconds: cpu,
    };
    // Each run as soon as it is done: a later failure does not lose it.
    console.log(formatRun(result, baseline?.commands.latency.p99 ?? result.commands.latency.p99));
    console.log(`  page cache waiting for the disk: up to ${pendingPeak?.toFixed(0) ?? '?'} MiB`);
    console.log(
      `  CPU s: ${Object.entries(cpu)
        .map(([who, s]) => `${who} ${s === null ? '?' : s.toFixed(1)}`)
        .join(', ')}`,
    );
    baseline ??= result;
    return result;
  };
  let baseline: Run | undefined;

  const reportsLabel = `${o.evaluators} evaluators' annual reports back to back (EVALUATION_THREADS=${o.evaluationThreads})`;
  const settledBeforeBaseline = await diskSettled();
  progress(
    `disk settled ${s1(settledBeforeBaseline.seconds)} s after the read side was built (pending writes up to ${settledBeforeBaseline.peakMiB?.toFixed(0) ?? '?'} MiB)`,
  );
  const setup = { readSideSeconds: first.seconds, readSide: first.projections, firstReportSeconds: firstReport, settledBeforeBaseline };
  const runs: Run[] = [await measured('visits alone (baseline)', { reports: false, rebuild: false })];
  for (let again = 1; again < o.baselines; again++) runs.push(await measured('visits alone (again)', { reports: false, rebuild: false }));
  if (o.baselines > 0) return { runs, setup };
  if (o.apart) {
    runs.push(await measured(`visits while ${reportsLabel}`, { reports: true, rebuild: false }));
    runs.push(await measured('visits while every projection is rebuilt', { reports: false, rebuild: true }));
  }
  runs.push(await measured(`visits while ${reportsLabel} and every projection is rebuilt`, { reports: true, rebuild: true }));
  // Right after the rebuild (its aftermath on the disk), then once the disk has settled (drift).
  runs.push(await measured('visits alone, right after the rebuild', { reports: false, rebuild: false }));
  const settledAfterRebuild = await diskSettled();
  progress(
    `disk settled ${s1(settledAfterRebuild.seconds)} s after that (pending writes up to ${settledAfterRebuild.peakMiB?.toFixed(0) ?? '?'} MiB)`,
  );
  runs.push(await measured('visits alone (again, drift)', { reports: false, rebuild: false }));
  return { runs, setup: { ...setup, settledAfterRebuild } };
}

const s1 = (x: number) => x.toFixed(1);

function report(runs: Run[], machine: string, load: { before: number; after: number }, o: ReportLoadOptions): void {
  console.log(`\nCommands under reporting load — ${machine}; load average ${load.before} → ${load.after}; ${o.cases} cases\n`);
  for (const run of runs) console.log(formatRun(run, runs[0].commands.latency.p99));
}

function formatRun({ name, load: l, commands, reports, rebuild, monitor }: Run, baseP99: number): string {
  const lines: string[] = [];
  const c = commands.latency;
  const met = c.p99 <= target.p99Ms && commands.errors === 0;
  lines.push(
    `${name} (load ${l.before} → ${l.after}): ${commands.ops} visits in ${s1(commands.seconds)} s, ${s1(commands.opsPerSecond)}/s; ` +
      `p50 ${c.p50.toFixed(2)} / p99 ${c.p99.toFixed(2)} / max ${s1(c.max)} ms; p99 ÷ baseline ${(c.p99 / baseP99).toFixed(2)}×; ` +
      `errors ${commands.errors}${commands.errors ? ` ${JSON.stringify(commands.errorKinds)}` : ''}; send lag p99 ${commands.sendLag.p99.toFixed(2)} ms; ` +
      `p99 ≤ ${target.p99Ms} ms ${met ? 'MET' : 'NOT MET'}`,
  );
  if (reports) lines.push(`  reports (s): ${reports.map((r) => `#${r.evaluator} @${s1(r.at)} ${s1(r.seconds)}`).join(', ') || '–'}`);
  if (rebuild)
    lines.push(`  rebuild of all: ${s1(rebuild.seconds)} s (${rebuild.projections.map((p) => `${p.name} ${s1(p.seconds)} s`).join(', ')})`);
  if (monitor) {
    const pauses = Object.entries(monitor.pauses)
      .map(([cause, d]) => `${cause} ${d.count} × p99 ${s1(d.p99)} max ${s1(d.max)} ms`)
      .join('; ');
    const blame = Object.entries(monitor.tail.blame)
      .sort(([, a], [, b]) => b - a)
      .map(([cause, n]) => `${cause} ${n}`)
      .join(', ');
    lines.push(
      `  API loop: delay p99 ${s1(monitor.loopDelay.p99)} ms, CPU ${s1(monitor.cpuMs / 1000)} s; ${pauses}; ` +
        `commits ${monitor.commits.count} × p50 ${s1(monitor.commits.p50)} p99 ${s1(monitor.commits.p99)} max ${s1(monitor.commits.max)} ms; ` +
        `${monitor.tail.slow} requests > ${monitor.tail.overMs} ms overlapped most by: ${blame || '–'}`,
    );
  }
  return lines.join('\n');
}

export const reportLoadCommand = (): Command =>
  new Command('report-load')
    .description(
      'HTTP command latency at a fixed rate while evaluators build annual reports and every projection is rebuilt, against the same load without',
    )
    .option('--cases <n>', 'cases to generate', (v) => Number(v), 100_000)
    .option('--seed <n>', 'seed of the generator', (v) => Number(v), 1)
    .option('--file <path>', 'reuse a generated event log (generated there when missing; the runs work on a copy)')
    .option('--rate <n>', 'HTTP arrival rate, requests/s', (v) => Number(v), 200)
    .option('--seconds <n>', 'shortest duration of each fixed-rate run (a run with a rebuild lasts until it is done)', (v) => Number(v), 20)
    .option('--http-cases <n>', 'cases the visits are spread over', (v) => Number(v), 500)
    .option('--warmup <n>', 'unmeasured visits before the runs', (v) => Number(v), 500)
    .option('--evaluators <n>', 'evaluators asking for annual reports at once, each back to back', (v) => Number(v), 2)
    .option(
      '--evaluation-threads <n>',
      "the API's EVALUATION_THREADS (1, the default, makes a second evaluator wait in the gate)",
      (v) => Number(v),
      1,
    )
    .option('--no-apart', 'skip the runs with the reports alone and the rebuild alone')
    .option('--monitor', 'preload the event-loop/GC monitor into the API and match the tail against its pauses', false)
    .option('--api <main.js>', 'run another compiled API (e.g. an earlier build)')
    .option('--projector <main.js>', 'run another compiled projector (e.g. an earlier build)')
    .option(
      '--api-env <KEY=VALUE>',
      'more environment for the API (repeatable), e.g. EVALUATION_REFRESH_MS=600000',
      (pair: string, env: Record<string, string>) => {
        const at = pair.indexOf('=');
        return at < 0 ? { ...env, [pair]: '' } : { ...env, [pair.slice(0, at)]: pair.slice(at + 1) };
      },
      {} as Record<string, string>,
    )
    .option('--read-dir <dir>', 'READ_DIR for the API and the projector: the read store on another disk, e.g. /dev/shm')
    .option('--baselines <n>', 'only the visits alone, n times (to take the baseline apart)', (v) => Number(v), 0)
    .option('--out <file>', 'results as JSON', 'tmp/bench-report-load.json')
    .action((options: ReportLoadOptions) => run(options));
