import { spec } from '../testing/decider-specification';
import {
  AGREED_ON,
  APPROVED_ON,
  GOAL_JOBCENTER,
  GOAL_RENT,
  HOUSEHOLD_ID,
  WORDING,
  agreeHelpPlan,
  closeCase,
  ctx,
  goalReviewed,
  helpPlanAgreed,
  history,
  reviewGoal,
} from '../testing/case-fixtures';
import type { AgreedGoal } from './commands';
import { caseDecider } from './decide';
import type { CaseEvent } from './events';
import { STATUSES } from '../testing/case-fixtures';
import { GOAL_STATUSES } from './vocabulary';

const given = (events: readonly CaseEvent[]) => spec(caseDecider).given(events);
const planned = [...history.active, helpPlanAgreed()];
const goal = (goalId: string, reviewOn = '2025-07-01'): AgreedGoal => ({
  goalId,
  area: 'housing',
  actor: 'caseworker',
  reviewOn,
  wording: `Ziel ${goalId}`,
});

describe('agreeing a help plan', () => {
  it('records the goals as facts and their wording as the personal part, by goalId', () => {
    given(history.active)
      .when(agreeHelpPlan({ notes: 'Gespräch in der Küche, beide Eltern dabei' }))
      .then([
        {
          type: 'HelpPlanAgreed',
          data: {
            agreedOn: AGREED_ON,
            goals: [
              { goalId: GOAL_RENT, area: 'rent_and_debts', actor: 'together', reviewOn: '2025-03-01' },
              { goalId: GOAL_JOBCENTER, area: 'income_and_benefits', actor: 'household', reviewOn: '2025-04-01' },
            ],
            householdParticipated: true,
          },
          personal: { wording: WORDING, notes: 'Gespräch in der Küche, beide Eltern dabei' },
        },
      ]);
  });

  it.each(STATUSES.filter((s) => s !== 'active' && s !== 'none'))('needs an active case: refused when %s, naming the state', (status) => {
    given(history[status]).when(agreeHelpPlan({}, ctx.anna)).thenThrows('conflict', 'invalid-state', status);
  });

  it('is refused before the plan it would replace', () => {
    given([...history.active, helpPlanAgreed({ agreedOn: '2025-03-10' })])
      .when(agreeHelpPlan({ agreedOn: '2025-03-09', goals: [goal('g-new')] }))
      .thenThrows('conflict', 'date-before-help-plan', '2025-03-10');
  });

  it('may be replaced on the day of the plan before it', () => {
    given(planned)
      .when(agreeHelpPlan({ agreedOn: AGREED_ON, goals: [goal('g-new')] }))
      .then([expect.objectContaining({ type: 'HelpPlanAgreed' })]);
  });

  it.each([0, 21])('is refused with %i goals (1–20)', (count) => {
    const goals = Array.from({ length: count }, (_, i) => goal(`g-${i}`));
    given(history.active).when(agreeHelpPlan({ goals })).thenThrows('conflict', 'goal-count-out-of-range');
  });

  it('accepts 20 goals', () => {
    const goals = Array.from({ length: 20 }, (_, i) => goal(`g-${i}`));
    given(history.active)
      .when(agreeHelpPlan({ goals }))
      .then([expect.objectContaining({ type: 'HelpPlanAgreed' })]);
  });

  it('is refused when a goal id appears twice', () => {
    given(history.active)
      .when(agreeHelpPlan({ goals: [goal('g-1'), goal('g-2'), goal('g-1')] }))
      .thenThrows('conflict', 'duplicate-goal-id', 'g-1');
  });

  it('is refused when a goal is to be reviewed before the agreement; the day itself is accepted', () => {
    given(history.active)
      .when(agreeHelpPlan({ goals: [goal('g-1', '2025-01-31')] }))
      .thenThrows('conflict', 'review-before-agreement');
    given(history.active)
      .when(agreeHelpPlan({ goals: [goal('g-1', AGREED_ON)] }))
      .then([expect.objectContaining({ type: 'HelpPlanAgreed' })]);
  });

  it("does not reuse a settled goal's id", () => {
    const settled = [...planned, goalReviewed('2025-03-01', { goalId: GOAL_RENT, status: 'achieved' })];
    given(settled)
      .when(agreeHelpPlan({ agreedOn: '2025-04-01', goals: [goal(GOAL_RENT)] }))
      .thenThrows('conflict', 'goal-settled', GOAL_RENT);
  });

  it("may take up an unsettled goal's id again (the goal is agreed anew)", () => {
    const reviewed = [...planned, goalReviewed('2025-03-01', { goalId: GOAL_RENT, status: 'in_progress' })];
    given(reviewed)
      .when(agreeHelpPlan({ agreedOn: '2025-04-01', goals: [goal(GOAL_RENT)] }))
      .then([expect.objectContaining({ type: 'HelpPlanAgreed' })]);
  });

  it('is refused after an erasure: the wording could not be protected', () => {
    const erased = [
      ...history.active,
      { type: 'PersonalDataErased', data: { householdId: HOUSEHOLD_ID, erasedOn: '2025-06-01' } } as const,
    ];
    given(erased).when(agreeHelpPlan()).thenThrows('conflict', 'personal-data-erased');
  });
});

