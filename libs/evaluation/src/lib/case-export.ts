import {
  addDays,
  type CalendarDate,
  type ClosingReason,
  type HousingAtClose,
  type HousingOutcome,
  type ReferralSource,
  type RejectionReason,
  type TargetGroup,
} from '@wih/domain';
import { days, monthsAfter } from './calendar';
import type { CaseFacts, Facts } from './facts';
import type { MetricContext } from './metric';
import { servedIn } from './metrics/cases';
import { REPEAT_WINDOWS, repeatedWithin } from './metrics/repeat-cases';
import { inPeriod, type Period } from './raw';
import { metricContext, type StatisticsRequest } from './statistics';

export type Decision = 'approved' | 'rejected' | 'pending';
/** 'YYYY-MM': a month, never a day, so a row cannot be matched to a case by its dates. */
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
  /**
   * The one month a row carries. Later dates follow only as whole weeks after it: a second month
   * beside a duration would pin dates at month edges (received in January, approved in February,
   * 0 weeks: 26–31 January), while a month and weeks after it leave every date at least 28 days.
   */
  readonly receivedMonth: Month;
  /** Whole weeks (rounded down) from receipt to the approval or rejection. */
  readonly weeksToDecision: number | null;
  /** Whole weeks (rounded down) from approval to closing. */
  readonly weeksApprovalToClose: number | null;
  /** Counts over the case's whole history known at asOf, not only the period. */
  readonly visits: number;
  readonly mediations: number;
  readonly housingOutcome: HousingOutcome | null;
  readonly closingReason: ClosingReason | null;
  readonly housingAtClose: HousingAtClose | null;
  /**
   * The household was referred again within the window after closing; null when not closed or the
   * window is not complete at asOf for the latest closing date the row's fields allow (judged by
   * the exact date, null or not would tell on which side of asOf − window the closing lies).
   * Given for every closed case: the repeatCases cohort is the rows with a housingOutcome.
   */
  readonly repeated6m: boolean | null;
  readonly repeated12m: boolean | null;
  readonly repeated24m: boolean | null;
}

const weeks = (from: CalendarDate, to: CalendarDate): number => Math.floor(days(from, to) / 7);

/** The first and last day an attacker holding a row can suppose for one of its dates. */
export interface DateRange {
  readonly from: CalendarDate;
  readonly to: CalendarDate;
}

export interface RowDateRanges {
  readonly received: DateRange;
  readonly decided: DateRange | null;
  readonly closed: DateRange | null;
}

/** Fewest days a row may leave for any of its dates (DOMAIN.md). */
export const MIN_DATE_SPAN_DAYS = 7;

const later = (a: CalendarDate, b: CalendarDate) => (a > b ? a : b);
const earlier = (a: CalendarDate, b: CalendarDate) => (a < b ? a : b);

/**
 * What a row tells about its business dates, worked out as an attacker would from its fields
 * alone: the month of receipt, each duration's week (7w to 7w + 6 days), and that no business
 * date lies after asOf. A chain of differences, so one pass forward and one back reach the fixpoint.
 */
export function rowDateRanges(
  row: Pick<CaseExportRow, 'receivedMonth' | 'weeksToDecision' | 'weeksApprovalToClose'>,
  asOfDate: CalendarDate,
): RowDateRanges {
  const [y, m] = row.receivedMonth.split('-').map(Number);
  const monthStart = `${row.receivedMonth}-01`;
  const monthEnd = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  const links = [row.weeksToDecision, row.weeksToDecision === null ? null : row.weeksApprovalToClose];
  const ranges: { from: CalendarDate; to: CalendarDate }[] = [{ from: monthStart, to: earlier(monthEnd, asOfDate) }];
  for (const w of links) {
    if (w === null) break;
    const before = ranges[ranges.length - 1];
    ranges.push({ from: addDays(before.from, 7 * w), to: earlier(addDays(before.to, 7 * w + 6), asOfDate) });
  }
  // back: each date is at most the next one minus its duration's shortest length
  for (let i = ranges.length - 1; i > 0; i--) {
    const w = links[i - 1] as number;
    ranges[i - 1] = {
      from: later(ranges[i - 1].from, addDays(ranges[i].from, -(7 * w + 6))),
      to: earlier(ranges[i - 1].to, addDays(ranges[i].to, -7 * w)),
    };
  }
  return { received: ranges[0], decided: ranges[1] ?? null, closed: ranges[2] ?? null };
}

