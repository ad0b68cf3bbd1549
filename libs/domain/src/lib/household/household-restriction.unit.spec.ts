import type { CommandContext } from '../decider';
import { spec } from '../testing/decider-specification';
import { householdDecider, type HouseholdEvent } from './household';

const HH = 'household-0001';
const NOW = '2025-06-15T09:30:00.000Z';
const fachstelle: CommandContext = { actor: { userId: 'user-fiona', role: 'fachstelle' }, today: '2025-06-15', now: NOW };
const as = (role: 'caseworker' | 'admin' | 'evaluator'): CommandContext => ({ ...fachstelle, actor: { userId: `user-${role}`, role } });
const reserved = (caseId: string, reservedAt = '2025-01-01T00:00:00.000Z'): HouseholdEvent => ({
  type: 'HouseholdCaseReserved',
  data: { householdId: HH, caseId, reservedAt },
});
const restricted: HouseholdEvent = {
  type: 'ProcessingRestricted',
  data: { householdId: HH, restrictedOn: '2025-06-01', reason: 'accuracy_contested' },
};
const lifted: HouseholdEvent = { type: 'RestrictionLifted', data: { householdId: HH, liftedOn: '2025-06-15' } };
const given = (events: readonly HouseholdEvent[]) => spec(householdDecider).given(events);
const restrict = (context = fachstelle, restrictedOn = '2025-06-01') =>
  ({ type: 'RestrictHousehold', householdId: HH, restrictedOn, reason: 'accuracy_contested', context }) as const;
const liftIt = (context = fachstelle) => ({ type: 'LiftHouseholdRestriction', householdId: HH, context }) as const;

describe('restricting processing on the household stream (decision 0030)', () => {
  it('given a household with a case, when the Fachstelle restricts it, then ProcessingRestricted', () => {
    given([reserved('case-a')])
      .when(restrict())
      .then([restricted]);
  });

  it.each(['caseworker', 'admin', 'evaluator'] as const)('is refused to the role %s', (role) => {
    given([reserved('case-a')])
      .when(restrict(as(role)))
      .thenThrows('forbidden', 'role-not-allowed');
  });

  it('is refused for an unknown household and for a date in the future', () => {
    given([]).when(restrict()).thenThrows('not-found', 'household-not-found');
    given([reserved('case-a')])
      .when(restrict(fachstelle, '2025-06-16'))
      .thenThrows('conflict', 'date-in-future');
  });

  it('appends nothing again while restricted (a repeat completes nothing new)', () => {
    given([reserved('case-a'), restricted])
      .when(restrict())
      .then([]);
  });

  it('is lifted by the Fachstelle, dated today; lifting an unrestricted household appends nothing', () => {
    given([reserved('case-a'), restricted])
      .when(liftIt())
      .then([lifted]);
    given([reserved('case-a'), restricted, lifted])
      .when(liftIt())
      .then([]);
    given([reserved('case-a'), restricted])
      .when(liftIt(as('caseworker')))
      .thenThrows('forbidden', 'role-not-allowed');
  });

  it('refuses a new referral while restricted, accepts it once lifted', () => {
    const closedReferral = (events: readonly HouseholdEvent[]) =>
      given(events).when({
        type: 'ReserveCase',
        householdId: HH,
        caseId: 'case-b',
        receivedOn: '2025-06-15',
        reservedCases: new Map([['case-a', { status: 'closed', closedOn: '2025-05-01' }]]),
        context: fachstelle,
      });
    closedReferral([reserved('case-a'), restricted]).thenThrows('conflict', 'processing-restricted');
    closedReferral([reserved('case-a'), restricted, lifted]).then([reserved('case-b', NOW)]);
  });

  it('keeps the restriction across a reservation in the fold', () => {
    // A reservation cannot land while restricted, but the fold must not forget the restriction if one is stored before it.
    given([restricted, reserved('case-a')])
      .when(restrict())
      .then([]);
  });
});
