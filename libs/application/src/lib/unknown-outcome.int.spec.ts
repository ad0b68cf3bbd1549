import {
  ForwardingEventStore,
  StoreUnavailableError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type SqliteEventStore,
} from '@wih/event-store';
import { caseStream, handleCaseCommand, type CommandOptions } from './case-commands';
import { idempotencyRecord } from './idempotency';
import { caseworker, openEvents, removeDir, tempDir, writeCase } from './projections/testing/fixtures';

// writeCase(n) with n % 6 === 2 leaves an active case assigned to cw-cem.
const ACTIVE = 2;
const CEM = caseworker('cw-cem');

/**
 * The first append to `stream` has an unknown outcome: it is answered "unavailable" (a deadline
 * passed, the connection dropped) while the write is still on its way. It lands just before the
 * next append to the stream, i.e. after the retry has read the stream and decided.
 */
class LateWrite extends ForwardingEventStore {
  readonly attempts: { readonly ids: string[]; readonly expected: ExpectedRevision }[] = [];
  private held: (() => Promise<AppendResult>) | undefined;
  private armed = true;

  constructor(
    inner: EventStore,
    private readonly stream: string,
  ) {
    super(inner);
  }

  override async append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (stream !== this.stream) return this.inner.append(stream, events, expected);
    this.attempts.push({ ids: events.map((e) => e.id), expected });
    if (this.armed) {
      this.armed = false;
      this.held = () => this.inner.append(stream, events, expected);
      throw new StoreUnavailableError('EventStoreDB unavailable: deadline exceeded');
    }
    const late = this.held;
    this.held = undefined;
    await late?.();
    return this.inner.append(stream, events, expected);
  }
}

describe('a retried command whose first append had an unknown outcome', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = tempDir('wih-unknown-outcome-');
    store = openEvents(dir);
  });
  afterEach(async () => {
    await store.close();
    removeDir(dir);
  });

  it('writes one event, under the ids of the first attempt, and answers as the first time', async () => {
    const caseId = await writeCase(store, ACTIVE);
    const before = await store.readStream(caseStream(caseId));
    const late = new LateWrite(store, caseStream(caseId));
    const today = new Date().toISOString().slice(0, 10);
    const keyed: CommandOptions = { idempotency: idempotencyRecord(CEM.userId, 'visit-1', { visitedOn: today }) };
    const visit = () =>
      handleCaseCommand(
        late,
        (context) => ({
          type: 'RecordHomeVisit',
          caseId,
          context,
          data: { visitedOn: today, householdMet: true, concerns: ['tenancy'] },
        }),
        CEM,
        keyed,
      );

    await expect(visit()).rejects.toBeInstanceOf(StoreUnavailableError);
    const retry = await visit();

    const after = await store.readStream(caseStream(caseId));
    const written = after.slice(before.length);
    expect(written.map((e) => e.type)).toEqual(['HomeVisitRecorded']);
    // The retry decided at the revision the first attempt did, with the same event ids: EventStoreDB
    // takes such an append as the first one again, SQLite refuses a second row.
    const [first, second] = late.attempts;
    expect(second.expected).toBe(first.expected);
    expect(second.ids).toEqual(first.ids);
    expect(written.map((e) => e.id)).toEqual(first.ids);
    expect(retry).toEqual({ caseId, revision: written[0].revision, position: written[0].position, replayed: true });
  });

  it('keeps the ids of different requests apart', async () => {
    const caseId = await writeCase(store, ACTIVE);
    const today = new Date().toISOString().slice(0, 10);
    const visit = (key: string) =>
      handleCaseCommand(
        store,
        (context) => ({
          type: 'RecordHomeVisit',
          caseId,
          context,
          data: { visitedOn: today, householdMet: true, concerns: ['tenancy'] },
        }),
        CEM,
        { idempotency: idempotencyRecord(CEM.userId, key, { visitedOn: today }) },
      );
    const [a, b] = [await visit('visit-a'), await visit('visit-b')];
    expect(b.revision).toBe(a.revision + 1);
    const ids = (await store.readStream(caseStream(caseId))).map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
