import { spec } from '../testing/decider-specification';
import { ctx, history, housingSecured, closeCase, recordHousingSecured } from '../testing/case-fixtures';
import { caseDecider } from './decide';
import type { CaseEvent } from './events';
import { CLOSING_REASONS } from './vocabulary';

const given = (events: readonly CaseEvent[]) => spec(caseDecider).given(events);
const secured = [...history.active, housingSecured('2025-05-01')];

describe('housing secured (rule 4)', () => {
  it('is recorded once', () => {
    given(history.active)
      .when(recordHousingSecured({ securedOn: '2025-05-01', outcome: 'other' }))
      .then([{ type: 'HousingSecured', data: { securedOn: '2025-05-01', outcome: 'other' } }]);
  });

  it.each(['tenancy_preserved', 'own_tenancy_agreement', 'other'] as const)('a second one (%s) is refused', (outcome) => {
    given(secured)
      .when(recordHousingSecured({ securedOn: '2025-06-01', outcome }))
      .thenThrows('conflict', 'housing-already-secured');
  });

  it('stays refused after other activity in between', () => {
    const events = [
      ...secured,
      { type: 'HomeVisitRecorded', data: { visitedOn: '2025-05-10', householdMet: true, concerns: [] }, personal: {} } as const,
    ];
    given(events).when(recordHousingSecured()).thenThrows('conflict', 'housing-already-secured');
  });
});

describe('closing with goal_achieved (rule 4)', () => {
  it('needs housing secured first', () => {
    given(history.active)
      .when(closeCase({ reason: 'goal_achieved' }))
      .thenThrows('conflict', 'goal-needs-housing-secured');
  });

  it('needs it from the caseworker and from the Fachstelle alike', () => {
    given(history.active)
      .when(closeCase({ reason: 'goal_achieved' }, ctx.fachstelle))
      .thenThrows('conflict', 'goal-needs-housing-secured');
  });

  it('is accepted once housing is secured', () => {
    given(secured)
      .when(closeCase({ closedOn: '2025-06-10', reason: 'goal_achieved', housingAtClose: 'own_tenancy' }))
      .then([
        { type: 'CaseClosed', data: { closedOn: '2025-06-10', reason: 'goal_achieved', housingAtClose: 'own_tenancy' }, personal: {} },
      ]);
  });

  it.each(CLOSING_REASONS.filter((r) => r !== 'goal_achieved'))('%s needs no housing secured', (reason) => {
    given(history.active)
      .when(closeCase({ reason }))
      .then([{ type: 'CaseClosed', data: { closedOn: '2025-06-10', reason, housingAtClose: 'committed_housing' }, personal: {} }]);
  });
});
