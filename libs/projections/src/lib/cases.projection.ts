import {
  CASE_CATEGORY,
  maxDate,
  CASE_EVENT_TYPES,
  isSettledGoalStatus,
  nextVisitDueOn,
  unknownEvent,
  type CalendarDate,
  type ClosingReason,
  type GoalActor,
  type GoalArea,
  type GoalStatus,
  type HelpPlanAgreed,
  type HouseholdGoalView,
  type HousingAtClose,
  type HousingOutcome,
  type Household,
  type HousingSituation,
  type ReferralReceived,
  type ReferralSource,
  type TargetGroup,
} from '@wih/domain';
import { ERASED, householdView, personalOf, searchKey, type Erased, type HouseholdView } from './personal';
import type { IndexValues, ProjectedEvent, Projection } from './projection';

export type CaseDocStatus = 'referred' | 'active' | 'rejected' | 'closed';

/** A goal of the current help plan with its latest recorded review (open and not_asked before any). */
export interface GoalDoc {
  readonly goalId: string;
  readonly area: GoalArea;
  readonly actor: GoalActor;
  readonly reviewOn: CalendarDate;
  /** Personal data: shown like the household, as the erased marker once it cannot be read. */
  readonly wording: string | Erased;
  readonly status: GoalStatus;
  readonly householdView: HouseholdGoalView;
  /** The latest review date (reviews may be recorded out of date order). */
  readonly lastReviewedOn: CalendarDate | null;
}

/** The current help plan (the latest agreed; decision 0023). */
export interface HelpPlanDoc {
  readonly agreedOn: CalendarDate;
  readonly householdParticipated: boolean;
  readonly goals: readonly GoalDoc[];
}

/** One case as stored: API.md's case detail without `overdue` (it depends on today), plus what queries filter on. */
export interface CaseDoc {
  readonly caseId: string;
  readonly householdId: string;
  readonly status: CaseDocStatus;
  /** The case stream's revision after the last applied event (the ETag of the case). */
  readonly revision: number;
  readonly receivedOn: CalendarDate;
  readonly approvedOn: CalendarDate | null;
  readonly rejectedOn: CalendarDate | null;
  readonly closedOn: CalendarDate | null;
  readonly plannedEndOn: CalendarDate | null;
  readonly referralSource: ReferralSource;
  readonly targetGroup: TargetGroup;
  readonly housingSituation: HousingSituation;
  readonly adults: number;
  readonly children: number;
  readonly assignedCaseworkerId: string | null;
  /** Who recorded the referral: that caseworker may read it before approval (rule 6). */
  readonly recordedBy: string;
  readonly visitIntervalDays: number | null;
  readonly lastVisitOn: CalendarDate | null;
  readonly nextVisitDueOn: CalendarDate | null;
  readonly housingSecured: { readonly securedOn: CalendarDate; readonly outcome: HousingOutcome } | null;
  readonly closure: { readonly closedOn: CalendarDate; readonly reason: ClosingReason; readonly housingAtClose: HousingAtClose } | null;
  readonly counts: { readonly visits: number; readonly mediations: number };
  readonly previousCaseId: string | null;
  readonly household: HouseholdView | Erased;
  /** While processing is restricted (decision 0030): the personal data is shown to the Fachstelle only. */
  readonly restricted: boolean;
  readonly helpPlan: HelpPlanDoc | null;
  /**
   * The earliest review date among the current plan's unsettled goals not reviewed on or after it;
   * null when none is due or the case is not active. Stored, like nextVisitDueOn, for the indexes.
   */
  readonly nextGoalReviewOn: CalendarDate | null;
  /** Global log position of the last applied event, as a decimal string. */
  readonly lastPosition: string;
}

/**
 * Stands in for a missing date in the sortable indexes: index values must be totally ordered for
 * keyset paging, and a case without a due date or planned end belongs at the end of the list.
 */
export const NULL_DATE_SENTINEL = '9999-12-31';

export const CASE_INDEXES = [
  'status',
  'caseloadOf',
  'recordedBy',
  'householdId',
  'receivedOn',
  'nextVisitDueOn',
  'plannedEndOn',
  'householdName',
  'nextGoalReviewOn',
] as const;

