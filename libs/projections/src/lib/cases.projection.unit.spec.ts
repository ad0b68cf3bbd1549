import { CASE_EVENT_TYPES, type CaseEvent } from '@wih/domain';
import { toCaseDetail, toCaseloadItem } from './case-views';
import { NULL_DATE_SENTINEL, casesProjection, type CaseDoc } from './cases.projection';
import type { ProjectedEvent } from './projection';
import { ANNA, BEN, CASE_ID, HOUSEHOLD, HOUSEHOLD_ID, NOTES, WORDING, deepFreeze, ev, fold, projected } from './testing/case-history';

const build = (events: readonly CaseEvent[]): CaseDoc | null => fold(casesProjection, projected(events));
const doc = (events: readonly CaseEvent[]): CaseDoc => {
  const result = build(events);
  if (result === null) throw new Error('expected a document');
  return result;
};

/** Positions in these tests: 1, 4, 7, … (revision r at 1 + 3r). */
const REFERRED: CaseDoc = {
  caseId: CASE_ID,
  householdId: HOUSEHOLD_ID,
  status: 'referred',
  revision: 0,
  receivedOn: '2025-01-10',
  approvedOn: null,
  rejectedOn: null,
  closedOn: null,
  plannedEndOn: null,
  referralSource: 'social_office',
  targetGroup: 'recommitted',
  housingSituation: 'seized_flat',
  adults: 2,
  children: 1,
  assignedCaseworkerId: null,
  recordedBy: ANNA,
  visitIntervalDays: null,
  lastVisitOn: null,
  nextVisitDueOn: null,
  housingSecured: null,
  closure: null,
  counts: { visits: 0, mediations: 0 },
  previousCaseId: null,
  household: { name: 'Familie Öztürk', address: 'Venloer Str. 12, 50672 Köln', phone: '0221 555 0101' },
  restricted: false,
  helpPlan: null,
  nextGoalReviewOn: null,
  lastPosition: '1',
};
const ACTIVE: CaseDoc = {
  ...REFERRED,
  status: 'active',
  revision: 1,
  lastPosition: '4',
  approvedOn: '2025-01-20',
  assignedCaseworkerId: ANNA,
  visitIntervalDays: 28,
  plannedEndOn: '2026-01-20',
  nextVisitDueOn: '2025-02-17',
};
const received = ev.received();
const approved = ev.approved();

