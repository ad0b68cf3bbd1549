import { GOAL_ACTORS, GOAL_AREAS, HOUSEHOLD_VIEWS, SETTLED_GOAL_STATUSES, isSettledGoalStatus } from '@wih/domain';
import type { GoalFact, GoalReviewFact } from '../facts';
import { defineMetric } from '../metric';
import { breakdown, inPeriod, share, type Breakdown, type Period, type RawShare } from '../raw';
import { servedIn } from './cases';

/** The share achieved per code: the achieved cell over the settled cell of that code. */
const achievedShares = <Code extends string>(codes: readonly Code[], achieved: Breakdown<Code>, settled: Breakdown<Code>) =>
  Object.fromEntries(codes.map((code) => [code, share(achieved[code], settled[code])])) as Record<Code, RawShare>;

/** The goal's last review dated in the period (the later recorded one of a day), if any. */
const lastReviewIn = (goal: GoalFact, period: Period): GoalReviewFact | null =>
  goal.reviews.reduce<GoalReviewFact | null>(
    (last, review) => (inPeriod(review.reviewedOn, period) && (last === null || review.reviewedOn >= last.reviewedOn) ? review : last),
    null,
  );

/**
 * The help plan (decision 0029). Plans and goals are counted by the day they were agreed, goals
 * settled by the day of the settling review (a settled goal is not reviewed again, so that is its
 * last review), the household's view at each goal's last review dated in the period. A goal that a
 * later plan replaced before it was settled still counts where it was agreed and reviewed; one
 * taken up by the next plan is agreed anew and counts again at that agreement.
 */
export const helpPlansMetric = defineMetric({
  block: 'helpPlans',
  totals: {
    goalsByArea: 'goalsAgreed',
    goalsByActor: 'goalsAgreed',
    settledByStatus: 'goalsSettled',
    settledByArea: 'goalsSettled',
    settledByActor: 'goalsSettled',
    viewAtLastReview: 'goalsReviewed',
  },
  compute: (cases, period) => {
    const plans = cases.flatMap((c) => (c.helpPlan ? [c.helpPlan] : []));
    const agreements = plans.flatMap((p) => p.agreements.filter((a) => inPeriod(a.agreedOn, period)));
    const goals = plans.flatMap((p) => [...p.goals, ...p.replaced]);
    const agreed = goals.filter((goal) => inPeriod(goal.agreedOn, period));
    // only the standing goals can be settled (a replaced goal was not)
    const settled = plans.flatMap((p) =>
      p.goals.filter((goal) => isSettledGoalStatus(goal.status) && inPeriod(goal.lastReviewedOn, period)),
    );
    const achieved = settled.filter((goal) => goal.status === 'achieved');
    const settledByArea = breakdown(
      GOAL_AREAS,
      settled.map((goal) => goal.area),
    );
    const settledByActor = breakdown(
      GOAL_ACTORS,
      settled.map((goal) => goal.actor),
    );
    const achievedByArea = breakdown(
      GOAL_AREAS,
      achieved.map((goal) => goal.area),
    );
    const achievedByActor = breakdown(
      GOAL_ACTORS,
      achieved.map((goal) => goal.actor),
    );
    const views = goals.flatMap((goal) => {
      const last = lastReviewIn(goal, period);
      return last ? [last.householdView] : [];
    });
    return {
      casesWithPlan: cases.filter((c) => c.helpPlan !== null && c.helpPlan.firstAgreedOn <= period.to && servedIn(c, period)).length,
      plansAgreed: agreements.length,
      householdParticipated: agreements.filter((a) => a.householdParticipated).length,
      goalsAgreed: agreed.length,
      goalsByArea: breakdown(
        GOAL_AREAS,
        agreed.map((goal) => goal.area),
      ),
      goalsByActor: breakdown(
        GOAL_ACTORS,
        agreed.map((goal) => goal.actor),
      ),
      goalsSettled: settled.length,
      settledByStatus: breakdown(
        SETTLED_GOAL_STATUSES,
        settled.map((goal) => goal.status as (typeof SETTLED_GOAL_STATUSES)[number]),
      ),
      settledByArea,
      settledByActor,
      // published counts, so that a small one is protected as a count (the shares rest on them)
      achievedByArea,
      achievedByActor,
      achievedShareByArea: achievedShares(GOAL_AREAS, achievedByArea, settledByArea),
      // "help for self-help": the share of the household's own settled goals it achieved
      achievedShareByActor: achievedShares(GOAL_ACTORS, achievedByActor, settledByActor),
      goalsReviewed: views.length,
      viewAtLastReview: breakdown(HOUSEHOLD_VIEWS, views),
    };
  },
});
