import { Command } from 'commander';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApi, type RunningApi } from './api-process';
import { CASEWORKER, FACHSTELLE, makeFixtures } from './fixtures';
import { ApiClient } from './http-client';
import { Latencies, type LatencySummary } from './latency';
import { describeMachine, loadAverage, machineLine } from './machine';
import { makeTempDir } from './cleanup';
import { generateHistory } from './history';
import { startProjector } from './projector-process';
import { readYourWrites, type ReadYourWritesPass } from './rebuild-ryw';

interface RywOptions {
  commands: number;
  cases: number;
  warmup: number;
  rounds: number;
  out: string;
}

type Layout = 'in-process' | 'projector-process';

interface LayoutResult {
  readonly layout: Layout;
  /** GET of the case with `?minPosition=` of the visit just answered: the visit's read-your-writes. */
  readonly readYourWrites: LatencySummary;
  /** The same GET without `minPosition`, right after: what the query costs without any wait (the baseline). */
  readonly raw: LatencySummary;
  /** The visit's POST itself (context). */
  readonly command: LatencySummary;
  /** Reads with `minPosition` that did not show the visit's revision: must be 0. */
  readonly stale: number;
  readonly load: { readonly before: number; readonly after: number };
}

interface CommandAnswer {
  readonly revision: number;
  readonly position: string;
}

/** Until /health answers 200: with RUN_PROJECTIONS=false it does once the projector holds the projections. */
async function waitForHealthy(api: RunningApi, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(`${api.baseUrl}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(50);
  }
  throw new Error('the read side did not become healthy');
}

async function measureLayout(layout: Layout, o: RywOptions): Promise<LayoutResult> {
  let dataDir = '';
  const api = await startApi({
    // One client sends thousands of requests a minute: the per-user limit would refuse them.
    env: { RATE_LIMIT: 'off', ...(layout === 'in-process' ? {} : { RUN_PROJECTIONS: 'false' }) },
    listening: layout !== 'in-process',
    prepare: (dir) => {
      dataDir = dir;
    },
  });
  const projector = layout === 'projector-process' ? startProjector(dataDir) : null;
  try {
    await waitForHealthy(api);
    const caseworker = new ApiClient(api.baseUrl, api.secret, CASEWORKER);
    const fachstelle = new ApiClient(api.baseUrl, api.secret, FACHSTELLE);
    const fixtures = makeFixtures();
    const ids = Array.from({ length: o.cases }, () => randomUUID());
    for (const id of ids) await caseworker.post('/api/cases', JSON.stringify(fixtures.referral(id)));
    const approval = JSON.stringify(fixtures.approval);
    for (const id of ids) await fachstelle.post(`/api/cases/${id}/approval`, approval);
    const visit = JSON.stringify(fixtures.visit);
    const [ryw, raw, command] = [new Latencies(), new Latencies(), new Latencies()];
    let stale = 0;
    const before = loadAverage();
    for (let i = 0; i < o.warmup + o.commands; i++) {
      const id = ids[i % ids.length];
      const posted = performance.now();
      const answer = await caseworker.postJson<CommandAnswer>(`/api/cases/${id}/visits`, visit);
      const answered = performance.now();
      const seen = await caseworker.getJson<{ revision: number }>(`/api/cases/${id}?minPosition=${answer.position}`);
      const read = performance.now();
      await caseworker.get(`/api/cases/${id}`);
      const rawRead = performance.now();
      if (i < o.warmup) continue;
      if (seen.revision < answer.revision) stale++;
      command.add(answered - posted);
      ryw.add(read - answered);
      raw.add(rawRead - read);
    }
    return {
      layout,
      readYourWrites: ryw.summary(),
      raw: raw.summary(),
      command: command.summary(),
      stale,
      load: { before, after: loadAverage() },
    };
  } finally {
    await projector?.stop();
    await api.stop();
  }
}

/**
 * One client, one request at a time, against Node's bare HTTP server in a process of its own: what
 * a round trip costs on this machine before any framework, authentication or store (the floor of
 * every HTTP figure below).
 */
async function bareHttp(o: RywOptions): Promise<LatencySummary> {
  const child = spawn(process.execPath, [join(__dirname, 'bare-http-server.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      child.once('error', reject);
    });
    const latencies = new Latencies();
    for (let i = 0; i < o.warmup + o.commands; i++) {
      const started = performance.now();
      const response = await fetch(`http://127.0.0.1:${port}/api/cases/x`);
      await response.text();
      if (i >= o.warmup) latencies.add(performance.now() - started);
    }
    return latencies.summary();
  } finally {
    child.kill('SIGTERM');
  }
}

