import { ACTIVITY_LIMITS, HELP_PLAN } from '@wih/vocabulary';
import type { HelpPlan } from '../api/schemas';
import { t } from '../i18n';
import { formatDate } from '../i18n/format';
import type { CaseBounds } from './case-validation';
import { isOpenGoal } from './goals';
import type { Errors } from './form';
import { businessDate, collect, integer, isDate, maxLength, required } from './validate';

/**
 * The checks of the help plan, the goal reviews in a visit, the household's details, the
 * restriction and an activity. As in case-validation.ts they only spare a round trip: the domain
 * decides again.
 */
const NOTES = 10_000;
const v = () => t.caseworkValidation;
const sinceApproval = (value: string, today: string, facts: CaseBounds) =>
  businessDate(value, today, {
    on: facts.approvedOn ?? facts.receivedOn,
    message: (on) => (facts.approvedOn ? t.validation.beforeApproval : t.validation.beforeReferral)(formatDate(on)),
  });

/** A plan's goals are numbered slots (stable while goals are added and removed); their fields are `goal<slot>.<field>`. */
export type GoalField = 'goalId' | 'area' | 'actor' | 'reviewOn' | 'wording';
export const goalKey = (slot: number, field: GoalField) => `goal${slot}.${field}`;
export type PlanValues = Record<string, string>;

export function validatePlan(values: PlanValues, slots: readonly number[], today: string, facts: CaseBounds): Errors {
  const agreedOn = sinceApproval(values.agreedOn, today, facts);
  const checks: Record<string, string | undefined> = {
    agreedOn,
    householdParticipated: required(values.householdParticipated, t.validation.choose),
    notes: maxLength(values.notes ?? '', NOTES),
  };
  for (const slot of slots) {
    const reviewOn = values[goalKey(slot, 'reviewOn')] ?? '';
    const wording = (values[goalKey(slot, 'wording')] ?? '').trim();
    checks[goalKey(slot, 'area')] = required(values[goalKey(slot, 'area')], t.validation.choose);
    checks[goalKey(slot, 'actor')] = required(values[goalKey(slot, 'actor')], t.validation.choose);
    checks[goalKey(slot, 'reviewOn')] = !reviewOn
      ? t.validation.required
      : !isDate(reviewOn)
        ? t.validation.date
        : !agreedOn && reviewOn < values.agreedOn
          ? v().reviewBeforeAgreement(formatDate(values.agreedOn))
          : undefined;
    checks[goalKey(slot, 'wording')] = wording ? maxLength(wording, HELP_PLAN.wordingMaxLength) : t.validation.required;
  }
  return collect(checks);
}

/** A goal review inside the visit form: `review.<goalId>.status` and `.householdView`; both empty is no review. */
export const reviewKey = (goalId: string, field: 'status' | 'householdView') => `review.${goalId}.${field}`;

/** The reviews the person filled in, in the plan's order. */
export const reviewsIn = (values: Record<string, string | string[]>, plan: HelpPlan | null) =>
  (plan?.goals ?? [])
    .map((goal, index) => ({ goal, number: index + 1 }))
    .filter(({ goal }) => isOpenGoal(goal))
    .filter(({ goal }) => values[reviewKey(goal.goalId, 'status')] || values[reviewKey(goal.goalId, 'householdView')]);

export function validateReviews(values: Record<string, string | string[]>, plan: HelpPlan | null): Errors {
  const reviews = reviewsIn(values, plan);
  const checks: Record<string, string | undefined> = {};
  for (const { goal } of reviews) {
    checks[reviewKey(goal.goalId, 'status')] = required(values[reviewKey(goal.goalId, 'status')], t.validation.choose);
    checks[reviewKey(goal.goalId, 'householdView')] = required(values[reviewKey(goal.goalId, 'householdView')], t.validation.choose);
  }
  // One date for the visit and its reviews: a review is not dated before the plan (decision 0023).
  const visitedOn = String(values.visitedOn ?? '');
  if (plan && reviews.length && isDate(visitedOn) && visitedOn < plan.agreedOn)
    checks.visitedOn = v().beforePlan(formatDate(plan.agreedOn));
  return collect(checks);
}

export interface DetailsValues {
  [k: string]: string;
  changedOn: string;
  reason: string;
  name: string;
  address: string;
  phone: string;
}
export function validateDetails(values: DetailsValues, today: string, facts: CaseBounds): Errors {
  const none = !values.name.trim() && !values.address.trim() && !values.phone.trim();
  return collect({
    changedOn: businessDate(values.changedOn, today, {
      on: facts.receivedOn,
      message: (on) => t.validation.beforeReferral(formatDate(on)),
    }),
    reason: required(values.reason, t.validation.choose),
    name: none ? t.details.atLeastOne : maxLength(values.name.trim(), 200),
    address: maxLength(values.address.trim(), 500),
    phone: maxLength(values.phone.trim(), 50),
  });
}

export interface RestrictionValues {
  [k: string]: string;
  restrictedOn: string;
  reason: string;
}
export const validateRestriction = (values: RestrictionValues, today: string): Errors =>
  collect({ restrictedOn: businessDate(values.restrictedOn, today), reason: required(values.reason, t.validation.choose) });

export interface ActivityValues {
  [k: string]: string | string[];
  on: string;
  kind: string;
  partnerKinds: string[];
  district: string;
  hours: string;
  participants: string;
}

/** Hours as German users type them (1,5 or 1.5); NaN when it is no number. */
export const parseHours = (text: string) => (/^\s*\d+([.,]\d+)?\s*$/.test(text) ? Number(text.trim().replace(',', '.')) : Number.NaN);

export function validateActivity(values: ActivityValues, today: string): Errors {
  const hours = parseHours(values.hours);
  const steps = hours / ACTIVITY_LIMITS.hoursStep;
  return collect({
    on: businessDate(values.on, today),
    kind: required(values.kind, t.validation.choose),
    district: required(values.district, t.validation.choose),
    hours: !values.hours.trim()
      ? t.validation.required
      : hours > 0 && hours <= ACTIVITY_LIMITS.hoursMax && Number.isInteger(steps)
        ? undefined
        : v().hours,
    participants: integer(values.participants.trim(), 0, ACTIVITY_LIMITS.participantsMax),
  });
}
