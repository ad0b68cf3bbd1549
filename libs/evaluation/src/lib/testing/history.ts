import { GOAL_ACTORS, GOAL_AREAS, HOUSEHOLD_VIEWS, type CaseEvent } from '@wih/domain';
import { computeActivities, type ActivityEvaluationEvent, type ActivityFigures } from '../activities/activities';
import type { EvaluationEvent } from '../evaluation-event';
import { collectFacts, type Facts } from '../facts';

/** Test data for evaluation: case lifecycles as the application would feed them. Test-only. */

type DataOf<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>['data'];
/** Data overrides for a step, plus when it was recorded (default: its business day, 10:00 UTC). */
type Step<T extends CaseEvent['type']> = Partial<DataOf<T>> & { readonly recordedAt?: string };

export interface CaseHistory {
  readonly events: EvaluationEvent[];
  approved(on: string, step?: Step<'ReferralApproved'>): CaseHistory;
  rejected(on: string, step?: Step<'ReferralRejected'>): CaseHistory;
  visit(on: string, step?: Step<'HomeVisitRecorded'>): CaseHistory;
  mediated(on: string, step?: Step<'HelpMediated'>): CaseHistory;
  secured(on: string, step?: Step<'HousingSecured'>): CaseHistory;
  extended(on: string, step?: Step<'HelpPeriodExtended'>): CaseHistory;
  closed(on: string, step?: Step<'CaseClosed'>): CaseHistory;
  planned(on: string, step?: Step<'HelpPlanAgreed'>): CaseHistory;
  reviewed(on: string, step?: Step<'GoalReviewed'>): CaseHistory;
}

export const recordedOn = (businessDate: string): string => `${businessDate}T10:00:00.000Z`;

type Made = { readonly type: CaseEvent['type']; readonly data: object };

/** Valid data for each later step on business date `on`; tests override what they look at. */
const made = {
  approved: (on: string): Made => ({
    type: 'ReferralApproved',
    data: { approvedOn: on, assignedCaseworkerId: 'user-anna', visitIntervalDays: 28, plannedEndOn: on },
  }),
  rejected: (on: string): Made => ({ type: 'ReferralRejected', data: { rejectedOn: on, reason: 'not_target_group' } }),
  visit: (on: string): Made => ({ type: 'HomeVisitRecorded', data: { visitedOn: on, householdMet: true, concerns: ['tenancy'] } }),
  mediated: (on: string): Made => ({
    type: 'HelpMediated',
    data: { mediatedOn: on, kind: 'landlord', institutionKind: 'housing_company' },
  }),
  secured: (on: string): Made => ({ type: 'HousingSecured', data: { securedOn: on, outcome: 'tenancy_preserved' } }),
  extended: (on: string): Made => ({
    type: 'HelpPeriodExtended',
    data: { extendedOn: on, plannedEndOn: on, reason: 'housing_search_ongoing' },
  }),
  closed: (on: string): Made => ({
    type: 'CaseClosed',
    data: { closedOn: on, reason: 'time_limit_reached', housingAtClose: 'committed_housing' },
  }),
  planned: (on: string): Made => ({
    type: 'HelpPlanAgreed',
    data: { agreedOn: on, goals: [{ goalId: 'g1', area: 'housing', actor: 'household', reviewOn: on }], householdParticipated: true },
  }),
  reviewed: (on: string): Made => ({
    type: 'GoalReviewed',
    data: { reviewedOn: on, goalId: 'g1', status: 'in_progress', householdView: 'partly' },
  }),
};

const receivedData = (caseId: string, receivedOn: string): DataOf<'ReferralReceived'> => ({
  caseId,
  householdId: `h-${caseId}`,
  receivedOn,
  referralSource: 'social_office',
  targetGroup: 'recommitted',
  housingSituation: 'seized_flat',
  threatCauses: ['rent_arrears'],
  adults: 2,
  children: 1,
  existingAid: [],
  consentGiven: true,
  previousCaseId: null,
  recordedBy: 'user-anna',
});