const fmt = (s: LatencySummary) => `p50 ${s.p50.toFixed(2)} / p99 ${s.p99.toFixed(2)} / max ${s.max.toFixed(2)} ms`;

/**
 * The same wait without HTTP: commands through the application on a generated history (2,000
 * cases) with the API's store settings, the projections' managers in this process or in
 * `apps/projector` as its own process; the case read alone right after is the baseline
 * (rebuild-ryw.ts).
 */
async function withoutHttp(o: RywOptions, layout: Layout): Promise<ReadYourWritesPass> {
  const work = makeTempDir('wih-bench-ryw-');
  try {
    const eventsFile = join(work.path, 'events.sqlite');
    await generateHistory({ cases: 2_000, seed: 1, file: eventsFile });
    const { passes } = await readYourWrites({
      eventsFile,
      readsFile: join(work.path, 'read.sqlite'),
      warmup: o.warmup,
      seed: 1,
      passes: [{ commands: o.commands, pollMs: 10 }], // ReadModels' default, the poll of a store without commit signals (not SQLite)
      projector: layout,
    });
    return passes[0];
  } finally {
    work.remove();
  }
}

async function run(o: RywOptions): Promise<void> {
  const machine = describeMachine();
  const results: LayoutResult[] = [];
  const direct: Partial<Record<Layout, ReadYourWritesPass>> = {};
  for (const layout of ['in-process', 'projector-process'] as const) {
    const loadBefore = loadAverage();
    const pass = await withoutHttp(o, layout);
    direct[layout] = pass;
    console.log(
      `without HTTP, ${layout} (load ${loadBefore} → ${loadAverage()}): read-your-writes ${fmt(pass.cases)}; ` +
        `case read alone ${fmt(pass.raw)}; p99 ${(pass.cases.p99 / pass.raw.p99).toFixed(2)}× raw; command ${fmt(pass.command)}; stale ${pass.stale}`,
    );
  }
  // Rounds alternate the layouts, so that a change of the machine's load touches both.
  const bare: LatencySummary[] = [];
  for (let round = 0; round < o.rounds; round++) {
    const loadBare = loadAverage();
    bare.push(await bareHttp(o));
    console.log(`round ${round + 1}, bare HTTP server (load ${loadBare} → ${loadAverage()}): GET ${fmt(bare[round])}`);
    for (const layout of ['in-process', 'projector-process'] as const) {
      const result = await measureLayout(layout, o);
      results.push(result);
      console.log(
        `round ${round + 1}, ${layout} (load ${result.load.before} → ${result.load.after}): read-your-writes ${fmt(result.readYourWrites)}; ` +
          `raw GET ${fmt(result.raw)}; p99 ${(result.readYourWrites.p99 / result.raw.p99).toFixed(2)}× raw; visit POST ${fmt(result.command)}; stale ${result.stale}`,
      );
    }
  }
  const report = { benchmark: 'read-your-writes', machine, options: o, withoutHttp: direct, bareHttp: bare, results };
  mkdirSync(o.out, { recursive: true });
  writeFileSync(join(o.out, 'bench-read-your-writes.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`machine: ${machineLine(machine)}`);
}

/**
 * `npm run bench -- read-your-writes`: a visit over HTTP, then the case read with the answer's
 * `?minPosition=` (one client, one request at a time), with the projections on the API's thread
 * and in `apps/projector` as its own process; the same GET without the wait is the baseline.
 */
export const readYourWritesCommand = () =>
  new Command('read-your-writes')
    .description(
      'a visit, then the case read with its minPosition: in process and with the projector as its own process, beside the plain GET',
    )
    .option('--commands <n>', 'measured visits per layout and round', (v) => Number(v), 1000)
    .option('--cases <n>', 'cases the visits go to in turn', (v) => Number(v), 50)
    .option('--warmup <n>', 'visits before measuring', (v) => Number(v), 100)
    .option('--rounds <n>', 'rounds, each running both layouts', (v) => Number(v), 2)
    .option('--out <dir>', 'where bench-read-your-writes.json goes', 'tmp')
    .action((options: RywOptions) => run(options));
