import { casesProjection } from '@wih/projections';
import { checkpointInBackground, openSqliteEventStore, type EventStore } from '@wih/event-store';
import { SqliteReadStore, storageNameOf, type CollectionSpec, type DocWrite, type IndexValue } from '@wih/read-store';
import Database from 'better-sqlite3';
import { Command } from 'commander';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { makeTempDir } from './cleanup';
import { Latencies, type LatencySummary } from './latency';
import { describeMachine, diskSettled, higher, loadAverage, machineLine, pendingWritesMiB } from './machine';

/**
 * `npm run bench -- drop`: what dropping an old generation does to the commands meanwhile
 * (decision 0049). A read store with one generation of `cases` (its indexes and search table) and
 * one of timeline-sized documents, as a rebuild leaves the old ones; the drop runs on a worker
 * thread (as in the projector, another process than the API's), while the main thread appends one
 * fsynced event at a time to the event log beside it, as commands do, and after each append commits
 * one document to a live collection of the same read store, as a live projection does. Four runs on
 * fresh copies: the appends alone (the baseline), during one DROP of each table (as before 0049),
 * during the drop in steps, and the appends alone again.
 */
interface DropOptions {
  docs: number;
  out: string;
}

type Mode = 'none' | 'at-once' | 'in-steps';

interface DropRun {
  readonly mode: Mode;
  readonly appends: LatencySummary;
  /** A live projection's commit of one document to the same read store after each append. */
  readonly commits: LatencySummary;
  /** Commits refused for want of the writer's lock (busy timeout, 5 s); the run stops at the first. */
  readonly failedCommits: number;
  /** From the start of the drop to its end (for `none`: the baseline's fixed length). */
  readonly seconds: number;
  /** From the end of the drop until at most 32 MiB were waiting for the disk: the run goes on until then. */
  readonly settledAfter: number;
  /** The most dirty and under-writeback page cache seen (Linux), MiB. */
  readonly pendingMiB: number | null;
  readonly fileMiB: number;
  readonly load: { readonly before: number; readonly after: number };
}

const GENERATIONS: readonly CollectionSpec[] = [
  {
    name: 'cases@1',
    indexes: [...casesProjection.indexes],
    compoundIndexes: casesProjection.compoundIndexes,
    searchIndexes: casesProjection.searchIndexes,
  },
  { name: 'timeline@1', indexes: ['caseId'] },
];
const BASELINE_MS = 5_000;

/** Deterministic documents: about 1 KB per case, 2.9 KB per timeline (their sizes in the generated history). */
async function fill(file: string, docs: number): Promise<void> {
  const store = new SqliteReadStore(file);
  const day = (n: number) => new Date(Date.UTC(2024, 0, 1) + (n % 1000) * 864e5).toISOString().slice(0, 10);
  const statuses = ['referred', 'active', 'closed', 'rejected'];
  for (const spec of GENERATIONS) {
    await store.ensureCollection(spec, { deferIndexes: true });
    const timeline = spec.name.startsWith('timeline');
    for (let from = 0, expected: bigint | null = null; from < docs; from += 2_000) {
      const writes: DocWrite[] = [];
      for (let n = from; n < Math.min(docs, from + 2_000); n++) {
        const index: Record<string, IndexValue> = timeline
          ? { caseId: `case-${n}` }
          : {
              status: statuses[n % 4],
              caseloadOf: `cw-${n % 667}`,
              recordedBy: `cw-${(n * 7) % 667}`,
              householdId: `household-${n}`,
              receivedOn: day(n),
              nextVisitDueOn: day(n * 3),
              plannedEndOn: day(n * 5),
              householdName: `familie nummer ${n}`,
              nextGoalReviewOn: day(n * 11),
            };
        writes.push({ id: `case-${n}`, doc: { n, notes: `Notiz ${n} `.repeat(timeline ? 280 : 90) }, position: BigInt(n + 1), index });
      }
      const next = BigInt(Math.min(docs, from + 2_000));
      await store.commit(spec.name, writes, { name: spec.name, expected, next });
      expected = next;
    }
    await store.ensureIndexes(spec);
  }
  await store.close();
}