/**
 * The caseload's sorts (API.md); the caseload filters by status or by caseworker and sorts by one of
 * these. Defined here, beside the indexes they need, so a sort cannot exist without its index.
 */
export const CASELOAD_SORTS = ['nextVisitDueOn', 'receivedOn', 'plannedEndOn'] as const;
export type CaseloadSort = (typeof CASELOAD_SORTS)[number];

/**
 * (status, sort field) and (caseworker, sort field): a page of "all closed cases by received date"
 * walks one index and stops after a page, instead of sorting every closed case. Overdue is
 * status = active and nextVisitDueOn < today: a range on the (status, nextVisitDueOn) index.
 */
export const CASE_COMPOUND_INDEXES = [...CASELOAD_SORTS, 'nextGoalReviewOn' as const].flatMap((sort) => [
  ['status', sort],
  ['caseloadOf', sort],
]);

/**
 * Whose caseload a case is in (rule 6 for reads): the caseworker who recorded a referral until it
 * is decided (and when it was rejected), the assigned caseworker once it is approved. Caseworkers
 * read exactly these cases; the caseload's `caseworkerId` filter means the same for everyone.
 */
export const caseloadOf = (doc: CaseDoc): string | null =>
  doc.status === 'referred' || doc.status === 'rejected' ? doc.recordedBy : doc.assignedCaseworkerId;

const created = (event: ReferralReceived & ProjectedEvent): CaseDoc => {
  const { data } = event;
  return {
    caseId: event.streamId,
    householdId: data.householdId,
    status: 'referred',
    revision: event.revision,
    receivedOn: data.receivedOn,
    approvedOn: null,
    rejectedOn: null,
    closedOn: null,
    plannedEndOn: null,
    referralSource: data.referralSource,
    targetGroup: data.targetGroup,
    housingSituation: data.housingSituation,
    adults: data.adults,
    children: data.children,
    assignedCaseworkerId: null,
    recordedBy: data.recordedBy,
    visitIntervalDays: null,
    lastVisitOn: null,
    nextVisitDueOn: null,
    housingSecured: null,
    closure: null,
    counts: { visits: 0, mediations: 0 },
    previousCaseId: data.previousCaseId,
    household: householdView(personalOf(event)?.['household'] as ReferralReceived['personal']['household'] | undefined),
    restricted: false,
    helpPlan: null,
    nextGoalReviewOn: null,
    lastPosition: event.position,
  };
};

type Draft = { -readonly [K in keyof CaseDoc]: CaseDoc[K] };

/**
 * A copy to change before it is returned: one object literal with every field in one order, so
 * each document has the same shape (a spread of 25 fields and then changes costs several times as
 * much, and a rebuild makes a million of them). The input document is never changed.
 */
const draftOf = (doc: CaseDoc, event: ProjectedEvent): Draft => ({
  caseId: doc.caseId,
  householdId: doc.householdId,
  status: doc.status,
  revision: event.revision,
  receivedOn: doc.receivedOn,
  approvedOn: doc.approvedOn,
  rejectedOn: doc.rejectedOn,
  closedOn: doc.closedOn,
  plannedEndOn: doc.plannedEndOn,
  referralSource: doc.referralSource,
  targetGroup: doc.targetGroup,
  housingSituation: doc.housingSituation,
  adults: doc.adults,
  children: doc.children,
  assignedCaseworkerId: doc.assignedCaseworkerId,
  recordedBy: doc.recordedBy,
  visitIntervalDays: doc.visitIntervalDays,
  lastVisitOn: doc.lastVisitOn,
  nextVisitDueOn: doc.nextVisitDueOn,
  housingSecured: doc.housingSecured,
  closure: doc.closure,
  counts: doc.counts,
  previousCaseId: doc.previousCaseId,
  household: doc.household,
  restricted: doc.restricted,
  helpPlan: doc.helpPlan,
  nextGoalReviewOn: doc.nextGoalReviewOn,
  lastPosition: event.position,
});

/**
 * The facts an event adds, written into the draft; false when the event changes no fact. Like the
 * domain's fold, an event the case's status does not allow changes nothing, so the read model never
 * shows what the write side does not believe (the revision still moves).
 */
