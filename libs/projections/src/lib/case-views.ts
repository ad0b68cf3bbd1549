import { isVisitOverdue, type CalendarDate } from '@wih/domain';
import { householdNameOf, type CaseDoc, type CaseDocStatus } from './cases.projection';

// What the API answers from a case document (API.md's "Read model answers"): the stored document
// minus what only queries use, plus what depends on today. Kept apart from the projection, which
// only folds events into documents.

/** API.md's case detail, in its field order. */
type Tail = 'housingSecured' | 'closure' | 'counts' | 'previousCaseId' | 'household' | 'restricted' | 'helpPlan' | 'nextGoalReviewOn';
export type CaseDetail = Omit<CaseDoc, 'recordedBy' | 'lastPosition' | Tail> & { readonly overdue: boolean } & Pick<CaseDoc, Tail> & {
    readonly goalReviewDue: boolean;
  };

/** API.md's caseload item. */
export interface CaseloadItem {
  readonly caseId: string;
  readonly status: CaseDocStatus;
  readonly householdName: string | null;
  readonly assignedCaseworkerId: string | null;
  readonly receivedOn: CalendarDate;
  readonly nextVisitDueOn: CalendarDate | null;
  readonly plannedEndOn: CalendarDate | null;
  readonly overdue: boolean;
  readonly nextGoalReviewOn: CalendarDate | null;
  readonly goalReviewDue: boolean;
  readonly restricted: boolean;
}

/** Rule 7 at query time: only an active case can be overdue. */
export const isCaseOverdue = (doc: CaseDoc, today: CalendarDate): boolean =>
  doc.status === 'active' && doc.nextVisitDueOn !== null && isVisitOverdue(doc.nextVisitDueOn, today);

/** Like `overdue`, at query time: a goal review is due from its day on, on an active case. */
export const isGoalReviewDue = (doc: CaseDoc, today: CalendarDate): boolean =>
  doc.status === 'active' && doc.nextGoalReviewOn !== null && today >= doc.nextGoalReviewOn;

export const toCaseDetail = (doc: CaseDoc, today: CalendarDate): CaseDetail => ({
  caseId: doc.caseId,
  householdId: doc.householdId,
  status: doc.status,
  revision: doc.revision,
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
  visitIntervalDays: doc.visitIntervalDays,
  lastVisitOn: doc.lastVisitOn,
  nextVisitDueOn: doc.nextVisitDueOn,
  overdue: isCaseOverdue(doc, today),
  housingSecured: doc.housingSecured,
  closure: doc.closure,
  counts: doc.counts,
  previousCaseId: doc.previousCaseId,
  household: doc.household,
  restricted: doc.restricted,
  helpPlan: doc.helpPlan,
  nextGoalReviewOn: doc.nextGoalReviewOn,
  goalReviewDue: isGoalReviewDue(doc, today),
});

export const toCaseloadItem = (doc: CaseDoc, today: CalendarDate): CaseloadItem => ({
  caseId: doc.caseId,
  status: doc.status,
  householdName: householdNameOf(doc),
  assignedCaseworkerId: doc.assignedCaseworkerId,
  receivedOn: doc.receivedOn,
  nextVisitDueOn: doc.nextVisitDueOn,
  plannedEndOn: doc.plannedEndOn,
  overdue: isCaseOverdue(doc, today),
  nextGoalReviewOn: doc.nextGoalReviewOn,
  goalReviewDue: isGoalReviewDue(doc, today),
  restricted: doc.restricted,
});

/** How the household reads to whoever may not see it while processing is restricted (decision 0030). */
export const RESTRICTED = { restricted: true } as const;

/** A case detail without its personal data (the household, the goals' wording): for caseworkers while restricted. */
export const withoutPersonalDetail = (detail: CaseDetail): CaseDetail => ({
  ...detail,
  household: RESTRICTED as unknown as CaseDetail['household'],
  helpPlan: detail.helpPlan && {
    ...detail.helpPlan,
    goals: detail.helpPlan.goals.map((goal) => ({ ...goal, wording: RESTRICTED as never })),
  },
});

export const withoutPersonalItem = (item: CaseloadItem): CaseloadItem => ({ ...item, householdName: null });

/** Timeline entries without their personal fields (household, notes, a plan's wording): the facts stay. */
export const withoutPersonalEntries = <Item extends { readonly data: Readonly<Record<string, unknown>> }>(items: readonly Item[]): Item[] =>
  items.map((item) => {
    const { household, notes: _notes, goals, ...facts } = item.data;
    const masked: Record<string, unknown> = { ...facts, restricted: true };
    if (household !== undefined) masked['household'] = RESTRICTED;
    if (Array.isArray(goals)) masked['goals'] = goals.map((goal: object) => ({ ...goal, wording: RESTRICTED }));
    return { ...item, data: masked };
  });
