import type { CaseEvent } from '@wih/domain';
import { collectFacts, type Facts } from '@wih/evaluation';
import { openSqliteEventStore, type EventStore, type RecordedEvent, type SqliteEventStore } from '@wih/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCaseEvent, encodeHouseholdEvent } from '../codec';
import { UnknownEventTypeError } from '../schema/upcasting';
import { LiveFacts } from './live-facts';
import { pseudonymiser, replayFacts, toEvaluationEvent } from './replay';

/** The live facts without their segments: a replay's and an earlier asOf's facts have none (decision 0047). */
const withoutSegments = ({ segments: _segments, ...facts }: Facts): Facts => facts;

const PLANTED = ['Zyxwvu Plantname', 'Qwertzstraße 99', '0221-555-9999', 'Notiz-Geheim-4711'];

const envelope = (recordedAt: string) => ({ commandId: 'cmd', correlationId: 'corr', userId: 'anna', role: 'caseworker', recordedAt });

const received = (caseId: string, receivedOn: string, householdId = `h-${caseId}`): CaseEvent => ({
  type: 'ReferralReceived',
  data: {
    caseId,
    householdId,
    receivedOn,
    referralSource: 'jobcenter',
    targetGroup: 'recommitted',
    housingSituation: 'seized_flat',
    threatCauses: ['rent_arrears'],
    adults: 1,
    children: 2,
    existingAid: [],
    consentGiven: true,
    previousCaseId: null,
    recordedBy: 'anna',
  },
  personal: { household: { name: PLANTED[0], address: PLANTED[1], phone: PLANTED[2] }, notes: PLANTED[3] },
});
const approved = (approvedOn: string): CaseEvent => ({
  type: 'ReferralApproved',
  data: { approvedOn, assignedCaseworkerId: 'anna', visitIntervalDays: 28, plannedEndOn: '2025-12-31' },
});
const visited = (visitedOn: string): CaseEvent => ({
  type: 'HomeVisitRecorded',
  data: { visitedOn, householdMet: true, concerns: ['tenancy'] },
  personal: { notes: PLANTED[3] },
});

async function everyCaseEvent(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for await (const batch of store.readAll({ category: 'case' })) all.push(...batch);
  return all;
}

