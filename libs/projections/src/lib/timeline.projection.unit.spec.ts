import { CASE_EVENT_TYPES, type CaseEvent } from '@wih/domain';
import { BEN, CASE_ID, HOUSEHOLD_ID, NOTES, ANNA, WORDING, deepFreeze, ev, fold, projected } from './testing/case-history';
import { timelineProjection, type TimelineDoc, type TimelineItem } from './timeline.projection';

const build = (events: readonly CaseEvent[]): TimelineDoc | null => fold(timelineProjection, projected(events));
/** The item the timeline holds for the last of these events. */
const lastItem = (events: readonly CaseEvent[]): TimelineItem | undefined => build(events)?.items.at(-1);

const received = ev.received({}, { household: { name: 'Familie Öztürk', address: 'Venloer Str. 12, 50672 Köln' }, notes: NOTES });
const approved = ev.approved();
const at = (occurredOn: string, revision: number) => ({ revision, occurredOn, recordedAt: `${occurredOn}T09:30:0${revision}.000Z` });

describe('timeline projection: one readable entry per event', () => {
  it('declares its name, version, events, key and index', () => {
    expect(timelineProjection).toMatchObject({ name: 'timeline', version: 2, handles: CASE_EVENT_TYPES, indexes: ['caseId'] });
    const [first] = projected([received]);
    expect(timelineProjection.keyOf(first)).toBe(CASE_ID);
    expect(timelineProjection.indexOf({ caseId: CASE_ID, items: [] })).toStrictEqual({ caseId: CASE_ID });
  });

  it('ReferralReceived: the facts with household (phone null when not given) and notes flattened in', () => {
    expect(build([received])).toStrictEqual({
      caseId: CASE_ID,
      items: [
        {
          ...at('2025-01-10', 0),
          type: 'ReferralReceived',
          data: {
            caseId: CASE_ID,
            householdId: HOUSEHOLD_ID,
            receivedOn: '2025-01-10',
            referralSource: 'social_office',
            targetGroup: 'recommitted',
            housingSituation: 'seized_flat',
            threatCauses: ['rent_arrears'],
            adults: 2,
            children: 1,
            existingAid: [],
            consentGiven: true,
            previousCaseId: null,
            recordedBy: ANNA,
            household: { name: 'Familie Öztürk', address: 'Venloer Str. 12, 50672 Köln', phone: null },
            notes: NOTES,
          },
        },
      ],
    });
  });

  it.each<[string, CaseEvent[], TimelineItem]>([
    [
      'ReferralApproved',
      [received, approved],
      {
        ...at('2025-01-20', 1),
        type: 'ReferralApproved',
        data: { approvedOn: '2025-01-20', assignedCaseworkerId: ANNA, visitIntervalDays: 28, plannedEndOn: '2026-01-20' },
      },
    ],
    [
      'ReferralRejected',
      [received, ev.rejected({}, { notes: NOTES })],
      {
        ...at('2025-01-15', 1),
        type: 'ReferralRejected',
        data: { rejectedOn: '2025-01-15', reason: 'not_target_group', notes: NOTES },
      },
    ],
    [
      'HomeVisitRecorded',
      [received, approved, ev.visit('2025-02-01', { notes: NOTES })],
      {
        ...at('2025-02-01', 2),
        type: 'HomeVisitRecorded',
        data: { visitedOn: '2025-02-01', householdMet: true, concerns: ['tenancy'], notes: NOTES },
      },
    ],
    [
      'HomeVisitRecorded without notes',
      [received, approved, ev.visit('2025-02-01')],
      {
        ...at('2025-02-01', 2),
        type: 'HomeVisitRecorded',
        data: { visitedOn: '2025-02-01', householdMet: true, concerns: ['tenancy'] },
      },
    ],
    [
      'HelpMediated',
      [received, approved, ev.mediated('2025-02-02', { notes: NOTES })],
      {
        ...at('2025-02-02', 2),
        type: 'HelpMediated',
        data: { mediatedOn: '2025-02-02', kind: 'landlord', institutionKind: 'housing_company', notes: NOTES },
      },
    ],
    [
      'HousingSecured',
      [received, approved, ev.secured('2025-03-01')],
      {
        ...at('2025-03-01', 2),
        type: 'HousingSecured',
        data: { securedOn: '2025-03-01', outcome: 'tenancy_preserved' },
      },
    ],
    [
      'HelpPeriodExtended',
      [received, approved, ev.extended('2026-07-20', '2025-03-02')],
      {
        ...at('2025-03-02', 2),
        type: 'HelpPeriodExtended',
        data: { extendedOn: '2025-03-02', plannedEndOn: '2026-07-20', reason: 'housing_search_ongoing' },
      },
    ],
    [
      'CaseworkerReassigned',
      [received, approved, ev.reassigned(BEN, '2025-03-03')],
      {
        ...at('2025-03-03', 2),
        type: 'CaseworkerReassigned',
        data: { reassignedOn: '2025-03-03', caseworkerId: BEN },
      },
    ],
    [
      'CaseClosed',
      [received, approved, ev.closed({}, { notes: NOTES })],
      {
        ...at('2025-06-10', 2),
        type: 'CaseClosed',
        data: { closedOn: '2025-06-10', reason: 'time_limit_reached', housingAtClose: 'committed_housing', notes: NOTES },
      },
    ],
  ])('%s', (_name, events, expected) => {
    expect(lastItem(events)).toStrictEqual(expected);
    expect(build(events)?.items).toHaveLength(events.length);
  });

  it('personal data that is unreadable (erased) is marked as such, the facts stay', () => {
    const { personal: _p1, ...referral } = received;
    const { personal: _p2, ...visit } = ev.visit('2025-02-01', { notes: NOTES });
    const items = build([referral as CaseEvent, approved, visit as CaseEvent])?.items;
    expect(items?.[0].data).toMatchObject({ householdId: HOUSEHOLD_ID, household: { erased: true }, personalDataErased: true });
    expect(items?.[0].data).not.toHaveProperty('notes');
    expect(items?.[2].data).toStrictEqual({ visitedOn: '2025-02-01', householdMet: true, concerns: ['tenancy'], personalDataErased: true });
    expect(items?.[1].data).not.toHaveProperty('personalDataErased');
  });
});