const evolveDraft = (next: Draft, event: ProjectedEvent): boolean => {
  const active = next.status === 'active';
  switch (event.type) {
    case 'ReferralReceived':
      return false; // a case has one referral
    case 'ReferralApproved':
      if (next.status !== 'referred') return false;
      next.status = 'active';
      next.approvedOn = event.data.approvedOn;
      next.assignedCaseworkerId = event.data.assignedCaseworkerId;
      next.visitIntervalDays = event.data.visitIntervalDays;
      next.plannedEndOn = event.data.plannedEndOn;
      return true;
    case 'ReferralRejected':
      if (next.status !== 'referred') return false;
      next.status = 'rejected';
      next.rejectedOn = event.data.rejectedOn;
      return true;
    case 'HomeVisitRecorded':
      if (!active) return false;
      // Visits may be recorded out of date order: the latest date counts, not the latest record.
      if (next.lastVisitOn === null || event.data.visitedOn > next.lastVisitOn) next.lastVisitOn = event.data.visitedOn;
      next.counts = { visits: next.counts.visits + 1, mediations: next.counts.mediations };
      return true;
    case 'HelpMediated':
      if (!active) return false;
      next.counts = { visits: next.counts.visits, mediations: next.counts.mediations + 1 };
      return true;
    case 'HousingSecured':
      if (!active || next.housingSecured) return false;
      next.housingSecured = { securedOn: event.data.securedOn, outcome: event.data.outcome };
      return true;
    case 'HelpPeriodExtended':
      if (!active) return false;
      next.plannedEndOn = event.data.plannedEndOn;
      return true;
    case 'CaseworkerReassigned':
      if (!active) return false;
      next.assignedCaseworkerId = event.data.caseworkerId;
      return true;
    case 'CaseClosed': {
      if (!active) return false;
      const { closedOn, reason, housingAtClose } = event.data;
      next.status = 'closed';
      next.closedOn = closedOn;
      next.closure = { closedOn, reason, housingAtClose };
      return true;
    }
    case 'HelpPlanAgreed':
      if (!active) return false;
      next.helpPlan = planOf(event);
      return true;
    case 'GoalReviewed': {
      const { goalId, status, householdView, reviewedOn } = event.data;
      const goals = next.helpPlan?.goals;
      if (!active || !next.helpPlan || !goals?.some((goal) => goal.goalId === goalId)) return false;
      next.helpPlan = {
        ...next.helpPlan,
        goals: goals.map((goal) =>
          goal.goalId !== goalId ? goal : { ...goal, status, householdView, lastReviewedOn: maxDate(goal.lastReviewedOn, reviewedOn) },
        ),
      };
      return true;
    }
    case 'HouseholdDetailsChanged': {
      // Any status the decider allowed: the fields named are replaced, the others stay. Unreadable
      // (erased) details change nothing: the erasure that made them so has marked the household.
      const changed = personalOf(event)?.['household'] as Partial<Household> | undefined;
      if (!changed || !('name' in next.household)) return false;
      const { name, address, phone } = next.household;
      next.household = householdView({ name, address, ...(phone === null ? {} : { phone }), ...changed });
      return true;
    }
    case 'ProcessingRestricted':
    case 'RestrictionLifted':
      next.restricted = event.type === 'ProcessingRestricted';
      return true;
    case 'PersonalDataErased':
      // Any status: the facts stay, the household (and with it the indexed name) and the goals' wording are gone.
      next.household = ERASED;
      if (next.helpPlan) next.helpPlan = { ...next.helpPlan, goals: next.helpPlan.goals.map((goal) => ({ ...goal, wording: ERASED })) };
      return true;
    default:
      return unknownEvent(event);
  }
};

