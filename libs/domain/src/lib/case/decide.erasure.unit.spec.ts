import { spec } from '../testing/decider-specification';
import {
  CASE_ID,
  HOUSEHOLD_ID,
  NOTES,
  STATUSES,
  TODAY,
  closeCase,
  ctx,
  history,
  recordHomeVisit,
  recordMediation,
  rejectReferral,
  referralApproved,
  referralReceived,
} from '../testing/case-fixtures';
import type { CaseCommand } from './commands';
import { caseDecider } from './decide';
import type { CaseEvent, PersonalDataErased } from './events';
import { evolveCase, initialCaseState } from './state';

const given = (events: readonly CaseEvent[]) => spec(caseDecider).given(events);
const erase = (context = ctx.admin, householdId = HOUSEHOLD_ID): CaseCommand => ({
  type: 'ErasePersonalData',
  caseId: CASE_ID,
  context,
  data: { householdId },
});
const erased: PersonalDataErased = { type: 'PersonalDataErased', data: { householdId: HOUSEHOLD_ID, erasedOn: TODAY } };

describe('ErasePersonalData', () => {
  it.each(STATUSES.filter((s) => s !== 'none'))('is allowed in a %s case and records today as erasedOn', (status) => {
    given(history[status]).when(erase()).then([erased]);
  });

  it('refuses an unknown case', () => {
    given(history.none).when(erase()).thenThrows('not-found', 'case-not-found');
  });

  it('appends nothing when the case was erased before (idempotent)', () => {
    given([...history.closed, erased])
      .when(erase())
      .then([]);
  });

  it('refuses a case of another household', () => {
    given(history.active).when(erase(ctx.admin, 'household-other')).thenThrows('conflict', 'household-mismatch');
  });

  it.each([ctx.anna, ctx.fachstelle, ctx.evaluator])('is for admins only (rule 6), not for $actor.role', (context) => {
    given(history.active).when(erase(context)).thenThrows('forbidden', 'role-not-allowed');
  });

  it('changes no fact of the case: status, dates and caseworker stay (statistics keep counting)', () => {
    const before = history.closed.reduce(evolveCase, initialCaseState());
    const after = [...history.closed, erased].reduce(evolveCase, initialCaseState());
    expect(after).toEqual({ ...before, personalDataErased: true });
  });
});

describe('after an erasure', () => {
  const activeErased = [referralReceived(), referralApproved(), erased];

  it('the case goes on: facts without notes are recorded (rules 1-7 unchanged)', () => {
    given(activeErased)
      .when(recordHomeVisit({ visitedOn: TODAY }))
      .then([{ type: 'HomeVisitRecorded', data: { visitedOn: TODAY, householdMet: true, concerns: ['tenancy'] }, personal: {} }]);
    given(activeErased)
      .when(closeCase({ closedOn: TODAY }))
      .then([
        { type: 'CaseClosed', data: { closedOn: TODAY, reason: 'time_limit_reached', housingAtClose: 'committed_housing' }, personal: {} },
      ]);
  });

  it.each([
    ['a visit', activeErased, recordHomeVisit({ visitedOn: TODAY, notes: NOTES })],
    ['a mediation', activeErased, recordMediation({ mediatedOn: TODAY, notes: NOTES })],
    ['a closure', activeErased, closeCase({ closedOn: TODAY, notes: NOTES })],
    ['a rejection', [referralReceived(), erased], rejectReferral({ rejectedOn: TODAY, notes: NOTES })],
  ])('refuses new notes on %s: they could no longer be protected', (_name, events, command) => {
    given(events).when(command).thenThrows('conflict', 'personal-data-erased');
  });

  it('still applies the rules first: a visit in a closed case is an invalid state, not an erasure problem', () => {
    given([...history.closed, erased])
      .when(recordHomeVisit({ visitedOn: TODAY, notes: NOTES }))
      .thenThrows('conflict', 'invalid-state');
  });
});
