import { GOAL_ACTORS, GOAL_AREAS, HOUSEHOLD_VIEWS } from '@wih/domain';
import { computeStatistics } from '../statistics';
import { factsOf, log, referral, zeros, type CaseHistory } from '../testing/history';

const PERIOD = { from: '2024-01-01', to: '2024-06-30' };
const AS_OF = '2025-01-15T12:00:00.000Z';
const AFTER_AS_OF = '2025-01-16T08:00:00.000Z';

const helpPlans = (...histories: CaseHistory[]) =>
  computeStatistics(factsOf(log(...histories), AS_OF), { ...PERIOD, asOf: AS_OF }).helpPlans;

const goal = (goalId: string, area: (typeof GOAL_AREAS)[number], actor: (typeof GOAL_ACTORS)[number]) => ({
  goalId,
  area,
  actor,
  reviewOn: '2024-12-31',
});
const none = { kind: 'share', numerator: 0, denominator: 0, value: null };
const noShares = <Code extends string>(codes: readonly Code[]) => Object.fromEntries(codes.map((code) => [code, none]));

describe('helpPlans: cases with a plan, plans and their goals in the period', () => {
  it('cases with a plan: served in the period, with a plan agreed by its end', () => {
    const block = helpPlans(
      referral('p1', '2023-11-01').approved('2023-11-10').planned('2023-12-01'), // plan before the period, served: counts
      referral('p2', '2024-05-01').approved('2024-05-10').planned('2024-06-30'), // agreed on the last day: counts
      referral('p3', '2024-05-01').approved('2024-05-10').planned('2024-07-01'), // agreed after the period: not yet
      referral('p4', '2023-05-01').approved('2023-05-10').planned('2023-06-01').closed('2023-12-31'), // not served
      referral('p5', '2024-02-01').approved('2024-02-10'), // served, no plan
      referral('p6', '2024-02-01').approved('2024-02-10').planned('2024-03-01', { recordedAt: AFTER_AS_OF }), // unknown at asOf
    );
    expect(block.casesWithPlan).toBe(2);
  });

  it('plans agreed in the period, each agreement once, and those the household took part in', () => {
    const block = helpPlans(
      referral('a1', '2023-11-01')
        .approved('2023-11-10')
        .planned('2023-12-31') // before the period
        .planned('2024-01-01', { householdParticipated: false, goals: [goal('g2', 'family', 'caseworker')] })
        .planned('2024-03-01', { goals: [goal('g3', 'health', 'household')] })
        .planned('2024-07-01', { goals: [goal('g4', 'health', 'household')] }), // after: the one in between still counts
      referral('a2', '2024-01-05').approved('2024-01-10').planned('2024-02-01'),
    );
    // in the period: a1 on 1 Jan (without the household) and 1 Mar, a2 on 1 Feb
    expect(block).toMatchObject({ plansAgreed: 3, householdParticipated: 2 });
  });

  it('goals agreed in the period by area and actor, a replaced goal where it was agreed, one taken up again at each agreement', () => {
    const block = helpPlans(
      referral('b1', '2023-12-01')
        .approved('2023-12-10')
        .planned('2023-12-20', { goals: [goal('old', 'other', 'together')] }) // before the period
        .planned('2024-02-01', { goals: [goal('rent', 'rent_and_debts', 'together'), goal('job', 'income_and_benefits', 'household')] })
        // replaces both: "job" is gone, "rent" is taken up (agreed anew, in another area)
        .planned('2024-08-01', { goals: [goal('rent', 'housing', 'caseworker')] }),
      referral('b2', '2024-03-01')
        .approved('2024-03-05')
        .planned('2024-03-10', { goals: [goal('flat', 'housing', 'household'), goal('care', 'health', 'other_service')] }),
    );
    // 1 Feb: rent (rent_and_debts, together), job (income, household); 10 Mar: flat (housing, household), care (health,
    // other_service); the old goal of 20 Dec and "rent" agreed anew on 1 Aug lie outside
    expect(block.goalsAgreed).toBe(4);
    expect(block.goalsByArea).toEqual({ ...zeros(GOAL_AREAS), rent_and_debts: 1, income_and_benefits: 1, housing: 1, health: 1 });
    expect(block.goalsByActor).toEqual({ ...zeros(GOAL_ACTORS), together: 1, household: 2, other_service: 1 });
  });
});

