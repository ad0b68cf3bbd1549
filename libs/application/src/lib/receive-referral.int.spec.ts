import { RESERVATION_FENCE, RESERVATION_TTL_MS, WRITER_DEADLINE_MS } from '@wih/domain';
import {
  ForwardingEventStore,
  StoreUnavailableError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type RecordedEvent,
  type SqliteEventStore,
  type StreamRevision,
} from '@wih/event-store';
import { randomUUID } from 'node:crypto';
import { caseStream, defaultHandlerSettings, handleCaseCommand, type Actor, type CommandOptions } from './case-commands';
import { caseIdFromKey, householdIdFromKey, idempotencyRecord, type IdempotencyRecord } from './idempotency';
import { caseworker, daysAgo, openEvents, removeDir, tempDir } from './projections/testing/fixtures';
import { replayFacts } from './evaluation/replay';
import { receiveReferral, type ReferralInput } from './receive-referral';
import { UPCASTERS } from './schema/upcasters';
import { withUpcasting } from './schema/with-upcasting';
import { projectAll } from '../testing/history';

const ANNA: Actor = caseworker('cw-anna');

const referral = (overrides: Partial<ReferralInput> = {}): ReferralInput => ({
  receivedOn: daysAgo(10),
  referralSource: 'jobcenter',
  targetGroup: 'recommitted',
  housingSituation: 'seized_flat',
  threatCauses: [],
  adults: 1,
  children: 2,
  existingAid: [],
  consentGiven: true,
  household: { name: 'Familie Probe', address: 'Probeweg 1' },
  ...overrides,
});

/** A promise and the function that settles it: the test decides when a held read goes on. */
const gate = () => {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
};

/**
 * Holds the first read of (or append to) `stream` until `release` resolves, and says when it got
 * there: the test lets the other request complete in between (the interleaving a second process or
 * a slow network produces; one process on SQLite rarely hits it by chance). `readStream-answer`
 * reads first and holds the answer (a read whose answer arrives late, already stale).
 */
class Held extends ForwardingEventStore {
  readonly reached = gate();
  private held = true;

  constructor(
    inner: EventStore,
    private readonly method: 'readStream' | 'readStream-answer' | 'append',
    private readonly stream: string,
    private readonly release: Promise<void>,
  ) {
    super(inner);
  }

  private async hold(method: Held['method'], stream: string): Promise<void> {
    if (method !== this.method || stream !== this.stream || !this.held) return;
    this.held = false;
    this.reached.open();
    await this.release;
  }

  override async readStream(stream: string, options?: { fromRevision?: StreamRevision }): Promise<RecordedEvent[]> {
    await this.hold('readStream', stream);
    const events = await this.inner.readStream(stream, options);
    await this.hold('readStream-answer', stream);
    return events;
  }

  override async append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    await this.hold('append', stream);
    return this.inner.append(stream, events, expected);
  }
}

