import {
  activeKey,
  collectionOf,
  defaultRunnerSettings,
  PersonalDataKeys,
  ProjectionRunner,
  toProjectedEvent,
  UPCASTERS,
  withPersonalData,
  withUpcasting,
  type ActiveGeneration,
  type PartitionedFold,
} from '@wih/application';
import { CASE_CATEGORY } from '@wih/domain';
import { SqliteEventStore, type EventStore } from '@wih/event-store';
import { projectionByName, type AnyProjection } from '@wih/projections';
import { MongoReadStore, SqliteReadStore, type DocWrite, type ReadStore } from '@wih/read-store';
import { loadSettings, openEventStore, openKeyStore, workerPartitions } from '@wih/runtime';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { TimingEventStore, TimingReadStore, type Breakdown } from './rebuild-timing';

export interface ProjectionRebuild {
  readonly projection: string;
  /** Events the runner read (the whole `case` category). */
  readonly events: number;
  /** From the runner's start (collection created, checkpoint read) to caught up. */
  readonly seconds: number;
  /** Only for a runner that ran alone (`timed`). */
  readonly breakdown?: Breakdown;
  /** CPU time of the whole process (every thread) while it ran; only for a runner that ran alone. */
  readonly cpuSeconds?: number;
  /** With `threads` ≥ 2: the partitioned fold on the worker threads (wall time, the shared pass's when several rebuild), before the writing thread commits. */
  readonly foldSeconds?: number;
  /** With `threads` ≥ 2: each worker thread's own CPU and wall seconds. */
  readonly parts?: readonly { cpuSeconds?: number; wallSeconds?: number }[];
}

export interface RebuildInput {
  readonly eventsFile: string;
  readonly readsFile: string;
  readonly projections: readonly string[];
  /** The runner's batch size; the shipped default when absent. */
  readonly batchSize?: number;
  /** Measure where the time goes (one projection only: the timers cannot tell runners apart). */
  readonly timed?: boolean;
  /** Threads the catch-up folds on (the runtime's worker threads); 1 or absent: the runner's own thread. */
  readonly threads?: number;
  /** Rebuild into this MongoDB database (`url`, `db`) instead of `readsFile` (in-process rebuilds only). */
  readonly mongo?: { readonly url: string; readonly db: string };
}

/**
 * The worker threads open the stores as the runtime does, from a data directory: the log must be
 * its `events.sqlite` (the benchmark's generated and kept logs are).
 */
const asDataDir = (eventsFile: string) => (basename(eventsFile) === 'events.sqlite' ? dirname(eventsFile) : null);

function partitionsFor(input: RebuildInput, timing: Timing): PartitionedFold | undefined {
  if (!input.threads || input.threads < 2) return undefined;
  const dataDir = asDataDir(input.eventsFile);
  if (!dataDir) throw new Error(`--threads needs a log named events.sqlite (got ${input.eventsFile})`);
  const fold = workerPartitions(loadSettings({ DATA_DIR: dataDir }), { threads: input.threads });
  if (!fold) return undefined;
  return {
    partitions: fold.partitions,
    fold: async (projection, upto, signal) => {
      const started = performance.now();
      try {
        const parts = await fold.fold(projection, upto, signal);
        timing.parts.set(
          projection,
          parts.map((p) => ({ cpuSeconds: seconds(p.threadCpuMs), wallSeconds: seconds(p.wallMs) })),
        );
        return parts;
      } finally {
        // Per projection: in a shared pass every member waits for the same fold.
        timing.foldMs.set(projection, (timing.foldMs.get(projection) ?? 0) + performance.now() - started);
      }
    },
  };
}

interface Timing {
  readonly foldMs: Map<string, number>;
  readonly parts: Map<string, NonNullable<ProjectionRebuild['parts']>>;
}
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/**
 * The log as production reads it (upcasting, personal data opened with the key store beside it,
 * through the runtime) when it is a data directory's `events.sqlite`; else upcasting only.
 */
function openLog(eventsFile: string): { events: EventStore; close: () => Promise<void> } {
  const dataDir = asDataDir(eventsFile);
  if (!dataDir) {
    const events = withUpcasting(new SqliteEventStore(eventsFile), UPCASTERS);
    return { events, close: () => events.close() };
  }
  const settings = loadSettings({ DATA_DIR: dataDir });
  const keyStore = openKeyStore(settings);
  const events = withPersonalData(openEventStore(settings), new PersonalDataKeys(keyStore));
  return { events, close: async () => Promise.all([events.close(), keyStore.close()]).then(() => undefined) };
}

const projectionNamed = (name: string): AnyProjection => {
  const projection = projectionByName(name);
  if (!projection) throw new Error(`unknown projection ${name}`);
  return projection;
};

/**
 * Rebuilds generation 1 of each projection from the start of the log with rebuild runners (bulk catch-up), side by side
 * in this process on one event store and one read store connection (as the API runs them), and
 * makes generation 1 the active one so that queries read it. Each runner stops once caught up.
 */