/** The worker: drops both generations as asked, then reports its time. */
async function dropInWorker(): Promise<void> {
  const { file, mode } = workerData as { file: string; mode: Mode };
  const started = performance.now();
  if (mode === 'at-once') {
    // As before decision 0049: one transaction per collection, DROP of its search tables and table
    // (with the projector's settings: secure_delete, WAL copied back in the background).
    const db = new Database(file, { timeout: 5000 });
    db.pragma('secure_delete = ON');
    const checkpointer = checkpointInBackground(db, file, 5000);
    for (const spec of GENERATIONS) {
      const table = storageNameOf(spec.name);
      const searchTables = db
        .prepare<[string], string>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB ? AND sql LIKE 'CREATE VIRTUAL TABLE%'",
        )
        .pluck()
        .all(`${table}__fts_*`);
      db.transaction(() => {
        for (const fts of searchTables) db.exec(`DROP TABLE "${fts}"`);
        db.exec(`DROP TABLE "${table}"`);
        db.prepare('DELETE FROM collections WHERE name = ?').run(spec.name);
      }).immediate();
    }
    await checkpointer.stop();
    db.close();
  } else {
    const store = new SqliteReadStore(file, { checkpoints: 'background' });
    // Both at once, as the two projections' managers sweep each their own.
    await Promise.all(GENERATIONS.map((spec) => store.dropCollection(spec.name)));
    await store.close();
  }
  parentPort?.postMessage({ seconds: (performance.now() - started) / 1000 });
}

async function appendOne(events: EventStore, stream: string): Promise<void> {
  const now = new Date().toISOString();
  const metadata = {
    commandId: randomUUID(),
    correlationId: randomUUID(),
    userId: 'bench',
    role: 'caseworker',
    businessDate: now.slice(0, 10),
    recordedAt: now,
    schemaVersion: 1,
  };
  await events.append(stream, [{ id: randomUUID(), type: 'BenchPing', data: {}, metadata }], 'any');
}

async function measure(template: string, mode: Mode): Promise<DropRun> {
  const work = makeTempDir('wih-bench-drop-');
  try {
    const file = join(work.path, 'read.sqlite');
    copyFileSync(template, file);
    // The copy on disk first: a run starts with the disk idle.
    spawnSync('sync');
    await diskSettled(32, 60_000);
    const events = openSqliteEventStore(work.path, { durability: 'full' });
    // A live projection's connection to the same read store: each append's document committed there.
    const live = new SqliteReadStore(file);
    await live.ensureCollection({ name: 'live@1', indexes: [] });
    const appends = new Latencies();
    const commits = new Latencies();
    let failedCommits = 0;
    const load = loadAverage();
    let peak = pendingWritesMiB();
    let done = mode === 'none';
    let seconds = BASELINE_MS / 1000;
    const worker = mode === 'none' ? null : new Worker(__filename, { workerData: { file, mode } });
    const finished = worker
      ? new Promise<void>((resolve, reject) => {
          worker.once('message', (message: { seconds: number }) => {
            seconds = message.seconds;
            done = true;
            resolve();
          });
          worker.once('error', reject);
        })
      : Promise.resolve();
    // A run lasts until the drop is done and what it left in the page cache is written (at most 32
    // MiB waiting): a drop's writes reach the disk after it, and commands wait for them there too.
    const until = performance.now() + BASELINE_MS;
    let doneAt: number | null = null;
    for (let i = 0; ; i++) {
      const sample = pendingWritesMiB();
      peak = higher(peak, sample);
      if (mode === 'none' ? performance.now() >= until : done && (sample ?? 0) <= 32) break;
      if (done) doneAt ??= performance.now();
      if (doneAt !== null && performance.now() - doneAt > 60_000) break;
      const started = performance.now();
      await appendOne(events, `bench-${i % 100}`);
      const appended = performance.now();
      appends.add(appended - started);
      try {
        await live.commit('live@1', [{ id: `doc-${i % 100}`, doc: { i }, position: BigInt(i + 1), index: {} }], {
          name: 'live@1',
          expected: i === 0 ? null : BigInt(i),
          next: BigInt(i + 1),
        });
      } catch {
        failedCommits++; // the writer's lock not had within the busy timeout (5 s)
        break;
      }
      commits.add(performance.now() - appended);
    }
    const settledAfter = doneAt === null ? 0 : (performance.now() - doneAt) / 1000;
    await finished;
    await worker?.terminate();
    await live.close();
    await events.close();
    return {
      mode,
      appends: appends.summary(),
      commits: commits.summary(),
      failedCommits,
      seconds,
      settledAfter,
      pendingMiB: peak,
      fileMiB: statSync(file).size / 2 ** 20,
      load: { before: load, after: loadAverage() },
    };
  } finally {
    work.remove();
  }
}

