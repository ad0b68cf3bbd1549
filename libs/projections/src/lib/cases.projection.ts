import {
  CASE_EVENT_TYPES, isVisitOverdue, maxDate, nextVisitDueOn,
  type CalendarDate, type ClosingReason, type HousingAtClose, type HousingOutcome, type HousingSituation,
  type ReferralReceived, type ReferralSource, type TargetGroup,
} from '@wih/domain';
import { householdView, personalOf, searchKey, type Erased, type HouseholdView } from './personal';
import type { IndexValues, ProjectedEvent, Projection } from './projection';

export type CaseDocStatus = 'referred' | 'active' | 'rejected' | 'closed';

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
  /** Global log position of the last applied event, as a decimal string. */
  readonly lastPosition: string;
}

/** API.md's case detail, in its field order. */
export type CaseDetail = Omit<CaseDoc, 'recordedBy' | 'lastPosition' | 'housingSecured' | 'closure' | 'counts' | 'previousCaseId' | 'household'>
  & { readonly overdue: boolean }
  & Pick<CaseDoc, 'housingSecured' | 'closure' | 'counts' | 'previousCaseId' | 'household'>;

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
}

/**
 * Stands in for a missing date in the sortable indexes: index values must be totally ordered for
 * keyset paging, and a case without a due date or planned end belongs at the end of the list.
 */
export const NULL_DATE_SENTINEL = '9999-12-31';

export const CASE_INDEXES = [
  'status', 'assignedCaseworkerId', 'recordedBy', 'householdId', 'receivedOn', 'nextVisitDueOn', 'plannedEndOn', 'householdName',
] as const;

/** The caseload's sorts (API.md); the caseload filters by status or by caseworker and sorts by one of these. */
const CASELOAD_SORT_FIELDS = ['nextVisitDueOn', 'receivedOn', 'plannedEndOn'] as const;

/**
 * (status, sort field) and (caseworker, sort field): a page of "all closed cases by received date"
 * walks one index and stops after a page, instead of sorting every closed case. Overdue is
 * status = active and nextVisitDueOn < today: a range on the (status, nextVisitDueOn) index.
 */
export const CASE_COMPOUND_INDEXES = CASELOAD_SORT_FIELDS.flatMap((sort) => [['status', sort], ['assignedCaseworkerId', sort]]);

const created = (event: ReferralReceived & ProjectedEvent): CaseDoc => {
  const { data } = event;
  return {
    caseId: event.caseId, householdId: data.householdId, status: 'referred', revision: event.revision,
    receivedOn: data.receivedOn, approvedOn: null, rejectedOn: null, closedOn: null, plannedEndOn: null,
    referralSource: data.referralSource, targetGroup: data.targetGroup, housingSituation: data.housingSituation,
    adults: data.adults, children: data.children, assignedCaseworkerId: null, recordedBy: data.recordedBy,
    visitIntervalDays: null, lastVisitOn: null, nextVisitDueOn: null, housingSecured: null, closure: null,
    counts: { visits: 0, mediations: 0 }, previousCaseId: data.previousCaseId,
    household: householdView(personalOf(event)?.['household'] as ReferralReceived['personal']['household'] | undefined),
    lastPosition: event.position,
  };
};

/**
 * The facts an event adds. Like the domain's fold, an event the case's status does not allow
 * changes nothing, so the read model never shows what the write side does not believe.
 */
const applied = (doc: CaseDoc, event: ProjectedEvent): CaseDoc => {
  const active = doc.status === 'active';
  switch (event.type) {
    case 'ReferralReceived':
      return doc; // a case has one referral
    case 'ReferralApproved': {
      if (doc.status !== 'referred') return doc;
      const { approvedOn, assignedCaseworkerId, visitIntervalDays, plannedEndOn } = event.data;
      return { ...doc, status: 'active', approvedOn, assignedCaseworkerId, visitIntervalDays, plannedEndOn };
    }
    case 'ReferralRejected':
      return doc.status === 'referred' ? { ...doc, status: 'rejected', rejectedOn: event.data.rejectedOn } : doc;
    case 'HomeVisitRecorded':
      if (!active) return doc;
      return {
        ...doc,
        // Visits may be recorded out of date order: the latest date counts, not the latest record.
        lastVisitOn: maxDate(doc.lastVisitOn, event.data.visitedOn),
        counts: { ...doc.counts, visits: doc.counts.visits + 1 },
      };
    case 'HelpMediated':
      return active ? { ...doc, counts: { ...doc.counts, mediations: doc.counts.mediations + 1 } } : doc;
    case 'HousingSecured':
      if (!active || doc.housingSecured) return doc;
      return { ...doc, housingSecured: { securedOn: event.data.securedOn, outcome: event.data.outcome } };
    case 'HelpPeriodExtended':
      return active ? { ...doc, plannedEndOn: event.data.plannedEndOn } : doc;
    case 'CaseworkerReassigned':
      return active ? { ...doc, assignedCaseworkerId: event.data.caseworkerId } : doc;
    case 'CaseClosed': {
      if (!active) return doc;
      const { closedOn, reason, housingAtClose } = event.data;
      return { ...doc, status: 'closed', closedOn, closure: { closedOn, reason, housingAtClose } };
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
};

/** Rule 7, stored so that the caseload can sort and filter on it; only an active case has a next visit. */
const withNextVisit = (doc: CaseDoc): CaseDoc => ({
  ...doc,
  nextVisitDueOn: doc.status === 'active' && doc.approvedOn !== null && doc.visitIntervalDays !== null
    ? nextVisitDueOn(doc.approvedOn, doc.lastVisitOn, doc.visitIntervalDays)
    : null,
});

export const evolveCaseDoc = (doc: CaseDoc | null, event: ProjectedEvent): CaseDoc | null => {
  if (doc === null) return event.type === 'ReferralReceived' ? created(event) : null;
  // Replay safety without the runner's guard: revisions of one stream only grow.
  if (event.revision <= doc.revision) return doc;
  return withNextVisit({ ...applied(doc, event), revision: event.revision, lastPosition: event.position });
};

const householdNameOf = (doc: CaseDoc): string | null => ('name' in doc.household ? doc.household.name : null);

export const caseIndexOf = (doc: CaseDoc): IndexValues => {
  const name = householdNameOf(doc);
  return {
    status: doc.status,
    assignedCaseworkerId: doc.assignedCaseworkerId,
    recordedBy: doc.recordedBy,
    householdId: doc.householdId,
    receivedOn: doc.receivedOn,
    nextVisitDueOn: doc.nextVisitDueOn ?? NULL_DATE_SENTINEL,
    plannedEndOn: doc.plannedEndOn ?? NULL_DATE_SENTINEL,
    householdName: name === null ? null : searchKey(name),
  };
};

export const casesProjection: Projection<CaseDoc> = {
  name: 'cases',
  version: 1,
  handles: CASE_EVENT_TYPES,
  keyOf: (event) => event.caseId,
  evolve: evolveCaseDoc,
  indexes: CASE_INDEXES,
  compoundIndexes: CASE_COMPOUND_INDEXES,
  searchIndexes: ['householdName'],
  indexOf: caseIndexOf,
};

/** Rule 7 at query time: only an active case can be overdue. */
export const isCaseOverdue = (doc: CaseDoc, today: CalendarDate): boolean =>
  doc.status === 'active' && doc.nextVisitDueOn !== null && isVisitOverdue(doc.nextVisitDueOn, today);

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
});