describe('cases projection: one document per case, for every event type', () => {
  it('refuses an event type it does not know instead of counting it as a change', () => {
    const event = {
      ...projected([received])[0],
      type: 'EventOfANewerRelease',
      data: {},
      revision: 1,
      position: '4',
    } as unknown as ProjectedEvent;
    expect(() => casesProjection.evolve(REFERRED, event)).toThrow(new TypeError('unknown event type "EventOfANewerRelease"'));
  });

  it('declares its name, version, events, key and indexes', () => {
    expect(casesProjection).toMatchObject({ name: 'cases', version: 4, handles: CASE_EVENT_TYPES });
    expect(casesProjection.keyOf(projected([received])[0])).toBe(CASE_ID);
    expect(Object.keys(casesProjection.indexOf(REFERRED)).sort()).toEqual([...casesProjection.indexes].sort());
  });

  it('ReferralReceived creates a referred case with the household (phone null when not given) and the repeat-case link', () => {
    expect(build([received])).toStrictEqual(REFERRED);
    expect(
      build([ev.received({ previousCaseId: 'case-0000' }, { household: { name: 'Herr Kaya', address: 'Keupstr. 1' }, notes: NOTES })]),
    ).toStrictEqual({ ...REFERRED, previousCaseId: 'case-0000', household: { name: 'Herr Kaya', address: 'Keupstr. 1', phone: null } });
  });

  it('ReferralReceived whose personal data is unreadable (erased) shows the household as erased', () => {
    const { personal: _erased, ...facts } = ev.received();
    expect(build([facts as CaseEvent])).toStrictEqual({ ...REFERRED, household: { erased: true } });
  });

  it('ReferralApproved makes it active: caseworker, interval, planned end, next visit = approval + interval', () => {
    expect(build([received, approved])).toStrictEqual(ACTIVE);
  });

  it('ReferralRejected makes it rejected on that date, with no next visit', () => {
    expect(build([received, ev.rejected({}, { notes: NOTES })])).toStrictEqual({
      ...REFERRED,
      status: 'rejected',
      rejectedOn: '2025-01-15',
      revision: 1,
      lastPosition: '4',
    });
  });

  it('HomeVisitRecorded counts the visit and moves the next visit to visit + interval', () => {
    expect(build([received, approved, ev.visit('2025-02-15', { notes: NOTES })])).toStrictEqual({
      ...ACTIVE,
      revision: 2,
      lastPosition: '7',
      lastVisitOn: '2025-02-15',
      nextVisitDueOn: '2025-03-15',
      counts: { visits: 1, mediations: 0 },
    });
  });

  it('HelpMediated counts the mediation', () => {
    expect(build([received, approved, ev.mediated('2025-02-01')])).toStrictEqual({
      ...ACTIVE,
      revision: 2,
      lastPosition: '7',
      counts: { visits: 0, mediations: 1 },
    });
  });

  it('HousingSecured records date and outcome', () => {
    expect(build([received, approved, ev.secured('2025-03-01')])).toStrictEqual({
      ...ACTIVE,
      revision: 2,
      lastPosition: '7',
      housingSecured: { securedOn: '2025-03-01', outcome: 'tenancy_preserved' },
    });
  });

  it('HelpPeriodExtended moves the planned end', () => {
    expect(build([received, approved, ev.extended('2026-07-20', '2025-03-01')])).toStrictEqual({
      ...ACTIVE,
      revision: 2,
      lastPosition: '7',
      plannedEndOn: '2026-07-20',
    });
  });

  it('CaseworkerReassigned changes the assigned caseworker (recordedBy stays)', () => {
    expect(build([received, approved, ev.reassigned(BEN, '2025-03-01')])).toStrictEqual({
      ...ACTIVE,
      revision: 2,
      lastPosition: '7',
      assignedCaseworkerId: BEN,
    });
  });

  it('CaseClosed closes it: closure facts, no next visit any more', () => {
    expect(build([received, approved, ev.closed({}, { notes: NOTES })])).toStrictEqual({
      ...ACTIVE,
      revision: 2,
      lastPosition: '7',
      status: 'closed',
      closedOn: '2025-06-10',
      nextVisitDueOn: null,
      closure: { closedOn: '2025-06-10', reason: 'time_limit_reached', housingAtClose: 'committed_housing' },
    });
  });

  it('an event before the referral makes no document; one the status does not allow changes only the revision', () => {
    expect(build([approved])).toBeNull();
    expect(build([received, ev.rejected(), approved, ev.visit('2025-02-01')])).toStrictEqual({
      ...REFERRED,
      status: 'rejected',
      rejectedOn: '2025-01-15',
      revision: 3,
      lastPosition: '10',
    });
    expect(build([received, approved, ev.secured('2025-03-01'), ev.secured('2025-04-01')])).toMatchObject({
      revision: 3,
      housingSecured: { securedOn: '2025-03-01', outcome: 'tenancy_preserved' },
    });
  });

  it('keeps positions beyond 2^53 exactly', () => {
    const result = fold(casesProjection, projected([received, approved], { firstPosition: 2n ** 60n, positionStep: 1n }));
    expect(result?.lastPosition).toBe('1152921504606846977');
  });
});

