import { spec } from '../testing/decider-specification';
import {
  HOUSEHOLD_ID,
  TODAY,
  agreeHelpPlan,
  approveReferral,
  changeHouseholdDetails,
  closeCase,
  ctx,
  extendHelpPeriod,
  history,
  reassignCaseworker,
  recordHomeVisit,
  recordHousingSecured,
  recordMediation,
  rejectReferral,
  reviewGoal,
} from '../testing/case-fixtures';
import type { CaseCommand } from './commands';
import { caseDecider } from './decide';
import type { CaseEvent } from './events';

const given = (events: readonly CaseEvent[]) => spec(caseDecider).given(events);
const restricted: CaseEvent = {
  type: 'ProcessingRestricted',
  data: { householdId: HOUSEHOLD_ID, restrictedOn: '2025-06-01', reason: 'accuracy_contested' },
};
const lifted: CaseEvent = { type: 'RestrictionLifted', data: { householdId: HOUSEHOLD_ID, liftedOn: TODAY } };
const restrict = (householdId = HOUSEHOLD_ID): CaseCommand => ({
  type: 'RestrictProcessing',
  caseId: 'case-0001',
  context: ctx.fachstelle,
  data: { householdId, restrictedOn: '2025-06-01', reason: 'accuracy_contested' },
});
const lift: CaseCommand = { type: 'LiftRestriction', caseId: 'case-0001', context: ctx.fachstelle, data: { householdId: HOUSEHOLD_ID } };

describe('a restricted case (decision 0030)', () => {
  it.each(['referred', 'active', 'rejected', 'closed'] as const)('is marked in any state (%s), once', (status) => {
    given(history[status]).when(restrict()).then([restricted]);
    given([...history[status], restricted])
      .when(restrict())
      .then([]);
  });

  it('is marked by the Fachstelle only, for its own household', () => {
    given(history.active)
      .when({ ...restrict(), context: ctx.anna })
      .thenThrows('forbidden', 'role-not-allowed');
    given(history.active).when(restrict('household-other')).thenThrows('conflict', 'household-mismatch');
    given(history.none).when(restrict()).thenThrows('not-found', 'case-not-found');
  });

  it.each<[string, readonly CaseEvent[], CaseCommand]>([
    ['ApproveReferral', history.referred, approveReferral()],
    ['RejectReferral', history.referred, rejectReferral()],
    ['RecordHomeVisit', history.active, recordHomeVisit()],
    ['RecordMediation', history.active, recordMediation()],
    ['RecordHousingSecured', history.active, recordHousingSecured()],
    ['ExtendHelpPeriod', history.active, extendHelpPeriod()],
    ['ReassignCaseworker', history.active, reassignCaseworker()],
    ['AgreeHelpPlan', history.active, agreeHelpPlan()],
    ['ReviewGoal', history.active, reviewGoal()],
    ['ChangeHouseholdDetails', history.active, changeHouseholdDetails()],
  ])('refuses %s with processing-restricted', (_type, events, command) => {
    given([...events, restricted])
      .when(command)
      .thenThrows('conflict', 'processing-restricted');
  });

  it('still accepts a closing, and after lifting everything again', () => {
    given([...history.active, restricted])
      .when(closeCase())
      .then([expect.objectContaining({ type: 'CaseClosed' })]);
    given([...history.active, restricted])
      .when(lift)
      .then([lifted]);
    given([...history.active, restricted, lifted])
      .when(recordHomeVisit())
      .then([expect.objectContaining({ type: 'HomeVisitRecorded' })]);
    given(history.active).when(lift).then([]);
  });

  it('checks the caseload before the restriction: another caseworker learns nothing', () => {
    given([...history.active, restricted])
      .when(recordHomeVisit({}, ctx.ben))
      .thenThrows('not-found', 'case-not-found');
  });
});
