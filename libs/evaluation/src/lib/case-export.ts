import type {
  CalendarDate, ClosingReason, HousingAtClose, HousingOutcome, ReferralSource, RejectionReason, TargetGroup,
} from '@wih/domain';
import { days } from './calendar';
import type { CaseFacts, Facts } from './facts';
import type { MetricContext } from './metric';
import { servedIn } from './metrics/cases';
import { REPEAT_WINDOWS, repeatedWithin } from './metrics/repeat-cases';
import { inPeriod, type Period } from './raw';
import { metricContext, type StatisticsRequest } from './statistics';

export type Decision = 'approved' | 'rejected' | 'pending';
/** 'YYYY-MM': months, never days, so a row cannot be matched to a case by its dates. */
export type Month = string;

/** One anonymised case: categories, months, durations and counts; never ids, names, addresses or free text. */
export interface CaseExportRow {
  readonly pseudonym: string;
  readonly referralSource: ReferralSource;
  readonly targetGroup: TargetGroup;
  readonly withChildren: boolean;
  /** The household had an earlier case (a category; the earlier case's id is not exported). */
  readonly repeatReferral: boolean;
  readonly decision: Decision;
  readonly rejectionReason: RejectionReason | null;
  readonly receivedMonth: Month;
  readonly approvedMonth: Month | null;
  readonly rejectedMonth: Month | null;
  readonly closedMonth: Month | null;
  readonly daysToDecision: number | null;
  readonly daysApprovalToClose: number | null;
  /** Counts over the case's whole history known at asOf, not only the period. */
  readonly visits: number;
  readonly mediations: number;
  readonly housingOutcome: HousingOutcome | null;
  readonly closingReason: ClosingReason | null;
  readonly housingAtClose: HousingAtClose | null;
  /**
   * The household was referred again within the window after closing; null when not closed or the
   * window is not complete at asOf. Given for every closed case: the repeatCases cohort is the
   * rows with a housingOutcome.
   */
  readonly repeated6m: boolean | null;
  readonly repeated12m: boolean | null;
  readonly repeated24m: boolean | null;
}

const monthOf = (date: CalendarDate | null | undefined): Month | null => (date ? date.slice(0, 7) : null);

/** Activity in the period: any business date of the case in it, or being in help during it (served). */
const activeIn = (c: CaseFacts, period: Period): boolean =>
  [c.receivedOn, c.approvedOn, c.rejectedOn, c.housingSecured?.securedOn, c.closure?.closedOn].some((d) => inPeriod(d, period))
  || c.visits.some((v) => inPeriod(v.visitedOn, period))
  || c.mediations.some((m) => inPeriod(m.mediatedOn, period))
  || servedIn(c, period);

const decisionOf = (c: CaseFacts): Decision => (c.approvedOn ? 'approved' : c.rejectedOn ? 'rejected' : 'pending');

const toRow = (c: CaseFacts, pseudonym: string, ctx: MetricContext): CaseExportRow => {
  const decidedOn = c.approvedOn ?? c.rejectedOn;
  return {
    pseudonym,
    referralSource: c.referralSource, targetGroup: c.targetGroup, withChildren: c.withChildren, repeatReferral: c.previousCaseId !== null,
    decision: decisionOf(c), rejectionReason: c.rejectionReason,
    receivedMonth: c.receivedOn.slice(0, 7), approvedMonth: monthOf(c.approvedOn), rejectedMonth: monthOf(c.rejectedOn),
    closedMonth: monthOf(c.closure?.closedOn),
    daysToDecision: decidedOn ? days(c.receivedOn, decidedOn) : null,
    daysApprovalToClose: c.approvedOn && c.closure ? days(c.approvedOn, c.closure.closedOn) : null,
    visits: c.visits.length, mediations: c.mediations.length,
    housingOutcome: c.housingSecured?.outcome ?? null,
    closingReason: c.closure?.reason ?? null, housingAtClose: c.closure?.housingAtClose ?? null,
    repeated6m: repeatedWithin(c, REPEAT_WINDOWS['6m'], ctx),
    repeated12m: repeatedWithin(c, REPEAT_WINDOWS['12m'], ctx),
    repeated24m: repeatedWithin(c, REPEAT_WINDOWS['24m'], ctx),
  };
};

/**
 * Case-level export for the cases with activity in the period. The caller supplies a per-report
 * pseudonym; rows are sorted by it so that their order does not give away the log order.
 */
export const caseExportRows = (
  facts: Facts, request: StatisticsRequest, pseudonym: (caseId: string) => string,
): CaseExportRow[] => {
  const ctx = metricContext(facts, request);
  return facts.cases
    .filter((c) => activeIn(c, ctx))
    .map((c) => toRow(c, pseudonym(c.caseId), ctx))
    .sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : a.pseudonym > b.pseudonym ? 1 : 0));
};
