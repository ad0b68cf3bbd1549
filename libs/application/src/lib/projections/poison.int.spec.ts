import type { SqliteEventStore } from '@wih/event-store';
import { casesProjection, type ProjectedEvent, type Projection } from '@wih/projections';
import { ReadStoreUnavailableError, type ReadStore, type SqliteReadStore } from '@wih/read-store';
import { metaKey, metaPrefix } from './meta-keys';
import { listParked, requestParkedAction, type ParkedEvent } from './parking';
import { ProjectionRunner } from './runner';
import {
  asProjected,
  assignedCaseworker,
  controlled,
  docsOf,
  fastRunnerSettings,
  foldLog,
  instrumented,
  openEvents,
  openReads,
  caseEvents as caseEventsOf,
  recordVisit,
  removeDir,
  shapeOf,
  sortedById,
  tempDir,
  today,
  waitForHead,
  waitUntil,
  writeHistory,
  type ExpectedDoc,
  type Instrumented,
} from './testing/fixtures';

/** A poison event: the projection keeps throwing on one case's event; that case waits, the others flow. */
const cases = casesProjection as unknown as Projection<unknown>;
const RETRIES = [1, 1];

let dir: string;
let events: SqliteEventStore;
let reads: SqliteReadStore;
let abort: AbortController;
let running: Promise<void> | null;

beforeEach(() => {
  dir = tempDir('wih-poison-');
  events = openEvents(dir);
  reads = openReads(dir);
  abort = new AbortController();
  running = null;
});
afterEach(async () => {
  abort.abort();
  await running;
  await reads.close();
  await events.close();
  removeDir(dir);
});

function start(projection: Instrumented<unknown>, store: ReadStore = reads): ProjectionRunner {
  const runner = new ProjectionRunner(projection, 'cases@1', events, store, {
    ...fastRunnerSettings,
    batchSize: 20,
    retryDelaysMs: RETRIES,
  });
  running = runner.run(abort.signal);
  return runner;
}

/** The expected document of one case: a plain fold over its events (optionally leaving some out). */
async function foldCaseOf(caseId: string, leaveOut: (event: ProjectedEvent) => boolean = () => false): Promise<ExpectedDoc | undefined> {
  let doc: unknown = null;
  let position = 0n;
  for (const recorded of await events.readStream(`case-${caseId}`)) {
    const event = asProjected(recorded);
    if (leaveOut(event)) continue;
    [doc, position] = [cases.evolve(doc, event), recorded.position];
  }
  return doc === null ? undefined : { doc, position };
}

const withoutCase = (docs: Map<string, ExpectedDoc>, caseId: string) => new Map([...docs].filter(([id]) => id !== caseId));
const positionsOf = (parked: readonly ParkedEvent[]) => parked.map((p) => p.position);
const callsFor = (projection: Instrumented<unknown>, position: string) => projection.calls.filter((e) => e.position === position).length;