describe('cases projection: whole histories', () => {
  const lifecycle: CaseEvent[] = [
    received, // rev 0
    ev.approved({ visitIntervalDays: 21 }), // rev 1: next visit 2025-02-10
    ev.visit('2025-02-08'), // rev 2
    ev.visit('2025-03-01'), // rev 3
    ev.visit('2025-02-20'), // rev 4: recorded late, out of date order
    ev.mediated('2025-03-05'), // rev 5
    ev.secured('2025-03-20'), // rev 6
    ev.extended('2026-07-20', '2025-04-01'), // rev 7
    ev.reassigned(BEN, '2025-04-02'), // rev 8
    ev.closed({ closedOn: '2025-06-30', reason: 'goal_achieved', housingAtClose: 'own_tenancy' }), // rev 9
  ];

  it('referral → approval → visits (one out of order) → mediation → housing secured → extension → reassignment', () => {
    expect(build(lifecycle.slice(0, 9))).toStrictEqual({
      ...ACTIVE,
      revision: 8,
      lastPosition: '25',
      visitIntervalDays: 21,
      plannedEndOn: '2026-07-20',
      assignedCaseworkerId: BEN,
      lastVisitOn: '2025-03-01',
      nextVisitDueOn: '2025-03-22',
      counts: { visits: 3, mediations: 1 },
      housingSecured: { securedOn: '2025-03-20', outcome: 'tenancy_preserved' },
    });
  });

  it('… → closure', () => {
    expect(build(lifecycle)).toStrictEqual({
      ...ACTIVE,
      revision: 9,
      lastPosition: '28',
      status: 'closed',
      closedOn: '2025-06-30',
      visitIntervalDays: 21,
      plannedEndOn: '2026-07-20',
      assignedCaseworkerId: BEN,
      lastVisitOn: '2025-03-01',
      nextVisitDueOn: null,
      counts: { visits: 3, mediations: 1 },
      housingSecured: { securedOn: '2025-03-20', outcome: 'tenancy_preserved' },
      closure: { closedOn: '2025-06-30', reason: 'goal_achieved', housingAtClose: 'own_tenancy' },
    });
  });

  it('the rejection path: referral → rejection', () => {
    const rejected = doc([received, ev.rejected({ rejectedOn: '2025-01-12', reason: 'comparable_aid_installed' })]);
    expect(rejected).toStrictEqual({ ...REFERRED, status: 'rejected', rejectedOn: '2025-01-12', revision: 1, lastPosition: '4' });
    expect(toCaseDetail(rejected, '2030-01-01')).toMatchObject({ status: 'rejected', nextVisitDueOn: null, overdue: false });
  });

  describe('replay: nothing changes', () => {
    const histories = { lifecycle, rejection: [received, ev.rejected()] };
    it.each(Object.entries(histories))('%s folded twice equals folded once', (_name, events) => {
      const once = build(events);
      expect(fold(casesProjection, projected(events), once)).toStrictEqual(once);
    });
    it.each(Object.entries(histories))('%s with every event applied twice in a row equals once', (_name, events) => {
      const twice = projected(events).flatMap((e) => [e, e]);
      expect(fold(casesProjection, twice)).toStrictEqual(build(events));
    });
    it('an older revision arriving after a newer one is ignored', () => {
      const events = projected(lifecycle);
      const latest = doc(lifecycle);
      expect(casesProjection.evolve(deepFreeze(latest), events[4])).toBe(latest);
    });
  });
});

describe('cases projection: next visit due and overdue, at query time', () => {
  const visited = doc([received, approved, ev.visit('2025-02-15')]); // due 2025-03-15

  it('is not overdue on the due day, overdue the day after', () => {
    expect(toCaseDetail(visited, '2025-03-15')).toMatchObject({ nextVisitDueOn: '2025-03-15', overdue: false });
    expect(toCaseDetail(visited, '2025-03-16')).toMatchObject({ nextVisitDueOn: '2025-03-15', overdue: true });
    expect(toCaseloadItem(visited, '2025-03-16')).toMatchObject({ overdue: true });
  });

  it('before any visit the due date counts from approval', () => {
    const active = doc([received, approved]);
    expect(toCaseDetail(active, '2025-02-17').overdue).toBe(false);
    expect(toCaseDetail(active, '2025-02-18').overdue).toBe(true);
  });

  it('a closed case is never overdue and has no next visit; nor is a referral', () => {
    const closed = doc([received, approved, ev.closed()]);
    expect(toCaseDetail(closed, '2030-01-01')).toMatchObject({ nextVisitDueOn: null, overdue: false });
    expect(toCaseloadItem(closed, '2030-01-01')).toMatchObject({ nextVisitDueOn: null, overdue: false });
    expect(toCaseDetail(doc([received]), '2030-01-01').overdue).toBe(false);
  });
});