/**
 * A case from its referral on: `referral('c1', '2024-01-10', { children: 0 }).approved('2024-01-20').closed(…)`.
 * Defaults: household `h-<caseId>`, source social_office, target group recommitted, 2 adults, 1 child.
 */
export const referral = (caseId: string, receivedOn: string, step: Step<'ReferralReceived'> = {}): CaseHistory => {
  const events: EvaluationEvent[] = [];
  const add = (base: Made, on: string, { recordedAt, ...overrides }: { readonly recordedAt?: string } = {}): CaseHistory => {
    events.push({
      type: base.type,
      data: { ...base.data, ...overrides },
      caseId,
      businessDate: on,
      recordedAt: recordedAt ?? recordedOn(on),
    } as EvaluationEvent);
    return history;
  };
  const history: CaseHistory = {
    events,
    approved: (on, s) => add(made.approved(on), on, s),
    rejected: (on, s) => add(made.rejected(on), on, s),
    visit: (on, s) => add(made.visit(on), on, s),
    mediated: (on, s) => add(made.mediated(on), on, s),
    secured: (on, s) => add(made.secured(on), on, s),
    extended: (on, s) => add(made.extended(on), on, s),
    closed: (on, s) => add(made.closed(on), on, s),
    planned: (on, s) => add(made.planned(on), on, s),
    reviewed: (on, s) => add(made.reviewed(on), on, s),
  };
  return add({ type: 'ReferralReceived', data: receivedData(caseId, receivedOn) }, receivedOn, step);
};

/** Log order: each history's events in turn (a case's referral always precedes its other events). */
export const log = (...histories: CaseHistory[]): EvaluationEvent[] => histories.flatMap((h) => h.events);

export const factsOf = (events: readonly EvaluationEvent[], asOf: string, activities: readonly ActivityEvaluationEvent[] = []): Facts => {
  const collector = collectFacts(asOf);
  events.forEach((event) => collector.add(event));
  activities.forEach((event) => collector.addActivity(event));
  return collector.facts();
};

/** An activity beyond single cases on `on` (default: networking in Kalk with the Jobcenter, 2 hours, 10 participants). */
export const activity = (
  activityId: string,
  on: string,
  data: Partial<ActivityEvaluationEvent['data']> & { readonly recordedAt?: string } = {},
): ActivityEvaluationEvent => {
  const { recordedAt, ...overrides } = data;
  return {
    type: 'ActivityRecorded',
    data: { activityId, on, kind: 'networking', partnerKinds: ['jobcenter'], district: 'kalk', hours: 2, participants: 10, ...overrides },
    recordedAt: recordedAt ?? recordedOn(on),
    businessDate: on,
  };
};

/** A breakdown with every code at 0: expected values spread their non-zero cells over it. */
export const zeros = <Code extends string>(codes: readonly Code[]): Record<Code, number> =>
  Object.fromEntries(codes.map((code) => [code, 0])) as Record<Code, number>;

/** `count` copies of a history, cases `<prefix>1` … `<prefix><count>`. */
export const many = (count: number, prefix: string, build: (caseId: string) => CaseHistory): CaseHistory[] =>
  Array.from({ length: count }, (_, i) => build(`${prefix}${i + 1}`));

/** The activities block with no activity: every code at count 0 and 0 hours. */
export const emptyActivityFigures = (): ActivityFigures => computeActivities([], { from: '2000-01-01', to: '2000-01-01' });

/** The help-plan block of cases without any plan; `noShare` is a share without value (raw, or null when published). */
export const noHelpPlans = <S>(noShare: S) => {
  const shares = <Code extends string>(codes: readonly Code[]) =>
    Object.fromEntries(codes.map((code) => [code, noShare])) as Record<Code, S>;
  return {
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
    achievedShareByArea: shares(GOAL_AREAS),
    achievedShareByActor: shares(GOAL_ACTORS),
    goalsReviewed: 0,
    viewAtLastReview: zeros(HOUSEHOLD_VIEWS),
  };
};
