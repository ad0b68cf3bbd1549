import fc from 'fast-check';
import { historiesArbitrary } from './disclosure/testing';
import { computeStatistics } from './statistics';
import type { EvaluationEvent } from './evaluation-event';
import { collectFacts, type CaseFacts, type Facts } from './facts';
import type { ActivityEvaluationEvent } from './activities/activities';
import { activity, factsOf, log, recordedOn, referral } from './testing/history';

const AS_OF = '2025-01-15T12:00:00.000Z';

/** The facts without the live collector's segments: compared as facts, and computed over in one pass. */
const plain = ({ segments: _segments, ...facts }: Facts): Facts => facts;

describe('collectFacts: the facts of each case as known at asOf', () => {
  it('folds a whole lifecycle into one CaseFacts, keeping only non-personal figures', () => {
    const history = referral('c1', '2024-01-10', {
      householdId: 'h1',
      children: 2,
      adults: 1,
      referralSource: 'jobcenter',
      previousCaseId: 'c0',
      housingSituation: 'own_tenancy_at_risk',
      // a list naming a code twice (no DTO guards an event's history) still names it once
      threatCauses: ['eviction_suit', 'rent_arrears', 'eviction_suit'],
    })
      .approved('2024-01-20', { visitIntervalDays: 14 })
      .visit('2024-02-01', { householdMet: false, concerns: ['economic', 'tenancy', 'economic'] })
      .mediated('2024-02-05', { kind: 'debt_counselling', institutionKind: null })
      .extended('2024-03-01', { reason: 'new_crisis' })
      .secured('2024-03-10', { outcome: 'own_tenancy_agreement' })
      .closed('2024-04-01', { reason: 'goal_achieved', housingAtClose: 'own_tenancy' });
    const facts = factsOf(history.events, AS_OF);
    const expected: CaseFacts = {
      caseId: 'c1',
      householdId: 'h1',
      receivedOn: '2024-01-10',
      referralSource: 'jobcenter',
      targetGroup: 'recommitted',
      housingSituation: 'own_tenancy_at_risk',
      threatCauses: ['eviction_suit', 'rent_arrears'],
      adults: 1,
      children: 2,
      withChildren: true,
      approvedOn: '2024-01-20',
      visitIntervalDays: 14,
      rejectedOn: null,
      rejectionReason: null,
      visits: [{ visitedOn: '2024-02-01', householdMet: false, concerns: ['economic', 'tenancy'] }],
      mediations: [{ mediatedOn: '2024-02-05', kind: 'debt_counselling', institutionKind: null }],
      housingSecured: { securedOn: '2024-03-10', outcome: 'own_tenancy_agreement' },
      extensions: [{ extendedOn: '2024-03-01', reason: 'new_crisis' }],
      closure: { closedOn: '2024-04-01', reason: 'goal_achieved', housingAtClose: 'own_tenancy' },
      previousCaseId: 'c0',
      helpPlan: null,
    };
    expect(facts.cases).toEqual([expected]);
    expect([...facts.households]).toEqual([['h1', ['2024-01-10']]]);
  });

  it('keeps a rejection with its reason; no children means withChildren false', () => {
    const facts = factsOf(
      referral('c1', '2024-01-10', { children: 0 }).rejected('2024-01-12', { reason: 'declined_by_household' }).events,
      AS_OF,
    );
    expect(facts.cases[0]).toMatchObject({
      withChildren: false,
      children: 0,
      approvedOn: null,
      rejectedOn: '2024-01-12',
      rejectionReason: 'declined_by_household',
    });
  });

  it('ignores events recorded after asOf even when their business date lies well before it', () => {
    const history = referral('c1', '2024-01-10').approved('2024-01-20').closed('2024-06-30', { recordedAt: '2025-01-15T12:00:00.001Z' }); // entered late: unknown at asOf
    const late = referral('c2', '2024-02-01', { recordedAt: '2025-02-01T08:00:00Z' }).approved('2024-02-02');
    const facts = factsOf(log(history, late), AS_OF);
    expect(facts.cases.map((c) => [c.caseId, c.closure])).toEqual([['c1', null]]);
    // c2's referral is unknown at asOf, so its approval (recorded in time) has no case to go to.
    expect([...facts.households.keys()]).toEqual(['h-c1']);
  });

  it('includes an event recorded exactly at asOf ("at or before"), whatever the instant format', () => {
    const history = referral('c1', '2024-01-10').approved('2024-01-20', { recordedAt: '2025-01-15T13:00:00+01:00' });
    expect(factsOf(history.events, AS_OF).cases[0].approvedOn).toBe('2024-01-20');
  });

  it('sorts visits by visitedOn although they were recorded out of date order', () => {
    const history = referral('c1', '2024-01-10')
      .approved('2024-01-20')
      .visit('2024-03-01')
      .visit('2024-02-01', { householdMet: false, recordedAt: '2024-03-02T10:00:00Z' })
      .visit('2024-02-15');
    expect(factsOf(history.events, AS_OF).cases[0].visits.map((v) => v.visitedOn)).toEqual(['2024-02-01', '2024-02-15', '2024-03-01']);
  });

  it('indexes every referral of a household, rejected ones too, in log order', () => {
    const first = referral('c1', '2024-01-10', { householdId: 'h1' }).approved('2024-01-20').closed('2024-05-01');
    const second = referral('c2', '2024-07-01', { householdId: 'h1', previousCaseId: 'c1' }).rejected('2024-07-03');
    const other = referral('c3', '2024-02-01', { householdId: 'h2' });
    expect([...factsOf(log(first, other, second), AS_OF).households]).toEqual([
      ['h1', ['2024-01-10', '2024-07-01']],
      ['h2', ['2024-02-01']],
    ]);
  });

  it('counts a redelivered referral once', () => {
    const history = referral('c1', '2024-01-10');
    const facts = factsOf([...history.events, ...history.events], AS_OF);
    expect(facts.cases).toHaveLength(1);
    expect(facts.households.get('h-c1')).toEqual(['2024-01-10']);
  });

  it('refuses an asOf or recordedAt that is not an instant', () => {
    expect(() => collectFacts('yesterday')).toThrow(RangeError);
    const event = { ...referral('c1', '2024-01-10').events[0], recordedAt: 'soon' } as EvaluationEvent;
    expect(() => collectFacts(AS_OF).add(event)).toThrow(RangeError);
  });

  it('refuses an event type it does not know instead of counting it as nothing', () => {
    const [received] = referral('c1', '2024-01-10').events;
    const collector = collectFacts(AS_OF);
    collector.add(received);
    const unknown = { ...received, type: 'EventOfANewerRelease', data: { on: '2024-01-11' } } as unknown as EvaluationEvent;
    expect(() => collector.add(unknown)).toThrow(new TypeError('unknown event type "EventOfANewerRelease"'));
  });

  it('has no place for personal data in its input type', () => {
    const [received] = referral('c1', '2024-01-10').events;
    // @ts-expect-error personal data is not part of an EvaluationEvent
    const withPersonal: EvaluationEvent = { ...received, personal: { household: { name: 'X', address: 'Y' } } };
    expect(withPersonal).toBeDefined();
  });
});

