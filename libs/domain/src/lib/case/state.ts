import { maxDate, type CalendarDate } from '../dates';
import { unknownEvent } from '../exhaustive';
import { businessDateOfEvent, type CaseEvent, type CaseEventType, type HelpPlanAgreed, type ReferralReceived } from './events';
import { isSettledGoalStatus, type ExistingAid } from './vocabulary';

/** What decide needs to know about a case, keyed by status so that decide narrows it. */
interface Referral {
  readonly caseId: string;
  readonly householdId: string;
  readonly receivedOn: CalendarDate;
  readonly recordedBy: string;
  readonly consentGiven: boolean;
  readonly existingAid: readonly ExistingAid[];
  /** Set by PersonalDataErased: no personal data may be recorded for the case any more. */
  readonly personalDataErased: boolean;
  /** Set by ProcessingRestricted, cleared by RestrictionLifted (decision 0030). */
  readonly restricted: boolean;
}

interface Help extends Referral {
  readonly approvedOn: CalendarDate;
  readonly caseworkerId: string;
  readonly visitIntervalDays: number;
  readonly plannedEndOn: CalendarDate;
  /** The planned end set at approval: extensions are limited to 24 months beyond it. */
  readonly originalPlannedEndOn: CalendarDate;
  readonly housingSecured: boolean;
  /**
   * The approval or the latest business date of anything recorded on the case since (visits,
   * mediations, housing secured, extensions, reassignments, help plans, goal reviews): a closure
   * cannot precede it (rule 3).
   */
  readonly lastActivityOn: CalendarDate;
  readonly lastVisitOn: CalendarDate | null;
  /** The latest help plan, or null before the first (decision 0023). */
  readonly helpPlan: HelpPlanState | null;
}

/** A goal as decide needs it: the agreement that holds it (reviews are not dated before it), and whether it is settled. */
export interface GoalState {
  readonly goalId: string;
  readonly agreedOn: CalendarDate;
  readonly settled: boolean;
}

/**
 * The latest plan's agreement date and the goals reviews may name: the latest plan's goals plus
 * the settled goals of earlier plans (their ids stay taken; a review of them is refused as settled).
 */
export interface HelpPlanState {
  readonly agreedOn: CalendarDate;
  readonly goals: readonly GoalState[];
}

export type CaseState =
  | { readonly status: 'none' }
  | ({ readonly status: 'referred' } & Referral)
  | ({ readonly status: 'rejected'; readonly rejectedOn: CalendarDate } & Referral)
  | ({ readonly status: 'active' } & Help)
  | ({ readonly status: 'closed'; readonly closedOn: CalendarDate } & Help);

export type CaseStatus = CaseState['status'];

export const initialCaseState = (): CaseState => ({ status: 'none' });

const referralOf = ({ data }: ReferralReceived): Referral => ({
  caseId: data.caseId,
  householdId: data.householdId,
  receivedOn: data.receivedOn,
  recordedBy: data.recordedBy,
  consentGiven: data.consentGiven,
  existingAid: data.existingAid,
  personalDataErased: false,
  restricted: false,
});

/**
 * Facts whose business date does not hold back a closing (rule 3): those that open or end a case,
 * an erasure, which is dated the day an admin or the retention job ran it and says nothing about
 * the help, and a change of the household's details (a move or a correction is no help given). Every other fact recorded on an active case counts by its business date, so a new kind of
 * fact (a goal review) counts without more code.
 */
const NOT_ACTIVITY: ReadonlySet<CaseEventType> = new Set<CaseEventType>([
  'ReferralReceived',
  'ReferralApproved',
  'ReferralRejected',
  'CaseClosed',
  'HouseholdDetailsChanged',
  'ProcessingRestricted',
  'RestrictionLifted',
  'PersonalDataErased',
]);

/** Folds one stored fact into the state. Never validates: events are facts. */
export const evolveCase = (state: CaseState, event: CaseEvent): CaseState => {
  const next = evolveFacts(state, event);
  if (state.status !== 'active' || next.status !== 'active' || NOT_ACTIVITY.has(event.type)) return next;
  const on = businessDateOfEvent(event);
  return on > next.lastActivityOn ? { ...next, lastActivityOn: on } : next;
};

const evolveFacts = (state: CaseState, event: CaseEvent): CaseState => {
  switch (event.type) {
    case 'ReferralReceived':
      return { status: 'referred', ...referralOf(event) };
    case 'ReferralApproved':
      if (state.status !== 'referred') return state;
      return {
        ...state,
        status: 'active',
        approvedOn: event.data.approvedOn,
        caseworkerId: event.data.assignedCaseworkerId,
        visitIntervalDays: event.data.visitIntervalDays,
        plannedEndOn: event.data.plannedEndOn,
        originalPlannedEndOn: event.data.plannedEndOn,
        housingSecured: false,
        lastActivityOn: event.data.approvedOn,
        lastVisitOn: null,
        helpPlan: null,
      };
    case 'ReferralRejected':
      return state.status === 'referred' ? { ...state, status: 'rejected', rejectedOn: event.data.rejectedOn } : state;
    case 'HomeVisitRecorded':
      return state.status === 'active' ? { ...state, lastVisitOn: maxDate(state.lastVisitOn, event.data.visitedOn) } : state;
    case 'HelpMediated':
      return state;
    case 'HousingSecured':
      return state.status === 'active' ? { ...state, housingSecured: true } : state;
    case 'HelpPeriodExtended':
      return state.status === 'active' ? { ...state, plannedEndOn: event.data.plannedEndOn } : state;
    case 'CaseworkerReassigned':
      return state.status === 'active' ? { ...state, caseworkerId: event.data.caseworkerId } : state;
    case 'CaseClosed':
      return state.status === 'active' ? { ...state, status: 'closed', closedOn: event.data.closedOn } : state;
    case 'HelpPlanAgreed':
      return state.status === 'active' ? { ...state, helpPlan: replacedPlan(state.helpPlan, event.data) } : state;
    case 'GoalReviewed':
      return state.status === 'active' && state.helpPlan !== null && isSettledGoalStatus(event.data.status)
        ? { ...state, helpPlan: settled(state.helpPlan, event.data.goalId) }
        : state;
    case 'HouseholdDetailsChanged':
      return state;
    case 'ProcessingRestricted':
      return state.status === 'none' ? state : { ...state, restricted: true };
    case 'RestrictionLifted':
      return state.status === 'none' ? state : { ...state, restricted: false };
    case 'PersonalDataErased':
      return state.status === 'none' ? state : { ...state, personalDataErased: true };
    default:
      return unknownEvent(event);
  }
};

/** A new plan replaces the unsettled goals; the settled ones stay (decision 0023). */
const replacedPlan = (plan: HelpPlanState | null, { agreedOn, goals }: HelpPlanAgreed['data']): HelpPlanState => ({
  agreedOn,
  goals: [...(plan?.goals.filter((goal) => goal.settled) ?? []), ...goals.map(({ goalId }) => ({ goalId, agreedOn, settled: false }))],
});

const settled = (plan: HelpPlanState, goalId: string): HelpPlanState => ({
  ...plan,
  goals: plan.goals.map((goal) => (goal.goalId === goalId ? { ...goal, settled: true } : goal)),
});