describe('helpPlans: goals settled in the period and the share achieved ("help for self-help")', () => {
  it('settles a goal on the day of its settling review; the share achieved by area and by actor divides the settled goals', () => {
    const plan = (caseId: string) =>
      referral(caseId, '2023-11-01')
        .approved('2023-11-10')
        .planned('2023-12-01', {
          goals: [goal('a', 'housing', 'household'), goal('b', 'housing', 'caseworker'), goal('c', 'health', 'household')],
        });
    const block = helpPlans(
      plan('s1')
        .reviewed('2023-12-20', { goalId: 'a', status: 'in_progress' }) // a review before the period
        .reviewed('2024-01-01', { goalId: 'a', status: 'achieved' }) // settled on the first day
        .reviewed('2024-06-30', { goalId: 'b', status: 'dropped' }) // on the last day
        .reviewed('2024-03-01', { goalId: 'c', status: 'in_progress' }), // reviewed, not settled
      plan('s2')
        .reviewed('2023-12-31', { goalId: 'a', status: 'achieved' }) // the day before the period
        .reviewed('2024-02-01', { goalId: 'b', status: 'achieved' })
        .reviewed('2024-07-01', { goalId: 'c', status: 'achieved' }), // the day after
      plan('s3')
        .reviewed('2024-04-01', { goalId: 'a', status: 'dropped' })
        .reviewed('2024-04-01', { goalId: 'c', status: 'achieved', recordedAt: AFTER_AS_OF }), // unknown at asOf
    );
    // settled in the period: s1 a achieved, s1 b dropped, s2 b achieved, s3 a dropped
    expect(block).toMatchObject({
      goalsSettled: 4,
      settledByStatus: { achieved: 2, dropped: 2 },
      settledByArea: { ...zeros(GOAL_AREAS), housing: 4 },
      settledByActor: { ...zeros(GOAL_ACTORS), household: 2, caseworker: 2 },
      achievedByArea: { ...zeros(GOAL_AREAS), housing: 2 },
      achievedByActor: { ...zeros(GOAL_ACTORS), household: 1, caseworker: 1 },
    });
    // housing 2 of 4; household: s1 a achieved, s3 a dropped → 1 of 2; caseworker: s2 b achieved, s1 b dropped → 1 of 2
    expect(block.achievedShareByArea).toEqual({
      ...noShares(GOAL_AREAS),
      housing: { kind: 'share', numerator: 2, denominator: 4, value: 0.5 },
    });
    expect(block.achievedShareByActor).toEqual({
      ...noShares(GOAL_ACTORS),
      household: { kind: 'share', numerator: 1, denominator: 2, value: 0.5 },
      caseworker: { kind: 'share', numerator: 1, denominator: 2, value: 0.5 },
    });
  });

  it('a goal replaced before it was settled is never settled', () => {
    const block = helpPlans(
      referral('r1', '2023-11-01')
        .approved('2023-11-10')
        .planned('2024-01-10', { goals: [goal('x', 'family', 'together')] })
        .reviewed('2024-02-01', { goalId: 'x', status: 'in_progress' })
        .planned('2024-03-01', { goals: [goal('y', 'family', 'together')] }),
    );
    expect(block).toMatchObject({ goalsSettled: 0, settledByStatus: { achieved: 0, dropped: 0 } });
    expect(block.achievedShareByArea.family).toEqual(none);
  });
});

describe("helpPlans: the household's view at each goal's last review in the period", () => {
  it('takes the latest review dated in the period (recorded later on the same day), not one after it', () => {
    const block = helpPlans(
      referral('v1', '2023-11-01')
        .approved('2023-11-10')
        .planned('2024-01-05', {
          goals: [
            goal('a', 'housing', 'household'),
            goal('b', 'family', 'together'),
            goal('c', 'health', 'caseworker'),
            goal('d', 'other', 'household'),
          ],
        })
        // a: recorded out of date order; the review of 1 Mar is the last in the period
        .reviewed('2024-03-01', { goalId: 'a', householdView: 'satisfied' })
        .reviewed('2024-02-01', { goalId: 'a', householdView: 'not_satisfied' })
        // b: two reviews on one day, the later recorded counts; then one after the period
        .reviewed('2024-04-01', { goalId: 'b', householdView: 'partly' })
        .reviewed('2024-04-01', { goalId: 'b', householdView: 'not_asked', recordedAt: '2024-04-01T15:00:00.000Z' })
        .reviewed('2024-08-01', { goalId: 'b', householdView: 'satisfied' })
        // c: only after the period; d: never reviewed
        .reviewed('2024-09-01', { goalId: 'c', householdView: 'partly' }),
      // a goal replaced later still shows its review in the period
      referral('v2', '2023-11-01')
        .approved('2023-11-10')
        .planned('2024-01-05', { goals: [goal('e', 'housing', 'household')] })
        .reviewed('2024-05-01', { goalId: 'e', householdView: 'partly' })
        .planned('2024-08-01', { goals: [goal('f', 'housing', 'household')] }),
    );
    expect(block.goalsReviewed).toBe(3);
    expect(block.viewAtLastReview).toEqual({ ...zeros(HOUSEHOLD_VIEWS), satisfied: 1, not_asked: 1, partly: 1 });
  });

  it('no plans: every count 0 and no share', () => {
    expect(helpPlans(referral('n1', '2024-01-05').approved('2024-01-10'))).toEqual({
      casesWithPlan: 0,
      plansAgreed: 0,
      householdParticipated: 0,
      goalsAgreed: 0,
      goalsByArea: zeros(GOAL_AREAS),
      goalsByActor: zeros(GOAL_ACTORS),
      goalsSettled: 0,
      settledByStatus: { achieved: 0, dropped: 0 },
      settledByArea: zeros(GOAL_AREAS),
      settledByActor: zeros(GOAL_ACTORS),
      achievedByArea: zeros(GOAL_AREAS),
      achievedByActor: zeros(GOAL_ACTORS),
      achievedShareByArea: noShares(GOAL_AREAS),
      achievedShareByActor: noShares(GOAL_ACTORS),
      goalsReviewed: 0,
      viewAtLastReview: zeros(HOUSEHOLD_VIEWS),
    });
  });
});

describe('helpPlans with children', () => {
  it('the withChildren block counts only the plans of households with children', () => {
    const stats = computeStatistics(
      factsOf(
        log(
          referral('k1', '2024-01-05').approved('2024-01-10').planned('2024-02-01'),
          referral('k0', '2024-01-05', { children: 0 }).approved('2024-01-10').planned('2024-02-01'),
        ),
        AS_OF,
      ),
      { ...PERIOD, asOf: AS_OF },
    );
    expect([stats.helpPlans.plansAgreed, stats.withChildren.helpPlans.plansAgreed]).toEqual([2, 1]);
  });
});