describe('collectFacts: the help plan', () => {
  const plan = (caseId = 'c1') =>
    referral(caseId, '2024-01-10')
      .approved('2024-01-20')
      .planned('2024-02-01', {
        householdParticipated: false,
        goals: [
          { goalId: 'rent', area: 'rent_and_debts', actor: 'together', reviewOn: '2024-03-01' },
          { goalId: 'job', area: 'income_and_benefits', actor: 'household', reviewOn: '2024-03-01' },
        ],
      });
  const goalsOf = (history: ReturnType<typeof plan>) => factsOf(history.events, AS_OF).cases[0].helpPlan?.goals;

  it('records the plan with each goal open and not asked before any review', () => {
    expect(factsOf(plan().events, AS_OF).cases[0].helpPlan).toEqual({
      firstAgreedOn: '2024-02-01',
      agreedOn: '2024-02-01',
      householdParticipated: false,
      agreements: [{ agreedOn: '2024-02-01', householdParticipated: false }],
      replaced: [],
      goals: [
        {
          goalId: 'rent',
          agreedOn: '2024-02-01',
          area: 'rent_and_debts',
          actor: 'together',
          status: 'open',
          householdView: 'not_asked',
          lastReviewedOn: null,
          achievedOn: null,
          reviews: [],
        },
        {
          goalId: 'job',
          agreedOn: '2024-02-01',
          area: 'income_and_benefits',
          actor: 'household',
          status: 'open',
          householdView: 'not_asked',
          lastReviewedOn: null,
          achievedOn: null,
          reviews: [],
        },
      ],
    });
  });

  it("keeps each goal's latest review and the day it was achieved", () => {
    const history = plan()
      .reviewed('2024-03-01', { goalId: 'job', status: 'in_progress', householdView: 'partly' })
      .reviewed('2024-04-02', { goalId: 'job', status: 'achieved', householdView: 'satisfied' });
    expect(goalsOf(history)).toEqual([
      expect.objectContaining({ goalId: 'rent', status: 'open', lastReviewedOn: null, achievedOn: null }),
      expect.objectContaining({
        goalId: 'job',
        actor: 'household',
        status: 'achieved',
        householdView: 'satisfied',
        lastReviewedOn: '2024-04-02',
        achievedOn: '2024-04-02',
      }),
    ]);
  });

  it('a new plan replaces the unsettled goals and keeps the settled ones with their facts', () => {
    const history = plan()
      .reviewed('2024-03-01', { goalId: 'job', status: 'dropped', householdView: 'not_satisfied' })
      .reviewed('2024-03-01', { goalId: 'rent', status: 'in_progress', householdView: 'partly' })
      .planned('2024-03-05', { goals: [{ goalId: 'flat', area: 'housing', actor: 'caseworker', reviewOn: '2024-04-01' }] });
    const helpPlan = factsOf(history.events, AS_OF).cases[0].helpPlan;
    expect(helpPlan).toMatchObject({ firstAgreedOn: '2024-02-01', agreedOn: '2024-03-05', householdParticipated: true });
    expect(helpPlan?.goals.map((g) => [g.goalId, g.agreedOn, g.status, g.householdView])).toEqual([
      ['job', '2024-02-01', 'dropped', 'not_satisfied'],
      ['flat', '2024-03-05', 'open', 'not_asked'],
    ]);
    // the replaced goal stays as it stood, for the figures of the period it was agreed and reviewed in
    expect(helpPlan?.replaced).toEqual([
      expect.objectContaining({ goalId: 'rent', status: 'in_progress', reviews: [{ reviewedOn: '2024-03-01', householdView: 'partly' }] }),
    ]);
    expect(helpPlan?.agreements).toEqual([
      { agreedOn: '2024-02-01', householdParticipated: false },
      { agreedOn: '2024-03-05', householdParticipated: true },
    ]);
  });

  it('ignores a plan or review recorded after asOf', () => {
    const history = plan().reviewed('2024-03-01', { goalId: 'rent', status: 'achieved', recordedAt: '2025-02-01T10:00:00.000Z' });
    expect(goalsOf(history)?.[0]).toMatchObject({ goalId: 'rent', status: 'open', achievedOn: null });
  });
});

