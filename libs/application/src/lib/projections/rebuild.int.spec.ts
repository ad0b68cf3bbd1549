import type { EventStore, SqliteEventStore } from '@wih/event-store';
import { casesProjection, type Projection } from '@wih/projections';
import type { ReadStore, SqliteReadStore } from '@wih/read-store';
import { activeKey, readActive, readRebuild, rebuildKey } from './generations';
import { ProjectionManager, type ManagerSettings } from './manager';
import { ReadModels } from './read-models';
import {
  assignedCaseworker,
  cleanRebuild,
  controlled,
  docsOf,
  fastRunnerSettings,
  openEvents,
  openReads,
  readAllStarts,
  recordVisit,
  removeDir,
  sleep,
  tempDir,
  thawAll,
  today,
  waitForHead,
  waitUntil,
  writeCase,
  writeHistory,
  type Controlled,
} from './testing/fixtures';

/** Zero-downtime rebuilds: a new generation is filled beside the live one while commands and queries go on. */
const cases = casesProjection as unknown as Projection<unknown>;

let dir: string;
let events: SqliteEventStore;
let reads: SqliteReadStore;
let queries: SqliteReadStore;
const managers: ProjectionManager[] = [];
const loops: { stop: () => Promise<void> }[] = [];

beforeEach(() => {
  dir = tempDir('wih-rebuild-');
  events = openEvents(dir);
  reads = openReads(dir);
  // The API process: its own connection, reading through ReadModels.
  queries = openReads(dir);
});
afterEach(async () => {
  thawAll();
  for (const running of loops.splice(0)) await running.stop();
  for (const manager of managers.splice(0)) await manager.stop();
  await queries.close();
  await reads.close();
  await events.close();
  removeDir(dir);
});

function managerFor(
  owner: string,
  log: EventStore = events,
  settings: Partial<ManagerSettings> = {},
  store: ReadStore = reads,
): ProjectionManager {
  const manager = new ProjectionManager(cases, log, store, {
    ...fastRunnerSettings,
    batchSize: 5,
    rebuildBatchSize: 5,
    leaseTtlMs: 300,
    owner,
    ...settings,
  });
  managers.push(manager);
  return manager;
}