describe('a double submit (two identical keyed requests at the same moment)', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = tempDir('wih-referral-');
    store = openEvents(dir);
  });
  afterEach(async () => {
    await store.close();
    removeDir(dir);
  });

  it("of a referral: the one that read the case stream before the other landed replays the other's answer instead of invalid-state", async () => {
    const input = referral({ caseId: randomUUID(), householdId: randomUUID() });
    const keyed: CommandOptions = { idempotency: idempotencyRecord(ANNA.userId, 'double-submit', input) };
    const winnerLanded = gate();
    // The loser has read the (still missing) case stream and waits before it reads the household.
    const loserStore = new Held(store, 'readStream', `household-${input.householdId}`, winnerLanded.opened);
    const loser = receiveReferral(loserStore, input, ANNA, keyed);
    await loserStore.reached.opened;
    const winner = await receiveReferral(store, input, ANNA, keyed);
    winnerLanded.open();

    expect(await loser).toEqual({ ...winner, replayed: true });
    expect(winner.replayed).toBe(false);
    expect((await store.readStream(caseStream(input.caseId as string))).map((e) => e.type)).toEqual(['ReferralReceived']);
  });

  it('of a referral without its case id (case and household derived from the key): the same', async () => {
    const input = referral();
    const keyed: CommandOptions = { idempotency: idempotencyRecord(ANNA.userId, 'double-submit-derived', input) };
    const winnerLanded = gate();
    const loserStore = new Held(
      store,
      'readStream',
      `household-${householdIdFromKey(keyed.idempotency as IdempotencyRecord)}`,
      winnerLanded.opened,
    );
    const loser = receiveReferral(loserStore, input, ANNA, keyed);
    await loserStore.reached.opened;
    const winner = await receiveReferral(store, input, ANNA, keyed);
    winnerLanded.open();

    expect(await loser).toEqual({ ...winner, replayed: true });
    expect(winner.caseId).toBe(caseIdFromKey(keyed.idempotency as IdempotencyRecord));
  });

  it("of a command on a case: the one whose append lost replays the other's answer (regression guard)", async () => {
    const input = referral({ caseId: randomUUID() });
    const caseId = input.caseId as string;
    await receiveReferral(store, input, ANNA);
    const approve = (events: EventStore) =>
      handleCaseCommand(
        events,
        (context) => ({
          type: 'ApproveReferral',
          caseId,
          context,
          data: { approvedOn: daysAgo(5), assignedCaseworkerId: 'cw-anna', plannedEndOn: daysAgo(-100) },
        }),
        { userId: 'fs-1', role: 'fachstelle' },
        { idempotency: idempotencyRecord('fs-1', 'approve-once', { approvedOn: daysAgo(5) }) },
      );
    const winnerLanded = gate();
    const loserStore = new Held(store, 'append', caseStream(caseId), winnerLanded.opened);
    const loser = approve(loserStore);
    await loserStore.reached.opened;
    const winner = await approve(store);
    winnerLanded.open();

    expect(await loser).toEqual({ ...winner, replayed: true });
    expect((await store.readStream(caseStream(caseId))).map((e) => e.type)).toEqual(['ReferralReceived', 'ReferralApproved']);
  });

  it("of a visit while an approval lands: the one that read the case still referred replays the other's answer instead of invalid-state", async () => {
    const input = referral({ caseId: randomUUID() });
    const caseId = input.caseId as string;
    await receiveReferral(store, input, ANNA);
    const visit = (events: EventStore) =>
      handleCaseCommand(
        events,
        (context) => ({
          type: 'RecordHomeVisit',
          caseId,
          context,
          data: { visitedOn: daysAgo(1), householdMet: true, concerns: [] },
        }),
        ANNA,
        { idempotency: idempotencyRecord(ANNA.userId, 'visit-once', { visitedOn: daysAgo(1) }) },
      );
    const winnerLanded = gate();
    const loserStore = new Held(store, 'readStream-answer', caseStream(caseId), winnerLanded.opened);
    const loser = visit(loserStore);
    await loserStore.reached.opened;
    await handleCaseCommand(
      store,
      (context) => ({
        type: 'ApproveReferral',
        caseId,
        context,
        data: { approvedOn: daysAgo(5), assignedCaseworkerId: 'cw-anna', plannedEndOn: daysAgo(-100) },
      }),
      { userId: 'fs-1', role: 'fachstelle' },
    );
    const winner = await visit(store);
    winnerLanded.open();

    expect(await loser).toEqual({ ...winner, replayed: true });
    expect((await store.readStream(caseStream(caseId))).map((e) => e.type)).toEqual([
      'ReferralReceived',
      'ReferralApproved',
      'HomeVisitRecorded',
    ]);
  });
});

/** A clock that answers `times` in turn, then the last one for good (the writer's clock, injected). */
const clockOf = (...times: number[]) => {
  let call = 0;
  return () => new Date(times[Math.min(call++, times.length - 1)]);
};

