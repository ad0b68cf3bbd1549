import type { SqliteEventStore } from '@wih/event-store';
import { casesProjection, timelineProjection, type Projection } from '@wih/projections';
import { MongoReadStore, type SqliteReadStore } from '@wih/read-store';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { readActive } from './generations';
import { ProjectionManager } from './manager';
import { metaPrefix } from './meta-keys';
import { listParked } from './parking';
import {
  caseEvents,
  cleanRebuild,
  docsOf,
  fastRunnerSettings,
  foldLog,
  openEvents,
  openReads,
  removeDir,
  sortedById,
  tempDir,
  waitUntil,
  writeHistory,
} from './testing/fixtures';
import { buildDist, ChildProcesses, type Child } from '../../testing/child-processes';

/**
 * The projector process is killed with SIGKILL in the middle of its work, several times; each
 * restart resumes from the stored checkpoint; the final read model equals a clean rebuild.
 * The child is testing/projection-child.ts, compiled to dist/ by tools/build.mjs.
 */
const root = resolve(__dirname, '../../../../..');
const childJs = join(root, 'dist/libs/application/src/lib/projections/testing/projection-child.js');
const cases = casesProjection as unknown as Projection<unknown>;
const timeline = timelineProjection as unknown as Projection<unknown>;

let dir: string;
let events: SqliteEventStore;
let reads: SqliteReadStore;
const children = new ChildProcesses(root);

beforeAll(() => {
  buildDist(root);
  dir = tempDir('wih-crash-');
  events = openEvents(dir);
  reads = openReads(dir);
});
afterAll(async () => {
  children.killAll();
  await reads.close();
  await events.close();
  removeDir(dir);
});

const startChild = (batchSize: number, rebuildBatchSize = batchSize, env: NodeJS.ProcessEnv = {}): Child =>
  children.start(childJs, [dir, String(batchSize), String(rebuildBatchSize)], { ...process.env, ...env });

const checkpointOf = async (collection: string): Promise<bigint> => (await reads.getCheckpoint(collection)) ?? 0n;

it('a projector killed with SIGKILL mid-batch, again and again, resumes from its checkpoint and ends equal to a clean rebuild', async () => {
  await writeHistory(events, 180, { visits: 10 });
  const log = await caseEvents(events);
  expect(log.length).toBeGreaterThanOrEqual(1_900);
  const head = await events.headPosition('case');

  // Kill points: after 15 %, 40 % and 70 % of the case events (positions, since the log also holds household events).
  const killAt = [0.15, 0.4, 0.7].map((share) => log[Math.floor(log.length * share)].position);
  const afterKill: bigint[] = [];
  for (const threshold of killAt) {
    const child = startChild(7);
    await waitUntil(
      `cases@1 past ${threshold} (child output: ${child.output()})`,
      async () => {
        if (child.process.exitCode !== null) throw new Error(`the child exited early: ${child.output()}`);
        return (await checkpointOf('cases@1')) >= threshold;
      },
      8_000,
      2,
    );
    child.process.kill('SIGKILL');
    expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
    afterKill.push(await checkpointOf('cases@1'));
  }
  // Every kill hit a projector that was still working, and no restart went back.
  for (const [i, checkpoint] of afterKill.entries()) {
    expect(checkpoint).toBeGreaterThanOrEqual(killAt[i]);
    expect(checkpoint).toBeLessThan(head);
    if (i > 0) expect(checkpoint).toBeGreaterThanOrEqual(afterKill[i - 1]);
  }

  // The last one runs to the head and stops cleanly (SIGTERM: runners stopped, leases released).
  const last = startChild(7);
  await waitUntil(
    `both projections at the head (child output: ${last.output()})`,
    async () => (await checkpointOf('cases@1')) === head && (await checkpointOf('timeline@1')) === head,
    8_000,
  );
  last.process.kill('SIGTERM');
  expect(await last.exited).toEqual({ code: 0, signal: null });
  expect(last.output()).toContain(
    'stopped [{"name":"cases","lastError":null},{"name":"timeline","lastError":null},{"name":"activities","lastError":null}]',
  );
  expect(await reads.getLease('projection/cases')).toBeNull();

  const expectedCases = await cleanRebuild(events, cases);
  const expectedTimeline = await cleanRebuild(events, timeline);
  expect(expectedCases.size).toBe(180);
  expect(await docsOf(reads, 'cases@1', cases)).toEqual(expectedCases);
  expect(await docsOf(reads, 'timeline@1', timeline)).toEqual(expectedTimeline);
  // …and the clean rebuild is the plain fold (so the comparison is not runner against itself only).
  expect(expectedCases).toEqual(sortedById(await foldLog(events, cases)));
  expect(await listParked(reads, 'cases@1')).toEqual([]);
  expect(await listParked(reads, 'timeline@1')).toEqual([]);
  expect(await reads.listMeta(metaPrefix('parked'))).toEqual([]);
});