it("parks a throwing event after its retries and the case's later events behind it; the other cases flow; retry and skip", async () => {
  const ids = await writeHistory(events, 14, { visits: 3 });
  const [poisoned, other] = ids.filter((_, n) => shapeOf(n) === 'active');
  const isPoison = (e: ProjectedEvent) => e.streamId === poisoned && e.type === 'HomeVisitRecorded';
  const projection = instrumented(cases);
  projection.failWhen = isPoison;
  const runner = start(projection);
  await waitForHead(events, reads, 'cases@1');

  // The first visit was tried 1 + retries times, then parked; every later event of the case is parked behind it, in order.
  const stream = (await events.readStream(`case-${poisoned}`)).map(asProjected);
  const firstVisit = stream.findIndex(isPoison);
  const held = stream.slice(firstVisit);
  let parked = await listParked(reads, 'cases@1');
  expect(parked.map((p) => [p.key, p.position, p.type])).toEqual(held.map((e) => [poisoned, e.position, e.type]));
  expect(parked[0]).toMatchObject({ attempts: RETRIES.length + 1, error: `TypeError: projection bug on HomeVisitRecorded r${firstVisit}` });
  expect(parked.slice(1).every((p) => p.error === 'an earlier event of this document is parked')).toBe(true);
  expect(callsFor(projection, held[0].position)).toBe(RETRIES.length + 1);
  expect(held.slice(1).map((e) => callsFor(projection, e.position))).toEqual(held.slice(1).map(() => 0));
  expect(runner.lastError).toContain('parked');

  // The other cases are complete; the poisoned one stops before its first visit.
  const docs = await docsOf(reads, 'cases@1', cases);
  expect(withoutCase(docs, poisoned)).toEqual(withoutCase(sortedById(await foldLog(events, cases)), poisoned));
  expect(docs.get(poisoned)).toEqual(await foldCaseOf(poisoned, (e) => e.revision >= firstVisit));

  // Live: a new event of the poisoned case is parked too, one of another case is applied.
  const visitor = await assignedCaseworker(events, poisoned);
  const otherVisitor = await assignedCaseworker(events, other);
  if (!visitor || !otherVisitor) throw new Error('the active cases have caseworkers');
  const late = await recordVisit(events, poisoned, visitor, today());
  await recordVisit(events, other, otherVisitor, today());
  await waitForHead(events, reads, 'cases@1');
  parked = await listParked(reads, 'cases@1');
  expect(positionsOf(parked)).toEqual([...held.map((e) => e.position), late.position.toString()]);
  expect((await reads.get('cases@1', other))?.doc).toEqual((await foldCaseOf(other))?.doc);

  // Retry while the projection still throws: tried again, still parked, same events.
  await requestParkedAction(reads, 'cases@1', poisoned, 'retry');
  await waitUntil('the retry to run', () => callsFor(projection, held[0].position) === 2 * (RETRIES.length + 1));
  await waitUntil('the request to be done', async () => (await reads.listMeta(metaPrefix('parked-request'))).length === 0);
  await waitUntil('the retry to park again', async () => (await listParked(reads, 'cases@1')).length === parked.length);
  expect(positionsOf(await listParked(reads, 'cases@1'))).toEqual(positionsOf(parked));
  expect((await listParked(reads, 'cases@1'))[0].error).toContain('TypeError: projection bug');
  expect(docs.get(poisoned)).toEqual((await docsOf(reads, 'cases@1', cases)).get(poisoned));

  // Fixed: a retry applies them in order and unparks them.
  projection.failWhen = null;
  const before = projection.calls.length;
  await requestParkedAction(reads, 'cases@1', poisoned, 'retry');
  await waitUntil('the parked events to be applied', async () => (await listParked(reads, 'cases@1')).length === 0);
  expect(
    projection.calls
      .slice(before)
      .filter((e) => e.streamId === poisoned)
      .map((e) => e.position),
  ).toEqual(positionsOf(parked));
  expect(await docsOf(reads, 'cases@1', cases)).toEqual(sortedById(await foldLog(events, cases)));

  // Skip: the projection throws on one more visit of another case; skipping drops only that one, the later ones apply.
  const nextRevision = (await events.readStream(`case-${other}`)).length;
  projection.failWhen = (e) => e.streamId === other && e.revision === nextRevision;
  const skipped = await recordVisit(events, other, otherVisitor, today());
  const after = await recordVisit(events, other, otherVisitor, today(), false);
  await waitForHead(events, reads, 'cases@1');
  expect(positionsOf(await listParked(reads, 'cases@1'))).toEqual([skipped.position.toString(), after.position.toString()]);
  await requestParkedAction(reads, 'cases@1', other, 'skip');
  await waitUntil('the skip to be done', async () => (await listParked(reads, 'cases@1')).length === 0);
  const record = await reads.getMeta<ParkedEvent & { skippedAt: string }>(
    metaKey({ kind: 'skipped', collection: 'cases@1', key: other, position: skipped.position.toString() }),
  );
  expect(record).toMatchObject({ key: other, position: skipped.position.toString(), type: 'HomeVisitRecorded' });
  expect(record?.skippedAt).toEqual(expect.any(String));
  expect((await reads.listMeta(metaPrefix('skipped'))).map((m) => m.key)).toHaveLength(1);
  expect((await reads.get('cases@1', other))?.doc).toEqual(
    (await foldCaseOf(other, (e) => e.position === skipped.position.toString()))?.doc,
  );
  expect((await reads.get('cases@1', other))?.position).toBe(after.position);
  const rest = withoutCase(await docsOf(reads, 'cases@1', cases), other);
  expect(rest).toEqual(withoutCase(sortedById(await foldLog(events, cases)), other));
});

