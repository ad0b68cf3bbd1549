import { idOf, partitionOf, type EventStore, type SqliteEventStore } from '@wih/event-store';
import { casesProjection, timelineProjection, type Projection } from '@wih/projections';
import type { ReadStore, SqliteReadStore } from '@wih/read-store';
import { listParked } from './parking';
import { inProcessPartitions, type FoldedPartition } from './partitioned';
import { ProjectionRunner, type RunnerSettings } from './runner';
import { sharedPass, type PassRequest } from './shared-pass';
import {
  caseEvents,
  cleanRebuild,
  controlled,
  docsOf,
  fastRunnerSettings,
  instrumented,
  readAllStarts,
  useHistoryWithFreshReads,
  type Controlled,
} from './testing/fixtures';

/**
 * Several rebuilds folded in one pass over the log: one reader per part feeds every projection's
 * fold; each runner still commits its own generation, checkpoint and indexes, and a projection that
 * throws leaves the pass alone.
 */
const cases = casesProjection as unknown as Projection<unknown>;
const timeline = timelineProjection as unknown as Projection<unknown>;
const base: RunnerSettings = { ...fastRunnerSettings, rebuildBatchSize: 30, rebuildCommitEvents: 200 };
/** Long enough that only a complete pass (both projections joined) starts it in these tests. */
const NEVER_BY_TIME = 60_000;

let events: SqliteEventStore;
let reads: SqliteReadStore;
useHistoryWithFreshReads('wih-shared-pass-', (env) => ({ events, reads } = env));

/** The parts' readers: readAll calls that name a partition. */
const partitionReads = (log: Controlled<EventStore>) =>
  log.calls.filter((c) => c.method === 'readAll' && (c.args[0] as { partition?: unknown }).partition);

async function rebuildAll(runners: readonly ProjectionRunner[]): Promise<void> {
  await Promise.all(
    runners.map(async (runner) => {
      const abort = new AbortController();
      await runner.run(abort.signal, async () => abort.abort());
    }),
  );
}

it('cases and timeline rebuilt in one pass: the log read once per part, each generation committed at the head, the same documents as two separate rebuilds', async () => {
  const head = await events.headPosition('case');
  const log = controlled<EventStore>(events);
  const commits = controlled<ReadStore>(reads);
  const partitions = inProcessPartitions([cases, timeline], log.store, 2, NEVER_BY_TIME);
  const settings = { ...base, partitions };
  const runners = [
    new ProjectionRunner(cases, 'cases@2', events, commits.store, settings, undefined, 'rebuild'),
    new ProjectionRunner(timeline, 'timeline@2', events, commits.store, settings, undefined, 'rebuild'),
  ];
  await rebuildAll(runners);
  expect(runners.map((r) => r.lastError)).toEqual([null, null]);
  expect(partitionReads(log)).toHaveLength(2);
  const firstCommits = (collection: string) =>
    commits.calls.filter((c) => c.method === 'commit' && c.args[0] === collection).map((c) => (c.args[2] as { next: bigint }).next);
  expect(firstCommits('cases@2')).toEqual([head]);
  expect(firstCommits('timeline@2')).toEqual([head]);
  const total = (await caseEvents(events)).length;
  expect(runners.map((r) => r.processed)).toEqual([total, total]);

  // The same projections, each in a pass of its own.
  for (const projection of [cases, timeline]) {
    const alone = controlled<EventStore>(events);
    const runner = new ProjectionRunner(
      projection,
      `${projection.name}@3`,
      events,
      reads,
      { ...base, partitions: inProcessPartitions([projection], alone.store, 2) },
      undefined,
      'rebuild',
    );
    await rebuildAll([runner]);
    expect(partitionReads(alone)).toHaveLength(2);
    expect(await docsOf(reads, `${projection.name}@2`, projection)).toEqual(await docsOf(reads, `${projection.name}@3`, projection));
    expect(await docsOf(reads, `${projection.name}@2`, projection)).toEqual(await cleanRebuild(events, projection));
  }
});

