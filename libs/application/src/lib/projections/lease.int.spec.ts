import type { EventStore, SqliteEventStore } from '@wih/event-store';
import { casesProjection, type Projection } from '@wih/projections';
import { ReadStoreUnavailableError, type ReadStore, type SqliteReadStore } from '@wih/read-store';
import { ProjectionManager, type ManagerSettings } from './manager';
import {
  cleanRebuild,
  controlled,
  docsOf,
  fastRunnerSettings,
  openEvents,
  openReads,
  readAllStarts,
  removeDir,
  sleep,
  tempDir,
  thawAll,
  waitForHead,
  waitUntil,
  writeHistory,
  type Controlled,
} from './testing/fixtures';

/**
 * Two processes on one read store file (two SqliteReadStore connections) and one event store:
 * the lease decides which one runs the projection. A holder that is alive but frozen keeps a
 * SQLite lease (its operating-system lock); where leases end by time only (MongoDB, or two owners
 * on one store connection, as here) another takes over once it expired, and the fence keeps the
 * frozen one from writing.
 */
const cases = casesProjection as unknown as Projection<unknown>;
const LEASE = 'projection/cases';

let dir: string;
let events: SqliteEventStore;
let observer: SqliteReadStore;
const opened: SqliteReadStore[] = [];
const managers: ProjectionManager[] = [];

beforeEach(() => {
  dir = tempDir('wih-lease-');
  events = openEvents(dir);
  observer = openReads(dir);
});
afterEach(async () => {
  thawAll();
  for (const manager of managers.splice(0)) await manager.stop().catch(() => undefined);
  for (const reads of opened.splice(0)) await reads.close();
  await observer.close();
  await events.close();
  removeDir(dir);
});

interface Process {
  readonly manager: ProjectionManager;
  readonly reads: Controlled<ReadStore>;
  readonly events: Controlled<EventStore>;
}

/** A "process": its own read store connection on the shared file, the shared event store, a manager. */
function processNamed(owner: string, settings: Partial<ManagerSettings> = {}, shared?: SqliteReadStore): Process {
  const connection = shared ?? openReads(dir);
  if (!shared) opened.push(connection);
  const reads = controlled<ReadStore>(connection);
  const log = controlled<EventStore>(events);
  const manager = new ProjectionManager(cases, log.store, reads.store, {
    ...fastRunnerSettings,
    batchSize: 25,
    leaseTtlMs: 300,
    owner,
    ...settings,
  });
  managers.push(manager);
  return { manager, reads, events: log };
}

const commits = (p: Process) => p.reads.calls.filter((c) => c.method === 'commit').length;
const statusOf = async (p: Process) => (await p.manager.status()).status;

it('one holder writes while the other stands by; a frozen holder loses the lease, the other continues from the checkpoint; a graceful stop hands back', async () => {
  await writeHistory(events, 40, { visits: 3 });
  const a = processNamed('process-a', {}, observer);
  const b = processNamed('process-b', {}, observer);
  await a.manager.start();
  await b.manager.start();
  await waitForHead(events, observer, 'cases@1');
  await writeHistory(events, 5, { visits: 1 }, 100);
  await waitForHead(events, observer, 'cases@1');

  expect(await statusOf(a)).toBe('running');
  expect(await statusOf(b)).toBe('standby');
  expect((await observer.getLease(LEASE))?.owner).toBe('process-a');
  expect(commits(a)).toBeGreaterThan(0);
  expect(commits(b)).toBe(0);
  expect(readAllStarts(b.events)).toEqual([]);

  // A freezes (its store calls hang, its lease is not renewed) while commands keep arriving.
  a.reads.freeze();
  const frozenAt = await observer.getCheckpoint('cases@1');
  await writeHistory(events, 10, { visits: 2 }, 200);
  await waitUntil('B to take over', async () => (await observer.getLease(LEASE))?.owner === 'process-b');
  await waitForHead(events, observer, 'cases@1');
  await waitUntil('B to go live', async () => (await statusOf(b)) === 'running');
  // B started from the stored checkpoint, not from the beginning.
  expect(readAllStarts(b.events)).toEqual([frozenAt]);

  // A wakes up with a batch in flight: its commit is refused (stale checkpoint), it writes nothing and stands by.
  const bCheckpoint = await observer.getCheckpoint('cases@1');
  a.reads.thaw();
  await waitUntil('A to stand by', async () => (await statusOf(a)) === 'standby');
  expect((await a.manager.status()).lastError).toMatch(/checkpoint cases@1: expected/);
  expect(await observer.getCheckpoint('cases@1')).toBe(bCheckpoint);
  expect(await statusOf(b)).toBe('running');
  expect((await b.manager.status()).lastError).toBeNull();

  // B stops gracefully (releases the lease): A takes over at once and continues from B's checkpoint.
  await b.manager.stop();
  await waitUntil('A to take over', async () => (await statusOf(a)) === 'running');
  expect(readAllStarts(a.events).at(-1)).toBe(bCheckpoint);
  await writeHistory(events, 5, { visits: 2 }, 300);
  await waitForHead(events, observer, 'cases@1');
  const live = await a.manager.status();
  expect(live).toMatchObject({ status: 'running', lag: '0', parked: 0 });
  // The conflict of the frozen run is history: the live holder reports no error.
  expect(live.lastError).toBeNull();
  expect(await docsOf(observer, 'cases@1', cases)).toEqual(await cleanRebuild(events, cases));

  await a.manager.stop();
  expect(await observer.getLease(LEASE)).toBeNull();
});