describe('cases projection: index values', () => {
  it('a referral: sentinel for the missing dates, the lowercased name', () => {
    expect(casesProjection.indexOf(REFERRED)).toStrictEqual({
      status: 'referred',
      caseloadOf: ANNA,
      recordedBy: ANNA,
      householdId: HOUSEHOLD_ID,
      receivedOn: '2025-01-10',
      nextVisitDueOn: NULL_DATE_SENTINEL,
      plannedEndOn: NULL_DATE_SENTINEL,
      householdName: 'familie öztürk',
      nextGoalReviewOn: NULL_DATE_SENTINEL,
    });
    expect(NULL_DATE_SENTINEL).toBe('9999-12-31');
  });

  it('an active case: the real dates', () => {
    expect(casesProjection.indexOf(ACTIVE)).toMatchObject({
      status: 'active',
      caseloadOf: ANNA,
      nextVisitDueOn: '2025-02-17',
      plannedEndOn: '2026-01-20',
    });
  });

  it('a referral is in the caseload of who recorded it until approved, then of the assigned caseworker', () => {
    const recordedByBen = { ...REFERRED, recordedBy: 'user-ben' };
    expect(casesProjection.indexOf(recordedByBen).caseloadOf).toBe('user-ben');
    expect(casesProjection.indexOf({ ...recordedByBen, status: 'rejected' }).caseloadOf).toBe('user-ben');
    expect(casesProjection.indexOf({ ...ACTIVE, recordedBy: 'user-ben' }).caseloadOf).toBe(ANNA);
    expect(casesProjection.indexOf({ ...ACTIVE, recordedBy: 'user-ben', status: 'closed' }).caseloadOf).toBe(ANNA);
  });

  it('a closed case sorts last by next visit', () => {
    expect(casesProjection.indexOf(doc([received, approved, ev.closed()]))).toMatchObject({ nextVisitDueOn: NULL_DATE_SENTINEL });
  });

  it('names with umlauts, also decomposed ones, index as lowercase NFC; an erased household as null', () => {
    const decomposed = 'A\u0308RGER-U\u0308NAL';
    const named = doc([ev.received({}, { household: { ...HOUSEHOLD, name: decomposed } })]);
    expect(casesProjection.indexOf(named).householdName).toBe('ärger-ünal');
    const { personal: _erased, ...facts } = ev.received();
    expect(casesProjection.indexOf(doc([facts as CaseEvent])).householdName).toBeNull();
  });
});