it('a projection that throws in the pass falls back to its own fold and parks the event; the other keeps what the pass folded', async () => {
  const poisoned = (await caseEvents(events)).find((e) => e.type === 'HomeVisitRecorded' && partitionOf(e.streamName, 2) === 0);
  if (!poisoned) throw new Error('no visit in the history');
  const broken = instrumented(timeline);
  broken.failWhen = (event) => event.position === poisoned.position.toString();
  const head = await events.headPosition('case');
  const warnings: { message: string; collection: unknown }[] = [];
  const logger = {
    warn: (message: string, fields?: Record<string, unknown>) => warnings.push({ message, collection: fields?.collection }),
  };
  const casesLog = controlled<EventStore>(events);
  const timelineLog = controlled<EventStore>(events);
  const settings = { ...base, partitions: inProcessPartitions([cases, broken], events, 2, NEVER_BY_TIME) };
  const runners = [
    new ProjectionRunner(cases, 'cases@4', casesLog.store, reads, settings, logger, 'rebuild'),
    new ProjectionRunner(broken, 'timeline@4', timelineLog.store, reads, settings, logger, 'rebuild'),
  ];
  await rebuildAll(runners);
  // The poison event and the case's later events behind it are parked: every warning is timeline's.
  expect(warnings[0]).toEqual({ message: 'partitioned rebuild failed; folding on one thread', collection: 'timeline@4' });
  expect(new Set(warnings.slice(1).map((w) => `${w.message} ${String(w.collection)}`))).toEqual(
    new Set(['projection event parked timeline@4']),
  );
  // cases took the pass's documents and only looked past the head; timeline read the whole log itself.
  expect(readAllStarts(casesLog)).toEqual([head]);
  expect(readAllStarts(timelineLog)).toEqual([null]);
  expect(await docsOf(reads, 'cases@4', cases)).toEqual(await cleanRebuild(events, cases));
  const parked = await listParked(reads, 'timeline@4', idOf(poisoned.streamName));
  expect(parked[0]).toMatchObject({ position: poisoned.position.toString() });
  // Every other case's timeline is as a clean build has it.
  const clean = await cleanRebuild(events, timeline);
  const rebuilt = await docsOf(reads, 'timeline@4', timeline);
  clean.delete(idOf(poisoned.streamName));
  rebuilt.delete(idOf(poisoned.streamName));
  expect(rebuilt).toEqual(clean);
});

it('a rebuild that stops while its pass folds leaves it; the other gets its documents', async () => {
  const calls: PassRequest[][] = [];
  const folding = { release: (): void => undefined };
  const pass = sharedPass(
    async (requests) => {
      calls.push([...requests]);
      await new Promise<void>((resolve) => (folding.release = resolve));
      return requests.map((r) => ({ parts: [{ events: Number(r.upto), docs: [] }] }));
    },
    { partitions: 2, categoryOf: () => 'case', complete: (_c, members) => members.length === 2, gatherMs: NEVER_BY_TIME },
  );
  const stopping = new AbortController();
  const first = pass.fold('cases', 5n, stopping.signal);
  const second = pass.fold('timeline', 7n, new AbortController().signal);
  await new Promise((resolve) => setImmediate(resolve));
  expect(calls).toEqual([
    [
      { projection: 'cases', upto: 5n },
      { projection: 'timeline', upto: 7n },
    ],
  ]);
  stopping.abort();
  await expect(first).rejects.toThrow('partitioned fold aborted');
  folding.release();
  await expect(second).resolves.toEqual<FoldedPartition[]>([{ events: 7, docs: [] }]);
});

it('passes run one at a time: a rebuild asked for while one folds joins the next pass, other categories get their own', async () => {
  const calls: string[][] = [];
  const releases: (() => void)[] = [];
  const pass = sharedPass(
    async (requests) => {
      calls.push(requests.map((r) => r.projection));
      await new Promise<void>((resolve) => releases.push(resolve));
      return requests.map(() => ({ parts: [] }));
    },
    {
      partitions: 2,
      categoryOf: (name) => (name === 'activities' ? 'activity' : 'case'),
      complete: (category, members) => (category === 'case' ? members.length === 2 : members.length === 1),
      gatherMs: NEVER_BY_TIME,
    },
  );
  const signal = new AbortController().signal;
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const running = [pass.fold('cases', 1n, signal), pass.fold('timeline', 1n, signal)];
  await tick();
  // While the first pass folds, the next one of the category gathers; the activities' one waits its turn.
  const next = [pass.fold('activities', 1n, signal), pass.fold('cases', 2n, signal), pass.fold('timeline', 2n, signal)];
  await tick();
  expect(calls).toEqual([['cases', 'timeline']]);
  releases[0]();
  await Promise.all(running);
  await tick();
  expect(calls).toEqual([['cases', 'timeline'], ['activities']]);
  releases[1]();
  await tick();
  expect(calls).toEqual([['cases', 'timeline'], ['activities'], ['cases', 'timeline']]);
  releases[2]();
  await Promise.all(next);
});