describe('crash healing (rule 5 across two appends, decision 0005)', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = tempDir('wih-referral-');
    store = openEvents(dir);
  });
  afterEach(async () => {
    await store.close();
    removeDir(dir);
  });

  const types = async (stream: string) => (await store.readStream(stream)).map((e) => [e.type, (e.data as { caseId?: string }).caseId]);

  it('a writer gives up before the case append when more than WRITER_DEADLINE_MS passed since it decided; a retry of the same referral completes', async () => {
    const input = referral({ caseId: randomUUID(), householdId: randomUUID() });
    const caseId = input.caseId as string;
    const decidedAt = Date.now();
    const late = { ...defaultHandlerSettings, clock: clockOf(decidedAt, decidedAt + WRITER_DEADLINE_MS + 1) };
    await expect(receiveReferral(store, input, ANNA, {}, late)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.readStream(caseStream(caseId))).toEqual([]);
    expect(await types(`household-${input.householdId}`)).toEqual([['HouseholdCaseReserved', caseId]]);

    // Exactly at the deadline it still writes; here: the retry renews its own reservation and completes.
    const onTime = { ...defaultHandlerSettings, clock: clockOf(decidedAt + 1_000, decidedAt + 1_000 + WRITER_DEADLINE_MS) };
    expect(await receiveReferral(store, input, ANNA, {}, onTime)).toMatchObject({ caseId, revision: 0, replayed: false });
    expect(await types(`household-${input.householdId}`)).toEqual([
      ['HouseholdCaseReserved', caseId],
      ['HouseholdReservationReleased', caseId],
      ['HouseholdCaseReserved', caseId],
    ]);
  });

  it('a healer whose clock runs ahead takes over a live reservation, and the stalled writer can then never land its case: one open case, whatever the clocks', async () => {
    const householdId = randomUUID();
    const stalled = referral({ caseId: randomUUID(), householdId });
    const stalledCase = stalled.caseId as string;
    const release = gate();
    // The writer has reserved and passed its deadline check; its case append is on its way, slowly.
    const writerStore = new Held(store, 'append', caseStream(stalledCase), release.opened);
    const writer = receiveReferral(writerStore, stalled, ANNA);
    await writerStore.reached.opened;

    const ahead = { ...defaultHandlerSettings, clock: () => new Date(Date.now() + RESERVATION_TTL_MS + 60_000) };
    const healer = await receiveReferral(store, referral({ householdId, receivedOn: daysAgo(9) }), caseworker('cw-ben'), {}, ahead);
    release.open();

    await expect(writer).rejects.toMatchObject({ code: 'household-has-open-case' });
    expect((await store.readStream(caseStream(stalledCase))).map((e) => e.type)).toEqual([RESERVATION_FENCE]);
    expect(await types(`household-${householdId}`)).toEqual([
      ['HouseholdCaseReserved', stalledCase],
      ['HouseholdReservationReleased', stalledCase],
      ['HouseholdCaseReserved', healer.caseId],
    ]);
    expect((await store.readStream(caseStream(healer.caseId))).map((e) => e.type)).toEqual(['ReferralReceived']);

    // The fence is a known type of the case category, read as production reads (the upcaster chain)
    // and skipped by every fold: the evaluation counts one case, the projections know one.
    const production = withUpcasting(store, UPCASTERS);
    const facts = await replayFacts(production, new Date(Date.now() + 120_000).toISOString());
    expect(facts.cases.map((c) => c.caseId)).toEqual([healer.caseId]);
    const projections = await projectAll(production);
    expect(Object.keys(projections.cases ?? {})).toEqual([healer.caseId]);
  });

  it('a retry of the fenced referral itself is written after the fence once the household is free again', async () => {
    const householdId = randomUUID();
    const input = referral({ caseId: randomUUID(), householdId });
    const caseId = input.caseId as string;
    const decidedAt = Date.now() - RESERVATION_TTL_MS - 60_000;
    // A writer that gave up (its deadline passed) left its reservation; a later referral heals it.
    await expect(
      receiveReferral(store, input, ANNA, {}, { ...defaultHandlerSettings, clock: clockOf(decidedAt, decidedAt + WRITER_DEADLINE_MS + 1) }),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    const other = await receiveReferral(store, referral({ householdId, receivedOn: daysAgo(20) }), ANNA);
    await handleCaseCommand(
      store,
      (context) => ({
        type: 'RejectReferral',
        caseId: other.caseId,
        context,
        data: { rejectedOn: daysAgo(15), reason: 'other' },
      }),
      { userId: 'fs-1', role: 'fachstelle' },
    );

    const retried = await receiveReferral(store, input, ANNA);
    expect(retried).toMatchObject({ caseId, revision: 1, replayed: false });
    expect((await store.readStream(caseStream(caseId))).map((e) => e.type)).toEqual([RESERVATION_FENCE, 'ReferralReceived']);
    const [, received] = await store.readStream(caseStream(caseId));
    expect(received.data).toMatchObject({ householdId, previousCaseId: other.caseId });
  });
});