describe('collectFacts kept live (an evaluation thread, decision 0044): read between parts of the log, then fed on', () => {
  const LATER = '2030-01-01T00:00:00.000Z';
  it('gives the facts and statistics of one collection over the whole log, for random histories in random interleavings', () => {
    fc.assert(
      fc.property(
        historiesArbitrary(),
        fc.array(fc.nat(), { maxLength: 400 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (histories, picks, cuts) => {
          // the cases' events interleaved as writers append them, each case's in its own order
          const queues = histories.map((h) => [...h.events]);
          const merged: EvaluationEvent[] = [];
          for (let i = 0; queues.some((q) => q.length > 0); i++) {
            const open = queues.filter((q) => q.length > 0);
            merged.push(open[(picks[i] ?? 0) % open.length].shift() as EvaluationEvent);
          }
          const requests = [
            { from: '2024-01-01', to: '2024-12-31', asOf: LATER },
            { from: '2024-04-01', to: '2024-06-30', asOf: LATER },
            // another day of asOf: the repeat windows complete by then differ
            { from: '2024-01-01', to: '2024-12-31', asOf: '2025-03-01T00:00:00.000Z' },
          ];
          const live = collectFacts(LATER);
          let at = 0;
          for (const cut of [...cuts.map((c) => c % (merged.length + 1))].sort((a, b) => a - b)) {
            merged.slice(at, cut).forEach((event) => live.add(event));
            at = Math.max(at, cut);
            // read between parts, as an answer does: the segments' figures are kept until they change
            for (const request of requests.slice(0, 1 + (cut % requests.length))) computeStatistics(live.facts(), request);
          }
          merged.slice(at).forEach((event) => live.add(event));
          const once = factsOf(merged, LATER);
          expect(live.facts()).toEqual(once);
          for (const request of requests) {
            // the sum of the segments' figures, some kept from before, equals one pass over all the cases
            expect(computeStatistics(live.facts(), request)).toEqual(computeStatistics(plain(once), request));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('collectFacts kept live, asked for an earlier asOf (decision 0046)', () => {
  const LATER = '2030-01-01T00:00:00.000Z';
  const DAY = 86_400_000;
  const shifted = <E extends { readonly recordedAt: string }>(event: E, days: number): E =>
    days === 0 ? event : { ...event, recordedAt: new Date(Date.parse(event.recordedAt) + days * DAY).toISOString() };
  /** The straddling cases' events in log order, as their streams hold them. */
  const streamsOf = (events: readonly EvaluationEvent[], ids: readonly string[]): Map<string, EvaluationEvent[]> =>
    new Map(ids.map((id) => [id, events.filter((event) => event.caseId === id)]));
  const liveOver = (events: readonly EvaluationEvent[], activities: readonly ActivityEvaluationEvent[] = []) => {
    const live = collectFacts(LATER);
    events.forEach((event) => live.add(event));
    activities.forEach((event) => live.addActivity(event));
    live.facts();
    return live;
  };

  it('reads only the cases with events on both sides of asOf again; the rest comes off the live facts', () => {
    const events = log(
      referral('before', '2024-01-10').approved('2024-01-20').closed('2024-06-30'),
      referral('across', '2024-02-01').approved('2024-02-10').visit('2024-09-01'),
      referral('after', '2024-10-01').approved('2024-10-02'),
    );
    const live = liveOver(events);
    const asOf = '2024-07-01T00:00:00.000Z';
    expect(live.straddling(asOf)).toEqual(['across']);
    const facts = live.factsAsOf(asOf, streamsOf(events, ['across']));
    expect(facts).toEqual(plain(factsOf(events, asOf)));
    expect(facts.cases.map((c) => [c.caseId, c.visits.length])).toEqual([
      ['before', 0],
      ['across', 0],
    ]);
    // the live facts themselves are untouched
    expect(live.facts().cases.map((c) => c.caseId)).toEqual(['before', 'across', 'after']);
    expect(() => live.factsAsOf(asOf, new Map())).toThrow(/across/);
  });

  it('a case known then only from a redelivered referral takes that referral’s place in the log', () => {
    const late = referral('late', '2024-01-10', { recordedAt: '2024-08-01T10:00:00.000Z' });
    const other = referral('other', '2024-02-01');
    const events = [...late.events, ...other.events, { ...late.events[0], recordedAt: '2024-03-01T10:00:00.000Z' }];
    const live = liveOver(events);
    const asOf = '2024-04-01T00:00:00.000Z';
    const facts = live.factsAsOf(asOf, streamsOf(events, live.straddling(asOf)));
    expect(facts.cases.map((c) => c.caseId)).toEqual(['other', 'late']);
    expect(facts).toEqual(plain(factsOf(events, asOf)));
  });

  it('equals a collection limited to asOf, for random histories, writers’ clocks, redeliveries and instants', () => {
    fc.assert(
      fc.property(
        historiesArbitrary(),
        fc.array(fc.nat(), { maxLength: 400 }),
        fc.array(fc.integer({ min: -60, max: 60 }), { maxLength: 400 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.array(fc.record({ on: fc.integer({ min: 0, max: 900 }), late: fc.integer({ min: -30, max: 200 }) }), { maxLength: 6 }),
        fc.nat(),
        (histories, picks, skews, redelivered, activityDays, pick) => {
          const queues = histories.map((h) => [...h.events]);
          const merged: EvaluationEvent[] = [];
          for (let i = 0; queues.some((q) => q.length > 0); i++) {
            const open = queues.filter((q) => q.length > 0);
            // a writer's clock may be off by days either way
            merged.push(shifted(open[(picks[i] ?? 0) % open.length].shift() as EvaluationEvent, skews[i] ?? 0));
          }
          for (const r of redelivered) merged.push(shifted(merged[r % merged.length], -((r % 5) * 7)));
          const activities = activityDays.flatMap(({ on, late }, i) => {
            const day = new Date(Date.UTC(2023, 0, 1) + on * DAY).toISOString().slice(0, 10);
            const first = activity(`a${i}`, day, { recordedAt: shifted({ recordedAt: recordedOn(day) }, late).recordedAt });
            return i % 2 === 0 ? [first] : [first, { ...first, recordedAt: recordedOn(day) }];
          });
          const instants = [...merged, ...activities].map((event) => Date.parse(event.recordedAt)).sort((a, b) => a - b);
          const asOf = new Date(instants[pick % instants.length] - (pick % 3 === 0 ? 1 : 0)).toISOString();

          const live = liveOver(merged, activities);
          const facts = live.factsAsOf(asOf, streamsOf(merged, live.straddling(asOf)));
          const limited = factsOf(merged, asOf, activities);
          expect(facts).toEqual(plain(limited));
          const request = { from: '2024-01-01', to: '2024-12-31', asOf };
          expect(computeStatistics(facts, request)).toEqual(computeStatistics(limited, request));
        },
      ),
      { numRuns: 80 },
    );
  });
});