it('a store error while looking for admin requests is reported and the next poll carries the request out', async () => {
  const ids = await writeHistory(events, 6, { visits: 2 });
  const poisoned = ids.find((_, n) => shapeOf(n) === 'active') as string;
  const projection = instrumented(cases);
  projection.failWhen = (e) => e.streamId === poisoned && e.type === 'HomeVisitRecorded';
  const store = controlled<ReadStore>(reads);
  const runner = start(projection, store.store);
  await waitForHead(events, reads, 'cases@1');
  expect((await listParked(reads, 'cases@1')).length).toBeGreaterThan(0);

  // The poll's store call fails: reported (it used to vanish without a trace), and the next poll works.
  store.failNext('listMeta', new ReadStoreUnavailableError('read store busy: database is locked'));
  await waitUntil('the failed poll to be reported', () =>
    runner.lastError?.includes('admin requests: ReadStoreUnavailableError: read store busy'),
  );
  projection.failWhen = null;
  await requestParkedAction(reads, 'cases@1', poisoned, 'retry');
  await waitUntil('the retry to be carried out', async () => (await listParked(reads, 'cases@1')).length === 0);
  expect(await docsOf(reads, 'cases@1', cases)).toEqual(sortedById(await foldLog(events, cases)));
});

/** One document for every visit of every case, keyed by neither a case nor any stream: its events come from many streams. */
interface VisitLog {
  readonly positions: readonly string[];
}
const visitLog: Projection<VisitLog> = {
  name: 'visit-log',
  version: 1,
  category: 'case',
  documents: 'across-streams',
  handles: ['HomeVisitRecorded'],
  indexes: ['count'],
  keyOf: () => 'all-visits',
  evolve: (doc, event) => ({ positions: [...(doc?.positions ?? []), event.position] }),
  indexOf: (doc) => ({ count: doc.positions.length }),
};

it('a parked document keyed by something other than its stream is retried from the streams of its events, in order', async () => {
  const ids = await writeHistory(events, 6, { visits: 2 });
  const active = ids.find((_, n) => shapeOf(n) === 'active') as string;
  const projection = instrumented(visitLog as unknown as Projection<unknown>);
  const visits = (await caseEventsOf(events)).filter((e) => e.type === 'HomeVisitRecorded').map((e) => e.position.toString());
  projection.failWhen = (e) => e.position === visits[1];
  start(projection);
  await waitForHead(events, reads, 'cases@1');
  expect(positionsOf(await listParked(reads, 'cases@1'))).toEqual(visits.slice(1));

  // Fixed and retried: every parked event is found in its own case's stream and applied in log order.
  projection.failWhen = null;
  await requestParkedAction(reads, 'cases@1', 'all-visits', 'retry');
  await waitUntil('the parked events to be applied', async () => (await listParked(reads, 'cases@1')).length === 0);
  // A later visit lands behind them: the barrier held until the retry had applied them all.
  const visitor = await assignedCaseworker(events, active);
  if (!visitor) throw new Error('the active case has a caseworker');
  const late = await recordVisit(events, active, visitor, today());
  await waitForHead(events, reads, 'cases@1');
  expect((await reads.get<VisitLog>('cases@1', 'all-visits'))?.doc.positions).toEqual([...visits, late.position.toString()]);
});
