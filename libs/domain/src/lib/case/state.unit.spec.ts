import {
  ANNA,
  APPROVED_ON,
  BEN,
  CASE_ID,
  HOUSEHOLD_ID,
  PLANNED_END_ON,
  RECEIVED_ON,
  caseClosed,
  caseworkerReassigned,
  helpMediated,
  helpPeriodExtended,
  history,
  homeVisitRecorded,
  housingSecured,
  referralApproved,
  referralReceived,
  referralRejected,
} from '../testing/case-fixtures';
import type { CaseEvent } from './events';
import { isVisitOverdue, nextVisitDueOn } from './overdue';
import { evolveCase, initialCaseState, type CaseState } from './state';

const fold = (events: readonly CaseEvent[]): CaseState => events.reduce(evolveCase, initialCaseState());
const activeWith = (...events: CaseEvent[]) => fold([...history.active, ...events]);
/** Rule 7 as a read model would apply it to a folded case. */
const dueOn = (state: CaseState) => {
  if (state.status !== 'active') throw new Error(`expected an active case, got ${state.status}`);
  return nextVisitDueOn(state.approvedOn, state.lastVisitOn, state.visitIntervalDays);
};

describe('evolveCase', () => {
  it('starts with no case', () => {
    expect(initialCaseState()).toEqual({ status: 'none' });
  });

  it('a referral makes a referred case with the facts decide needs', () => {
    expect(fold([referralReceived({ consentGiven: false, existingAid: ['sgb_xii_53'] })])).toEqual({
      status: 'referred',
      caseId: CASE_ID,
      householdId: HOUSEHOLD_ID,
      receivedOn: RECEIVED_ON,
      recordedBy: ANNA,
      consentGiven: false,
      existingAid: ['sgb_xii_53'],
      personalDataErased: false,
      restricted: false,
    });
  });

  it('a rejection makes it rejected on that date', () => {
    expect(fold([referralReceived(), referralRejected({ rejectedOn: '2025-01-12' })])).toMatchObject({
      status: 'rejected',
      rejectedOn: '2025-01-12',
    });
  });

  it('an approval makes it active: caseworker, interval, planned end (also kept as the original), no visit yet', () => {
    expect(fold([referralReceived(), referralApproved({ visitIntervalDays: 14 })])).toEqual({
      status: 'active',
      caseId: CASE_ID,
      householdId: HOUSEHOLD_ID,
      receivedOn: RECEIVED_ON,
      recordedBy: ANNA,
      consentGiven: true,
      existingAid: [],
      personalDataErased: false,
      restricted: false,
      approvedOn: APPROVED_ON,
      caseworkerId: ANNA,
      visitIntervalDays: 14,
      plannedEndOn: PLANNED_END_ON,
      originalPlannedEndOn: PLANNED_END_ON,
      housingSecured: false,
      lastActivityOn: APPROVED_ON,
      lastVisitOn: null,
      helpPlan: null,
    });
  });

  it('lastVisitOn is the latest visit date, also for visits recorded out of date order', () => {
    expect(activeWith(homeVisitRecorded('2025-03-01'))).toMatchObject({ lastVisitOn: '2025-03-01' });
    expect(activeWith(homeVisitRecorded('2025-03-01'), homeVisitRecorded('2025-04-01'))).toMatchObject({ lastVisitOn: '2025-04-01' });
    expect(activeWith(homeVisitRecorded('2025-04-01'), homeVisitRecorded('2025-03-01'))).toMatchObject({ lastVisitOn: '2025-04-01' });
  });

  it('lastActivityOn is the latest visit, mediation or housing secured, in any order', () => {
    expect(activeWith(helpMediated('2025-05-05'), homeVisitRecorded('2025-04-01'))).toMatchObject({
      lastActivityOn: '2025-05-05',
      lastVisitOn: '2025-04-01',
    });
    expect(activeWith(housingSecured('2025-05-20'), helpMediated('2025-05-05'))).toMatchObject({ lastActivityOn: '2025-05-20' });
  });

  it('lastActivityOn counts extensions and reassignments by their business date too, an erasure not', () => {
    expect(activeWith(homeVisitRecorded('2025-04-01'), helpPeriodExtended('2026-07-20', '2025-05-10'))).toMatchObject({
      lastActivityOn: '2025-05-10',
    });
    expect(activeWith(caseworkerReassigned(BEN, '2025-05-12'), homeVisitRecorded('2025-04-01'))).toMatchObject({
      lastActivityOn: '2025-05-12',
    });
    const erased: CaseEvent = { type: 'PersonalDataErased', data: { householdId: HOUSEHOLD_ID, erasedOn: '2025-06-01' } };
    expect(activeWith(homeVisitRecorded('2025-04-01'), erased)).toMatchObject({ lastActivityOn: '2025-04-01' });
  });

  it('mediations do not count as visits', () => {
    expect(activeWith(helpMediated('2025-05-05'))).toMatchObject({ lastVisitOn: null });
  });

  it('housing secured sets housingSecured', () => {
    expect(activeWith()).toMatchObject({ housingSecured: false });
    expect(activeWith(housingSecured('2025-05-01'))).toMatchObject({ housingSecured: true });
  });

  it('an extension moves plannedEndOn and keeps originalPlannedEndOn', () => {
    const state = activeWith(helpPeriodExtended('2026-09-20'), helpPeriodExtended('2027-05-20'));
    expect(state).toMatchObject({ plannedEndOn: '2027-05-20', originalPlannedEndOn: PLANNED_END_ON });
  });

  it('a reassignment changes the caseworker, the latest one wins', () => {
    expect(activeWith(caseworkerReassigned(BEN))).toMatchObject({ caseworkerId: BEN, recordedBy: ANNA });
    expect(activeWith(caseworkerReassigned(BEN), caseworkerReassigned('user-carla'))).toMatchObject({ caseworkerId: 'user-carla' });
  });

  it('a closure makes it closed on that date and keeps the help facts', () => {
    const state = activeWith(housingSecured('2025-04-01'), caseClosed({ closedOn: '2025-05-01', reason: 'goal_achieved' }));
    expect(state).toMatchObject({ status: 'closed', closedOn: '2025-05-01', housingSecured: true, caseworkerId: ANNA });
  });

  it('ignores facts that do not fit the state instead of failing (events are facts)', () => {
    const referred = fold(history.referred);
    expect(evolveCase(referred, homeVisitRecorded('2025-02-01'))).toEqual(referred);
    expect(evolveCase(referred, caseClosed())).toEqual(referred);
    const closed = fold(history.closed);
    expect(evolveCase(closed, homeVisitRecorded('2025-05-02'))).toEqual(closed);
    expect(evolveCase(closed, referralApproved({ approvedOn: '2025-05-03' }))).toEqual(closed);
  });

  it('does not mutate the state it folds', () => {
    const active = Object.freeze(fold(history.active));
    expect(() => evolveCase(active, homeVisitRecorded('2025-02-01'))).not.toThrow();
    expect(active).toMatchObject({ lastVisitOn: null });
  });
});