describe('cases projection: API.md answer shapes', () => {
  const full = doc([received, approved, ev.visit('2025-02-15'), ev.mediated('2025-02-16'), ev.secured('2025-03-01')]);

  it('toCaseDetail: exactly the case detail fields, in the contract order', () => {
    const detail = toCaseDetail(full, '2025-03-16');
    expect(detail).toStrictEqual({
      caseId: CASE_ID,
      householdId: HOUSEHOLD_ID,
      status: 'active',
      revision: 4,
      receivedOn: '2025-01-10',
      approvedOn: '2025-01-20',
      rejectedOn: null,
      closedOn: null,
      plannedEndOn: '2026-01-20',
      referralSource: 'social_office',
      targetGroup: 'recommitted',
      housingSituation: 'seized_flat',
      adults: 2,
      children: 1,
      assignedCaseworkerId: ANNA,
      visitIntervalDays: 28,
      lastVisitOn: '2025-02-15',
      nextVisitDueOn: '2025-03-15',
      overdue: true,
      housingSecured: { securedOn: '2025-03-01', outcome: 'tenancy_preserved' },
      closure: null,
      counts: { visits: 1, mediations: 1 },
      previousCaseId: null,
      household: { name: 'Familie Öztürk', address: 'Venloer Str. 12, 50672 Köln', phone: '0221 555 0101' },
      restricted: false,
      helpPlan: null,
      nextGoalReviewOn: null,
      goalReviewDue: false,
    });
    expect(Object.keys(detail)).toEqual([
      'caseId',
      'householdId',
      'status',
      'revision',
      'receivedOn',
      'approvedOn',
      'rejectedOn',
      'closedOn',
      'plannedEndOn',
      'referralSource',
      'targetGroup',
      'housingSituation',
      'adults',
      'children',
      'assignedCaseworkerId',
      'visitIntervalDays',
      'lastVisitOn',
      'nextVisitDueOn',
      'overdue',
      'housingSecured',
      'closure',
      'counts',
      'previousCaseId',
      'household',
      'restricted',
      'helpPlan',
      'nextGoalReviewOn',
      'goalReviewDue',
    ]);
  });

  it('toCaseloadItem: exactly the caseload item fields, real dates (never the sentinel), the display name', () => {
    expect(toCaseloadItem(full, '2025-03-15')).toStrictEqual({
      caseId: CASE_ID,
      status: 'active',
      householdName: 'Familie Öztürk',
      assignedCaseworkerId: ANNA,
      receivedOn: '2025-01-10',
      nextVisitDueOn: '2025-03-15',
      plannedEndOn: '2026-01-20',
      overdue: false,
      nextGoalReviewOn: null,
      goalReviewDue: false,
      restricted: false,
    });
    const item = toCaseloadItem(REFERRED, '2025-03-15');
    expect(item).toStrictEqual({
      caseId: CASE_ID,
      status: 'referred',
      householdName: 'Familie Öztürk',
      assignedCaseworkerId: null,
      receivedOn: '2025-01-10',
      nextVisitDueOn: null,
      plannedEndOn: null,
      overdue: false,
      nextGoalReviewOn: null,
      goalReviewDue: false,
      restricted: false,
    });
    expect(Object.keys(item)).toEqual([
      'caseId',
      'status',
      'householdName',
      'assignedCaseworkerId',
      'receivedOn',
      'nextVisitDueOn',
      'plannedEndOn',
      'overdue',
      'nextGoalReviewOn',
      'goalReviewDue',
      'restricted',
    ]);
  });

  it('an erased household: {erased: true} in the detail, null name in the caseload', () => {
    const erased: CaseDoc = { ...REFERRED, household: { erased: true } };
    expect(toCaseDetail(erased, '2025-03-15').household).toStrictEqual({ erased: true });
    expect(toCaseloadItem(erased, '2025-03-15').householdName).toBeNull();
  });
});