it("a frozen holder whose successor has not committed yet still cannot commit: the successor's fence is on the checkpoint", async () => {
  await writeHistory(events, 20, { visits: 2 });
  const a = processNamed('process-a', {}, observer);
  const b = processNamed('process-b', {}, observer);
  await a.manager.start();
  await b.manager.start();
  await waitForHead(events, observer, 'cases@1');
  const frozenAt = await observer.getCheckpoint('cases@1');

  // A freezes with the next batch in flight; B takes over but is held before its first batch's commit.
  a.reads.freeze();
  b.reads.freeze(['getMany']);
  await writeHistory(events, 5, { visits: 1 }, 100);
  await waitUntil('B to take over', async () => (await observer.getLease(LEASE))?.owner === 'process-b');
  await waitUntil('B to put its fence on the checkpoint', async () => commits(b) > 0);
  a.reads.thaw();
  await waitUntil('A to stand by', async () => (await statusOf(a)) === 'standby');
  // Its commit matched the stored checkpoint, but carried the older fence: refused, nothing written.
  expect((await a.manager.status()).lastError).toMatch(/checkpoint cases@1: expected fence \d+, stored fence \d+/);
  expect(await observer.getCheckpoint('cases@1')).toBe(frozenAt);

  b.reads.thaw();
  await waitForHead(events, observer, 'cases@1');
  expect(await docsOf(observer, 'cases@1', cases)).toEqual(await cleanRebuild(events, cases));
});

it('a live runner that stopped on a store error is started again from the checkpoint while the lease is held', async () => {
  await writeHistory(events, 10, { visits: 2 });
  const a = processNamed('process-a');
  await a.manager.start();
  await waitForHead(events, observer, 'cases@1');
  const before = await observer.getCheckpoint('cases@1');

  a.reads.failNext('commit', new ReadStoreUnavailableError('read store busy: database is locked'));
  await writeHistory(events, 5, { visits: 2 }, 100);
  await waitForHead(events, observer, 'cases@1', 3_000);
  await waitUntil('the new runner to go live', async () => (await statusOf(a)) === 'running', 3_000);
  expect(readAllStarts(a.events)).toEqual([null, before]);
  expect(await a.manager.status()).toMatchObject({ status: 'running', lag: '0', lastError: null });
  expect(await docsOf(observer, 'cases@1', cases)).toEqual(await cleanRebuild(events, cases));
});

it('a store slower than the renewal interval still gets one live runner per holder', async () => {
  await writeHistory(events, 8, { visits: 2 });
  // Each store call takes 80 ms: B's take-over (lease, 2 × active generation, rebuild status: 320 ms)
  // outlasts its renewal interval (TTL / 3 = 200 ms); renewing (160 ms) stays well inside the TTL.
  const a = processNamed('process-a', { leaseTtlMs: 600 });
  const b = processNamed('process-b', { leaseTtlMs: 600 });
  a.reads.delayMs = 80;
  b.reads.delayMs = 80;
  await a.manager.start();
  await waitForHead(events, observer, 'cases@1');
  await b.manager.start();
  await a.manager.stop();
  await waitUntil('B to take over', async () => (await observer.getLease(LEASE))?.owner === 'process-b');
  await writeHistory(events, 4, { visits: 2 }, 100);
  await waitForHead(events, observer, 'cases@1');
  await waitUntil('B to run', async () => (await statusOf(b)) === 'running');
  expect(readAllStarts(b.events)).toHaveLength(1);
  expect((await b.manager.status()).lastError).toBeNull();
  expect(await docsOf(observer, 'cases@1', cases)).toEqual(await cleanRebuild(events, cases));

  // Stopped means stopped: no store call in flight and none queued behind (admin-request polls included).
  await b.manager.stop();
  const calls = b.reads.calls.length;
  expect(b.reads.inFlight).toBe(0);
  await sleep(300);
  expect(b.reads.calls.slice(calls).map((c) => c.method)).toEqual([]);
});

it("takes and judges leases by the manager's clock, not the system's", async () => {
  let clock = Date.parse('2031-05-01T08:00:00.000Z');
  const now = () => new Date(clock);
  const holder = processNamed('clocked-holder', { now });
  await holder.manager.start();
  expect(holder.reads.calls.find((c) => c.method === 'acquireLease')?.args[3]).toBe(clock);
  expect((await observer.getLease(LEASE))?.expiresAt).toBe(clock + 300);
  await holder.manager.stop();

  // Held elsewhere until its expiry by this clock: standby before, stopped after (the system clock is years earlier).
  await observer.acquireLease(LEASE, 'elsewhere', 300, clock);
  const bystander = processNamed('clocked-bystander', { now });
  expect(await statusOf(bystander)).toBe('standby');
  clock += 301;
  expect(await statusOf(bystander)).toBe('stopped');
});