describe('overdue visits (rule 7)', () => {
  it('due = approval + interval before any visit', () => {
    expect(nextVisitDueOn('2025-01-20', null, 28)).toBe('2025-02-17');
    expect(dueOn(activeWith())).toBe('2025-02-17');
  });

  it('due = last visit + interval after a visit', () => {
    expect(nextVisitDueOn('2025-01-20', '2025-03-01', 14)).toBe('2025-03-15');
    expect(dueOn(fold([referralReceived(), referralApproved({ visitIntervalDays: 7 }), homeVisitRecorded('2025-12-28')]))).toBe(
      '2026-01-04',
    );
  });

  it('a visit recorded with an earlier date than a previous one does not move the due date back', () => {
    const before = activeWith(homeVisitRecorded('2025-04-01'));
    const after = activeWith(homeVisitRecorded('2025-04-01'), homeVisitRecorded('2025-03-01'));
    expect(dueOn(before)).toBe('2025-04-29');
    expect(dueOn(after)).toBe('2025-04-29');
  });

  it('a mediation is no visit: it does not move the due date', () => {
    expect(dueOn(activeWith(helpMediated('2025-02-10')))).toBe('2025-02-17');
  });

  it('never counts from a date before approval', () => {
    expect(nextVisitDueOn('2025-01-20', '2025-01-10', 28)).toBe('2025-02-17');
  });

  it('is overdue only when today is later than the due date', () => {
    expect(isVisitOverdue('2025-02-17', '2025-02-16')).toBe(false);
    expect(isVisitOverdue('2025-02-17', '2025-02-17')).toBe(false);
    expect(isVisitOverdue('2025-02-17', '2025-02-18')).toBe(true);
    expect(isVisitOverdue('2025-12-31', '2026-01-01')).toBe(true);
  });
});