const spanDays = ({ from, to }: DateRange): number => days(from, to) + 1;

/** Whether every date of the row is left at least MIN_DATE_SPAN_DAYS possible days. */
export const rowKeepsDatesOpen = (ranges: RowDateRanges): boolean =>
  [ranges.received, ranges.decided, ranges.closed].every((r) => r === null || spanDays(r) >= MIN_DATE_SPAN_DAYS);

/**
 * Repeat within the window, or null unless the window is complete for the latest closing date the
 * row allows: judged by the exact date, null or not would tell on which side of asOf − window the
 * closing lies.
 */
const repeatFlag = (c: CaseFacts, months: number, closed: DateRange | null, ctx: MetricContext): boolean | null => {
  if (closed === null || monthsAfter(closed.to, months) > ctx.asOfDate) return null;
  return repeatedWithin(c, months, ctx);
};

/** Activity in the period: any business date of the case in it, or being in help during it (served). */
const activeIn = (c: CaseFacts, period: Period): boolean =>
  [c.receivedOn, c.approvedOn, c.rejectedOn, c.housingSecured?.securedOn, c.closure?.closedOn].some((d) => inPeriod(d, period)) ||
  c.visits.some((v) => inPeriod(v.visitedOn, period)) ||
  c.mediations.some((m) => inPeriod(m.mediatedOn, period)) ||
  servedIn(c, period);

const decisionOf = (c: CaseFacts): Decision => (c.approvedOn ? 'approved' : c.rejectedOn ? 'rejected' : 'pending');

const toRow = (c: CaseFacts, pseudonym: () => string, ctx: MetricContext): CaseExportRow | null => {
  const decidedOn = c.approvedOn ?? c.rejectedOn;
  const durations = {
    receivedMonth: c.receivedOn.slice(0, 7),
    weeksToDecision: decidedOn ? weeks(c.receivedOn, decidedOn) : null,
    weeksApprovalToClose: c.approvedOn && c.closure ? weeks(c.approvedOn, c.closure.closedOn) : null,
  };
  const ranges = rowDateRanges(durations, ctx.asOfDate);
  // Near asOf a row can narrow a date below a week (received on the 2nd, asOf the 3rd): such a row is withheld.
  if (!rowKeepsDatesOpen(ranges)) return null;
  return {
    pseudonym: pseudonym(),
    referralSource: c.referralSource,
    targetGroup: c.targetGroup,
    withChildren: c.withChildren,
    repeatReferral: c.previousCaseId !== null,
    decision: decisionOf(c),
    rejectionReason: c.rejectionReason,
    ...durations,
    visits: c.visits.length,
    mediations: c.mediations.length,
    housingOutcome: c.housingSecured?.outcome ?? null,
    closingReason: c.closure?.reason ?? null,
    housingAtClose: c.closure?.housingAtClose ?? null,
    repeated6m: repeatFlag(c, REPEAT_WINDOWS['6m'], ranges.closed, ctx),
    repeated12m: repeatFlag(c, REPEAT_WINDOWS['12m'], ranges.closed, ctx),
    repeated24m: repeatFlag(c, REPEAT_WINDOWS['24m'], ranges.closed, ctx),
  };
};

export interface CaseExport {
  readonly rows: CaseExportRow[];
  /** Rows left out because their fields would narrow a business date below MIN_DATE_SPAN_DAYS. */
  readonly withheld: number;
}

/**
 * Case-level export for the cases with activity in the period. The caller supplies a per-report
 * pseudonym; rows are sorted by it so that their order does not give away the log order.
 */
export const caseExport = (facts: Facts, request: StatisticsRequest, pseudonym: (caseId: string) => string): CaseExport => {
  const ctx = metricContext(facts, request);
  const active = facts.cases.filter((c) => activeIn(c, ctx));
  const rows = active
    .flatMap((c) => toRow(c, () => pseudonym(c.caseId), ctx) ?? [])
    .sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : a.pseudonym > b.pseudonym ? 1 : 0));
  return { rows, withheld: active.length - rows.length };
};

export const caseExportRows = (facts: Facts, request: StatisticsRequest, pseudonym: (caseId: string) => string): CaseExportRow[] =>
  caseExport(facts, request, pseudonym).rows;