const LABEL: Record<Mode, string> = {
  none: 'appends alone (baseline)',
  'at-once': 'during one DROP per generation (before 0049)',
  'in-steps': 'during the drop in steps (0049)',
};

async function run(o: DropOptions): Promise<void> {
  const machine = describeMachine();
  const work = makeTempDir('wih-bench-drop-template-');
  try {
    const template = join(work.path, 'read.sqlite');
    const filling = performance.now();
    await fill(template, o.docs);
    const templateMiB = statSync(template).size / 2 ** 20;
    console.log(
      `read store with ${o.docs} cases and ${o.docs} timelines: ${templateMiB.toFixed(0)} MiB, filled in ${((performance.now() - filling) / 1000).toFixed(1)} s`,
    );
    const runs: DropRun[] = [];
    for (const mode of ['none', 'at-once', 'in-steps', 'none'] as const) {
      const result = await measure(template, mode);
      runs.push(result);
      const a = result.appends;
      console.log(
        `${LABEL[mode]} (load ${result.load.before} → ${result.load.after}): ${a.count} appends, p50 ${a.p50.toFixed(2)} / p99 ${a.p99.toFixed(2)} / max ${a.max.toFixed(1)} ms` +
          `; p99 ÷ baseline ${(a.p99 / runs[0].appends.p99).toFixed(2)}×; ${mode === 'none' ? 'ran' : 'drop took'} ${result.seconds.toFixed(1)} s` +
          (mode === 'none' ? '' : `, the disk settled ${result.settledAfter.toFixed(1)} s later`) +
          `; page cache waiting for the disk up to ${result.pendingMiB?.toFixed(0) ?? '–'} MiB; file afterwards ${result.fileMiB.toFixed(0)} MiB` +
          `; live projection commits p50 ${result.commits.p50.toFixed(2)} / p99 ${result.commits.p99.toFixed(2)} / max ${result.commits.max.toFixed(1)} ms, ${result.failedCommits} refused`,
      );
    }
    mkdirSync(dirname(o.out), { recursive: true });
    writeFileSync(o.out, `${JSON.stringify({ benchmark: 'drop', machine, options: o, templateMiB, runs }, null, 2)}\n`);
    console.log(`machine: ${machineLine(machine)}`);
  } finally {
    work.remove();
  }
}

if (!isMainThread && (workerData as { mode?: Mode } | null)?.mode) void dropInWorker();

export const dropCommand = () =>
  new Command('drop')
    .description('appends to the event log while an old generation of the read side is dropped: at once, and in steps')
    .option('--docs <n>', 'cases (and as many timelines) in the dropped generations', (v) => Number(v), 100_000)
    .option('--out <file>', 'results as JSON', 'tmp/bench-drop.json')
    .action((options: DropOptions) => run(options));
