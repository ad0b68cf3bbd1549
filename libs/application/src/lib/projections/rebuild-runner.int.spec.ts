import { idOf, type SqliteEventStore } from '@wih/event-store';
import { casesProjection, timelineProjection, type Projection } from '@wih/projections';
import type { ReadStore, SqliteReadStore } from '@wih/read-store';
import { sqliteIndexesOf } from '@wih/read-store/testing';
import { listParked, requestParkedAction } from './parking';
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
  waitUntil,
} from './testing/fixtures';

/**
 * A rebuild runner's catch-up: folded in memory, committed every `rebuildCommitEvents` events,
 * secondary indexes built after the last commit. Whatever stops it, a new one resumes from the
 * generation's checkpoint and the result equals a clean (live-mode) build.
 */
const cases = casesProjection as unknown as Projection<unknown>;
const timeline = timelineProjection as unknown as Projection<unknown>;
const settings: RunnerSettings = { ...fastRunnerSettings, rebuildBatchSize: 30, rebuildCommitEvents: 200 };

let events: SqliteEventStore;
let reads: SqliteReadStore;
let readsFile: string;
useHistoryWithFreshReads('wih-rebuild-runner-', (env) => ({ events, reads, readsFile } = env));

/** Secondary indexes, trigram tables and planner statistics of a collection's table. */
const indexesOf = (collection: string) => sqliteIndexesOf(readsFile, collection);

const expectedIndexes = (projection: Projection<unknown>) => ({
  indexes: projection.indexes.length + (projection.compoundIndexes?.length ?? 0),
  search: projection.searchIndexes?.length ?? 0,
  analyzed: true,
});

/** Runs a rebuild runner until it reports caught up; returns what it saw at that moment. */
async function rebuildToHead(runner: ProjectionRunner) {
  const abort = new AbortController();
  let atCaughtUp: ReturnType<typeof indexesOf> | null = null;
  await runner.run(abort.signal, async () => {
    atCaughtUp = indexesOf(runner.collection);
    abort.abort();
  });
  return atCaughtUp;
}

it('folds in memory, commits every N events with each changed document once, builds the indexes before it reports caught up', async () => {
  const counted = controlled<ReadStore>(reads);
  const runner = new ProjectionRunner(cases, 'cases@2', events, counted.store, settings, undefined, 'rebuild');
  const caughtUp = await rebuildToHead(runner);
  expect(runner.lastError).toBeNull();
  expect(caughtUp).toEqual(expectedIndexes(cases));
  const total = (await caseEvents(events)).length;
  const commits = counted.calls.filter((c) => c.method === 'commit');
  // One commit per 200 events read (rounded up to whole batches of 30), and the rest when caught up.
  expect(commits.length).toBe(Math.ceil(total / 210));
  const writes = commits.flatMap((c) => (c.args[1] as { id: string }[]).map((w) => w.id));
  expect(writes.length).toBeLessThan(total / 2);
  // A generation that starts empty is never read back: every document is in memory.
  expect(counted.calls.filter((c) => c.method === 'getMany')).toEqual([]);
  expect(await docsOf(reads, 'cases@2', cases)).toEqual(await cleanRebuild(events, cases));
});

it('stopped between its commits, resumes from the checkpoint (reading the store for what it has not seen) and ends equal to a clean build', async () => {
  const head = await events.headPosition('case');
  // Slow store calls, so that the first commit is seen well before the catch-up ends.
  const slow = controlled<ReadStore>(reads);
  slow.delayMs = 25;
  const first = new ProjectionRunner(timeline, 'timeline@2', events, slow.store, settings, undefined, 'rebuild');
  const abort = new AbortController();
  const running = first.run(abort.signal);
  const stoppedAt = await waitUntil('a first commit', async () => reads.getCheckpoint('timeline@2'), 8_000, 1);
  abort.abort();
  await running;
  // The first runner may have committed once more while it stopped.
  const resumeFrom = (await reads.getCheckpoint('timeline@2')) as bigint;
  expect(resumeFrom).toBeGreaterThanOrEqual(stoppedAt);
  expect(resumeFrom).toBeLessThan(head);
  expect(indexesOf('timeline@2')).toEqual({ indexes: 0, search: 0, analyzed: false });

  const log = controlled(events);
  const counted = controlled<ReadStore>(reads);
  const resumed = new ProjectionRunner(timeline, 'timeline@2', log.store, counted.store, settings, undefined, 'rebuild');
  expect(await rebuildToHead(resumed)).toEqual(expectedIndexes(timeline));
  expect(readAllStarts(log)[0]).toBe(resumeFrom);
  expect(counted.calls.some((c) => c.method === 'getMany')).toBe(true);
  expect(await reads.getCheckpoint('timeline@2')).toBe(head);
  expect(await docsOf(reads, 'timeline@2', timeline)).toEqual(await cleanRebuild(events, timeline));
});

it('a failure after the last commit, before the indexes: the next rebuild runner reads nothing again and builds them', async () => {
  const failing = controlled<ReadStore>(reads);
  failing.failNext('ensureIndexes', new Error('process died'));
  const first = new ProjectionRunner(cases, 'cases@3', events, failing.store, settings, undefined, 'rebuild');
  await expect(first.run(new AbortController().signal, async () => undefined)).rejects.toThrow('process died');
  const head = await events.headPosition('case');
  expect(await reads.getCheckpoint('cases@3')).toBe(head);
  expect(indexesOf('cases@3')).toEqual({ indexes: 0, search: 0, analyzed: false });

  const log = controlled(events);
  const second = new ProjectionRunner(cases, 'cases@3', log.store, reads, settings, undefined, 'rebuild');
  expect(await rebuildToHead(second)).toEqual(expectedIndexes(cases));
  expect(readAllStarts(log)).toEqual([head]);
  expect(await docsOf(reads, 'cases@3', cases)).toEqual(await cleanRebuild(events, cases));
  // Queries use the indexes: the caseload's status filter with its sort walks the compound index.
  const closed = await reads.find('cases@3', { filters: [{ field: 'status', op: 'eq', value: 'closed' }], sortBy: 'receivedOn', limit: 5 });
  expect(closed).toHaveLength(5);
});

it('parks a poison event during the catch-up like a live runner does; after a retry the documents equal a clean build', async () => {
  const poisoned = (await caseEvents(events)).find((e) => e.type === 'HomeVisitRecorded');
  if (!poisoned) throw new Error('no visit in the history');
  const projection = instrumented(cases);
  projection.failWhen = (event) => event.position === poisoned.position.toString();
  const runner = new ProjectionRunner(projection, 'cases@4', events, reads, settings, undefined, 'rebuild');
  const abort = new AbortController();
  const running = runner.run(abort.signal);
  await waitForHead(events, reads, 'cases@4');
  const key = idOf(poisoned.streamName);
  const parked = await listParked(reads, 'cases@4', key);
  expect(parked[0]).toMatchObject({ position: poisoned.position.toString(), attempts: settings.retryDelaysMs.length + 1 });
  expect(parked.length).toBeGreaterThan(1); // the case's later events wait behind it

  projection.failWhen = null;
  await requestParkedAction(reads, 'cases@4', key, 'retry');
  await waitUntil('the parked events to be applied', async () => (await listParked(reads, 'cases@4')).length === 0);
  abort.abort();
  await running;
  expect(await docsOf(reads, 'cases@4', cases)).toEqual(await cleanRebuild(events, cases));
});
