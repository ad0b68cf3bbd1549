import type { CaseDetail as BaseDetail, Household } from '../api/types';
import { t } from '../i18n';

/**
 * The answers the case page's newer forms read (docs/openapi.json: CaseDetail, ActivityList,
 * ActivityAnswerDto, RestrictionAnswerDto), kept in this one place until the client's types are
 * generated from the document.
 */
export type Masked = { erased: true } | { restricted: true };

export interface PlanGoal {
  goalId: string;
  area: string;
  actor: string;
  reviewOn: string;
  /** Personal data: shown as erased, or withheld while processing is restricted. */
  wording: string | Masked;
  status: string;
  householdView: string;
  lastReviewedOn: string | null;
}

export interface HelpPlan {
  agreedOn: string;
  householdParticipated: boolean;
  goals: PlanGoal[];
}

export type CaseDetail = Omit<BaseDetail, 'household'> & {
  household: Household | { restricted: true };
  helpPlan: HelpPlan | null;
  nextGoalReviewOn: string | null;
  goalReviewDue: boolean;
  restricted: boolean;
};

export interface ActivityItem {
  activityId: string;
  on: string;
  kind: string;
  partnerKinds: string[];
  district: string;
  hours: number;
  participants: number;
  recordedBy: string;
  recordedAt: string;
}
export interface ActivityList {
  items: ActivityItem[];
  truncated: boolean;
}
export interface ActivityAnswer {
  activityId: string;
  revision: number;
  position: string;
}
export interface RestrictionAnswer {
  householdId: string;
  position: string;
}

/** A goal that may still be reviewed (achieved and dropped goals are settled, decision 0023). */
export const isOpenGoal = (goal: PlanGoal) => goal.status !== 'achieved' && goal.status !== 'dropped';
export const wordingOf = (goal: PlanGoal): string | null => (typeof goal.wording === 'string' ? goal.wording : null);
/** A goal's wording as the reader may see it. */
export const goalText = (goal: PlanGoal) =>
  wordingOf(goal) ?? ('restricted' in (goal.wording as object) ? t.plan.restricted : t.plan.erased);