/** A loop until `stop()` or its first error (collected, never thrown into the void); stopped after each test. */
function loop(body: (i: number) => Promise<void>): { count: () => number; errors: unknown[]; stop: () => Promise<void> } {
  let stopped = false;
  let i = 0;
  const errors: unknown[] = [];
  const done = (async () => {
    while (!stopped && errors.length === 0) {
      try {
        await body(i++);
      } catch (error) {
        errors.push(error);
      }
      await sleep(1);
    }
  })();
  const running = {
    count: () => i,
    errors,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
  loops.push(running);
  return running;
}

it('rebuilds into the next generation while commands arrive and queries keep answering; then switches and drops the old one', async () => {
  const ids = await writeHistory(events, 120, { visits: 8 });
  const manager = managerFor('rebuilder');
  await manager.start();
  await waitForHead(events, reads, 'cases@1');
  const models = new ReadModels(queries);

  // Commands: new referrals and visits on active cases, all through the rebuild.
  const active = (await Promise.all(ids.map(async (id) => ({ id, actor: await assignedCaseworker(events, id) })))).filter((c) => c.actor);
  const writers = loop(async (i) => {
    if (i % 2) await writeCase(events, 10_000 + i, { visits: 1 });
    else {
      const { id, actor } = active[i % active.length];
      if (actor) await recordVisit(events, id, actor, today());
    }
  });
  // Queries: every case that existed before is found, in whichever generation is active; the caseload pages.
  let answeredDuringRebuild = 0;
  let storedProgress = 0;
  const readers = loop(async (i) => {
    const during = (await manager.rebuildStatus())?.status === 'running';
    const caseId = ids[i % ids.length];
    const found = await models.case(caseId);
    if (!found) throw new Error(`case ${caseId} not found during the rebuild`);
    const page = await models.caseload({ sort: 'receivedOn', limit: 20, today: today() });
    if (page.items.length !== 20) throw new Error(`caseload page of ${page.items.length}`);
    if (during && (await manager.rebuildStatus())?.status === 'running') answeredDuringRebuild++;
    // Another process (the admin API) sees the progress the holder stores on its ticks.
    const stored = await readRebuild(queries, 'cases');
    if (stored?.status === 'running') storedProgress = Math.max(storedProgress, stored.done);
  });

  const writesAtStart = writers.count();
  const started = await manager.startRebuild();
  expect(started).toMatchObject({ started: true, status: { status: 'running', generation: 2, done: 0 } });
  expect((await manager.startRebuild()).started).toBe(false);
  const done = await waitUntil('the rebuild to finish', async () => {
    const status = await manager.rebuildStatus();
    return status?.status === 'done' ? status : null;
  });
  expect(done).toMatchObject({ generation: 2, error: null, eta: 0 });
  expect(done.finishedAt).toEqual(expect.any(String));
  expect(done.rate).toBeGreaterThan(0);
  expect(done.done).toBeGreaterThan(0);
  expect(done.total).toBe(done.done);
  expect(await readActive(queries, 'cases')).toEqual({ generation: 2, version: cases.version });
  const writesDuringRebuild = writers.count() - writesAtStart;

  await writers.stop();
  await waitForHead(events, reads, 'cases@2');
  await readers.stop();
  expect(writers.errors).toEqual([]);
  expect(readers.errors).toEqual([]);
  // The rebuild does not hold the process: queries (and commands) were served while it ran.
  expect(answeredDuringRebuild).toBeGreaterThanOrEqual(5);
  expect(storedProgress).toBeGreaterThan(0);
  expect(writesDuringRebuild).toBeGreaterThanOrEqual(5);
  expect(await manager.status()).toMatchObject({ status: 'running', generation: 2, lag: '0', lastError: null });
  expect(await docsOf(reads, 'cases@2', cases)).toEqual(await cleanRebuild(events, cases));

  // The old generation goes after its grace period (queries that had just read it finish first).
  await waitUntil(
    'the old generation to be dropped',
    async () => (await reads.getCheckpoint('cases@1')) === null && (await reads.count('cases@1')) === 0,
    8_000,
    50,
  );
});

it("a rebuild's total counts the case events, not a position of the log", async () => {
  // Every referral also writes to its household stream: the case events' positions have gaps.
  await writeHistory(events, 6, { visits: 2 });
  let caseEvents = 0;
  for await (const batch of events.readAll({ category: 'case' })) caseEvents += batch.length;
  expect(await events.headPosition('case')).toBeGreaterThan(BigInt(caseEvents));

  const manager = managerFor('counter');
  const { status } = await manager.startRebuild();
  expect(status.total).toBe(caseEvents);
});

it('a rebuild cancelled midway leaves the live generation active and unchanged', async () => {
  await writeHistory(events, 80, { visits: 8 });
  const manager = managerFor('canceller');
  await manager.start();
  await waitForHead(events, reads, 'cases@1');
  const live = await docsOf(reads, 'cases@1', cases);
  const head = await events.headPosition('case');

  await manager.startRebuild();
  await waitUntil('the rebuild to be under way', async () => ((await reads.getCheckpoint('cases@2')) ?? 0n) > 0n, 8_000, 2);
  const cancelled = await manager.cancelRebuild();
  expect(cancelled).toMatchObject({ status: 'cancelled', generation: 2 });
  expect(cancelled?.done).toBeLessThan(cancelled?.total ?? 0);
  expect(await reads.getCheckpoint('cases@2')).toBeNull();
  expect(await reads.count('cases@2')).toBe(0);
  expect(await readActive(reads, 'cases')).toEqual({ generation: 1, version: cases.version });
  expect(await reads.getCheckpoint('cases@1')).toBe(head);
  expect(await docsOf(reads, 'cases@1', cases)).toEqual(live);

  // Nothing brings it back on the next ticks; a new rebuild may start afterwards (into a fresh generation).
  await waitUntil('a few lease ticks', async () => (await reads.getLease('projection/cases'))?.owner === 'canceller');
  expect(await readRebuild(reads, 'cases')).toMatchObject({ status: 'cancelled' });
  const again = await manager.startRebuild();
  expect(again).toMatchObject({ started: true, status: { generation: 3 } });
  await waitUntil('the new rebuild to finish', async () => (await manager.rebuildStatus())?.status === 'done');
  expect(await readActive(reads, 'cases')).toEqual({ generation: 3, version: cases.version });
  expect(await docsOf(reads, 'cases@3', cases)).toEqual(live);
});

it('a rebuild interrupted by stopping its manager resumes from its checkpoint when a manager starts again', async () => {
  await writeHistory(events, 80, { visits: 8 });
  const first = managerFor('first');
  await first.start();
  await waitForHead(events, reads, 'cases@1');

  await first.startRebuild();
  await waitUntil('the rebuild to be under way', async () => ((await reads.getCheckpoint('cases@2')) ?? 0n) > 0n, 8_000, 2);
  await first.stop();
  const interruptedAt = await reads.getCheckpoint('cases@2');
  expect(interruptedAt).not.toBeNull();
  expect(interruptedAt).toBeLessThan(await events.headPosition('case'));
  expect(await readRebuild(reads, 'cases')).toMatchObject({ status: 'running', generation: 2 });
  expect(await readActive(reads, 'cases')).toMatchObject({ generation: 1 });

  const log: Controlled<EventStore> = controlled<EventStore>(events);
  const second = managerFor('second', log.store, { batchSize: 50 });
  await second.start();
  await waitUntil('the resumed rebuild to finish', async () => (await readRebuild(reads, 'cases'))?.status === 'done');
  // The live generation from its checkpoint (the head), the rebuild from where it was interrupted.
  expect(readAllStarts(log)).toContain(interruptedAt);
  expect(readAllStarts(log)).not.toContain(null);
  expect(await readActive(reads, 'cases')).toEqual({ generation: 2, version: cases.version });
  await waitForHead(events, reads, 'cases@2');
  expect(await docsOf(reads, 'cases@2', cases)).toEqual(await cleanRebuild(events, cases));
});

it("a cancel made by another process wins over the holder's progress report and its switch", async () => {
  await writeHistory(events, 60, { visits: 8 });
  const holderStore = controlled<ReadStore>(reads);
  const holder = managerFor('projector', events, {}, holderStore.store);
  await holder.start();
  await waitForHead(events, reads, 'cases@1');
  const live = await docsOf(reads, 'cases@1', cases);

  await holder.startRebuild();
  await waitUntil('the rebuild to be under way', async () => ((await reads.getCheckpoint('cases@2')) ?? 0n) > 0n, 8_000, 2);
  // The holder has read the status ('running') and is about to write its progress when the admin's cancel lands.
  const progressWrites = () =>
    holderStore.calls.filter((c) => /^(setMeta|compareAndSetMeta)$/.test(c.method) && c.args[0] === rebuildKey('cases')).length;
  const before = progressWrites();
  holderStore.freeze(['setMeta', 'compareAndSetMeta', 'commit']);
  await waitUntil('a progress write to be pending', () => progressWrites() > before);
  const api = new ProjectionManager(cases, events, queries, { ...fastRunnerSettings, leaseTtlMs: 300, owner: 'api' });
  expect(await api.cancelRebuild()).toMatchObject({ status: 'cancelled', generation: 2 });
  holderStore.thaw();

  await waitUntil('the rebuild generation to be dropped', async () => (await reads.getCheckpoint('cases@2')) === null);
  const renewals = () => holderStore.calls.filter((c) => c.method === 'acquireLease').length;
  const renewed = renewals();
  await waitUntil('two more lease renewals', () => renewals() >= renewed + 2);
  expect(await holder.status()).toMatchObject({ status: 'running', generation: 1, lastError: null });
  expect(await readRebuild(reads, 'cases')).toMatchObject({ status: 'cancelled', generation: 2 });
  expect(await readActive(reads, 'cases')).toEqual({ generation: 1, version: cases.version });
  expect(await docsOf(reads, 'cases@1', cases)).toEqual(live);
});

describe('generations left behind (decision 0049)', () => {
  /** A generation as a process that ended before dropping it leaves it: documents and a checkpoint. */
  const leaveGeneration = async (store: ReadStore, collection: string): Promise<void> => {
    await store.ensureCollection({ name: collection, indexes: ['status'] });
    await store.commit(
      collection,
      [{ id: 'a', doc: { householdName: 'Familie Liegengeblieben' }, position: 3n, index: { status: 'active' } }],
      {
        name: collection,
        expected: null,
        next: 3n,
      },
    );
  };

  it('drops every generation but the active one and a running rebuild, and no other projection', async () => {
    for (const collection of ['cases@1', 'cases@2', 'cases@3', 'cases@4', 'cases-archive@1']) await leaveGeneration(reads, collection);
    await reads.setMeta(activeKey('cases'), { generation: 3, version: cases.version });
    await reads.setMeta(rebuildKey('cases'), { status: 'running', generation: 4, startedAt: new Date().toISOString() });
    const manager = managerFor('sweeper');

    expect(await manager.dropLeftovers()).toEqual(['cases@1', 'cases@2']);
    expect(await reads.listCollections('cases')).toEqual(['cases-archive@1', 'cases@3', 'cases@4']);
    expect(await reads.getCheckpoint('cases@1')).toBeNull();
    expect(await reads.get('cases@2', 'a')).toBeNull();
    expect(await reads.getCheckpoint('cases@3')).toBe(3n);

    // Once the rebuild is no longer running (it failed), its generation is left behind too.
    await reads.setMeta(rebuildKey('cases'), { status: 'failed', generation: 4, startedAt: new Date().toISOString() });
    expect(await manager.dropLeftovers()).toEqual(['cases@4']);
    expect(await reads.listCollections('cases@')).toEqual(['cases@3']);
  });

  it('drops nothing while no generation is recorded as active', async () => {
    await leaveGeneration(reads, 'cases@1');
    expect(await managerFor('sweeper').dropLeftovers()).toEqual([]);
    expect(await reads.listCollections('cases@')).toEqual(['cases@1']);
  });

  it('a manager taking the projection over drops, after the grace, the generation a process that ended had not dropped', async () => {
    await writeHistory(events, 20, { visits: 2 });
    const first = managerFor('first', events, { dropGraceMs: 60_000 });
    await first.start();
    await waitForHead(events, reads, 'cases@1');
    await first.startRebuild();
    await waitUntil('the switch to generation 2', async () => (await readActive(reads, 'cases'))?.generation === 2);
    await first.stop(); // within the grace: generation 1 is still there
    expect(await reads.listCollections('cases@')).toEqual(['cases@1', 'cases@2']);

    const second = managerFor('second', events, { dropGraceMs: 50 });
    await second.start();
    await waitUntil('generation 1 to be dropped', async () => (await reads.listCollections('cases@')).length === 1);
    expect(await reads.listCollections('cases@')).toEqual(['cases@2']);
    expect(await reads.getCheckpoint('cases@1')).toBeNull();
    await waitForHead(events, reads, 'cases@2');
    expect(await docsOf(reads, 'cases@2', cases)).toEqual(await cleanRebuild(events, cases));
  });
});