describe('cases projection: the help plan', () => {
  const planned = [received, approved, ev.planned()];

  it('shows the current plan: each goal with its wording, open and not asked before any review', () => {
    expect(doc(planned).helpPlan).toStrictEqual({
      agreedOn: '2025-02-01',
      householdParticipated: true,
      goals: [
        {
          goalId: 'goal-rent',
          area: 'rent_and_debts',
          actor: 'together',
          reviewOn: '2025-03-01',
          wording: WORDING['goal-rent'],
          status: 'open',
          householdView: 'not_asked',
          lastReviewedOn: null,
        },
        {
          goalId: 'goal-job',
          area: 'income_and_benefits',
          actor: 'household',
          reviewOn: '2025-04-01',
          wording: WORDING['goal-job'],
          status: 'open',
          householdView: 'not_asked',
          lastReviewedOn: null,
        },
      ],
    });
  });

  it("a review sets the goal's status and the household's view; the latest review date stays", () => {
    const goals = doc([
      ...planned,
      ev.reviewed('2025-03-05', { status: 'in_progress' }),
      ev.reviewed('2025-03-02', { status: 'achieved', householdView: 'satisfied' }),
    ]).helpPlan?.goals;
    expect(goals?.[0]).toMatchObject({ status: 'achieved', householdView: 'satisfied', lastReviewedOn: '2025-03-05' });
    expect(goals?.[1]).toMatchObject({ status: 'open', householdView: 'not_asked', lastReviewedOn: null });
  });

  it('a new plan replaces the old one in the detail', () => {
    const replaced = doc([
      ...planned,
      ev.reviewed('2025-03-01', { status: 'achieved' }),
      ev.planned(
        { agreedOn: '2025-04-10', goals: [{ goalId: 'goal-flat', area: 'housing', actor: 'caseworker', reviewOn: '2025-05-01' }] },
        { wording: { 'goal-flat': 'Wohnung suchen' } },
      ),
    ]);
    expect(replaced.helpPlan?.agreedOn).toBe('2025-04-10');
    expect(replaced.helpPlan?.goals.map((g) => [g.goalId, g.wording, g.status])).toEqual([['goal-flat', 'Wohnung suchen', 'open']]);
    expect(replaced.nextGoalReviewOn).toBe('2025-05-01');
  });

  describe('nextGoalReviewOn and goalReviewDue', () => {
    it('is the earliest review date of the unsettled goals', () => {
      expect(doc(planned).nextGoalReviewOn).toBe('2025-03-01');
    });

    it('a review on or after the review date takes the goal off; one before it does not', () => {
      expect(doc([...planned, ev.reviewed('2025-02-20')]).nextGoalReviewOn).toBe('2025-03-01');
      expect(doc([...planned, ev.reviewed('2025-03-01')]).nextGoalReviewOn).toBe('2025-04-01');
    });

    it('a settled goal is never due, even when settled before its review date', () => {
      expect(doc([...planned, ev.reviewed('2025-02-20', { status: 'dropped' })]).nextGoalReviewOn).toBe('2025-04-01');
    });

    it('is null when every goal is reviewed or settled, before any plan, and once the case is closed', () => {
      const done = [...planned, ev.reviewed('2025-03-01'), ev.reviewed('2025-04-01', { goalId: 'goal-job', status: 'achieved' })];
      expect(doc(done).nextGoalReviewOn).toBeNull();
      expect(doc([received, approved]).nextGoalReviewOn).toBeNull();
      expect(doc([...planned, ev.closed()]).nextGoalReviewOn).toBeNull();
    });

    it('goalReviewDue is true from the review date on, on an active case', () => {
      const active = doc(planned);
      expect(toCaseDetail(active, '2025-02-28').goalReviewDue).toBe(false);
      expect(toCaseDetail(active, '2025-03-01').goalReviewDue).toBe(true);
      expect(toCaseDetail(doc([...planned, ev.closed()]), '2025-07-01').goalReviewDue).toBe(false);
    });

    it('is in the caseload item and the index (the sentinel when none is due)', () => {
      expect(toCaseloadItem(doc(planned), '2025-02-10').nextGoalReviewOn).toBe('2025-03-01');
      expect(casesProjection.indexOf(doc(planned))['nextGoalReviewOn']).toBe('2025-03-01');
      expect(casesProjection.indexOf(doc([received, approved]))['nextGoalReviewOn']).toBe(NULL_DATE_SENTINEL);
    });
  });

  it('ignores a plan or a review on a case that is not active, and a review of a goal the plan lacks', () => {
    expect(doc([received, ev.planned()]).helpPlan).toBeNull();
    const unknown = doc([...planned, ev.reviewed('2025-03-01', { goalId: 'goal-elsewhere', status: 'achieved' })]);
    expect(unknown.helpPlan).toEqual(doc(planned).helpPlan);
  });
});