describe('timeline projection: whole histories and replay', () => {
  const lifecycle: CaseEvent[] = [
    received,
    approved,
    ev.visit('2025-02-15'),
    ev.visit('2025-03-10'),
    ev.visit('2025-03-01'),
    ev.mediated('2025-03-20'),
    ev.secured('2025-04-01'),
    ev.extended('2026-07-20', '2025-04-02'),
    ev.reassigned(BEN, '2025-04-03'),
    ev.closed({ closedOn: '2025-06-10', reason: 'goal_achieved', housingAtClose: 'own_tenancy' }),
  ];
  const rejection: CaseEvent[] = [received, ev.rejected()];

  it('the full lifecycle in revision order (a late visit stays where it was recorded)', () => {
    const items = build(lifecycle)?.items ?? [];
    expect(items.map((i) => [i.revision, i.type, i.occurredOn])).toEqual([
      [0, 'ReferralReceived', '2025-01-10'],
      [1, 'ReferralApproved', '2025-01-20'],
      [2, 'HomeVisitRecorded', '2025-02-15'],
      [3, 'HomeVisitRecorded', '2025-03-10'],
      [4, 'HomeVisitRecorded', '2025-03-01'],
      [5, 'HelpMediated', '2025-03-20'],
      [6, 'HousingSecured', '2025-04-01'],
      [7, 'HelpPeriodExtended', '2025-04-02'],
      [8, 'CaseworkerReassigned', '2025-04-03'],
      [9, 'CaseClosed', '2025-06-10'],
    ]);
  });

  it('the rejection path', () => {
    expect(build(rejection)?.items.map((i) => i.type)).toEqual(['ReferralReceived', 'ReferralRejected']);
  });

  it.each(Object.entries({ lifecycle, rejection }))('%s folded twice equals folded once', (_name, events) => {
    const once = build(events);
    expect(fold(timelineProjection, projected(events), once)).toStrictEqual(once);
  });

  it.each(Object.entries({ lifecycle, rejection }))('%s with every event applied twice in a row equals once', (_name, events) => {
    expect(
      fold(
        timelineProjection,
        projected(events).flatMap((e) => [e, e]),
      ),
    ).toStrictEqual(build(events));
  });

  it('an event arriving after a later revision is put in its place, once', () => {
    const [e0, e1, e2] = projected(lifecycle.slice(0, 3));
    const doc = fold(timelineProjection, [e0, e2, e1, e1]);
    expect(doc?.items.map((i) => i.revision)).toEqual([0, 1, 2]);
    const frozen = deepFreeze(doc);
    expect(timelineProjection.evolve(frozen, e2)).toBe(frozen);
  });
});

describe('timeline projection: the help plan', () => {
  it("HelpPlanAgreed: each goal's wording beside its facts, the notes flattened in", () => {
    expect(lastItem([received, approved, ev.planned({}, { wording: WORDING, notes: NOTES })])).toStrictEqual({
      ...at('2025-02-01', 2),
      type: 'HelpPlanAgreed',
      data: {
        agreedOn: '2025-02-01',
        goals: [
          { goalId: 'goal-rent', area: 'rent_and_debts', actor: 'together', reviewOn: '2025-03-01', wording: WORDING['goal-rent'] },
          { goalId: 'goal-job', area: 'income_and_benefits', actor: 'household', reviewOn: '2025-04-01', wording: WORDING['goal-job'] },
        ],
        householdParticipated: true,
        notes: NOTES,
      },
    });
  });

  it('GoalReviewed: the review with its notes', () => {
    expect(lastItem([received, approved, ev.planned(), ev.reviewed('2025-03-01', { status: 'achieved' }, { notes: NOTES })])).toStrictEqual(
      {
        ...at('2025-03-01', 3),
        type: 'GoalReviewed',
        data: { reviewedOn: '2025-03-01', goalId: 'goal-rent', status: 'achieved', householdView: 'partly', notes: NOTES },
      },
    );
  });

  it('a plan whose personal part cannot be read shows its goals with the wording erased', () => {
    const unreadable = { ...ev.planned(), personal: null } as unknown as CaseEvent;
    expect(lastItem([received, approved, unreadable])?.data).toMatchObject({
      personalDataErased: true,
      goals: [
        { goalId: 'goal-rent', wording: { erased: true } },
        { goalId: 'goal-job', wording: { erased: true } },
      ],
    });
  });
});
