import type { CommandContext } from '../decider';
import { spec } from '../testing/decider-specification';
import { addDays } from '../dates';
import {
  CASE_ID,
  HOUSEHOLD_ID,
  RECEIVED_ON,
  TODAY,
  closeCase,
  householdDetailsChanged,
  changeHouseholdDetails,
  ctx,
  history,
} from '../testing/case-fixtures';
import { caseDecider } from './decide';
import type { CaseEvent } from './events';

const given = (events: readonly CaseEvent[]) => spec(caseDecider).given(events);
const latest = (context: CommandContext, latestCaseId: string | null = CASE_ID): CommandContext => ({
  ...context,
  household: { latestCaseId },
});
const NEW_ADDRESS = 'Neusser Str. 40, 50670 Köln';

describe('changing the household details (decision 0030)', () => {
  it('records which fields changed as a fact and their new values as the personal part', () => {
    given(history.active)
      .when(changeHouseholdDetails({ reason: 'moved', household: { address: NEW_ADDRESS, phone: '0221 555 0202' } }))
      .then([
        {
          type: 'HouseholdDetailsChanged',
          data: { changedOn: '2025-06-01', reason: 'moved', changed: ['address', 'phone'] },
          personal: { household: { address: NEW_ADDRESS, phone: '0221 555 0202' } },
        },
      ]);
  });

  it.each(['referred', 'active'] as const)('takes any reason on a %s case, by its caseworker', (status) => {
    given(history[status])
      .when(changeHouseholdDetails({ reason: 'new_phone', household: { phone: '0221 555 0202' }, changedOn: RECEIVED_ON }))
      .then([expect.objectContaining({ type: 'HouseholdDetailsChanged' })]);
  });

  it('is accepted from the Fachstelle', () => {
    given(history.active)
      .when(changeHouseholdDetails({}, latest(ctx.fachstelle)))
      .then([expect.objectContaining({ type: 'HouseholdDetailsChanged' })]);
  });

  it('is refused to another caseworker as if the case did not exist, and to evaluators and admins', () => {
    given(history.active)
      .when(changeHouseholdDetails({}, latest(ctx.ben)))
      .thenThrows('not-found', 'case-not-found');
    given(history.active)
      .when(changeHouseholdDetails({}, latest(ctx.evaluator)))
      .thenThrows('forbidden', 'role-not-allowed');
    given(history.active)
      .when(changeHouseholdDetails({}, latest(ctx.admin)))
      .thenThrows('forbidden', 'role-not-allowed');
  });

  it('needs at least one of name, address, phone', () => {
    given(history.active)
      .when(changeHouseholdDetails({ household: {} }))
      .thenThrows('invalid', 'validation');
  });

  it('needs a case', () => {
    given(history.none).when(changeHouseholdDetails()).thenThrows('not-found', 'case-not-found');
  });

  describe('on an ended case', () => {
    it.each(['closed', 'rejected'] as const)('accepts a correction while the %s case is the latest', (status) => {
      given(history[status])
        .when(changeHouseholdDetails({ reason: 'correction', household: { name: 'Familie Yıldız' } }, latest(ctx.fachstelle)))
        .then([
          {
            type: 'HouseholdDetailsChanged',
            data: { changedOn: '2025-06-01', reason: 'correction', changed: ['name'] },
            personal: { household: { name: 'Familie Yıldız' } },
          },
        ]);
    });

    it('accepts a correction dated after the closing', () => {
      given(history.closed)
        .when(changeHouseholdDetails({ reason: 'correction', changedOn: TODAY }))
        .then([expect.objectContaining({ type: 'HouseholdDetailsChanged' })]);
    });

    it.each(['moved', 'new_phone'] as const)('refuses %s: the help has ended, only mistakes are corrected', (reason) => {
      given(history.closed).when(changeHouseholdDetails({ reason })).thenThrows('conflict', 'invalid-state', 'closed');
    });

    it('refuses a correction once the household has a later case: the current details live there', () => {
      given(history.closed)
        .when(changeHouseholdDetails({ reason: 'correction' }, latest(ctx.anna, 'case-0002')))
        .thenThrows('conflict', 'not-latest-case');
    });

    it('goes to the caseworker last assigned, like every command on the case', () => {
      given(history.closed)
        .when(changeHouseholdDetails({ reason: 'correction' }, latest(ctx.ben)))
        .thenThrows('not-found', 'case-not-found');
    });
  });

  describe('its date', () => {
    it('is refused in the future', () => {
      given(history.active)
        .when(changeHouseholdDetails({ changedOn: addDays(TODAY, 1) }))
        .thenThrows('conflict', 'date-in-future');
    });

    it('is refused before the referral, accepted on its day (before the approval too)', () => {
      given(history.referred)
        .when(changeHouseholdDetails({ changedOn: addDays(RECEIVED_ON, -1) }))
        .thenThrows('conflict', 'date-before-referral');
      given(history.referred)
        .when(changeHouseholdDetails({ changedOn: RECEIVED_ON }))
        .then([expect.anything()]);
    });

    it('does not hold back a closing: a move is no help given', () => {
      given([...history.active, householdDetailsChanged({ address: NEW_ADDRESS }, TODAY)])
        .when(closeCase({ closedOn: '2025-06-10' }))
        .then([expect.objectContaining({ type: 'CaseClosed' })]);
    });
  });

  it('is refused after an erasure: no key protects new details', () => {
    const erased = [...history.active, { type: 'PersonalDataErased', data: { householdId: HOUSEHOLD_ID, erasedOn: TODAY } } as const];
    given(erased).when(changeHouseholdDetails()).thenThrows('conflict', 'personal-data-erased');
  });
});