/** The plan as agreed: every goal open, not asked; its wording from the personal part, or erased when that is unreadable. */
const planOf = (event: HelpPlanAgreed): HelpPlanDoc => {
  const wording = personalOf(event)?.['wording'] as Readonly<Record<string, unknown>> | undefined;
  const { agreedOn, householdParticipated, goals } = event.data;
  return {
    agreedOn,
    householdParticipated,
    goals: goals.map(({ goalId, area, actor, reviewOn }) => {
      const text = wording && Object.hasOwn(wording, goalId) ? wording[goalId] : undefined;
      return {
        goalId,
        area,
        actor,
        reviewOn,
        wording: typeof text === 'string' ? text : ERASED,
        status: 'open',
        householdView: 'not_asked',
        lastReviewedOn: null,
      };
    }),
  };
};

/**
 * When the next goal review is due (decision 0023): a goal is due from its reviewOn until it is
 * reviewed on or after that day, or settled; a review before it does not count. Only an active case.
 */
export const nextGoalReviewOf = (doc: Pick<CaseDoc, 'status' | 'helpPlan'>): CalendarDate | null => {
  if (doc.status !== 'active' || doc.helpPlan === null) return null;
  let next: CalendarDate | null = null;
  for (const goal of doc.helpPlan.goals) {
    if (isSettledGoalStatus(goal.status)) continue;
    if (goal.lastReviewedOn !== null && goal.lastReviewedOn >= goal.reviewOn) continue;
    if (next === null || goal.reviewOn < next) next = goal.reviewOn;
  }
  return next;
};

/** Rule 7, stored so that the caseload can sort and filter on it; only an active case has a next visit. */
const nextVisitOf = (doc: CaseDoc): CalendarDate | null =>
  doc.status !== 'active' || doc.approvedOn === null || doc.visitIntervalDays === null
    ? null
    : nextVisitDueOn(doc.approvedOn, doc.lastVisitOn, doc.visitIntervalDays);

/** The next visit depends only on these; when none changed, the stored due date stands. */
const sameVisitPlan = (a: CaseDoc, b: CaseDoc): boolean =>
  a.status === b.status && a.approvedOn === b.approvedOn && a.lastVisitOn === b.lastVisitOn && a.visitIntervalDays === b.visitIntervalDays;

/** One new document per event. */
export const evolveCaseDoc = (doc: CaseDoc | null, event: ProjectedEvent): CaseDoc | null => {
  if (doc === null) return event.type === 'ReferralReceived' ? created(event) : null;
  // Replay safety without the runner's guard: revisions of one stream only grow.
  if (event.revision <= doc.revision) return doc;
  const next = draftOf(doc, event);
  if (!evolveDraft(next, event)) return next;
  if (!sameVisitPlan(doc, next)) next.nextVisitDueOn = nextVisitOf(next);
  if (next.status !== doc.status || next.helpPlan !== doc.helpPlan) next.nextGoalReviewOn = nextGoalReviewOf(next);
  return next;
};

export const householdNameOf = (doc: CaseDoc): string | null => ('name' in doc.household ? doc.household.name : null);

export const caseIndexOf = (doc: CaseDoc): IndexValues => {
  const name = householdNameOf(doc);
  return {
    status: doc.status,
    caseloadOf: caseloadOf(doc),
    recordedBy: doc.recordedBy,
    householdId: doc.householdId,
    receivedOn: doc.receivedOn,
    nextVisitDueOn: doc.nextVisitDueOn ?? NULL_DATE_SENTINEL,
    plannedEndOn: doc.plannedEndOn ?? NULL_DATE_SENTINEL,
    householdName: name === null ? null : searchKey(name),
    nextGoalReviewOn: doc.nextGoalReviewOn ?? NULL_DATE_SENTINEL,
  };
};

export const casesProjection: Projection<CaseDoc> = {
  name: 'cases',
  // 2: the caseload index follows caseloadOf (referrals in their recorder's caseload).
  // 3: the help plan and nextGoalReviewOn (documents, an index and two compound indexes).
  // 4: the household's details follow HouseholdDetailsChanged; `restricted` (decision 0030).
  version: 4,
  category: CASE_CATEGORY,
  documents: 'per-stream',
  handles: CASE_EVENT_TYPES,
  keyOf: (event) => event.streamId,
  evolve: evolveCaseDoc,
  indexes: CASE_INDEXES,
  compoundIndexes: CASE_COMPOUND_INDEXES,
  searchIndexes: ['householdName'],
  indexOf: caseIndexOf,
};
