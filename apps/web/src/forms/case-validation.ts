import { HELP_PERIOD_MONTHS, VISIT_INTERVAL } from '@wih/vocabulary';
import type { CaseDetail } from '../api/schemas';
import { t } from '../i18n';
import type { Errors } from './form';
import { addMonths, businessDate, collect, integer, isDate, maxLength, required, userId } from './validate';

/**
 * What each case form checks before sending: the shape and the rules a person can be told about
 * at once (dates, ranges, "goal achieved" needs housing secured). The domain decides again on
 * the server; these checks only spare a round trip. `CaseBounds` is the part of the case detail
 * that bounds them.
 */
export type CaseBounds = Pick<CaseDetail, 'receivedOn' | 'approvedOn' | 'housingSecured' | 'plannedEndOn'>;
const NOTES = 10_000;

const sinceApproval = (value: string, today: string, facts: CaseBounds) =>
  businessDate(value, today, {
    on: facts.approvedOn ?? facts.receivedOn,
    message: facts.approvedOn ? t.validation.beforeApproval : t.validation.beforeReferral,
  });
const sinceReferral = (value: string, today: string, facts: CaseBounds) =>
  businessDate(value, today, { on: facts.receivedOn, message: t.validation.beforeReferral });

export interface VisitValues {
  [k: string]: string | string[];
  visitedOn: string;
  householdMet: '' | 'yes' | 'no';
  concerns: string[];
  notes: string;
}
export const validateVisit = (v: VisitValues, today: string, facts: CaseBounds): Errors =>
  collect({
    visitedOn: sinceApproval(v.visitedOn, today, facts),
    householdMet: required(v.householdMet, t.validation.choose),
    notes: maxLength(v.notes, NOTES),
  });

export interface MediationValues {
  [k: string]: string;
  mediatedOn: string;
  kind: string;
  institutionKind: string;
  notes: string;
}
export const validateMediation = (v: MediationValues, today: string, facts: CaseBounds): Errors =>
  collect({
    mediatedOn: sinceApproval(v.mediatedOn, today, facts),
    kind: required(v.kind, t.validation.choose),
    notes: maxLength(v.notes, NOTES),
  });

export interface HousingValues {
  [k: string]: string;
  securedOn: string;
  outcome: string;
}
export const validateHousing = (v: HousingValues, today: string, facts: CaseBounds): Errors =>
  collect({
    securedOn: sinceApproval(v.securedOn, today, facts),
    outcome: required(v.outcome, t.validation.choose),
  });

export interface ClosureValues {
  [k: string]: string;
  closedOn: string;
  reason: string;
  housingAtClose: string;
  notes: string;
}
export const validateClosure = (v: ClosureValues, today: string, facts: CaseBounds): Errors =>
  collect({
    closedOn: sinceApproval(v.closedOn, today, facts),
    reason:
      required(v.reason, t.validation.choose) ??
      (v.reason === 'goal_achieved' && !facts.housingSecured ? t.validation.goalNeedsHousing : undefined),
    housingAtClose: required(v.housingAtClose, t.validation.choose),
    notes: maxLength(v.notes, NOTES),
  });

export interface ApprovalValues {
  [k: string]: string;
  approvedOn: string;
  assignedCaseworkerId: string;
  visitIntervalDays: string;
  plannedEndOn: string;
}
export function validateApproval(v: ApprovalValues, today: string, facts: CaseBounds): Errors {
  const approvedOn = sinceReferral(v.approvedOn, today, facts);
  return collect({
    approvedOn,
    assignedCaseworkerId: userId(v.assignedCaseworkerId.trim()),
    visitIntervalDays: integer(v.visitIntervalDays, VISIT_INTERVAL.min, VISIT_INTERVAL.max),
    plannedEndOn: plannedEnd(v.plannedEndOn, approvedOn ? undefined : v.approvedOn, HELP_PERIOD_MONTHS.initial),
  });
}

/**
 * A planned end after `from` and at most `months` later (rule 2). The server also checks the
 * limits across extensions, which the case detail does not carry.
 */
function plannedEnd(value: string, from: string | undefined, months: number): string | undefined {
  if (!value) return t.validation.required;
  if (!isDate(value)) return t.validation.date;
  if (!from) return undefined;
  if (value <= from) return t.validation.endAfter(from);
  const latest = addMonths(from, months);
  return value > latest ? t.validation.endAtMost(latest) : undefined;
}

export interface RejectionValues {
  [k: string]: string;
  rejectedOn: string;
  reason: string;
  notes: string;
}
export const validateRejection = (v: RejectionValues, today: string, facts: CaseBounds): Errors =>
  collect({
    rejectedOn: sinceReferral(v.rejectedOn, today, facts),
    reason: required(v.reason, t.validation.choose),
    notes: maxLength(v.notes, NOTES),
  });

export interface ExtensionValues {
  [k: string]: string;
  plannedEndOn: string;
  reason: string;
}
export const validateExtension = (v: ExtensionValues, _today: string, facts: CaseBounds): Errors =>
  collect({
    plannedEndOn: facts.plannedEndOn
      ? plannedEnd(v.plannedEndOn, facts.plannedEndOn, HELP_PERIOD_MONTHS.perExtension)
      : required(v.plannedEndOn),
    reason: required(v.reason, t.validation.choose),
  });

export interface ReassignmentValues {
  [k: string]: string;
  caseworkerId: string;
}
export const validateReassignment = (v: ReassignmentValues): Errors => collect({ caseworkerId: userId(v.caseworkerId.trim()) });

/** Optional free text: absent rather than empty. */
export const optionalText = (value: string) => (value.trim() ? value.trim() : undefined);