export async function rebuildInProcess(input: RebuildInput): Promise<ProjectionRebuild[]> {
  if (input.timed && input.projections.length !== 1) throw new Error('a timed rebuild runs one projection');
  const log = openLog(input.eventsFile);
  const timedEvents = input.timed ? new TimingEventStore(log.events) : null;
  // The projector's settings: the WAL copied back in the background (decision 0048).
  const openReads = (): ReadStore =>
    input.mongo ? new MongoReadStore(input.mongo.url, input.mongo.db) : new SqliteReadStore(input.readsFile, { checkpoints: 'background' });
  const timedReads = input.timed ? new TimingReadStore(openReads()) : null;
  const events: EventStore = timedEvents ?? log.events;
  const reads: ReadStore = timedReads ?? openReads();
  // A rebuild runner (bulk catch-up), as the manager starts one; a given batch size replaces both of its batch sizes.
  const batched =
    input.batchSize === undefined
      ? defaultRunnerSettings
      : { ...defaultRunnerSettings, batchSize: input.batchSize, rebuildBatchSize: input.batchSize };
  const timing: Timing = { foldMs: new Map(), parts: new Map() };
  const settings = { ...batched, partitions: partitionsFor(input, timing) };
  const cpuBefore = process.cpuUsage();
  try {
    return await Promise.all(
      input.projections.map(async (name) => {
        const projection = projectionNamed(name);
        const runner = new ProjectionRunner(projection, collectionOf(name, 1), events, reads, settings, undefined, 'rebuild');
        const abort = new AbortController();
        const started = performance.now();
        let seconds = NaN;
        await runner.run(abort.signal, async () => {
          seconds = (performance.now() - started) / 1000;
          abort.abort();
        });
        if (runner.lastError) throw new Error(`rebuild of ${name}: ${runner.lastError}`);
        const active: ActiveGeneration = { generation: 1, version: projection.version };
        await reads.setMeta(activeKey(name), active);
        const breakdown: Breakdown | undefined =
          timedEvents && timedReads
            ? {
                readLogMs: timedEvents.readMs,
                loadDocsMs: timedReads.loadMs,
                commitMs: timedReads.commitMs,
                commits: timedReads.commits,
                docWrites: timedReads.docWrites,
              }
            : undefined;
        const cpu = process.cpuUsage(cpuBefore);
        const alone = input.projections.length === 1;
        return {
          projection: name,
          events: runner.processed,
          seconds,
          ...(breakdown ? { breakdown } : {}),
          ...(alone ? { cpuSeconds: (cpu.user + cpu.system) / 1e6 } : {}),
          ...(settings.partitions && timing.foldMs.has(name)
            ? { foldSeconds: (timing.foldMs.get(name) ?? 0) / 1000, parts: timing.parts.get(name) }
            : {}),
        };
      }),
    );
  } finally {
    await reads.close();
    await log.close();
  }
}

/**
 * The same, one worker thread per projection, each with its own connections: what a second core
 * buys when the runners no longer share one JavaScript thread (SQLite still admits one writer).
 */
export async function rebuildInWorkers(input: RebuildInput): Promise<ProjectionRebuild[]> {
  return Promise.all(
    input.projections.map(
      (name) =>
        new Promise<ProjectionRebuild>((resolve, reject) => {
          const worker = new Worker(join(__dirname, 'rebuild-worker.js'), {
            workerData: { ...input, projections: [name] } satisfies RebuildInput,
          });
          let result: ProjectionRebuild | null = null;
          worker.once('message', (message: ProjectionRebuild[]) => (result = message[0]));
          worker.once('error', reject);
          worker.once('exit', (code) =>
            result && code === 0 ? resolve(result) : reject(new Error(`rebuild worker for ${name} exited with ${code}`)),
          );
        }),
    ),
  );
}

export interface InMemoryRebuild {
  readonly projection: string;
  readonly events: number;
  readonly documents: number;
  /** Reading the log and folding every event into documents held in memory. */
  readonly foldSeconds: number;
  /** Writing each document once, in commits of `chunk` documents. */
  readonly writeSeconds: number;
}

/**
 * Not how the runner works: what a rebuild could cost if it folded the whole log in memory and
 * wrote each document once (instead of once per batch it appears in), through the same read
 * store. A measured bound for a rebuild path, reported as information only.
 */
export async function rebuildInMemory(eventsFile: string, readsFile: string, name: string, chunk = 5000): Promise<InMemoryRebuild> {
  const projection = projectionNamed(name);
  const handles: ReadonlySet<string> = new Set(projection.handles);
  const events = new SqliteEventStore(eventsFile);
  const reads = new SqliteReadStore(readsFile);
  try {
    const started = performance.now();
    const docs = new Map<string, { doc: unknown; position: bigint }>();
    let count = 0;
    let head = 0n;
    for await (const batch of events.readAll({ category: CASE_CATEGORY, batchSize: 1000 })) {
      for (const recorded of batch) {
        count++;
        head = recorded.position;
        if (!handles.has(recorded.type)) continue;
        const event = toProjectedEvent(recorded);
        const key = projection.keyOf(event);
        docs.set(key, { doc: projection.evolve(docs.get(key)?.doc ?? null, event), position: recorded.position });
      }
    }
    const folded = performance.now();
    const collection = collectionOf(name, 1);
    await reads.ensureCollection({ name: collection, indexes: projection.indexes });
    const entries = [...docs];
    let checkpoint: bigint | null = null;
    for (let i = 0; i < entries.length; i += chunk) {
      const writes: DocWrite[] = entries.slice(i, i + chunk).map(([id, { doc, position }]) => ({
        id,
        doc,
        position,
        index: doc === null ? {} : projection.indexOf(doc),
      }));
      // The checkpoint reaches the head with the last chunk only: a crash before that restarts.
      const next: bigint = i + chunk >= entries.length ? head : (checkpoint ?? 0n);
      await reads.commit(collection, writes, { name: collection, expected: checkpoint, next });
      checkpoint = next;
    }
    const written = performance.now();
    return {
      projection: name,
      events: count,
      documents: docs.size,
      foldSeconds: (folded - started) / 1000,
      writeSeconds: (written - folded) / 1000,
    };
  } finally {
    await reads.close();
    await events.close();
  }
}