it("a rebuild killed with SIGKILL between its commits resumes from the new generation's checkpoint, builds its indexes and ends equal to a clean rebuild", async () => {
  // The log of the test above, or a history of its own when run alone.
  if ((await caseEvents(events)).length === 0) await writeHistory(events, 180, { visits: 10 });
  const head = await events.headPosition('case');
  // Rebuild requests are records: this process only writes them, the child carries them out.
  for (const projection of [cases, timeline]) {
    const requester = new ProjectionManager(projection, events, reads, { ...fastRunnerSettings, leaseTtlMs: 400, owner: 'admin' });
    expect((await requester.startRebuild()).started).toBe(true);
  }
  const child = startChild(7, 3);
  const threshold = (await caseEvents(events))[400].position;
  await waitUntil(
    `cases@2 past ${threshold} (child output: ${child.output()})`,
    async () => (await checkpointOf('cases@2')) >= threshold,
    8_000,
    2,
  );
  child.process.kill('SIGKILL');
  expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
  const killedAt = await checkpointOf('cases@2');
  expect(killedAt).toBeLessThan(head);
  expect((await readActive(reads, 'cases'))?.generation).toBe(1);

  const last = startChild(7, 40);
  await waitUntil(
    `both rebuilds switched (child output: ${last.output()})`,
    async () => (await readActive(reads, 'cases'))?.generation === 2 && (await readActive(reads, 'timeline'))?.generation === 2,
    8_000,
  );
  last.process.kill('SIGTERM');
  expect(await last.exited).toEqual({ code: 0, signal: null });
  expect(await docsOf(reads, 'cases@2', cases)).toEqual(await cleanRebuild(events, cases));
  expect(await docsOf(reads, 'timeline@2', timeline)).toEqual(await cleanRebuild(events, timeline));
  // The name search (trigram table, filled when the indexes were built) finds Nr. 17 and Nr. 170–179.
  const search = [{ field: 'householdName', op: 'contains', value: 'haushalt nr. 17' }] as const;
  expect(await reads.count('cases@2', search)).toBe(11);
});

const mongoUrl = process.env['MONGO_URL'];

/**
 * The MongoDB read store commits without a transaction (decision 0018): documents in bulk writes,
 * then the checkpoint. The projector is killed at both dangerous points, in a real process against
 * a real server: after a bulk write with more of its commit to come, and after all of a commit's
 * documents with the checkpoint not yet moved. Each restart replays from the checkpoint to the
 * same documents a clean rebuild gives.
 */
(mongoUrl ? describe : describe.skip)('on MongoDB (needs MONGO_URL)', () => {
  const db = `crash_${randomUUID().slice(0, 8)}`;
  let mongo: MongoReadStore;
  beforeAll(() => {
    mongo = new MongoReadStore(mongoUrl as string, db);
  });
  afterAll(async () => {
    // The read models go; the few checkpoint and lease records stay in the test's own database.
    for (const collection of ['cases@1', 'timeline@1']) await mongo.dropCollection(collection);
    await mongo.close();
  });

  it('a projector killed mid-commit (after a bulk write, and before the checkpoint) replays to the documents of a clean rebuild', async () => {
    if ((await caseEvents(events)).length === 0) await writeHistory(events, 180, { visits: 10 });
    const head = await events.headPosition('case');
    const env = { CRASH_MONGO_URL: mongoUrl as string, CRASH_MONGO_DB: db, CRASH_MONGO_BATCH: '3' };
    const ahead: boolean[] = [];
    for (const killAt of ['batch:5', 'documents-written:4', 'batch:40', 'documents-written:30']) {
      const child = startChild(20, 20, { ...env, CRASH_KILL_AT: killAt });
      expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
      expect((await mongo.getCheckpoint('cases@1')) ?? -1n).toBeLessThan(head);
      // Left behind by the kill: documents written past their checkpoint (the first part of a
      // commit, or all of it), in whichever projection's commit the kill hit.
      let past = false;
      for (const [collection, projection] of [
        ['cases@1', cases],
        ['timeline@1', timeline],
      ] as const) {
        const checkpoint = (await mongo.getCheckpoint(collection)) ?? -1n;
        const docs = await docsOf(mongo, collection, projection);
        past ||= [...docs.values()].some((doc) => BigInt(doc.position) > checkpoint);
      }
      ahead.push(past);
    }
    expect(ahead.filter(Boolean).length).toBeGreaterThanOrEqual(2);

    // The last one with the default bulk size, so the rest of the log goes quickly.
    const last = startChild(200, 200, { ...env, CRASH_MONGO_BATCH: '1000' });
    await waitUntil(
      `both projections at the head (child output: ${last.output()})`,
      async () => (await mongo.getCheckpoint('cases@1')) === head && (await mongo.getCheckpoint('timeline@1')) === head,
      90_000,
      50,
    );
    last.process.kill('SIGTERM');
    expect(await last.exited).toEqual({ code: 0, signal: null });
    expect(await docsOf(mongo, 'cases@1', cases)).toEqual(await cleanRebuild(events, cases));
    expect(await docsOf(mongo, 'timeline@1', timeline)).toEqual(await cleanRebuild(events, timeline));
    expect(await listParked(mongo, 'cases@1')).toEqual([]);
  }, 180_000);
});