/** A fresh embedded store per test in the enclosing describe, and appending case events to it. */
function storePerTest(): {
  readonly store: () => SqliteEventStore;
  readonly append: (caseId: string, event: CaseEvent, recordedAt: string) => Promise<unknown>;
} {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wih-replay-'));
    store = openSqliteEventStore(dir, { durability: 'normal' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    store: () => store,
    append: (caseId, event, recordedAt) => store.append(`case-${caseId}`, [encodeCaseEvent(event, envelope(recordedAt))], 'any'),
  };
}

describe('replayFacts: the facts known at asOf, from the log', () => {
  const { store: currentStore, append } = storePerTest();
  let store: SqliteEventStore;
  beforeEach(() => (store = currentStore()));

  it('hands evaluation the non-personal data only, with the case id, recordedAt and business date', async () => {
    await append('c1', received('c1', '2025-01-10'), '2025-01-10T09:00:00.000Z');
    const [recorded] = await everyCaseEvent(store);
    expect(recorded.data).toHaveProperty('personal');
    const event = toEvaluationEvent(recorded);
    expect(event).toMatchObject({
      type: 'ReferralReceived',
      caseId: 'c1',
      recordedAt: '2025-01-10T09:00:00.000Z',
      businessDate: '2025-01-10',
    });
    expect(event.data).not.toHaveProperty('personal');
    const text = JSON.stringify(event);
    for (const planted of PLANTED) expect(text).not.toContain(planted);
    // the stored event is untouched
    expect(recorded.data).toHaveProperty('personal.household.name', PLANTED[0]);
  });

  it('equals collectFacts over the same events and skips what was recorded after asOf, wherever it is in the log', async () => {
    const asOf = '2025-03-01T12:00:00.000Z';
    await append('c1', received('c1', '2025-01-10'), '2025-01-10T09:00:00.000Z');
    await append('c1', approved('2025-01-20'), '2025-01-20T09:00:00.000Z');
    // recorded after asOf (a fast clock), but earlier in the log than the visit below
    await append('c2', received('c2', '2025-02-01'), '2025-03-02T09:00:00.000Z');
    await append('c1', visited('2025-02-10'), '2025-02-28T09:00:00.000Z');
    await store.append(
      'household-h-c1',
      [
        encodeHouseholdEvent(
          { type: 'HouseholdCaseReserved', data: { householdId: 'h-c1', caseId: 'c1', reservedAt: '2025-01-10T09:00:00.000Z' } },
          envelope('2025-01-10T09:00:00.000Z'),
        ),
      ],
      'any',
    );

    const facts = await replayFacts(store, asOf);
    expect(facts.cases.map((c) => c.caseId)).toEqual(['c1']);
    expect(facts.cases[0]).toMatchObject({
      approvedOn: '2025-01-20',
      visits: [{ visitedOn: '2025-02-10', householdMet: true }],
      withChildren: true,
    });

    const expected = collectFacts(asOf);
    for (const recorded of await everyCaseEvent(store)) expected.add(toEvaluationEvent(recorded));
    expect(facts).toEqual(withoutSegments(expected.facts()));
  });

  it('reports progress per batch: events read, the head, the position reached', async () => {
    for (let i = 0; i < 5; i++) await append(`c${i}`, received(`c${i}`, '2025-01-10'), '2025-01-10T09:00:00.000Z');
    const head = await store.headPosition('case');
    const calls: [number, bigint, bigint][] = [];
    await replayFacts(store, '2025-02-01T00:00:00.000Z', (done, h, position) => calls.push([done, h, position]));
    expect(calls.at(-1)).toEqual([5, head, head]);
  });

  it('replays an empty log as no cases', async () => {
    expect((await replayFacts(store, '2025-02-01T00:00:00.000Z')).cases).toEqual([]);
  });
});

describe('pseudonymiser: per-report pseudonyms', () => {
  it('gives 12 hex digits, the same for one case within a report, different across reports', () => {
    const first = pseudonymiser();
    const second = pseudonymiser();
    const id = '5f0c1e7a-4b7e-4a53-9d0f-0d3c8f8f2a11';
    expect(first(id)).toMatch(/^[0-9a-f]{12}$/);
    expect(first(id)).toBe(first(id));
    expect(first(id)).not.toBe(second(id));
    expect(first(id)).not.toBe(first('another-case'));
    expect(id.replace(/-/g, '')).not.toContain(first(id));
  });
});

describe('LiveFacts: the facts kept live by an evaluation thread (decision 0044)', () => {
  const { store: currentStore, append } = storePerTest();
  let store: SqliteEventStore;
  beforeEach(() => (store = currentStore()));
  const answer = (live: LiveFacts, asOf: string, now = false) =>
    live.withFacts(asOf, now, (facts, at, source) => ({
      at,
      source,
      visits: facts.cases.map((c) => c.visits.length),
      cases: facts.cases.length,
    }));

  it('answers from the facts folded so far and only folds what was appended since; equal to a replay', async () => {
    const live = new LiveFacts(store);
    await append('c1', received('c1', '2025-01-10'), '2025-01-10T09:00:00.000Z');
    expect(await answer(live, '2025-02-01T00:00:00.000Z')).toEqual({
      at: '2025-02-01T00:00:00.000Z',
      source: 'live',
      visits: [0],
      cases: 1,
    });
    await append('c1', approved('2025-01-20'), '2025-01-20T09:00:00.000Z');
    await append('c1', visited('2025-01-25'), '2025-01-25T09:00:00.000Z');
    await append('c2', received('c2', '2025-01-26'), '2025-01-26T09:00:00.000Z');
    const asOf = '2025-02-01T00:00:00.000Z';
    expect(await answer(live, asOf)).toEqual({ at: asOf, source: 'live', visits: [1, 0], cases: 2 });
    expect(await live.withFacts(asOf, false, withoutSegments)).toEqual(await replayFacts(store, asOf));
  });

  it('answers an asOf before something it folded in as a replay would; "now" answers as of the thread clock instead', async () => {
    const clock = { now: new Date('2025-03-01T00:00:00.000Z') };
    const live = new LiveFacts(store, () => clock.now);
    await append('c1', received('c1', '2025-01-10'), '2025-01-10T09:00:00.000Z');
    await append('c2', received('c2', '2025-02-10'), '2025-02-10T09:00:00.000Z');
    const before = '2025-02-01T00:00:00.000Z';
    expect(await answer(live, before)).toEqual({ at: before, source: 'earlier', visits: [0], cases: 1 });
    // asked for now at `before`, answered as of when the facts were read, with what was recorded meanwhile
    expect(await answer(live, before, true)).toEqual({ at: '2025-03-01T00:00:00.000Z', source: 'live', visits: [0, 0], cases: 2 });
    // a writer's clock ahead of the thread's: "now" would be before an event it holds, so it answers as asked
    clock.now = new Date('2025-02-05T00:00:00.000Z');
    expect(await answer(live, before, true)).toEqual({ at: before, source: 'earlier', visits: [0], cases: 1 });
  });

  it('an earlier asOf reads again only the cases written to on both sides of it, and equals the replay', async () => {
    await append('c1', received('c1', '2025-01-10'), '2025-01-10T09:00:00.000Z');
    await append('c1', approved('2025-01-20'), '2025-01-20T09:00:00.000Z');
    await append('c2', received('c2', '2025-01-12'), '2025-01-12T09:00:00.000Z');
    await append('c1', visited('2025-03-05'), '2025-03-05T09:00:00.000Z');
    await append('c3', received('c3', '2025-03-06'), '2025-03-06T09:00:00.000Z');
    const asOf = '2025-02-01T00:00:00.000Z';
    const read: string[] = [];
    const counting: EventStore = Object.assign(Object.create(store) as EventStore, {
      readStream: (stream: string) => {
        read.push(stream);
        return store.readStream(stream);
      },
    });
    const live = new LiveFacts(counting);
    const facts = await live.withFacts(asOf, false, (f, _at, source, reread) => ({ f, source, reread }));
    expect(facts.source).toBe('earlier');
    expect(read).toEqual(['case-c1']);
    expect(facts.reread).toBe(1);
    expect(facts.f).toEqual(await replayFacts(store, asOf));
    expect(facts.f.cases.map((c) => [c.caseId, c.approvedOn, c.visits.length])).toEqual([
      ['c1', '2025-01-20', 0],
      ['c2', null, 0],
    ]);
  });

  it('an earlier asOf leaves out what was appended after the facts were caught up, also in the cases it reads again', async () => {
    await append('c1', received('c1', '2025-01-10'), '2025-01-10T09:00:00.000Z');
    await append('c1', visited('2025-03-05'), '2025-03-05T09:00:00.000Z');
    const asOf = '2025-02-01T00:00:00.000Z';
    const before = await replayFacts(store, asOf);
    // a write lands between the catch-up and the stream read, with a clock that puts it before asOf
    const racing: EventStore = Object.assign(Object.create(store) as EventStore, {
      readStream: async (stream: string) => {
        await append('c1', approved('2025-01-20'), '2025-01-20T09:00:00.000Z');
        return store.readStream(stream);
      },
    });
    const live = new LiveFacts(racing);
    expect(await live.withFacts(asOf, false, (facts) => facts)).toEqual(before);
    // the next answer folds it in like any write
    expect((await live.withFacts(asOf, false, (facts) => facts)).cases[0].approvedOn).toBe('2025-01-20');
  });

  it('answers asked at once each see every event once: folding waits for the answer before it', async () => {
    const live = new LiveFacts(store);
    await append('c1', received('c1', '2025-01-10'), '2025-01-10T09:00:00.000Z');
    await append('c1', approved('2025-01-20'), '2025-01-20T09:00:00.000Z');
    const asOf = '2025-06-01T00:00:00.000Z';
    const first = answer(live, asOf);
    const second = answer(live, asOf);
    await append('c1', visited('2025-01-25'), '2025-01-25T09:00:00.000Z');
    const third = answer(live, asOf);
    const answers = await Promise.all([first, second, third]);
    // the first two may or may not see the visit appended meanwhile, but never twice
    for (const { visits } of answers.slice(0, 2)) expect([[0], [1]]).toContainEqual(visits);
    expect(answers[2]).toEqual({ at: asOf, source: 'live', visits: [1], cases: 1 });
    expect(await answer(live, asOf)).toEqual({ at: asOf, source: 'live', visits: [1], cases: 1 });
  });

  it('an event it cannot read fails every answer, also the next one: it is never skipped', async () => {
    const live = new LiveFacts(store);
    await append('c1', received('c1', '2025-01-10'), '2025-01-10T09:00:00.000Z');
    await append('c1', visited('2025-01-25'), '2025-01-25T09:00:00.000Z');
    await store.append(
      'case-c1',
      [{ id: 'x', type: 'SomethingUnknown', data: {}, metadata: envelope('2025-01-26T09:00:00.000Z') } as never],
      'any',
    );
    await expect(answer(live, '2025-06-01T00:00:00.000Z')).rejects.toThrow(UnknownEventTypeError);
    await expect(answer(live, '2025-06-01T00:00:00.000Z')).rejects.toThrow(UnknownEventTypeError);
  });
});

describe('LiveFacts kept current between answers (decision 0047)', () => {
  const { store: currentStore, append } = storePerTest();
  let store: SqliteEventStore;
  beforeEach(() => (store = currentStore()));
  /** The store, counting the events its log reads hand out. */
  const counting = () => {
    let read = 0;
    const readAll: EventStore['readAll'] = async function* (options) {
      for await (const batch of store.readAll(options)) {
        read += batch.length;
        yield batch;
      }
    };
    return { events: Object.assign(Object.create(store) as EventStore, { readAll }), read: () => read };
  };
  const eventually = async (done: () => boolean): Promise<void> => {
    for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(done()).toBe(true);
  };
  const visitsOf = (live: LiveFacts) =>
    live.withFacts('2025-06-01T00:00:00.000Z', false, (facts) => facts.cases.map((c) => c.visits.length));

  it('pauses after an expensive refresh for REFRESH_PACE times its cost, not just the interval (decision 0051)', async () => {
    // Every log read takes 40 ms: each refresh costs at least that, so the next is due 800 ms later.
    let reads = 0;
    const readAll: EventStore['readAll'] = async function* (options) {
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 40));
      yield* store.readAll(options);
    };
    const live = new LiveFacts(Object.assign(Object.create(store) as EventStore, { readAll }));
    const stop = live.refreshEvery(10);
    try {
      await eventually(() => reads > 0);
      await new Promise((resolve) => setTimeout(resolve, 400));
      // Without the pacing: a refresh every 10 ms after the last (two reads of 40 ms each), five or more here.
      expect(reads).toBeLessThanOrEqual(2 * 2); // one refresh (the case and activity reads), perhaps the start of a second
    } finally {
      stop();
    }
  });

  it('folds what was appended before any answer asks for it, each event once, until stopped', async () => {
    const { events, read } = counting();
    const live = new LiveFacts(events);
    await live.catchUp();
    live.keepCurrent({ from: '2025-01-01', to: '2025-12-31' });
    const stop = live.refreshEvery(20);
    try {
      await append('c1', received('c1', '2025-01-10'), '2025-01-10T09:00:00.000Z');
      await append('c1', approved('2025-01-20'), '2025-01-20T09:00:00.000Z');
      await eventually(() => read() === 2);
      stop();
      await append('c1', visited('2025-01-25'), '2025-01-25T09:00:00.000Z');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(read()).toBe(2); // stopped: only an answer folds it now
      expect(await visitsOf(live)).toEqual([1]);
      expect(read()).toBe(3);
    } finally {
      stop();
    }
  });
});
