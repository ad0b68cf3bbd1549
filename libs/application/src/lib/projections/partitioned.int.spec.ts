import { idOf, partitionOf, type SqliteEventStore } from '@wih/event-store';
import { casesProjection, timelineProjection, type Projection } from '@wih/projections';
import type { ReadStore, SqliteReadStore } from '@wih/read-store';
import { sqliteIndexesOf } from '@wih/read-store/testing';
import { listParked } from './parking';
import { inProcessPartitions, type PartitionedFold } from './partitioned';
import { ProjectionRunner, type RunnerSettings } from './runner';
import {
  caseEvents,
  cleanRebuild,
  controlled,
  docsOf,
  fastRunnerSettings,
  instrumented,
  readAllStarts,
  useHistoryWithFreshReads,
  waitForHead,
  writeHistory,
} from './testing/fixtures';

/**
 * A rebuild whose catch-up is folded by partitions (here one after another on this thread; the
 * worker threads of the runtime run the same `foldPartition`): one commit at the log's head, then
 * the runner's own reading for what came after; the result equals a clean build.
 */
const cases = casesProjection as unknown as Projection<unknown>;
const timeline = timelineProjection as unknown as Projection<unknown>;
const base: RunnerSettings = { ...fastRunnerSettings, rebuildBatchSize: 30, rebuildCommitEvents: 200 };

let events: SqliteEventStore;
let reads: SqliteReadStore;
let readsFile: string;
useHistoryWithFreshReads('wih-partitioned-', (env) => ({ events, reads, readsFile } = env));

async function rebuildToHead(runner: ProjectionRunner): Promise<void> {
  const abort = new AbortController();
  await runner.run(abort.signal, async () => abort.abort());
  expect(runner.lastError).toBeNull();
}

it.each([
  ['cases', cases, 2],
  ['timeline', timeline, 3],
] as const)(
  '%s in %d partitions: folded by partitions, one commit at the head with every document, equal to a clean build',
  async (_name, projection, count) => {
    const head = await events.headPosition('case');
    const counted = controlled<ReadStore>(reads);
    const log = controlled(events);
    const runner = new ProjectionRunner(
      projection,
      `${projection.name}@2`,
      log.store,
      counted.store,
      { ...base, partitions: inProcessPartitions([projection], events, count) },
      undefined,
      'rebuild',
    );
    await rebuildToHead(runner);
    const commits = counted.calls.filter((c) => c.method === 'commit');
    expect(commits.map((c) => (c.args[2] as { next: bigint }).next)).toEqual([head]);
    // The runner itself only looked past the head.
    expect(readAllStarts(log)).toEqual([head]);
    expect(runner.processed).toBe((await caseEvents(events)).length);
    expect(await docsOf(reads, `${projection.name}@2`, projection)).toEqual(await cleanRebuild(events, projection));
    const indexes = sqliteIndexesOf(readsFile, `${projection.name}@2`);
    expect(indexes.analyzed).toBe(true);
    expect(indexes.indexes).toBe(projection.indexes.length + (projection.compoundIndexes?.length ?? 0));
  },
);

it("reports progress while the parts fold: the rebuild's done count moves before the commit and ends at the events read", async () => {
  const total = (await caseEvents(events)).length;
  const parts = inProcessPartitions([cases], events, 2);
  const heard: number[] = [];
  const doneWhenHeard: number[] = [];
  const watching: PartitionedFold = {
    partitions: 2,
    fold: (name, upto, signal, onProgress) =>
      parts.fold(name, upto, signal, (read) => {
        onProgress?.(read);
        heard.push(read);
        doneWhenHeard.push(runner.processed); // called while the runner runs, after the declaration below
      }),
  };
  const runner = new ProjectionRunner(cases, 'cases@6', events, reads, { ...base, partitions: watching }, undefined, 'rebuild');
  await rebuildToHead(runner);
  expect(heard.length).toBeGreaterThanOrEqual(2);
  expect(heard.reduce((sum, read) => sum + read, 0)).toBe(total);
  // The runner counted each report as it came (nothing was committed yet), and ends exactly at the total.
  expect(doneWhenHeard).toEqual(heard.map((_, i) => heard.slice(0, i + 1).reduce((sum, read) => sum + read, 0)));
  expect(runner.processed).toBe(total);
});

it('events appended while the partitions fold are read by the runner after the partitioned commit', async () => {
  const head = await events.headPosition('case');
  const parts = inProcessPartitions([cases], events, 2);
  const appending: PartitionedFold = {
    partitions: 2,
    fold: async (name, upto, signal) => {
      const folded = await parts.fold(name, upto, signal);
      await writeHistory(events, 5, { visits: 2 }, 1_000);
      return folded;
    },
  };
  const log = controlled(events);
  const runner = new ProjectionRunner(cases, 'cases@3', log.store, reads, { ...base, partitions: appending }, undefined, 'rebuild');
  await rebuildToHead(runner);
  expect(readAllStarts(log)).toEqual([head]);
  expect(await reads.getCheckpoint('cases@3')).toBe(await events.headPosition('case'));
  expect(await docsOf(reads, 'cases@3', cases)).toEqual(await cleanRebuild(events, cases));
});

it('a partition that throws (a poison event) leaves the catch-up to the runner, which parks it as without partitions', async () => {
  // In the second of two parts, so that the first has reported its progress before the failure.
  const poisoned = (await caseEvents(events)).find((e) => e.type === 'HomeVisitRecorded' && partitionOf(e.streamName, 2) === 1);
  if (!poisoned) throw new Error('no visit in the history');
  const projection = instrumented(cases);
  projection.failWhen = (event) => event.position === poisoned.position.toString();
  const warnings: string[] = [];
  const runner = new ProjectionRunner(
    projection,
    'cases@4',
    events,
    reads,
    { ...base, partitions: inProcessPartitions([projection], events, 2) },
    { warn: (message) => warnings.push(message) },
    'rebuild',
  );
  const abort = new AbortController();
  const running = runner.run(abort.signal);
  await waitForHead(events, reads, 'cases@4');
  abort.abort();
  await running;
  expect(warnings).toContain('partitioned rebuild failed; folding on one thread');
  // What the parts had reported is not counted twice: the runner's own fold read every event once.
  expect(runner.processed).toBe((await caseEvents(events)).length);
  const parked = await listParked(reads, 'cases@4', idOf(poisoned.streamName));
  expect(parked[0]).toMatchObject({ position: poisoned.position.toString() });
});

it('a resumed rebuild (a checkpoint exists) does not fold by partitions', async () => {
  const first = new ProjectionRunner(cases, 'cases@5', events, reads, { ...base, rebuildCommitEvents: 100 }, undefined, 'rebuild');
  const abort = new AbortController();
  const running = first.run(abort.signal);
  while ((await reads.getCheckpoint('cases@5')) === null) await new Promise((r) => setTimeout(r, 1));
  abort.abort();
  await running;
  let folds = 0;
  const counting: PartitionedFold = {
    partitions: 2,
    fold: async () => {
      folds++;
      return [];
    },
  };
  await rebuildToHead(new ProjectionRunner(cases, 'cases@5', events, reads, { ...base, partitions: counting }, undefined, 'rebuild'));
  expect(folds).toBe(0);
  expect(await docsOf(reads, 'cases@5', cases)).toEqual(await cleanRebuild(events, cases));
});