describe('reviewing a goal', () => {
  it('records the review with its notes as the personal part', () => {
    given(planned)
      .when(
        reviewGoal({
          reviewedOn: '2025-03-01',
          goalId: GOAL_JOBCENTER,
          status: 'achieved',
          householdView: 'satisfied',
          notes: 'Bescheid liegt vor',
        }),
      )
      .then([
        {
          type: 'GoalReviewed',
          data: { reviewedOn: '2025-03-01', goalId: GOAL_JOBCENTER, status: 'achieved', householdView: 'satisfied' },
          personal: { notes: 'Bescheid liegt vor' },
        },
      ]);
  });

  it('needs a help plan (no-help-plan)', () => {
    given(history.active).when(reviewGoal()).thenThrows('conflict', 'no-help-plan');
  });

  it('needs a goal the plan holds (unknown-goal)', () => {
    given(planned)
      .when(reviewGoal({ goalId: 'goal-elsewhere' }))
      .thenThrows('conflict', 'unknown-goal', 'goal-elsewhere');
  });

  it('is not dated before the agreement of the plan holding the goal; the day itself is accepted', () => {
    given(planned)
      .when(reviewGoal({ reviewedOn: '2025-01-31' }))
      .thenThrows('conflict', 'date-before-help-plan', AGREED_ON);
    given(planned)
      .when(reviewGoal({ reviewedOn: AGREED_ON }))
      .then([expect.objectContaining({ type: 'GoalReviewed' })]);
  });

  it('obeys the activity date rule first: not before the approval, not in the future', () => {
    const early = [...history.active, helpPlanAgreed({ agreedOn: APPROVED_ON })];
    given(early)
      .when(reviewGoal({ reviewedOn: '2025-01-19' }))
      .thenThrows('conflict', 'date-before-approval');
    given(early)
      .when(reviewGoal({ reviewedOn: '2025-06-16' }))
      .thenThrows('conflict', 'date-in-future');
  });

  it.each(['closed', 'rejected', 'referred'] as const)('needs an active case: refused when %s', (status) => {
    given([...history[status], helpPlanAgreed()])
      .when(reviewGoal())
      .thenThrows('conflict', 'invalid-state', status);
  });

  it.each(['achieved', 'dropped'] as const)('an %s goal is not reviewed again (goal-settled)', (status) => {
    given([...planned, goalReviewed('2025-03-01', { status })])
      .when(reviewGoal({ reviewedOn: '2025-04-01', status: 'in_progress' }))
      .thenThrows('conflict', 'goal-settled', GOAL_RENT);
  });

  it.each(GOAL_STATUSES.filter((s) => s === 'open' || s === 'in_progress'))('an %s goal is reviewed again', (status) => {
    given([...planned, goalReviewed('2025-03-01', { status })])
      .when(reviewGoal({ reviewedOn: '2025-04-01', status: 'achieved' }))
      .then([expect.objectContaining({ type: 'GoalReviewed' })]);
  });

  describe('a new plan replaces the open goals', () => {
    const replaced = [
      ...planned,
      goalReviewed('2025-03-01', { goalId: GOAL_RENT, status: 'achieved' }),
      helpPlanAgreed({
        agreedOn: '2025-04-10',
        goals: [{ goalId: 'goal-flat', area: 'housing', actor: 'together', reviewOn: '2025-05-01' }],
      }),
    ];

    it('an unsettled goal of the old plan is gone (unknown-goal)', () => {
      given(replaced)
        .when(reviewGoal({ reviewedOn: '2025-05-01', goalId: GOAL_JOBCENTER }))
        .thenThrows('conflict', 'unknown-goal');
    });

    it('a settled goal of the old plan stays settled', () => {
      given(replaced)
        .when(reviewGoal({ reviewedOn: '2025-05-01', goalId: GOAL_RENT }))
        .thenThrows('conflict', 'goal-settled');
    });

    it("the new plan's goals are reviewed from its agreement on", () => {
      given(replaced)
        .when(reviewGoal({ reviewedOn: '2025-04-09', goalId: 'goal-flat' }))
        .thenThrows('conflict', 'date-before-help-plan', '2025-04-10');
      given(replaced)
        .when(reviewGoal({ reviewedOn: '2025-04-10', goalId: 'goal-flat' }))
        .then([expect.objectContaining({ type: 'GoalReviewed' })]);
    });

    it('a goal agreed anew under its id is reviewed from the new agreement on', () => {
      const again = [
        ...planned,
        helpPlanAgreed({
          agreedOn: '2025-04-10',
          goals: [{ goalId: GOAL_JOBCENTER, area: 'income_and_benefits', actor: 'together', reviewOn: '2025-05-01' }],
        }),
      ];
      given(again)
        .when(reviewGoal({ reviewedOn: '2025-04-01', goalId: GOAL_JOBCENTER }))
        .thenThrows('conflict', 'date-before-help-plan', '2025-04-10');
    });
  });

  it('refuses notes after an erasure, accepts the review without them', () => {
    const erased = [...planned, { type: 'PersonalDataErased', data: { householdId: HOUSEHOLD_ID, erasedOn: '2025-06-01' } } as const];
    given(erased)
      .when(reviewGoal({ notes: 'x' }))
      .thenThrows('conflict', 'personal-data-erased');
    given(erased)
      .when(reviewGoal())
      .then([expect.objectContaining({ type: 'GoalReviewed', personal: {} })]);
  });
});

describe('closing after a help plan (rule 3)', () => {
  it('is not dated before the plan or a goal review', () => {
    const events = [...planned, goalReviewed('2025-05-20')];
    given(events)
      .when(closeCase({ closedOn: '2025-05-19' }))
      .thenThrows('conflict', 'date-before-last-activity', '2025-05-20');
    given(events)
      .when(closeCase({ closedOn: '2025-05-20' }))
      .then([expect.objectContaining({ type: 'CaseClosed' })]);
  });
});
