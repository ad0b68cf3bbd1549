import { addDays, addMonths, businessDateOf, daysBetween, isCalendarDate, type CalendarDate } from '@wih/domain';
import { protectAnswers, publishedAnswer, type Statistics } from '../anonymise';
import { monthsAfter } from '../calendar';
import type { Identity } from '../disclosure/identities';
import type { Answer } from '../disclosure/table';
import type { Facts } from '../facts';
import { REPEAT_WINDOWS, type RepeatWindow } from '../metrics/repeat-cases';
import type { Period } from '../raw';
import { computeStatistics } from '../statistics';

/**
 * A report for any period (the city's "Berichtswesen"): the period's anonymised statistics beside
 * a comparison period's, as known at asOf, protected and audited as one publication. The annual
 * report is the case of a calendar year compared with the year before. Each side's `period` says
 * which dates it covers.
 */
export interface PeriodicReport {
  readonly asOf: string;
  readonly generatedAt: string;
  readonly current: Statistics;
  readonly previous: Statistics;
}

/** The longest period a report covers: a leap year. Longer spans are the statistics' business. */
export const MAX_REPORT_DAYS = 366;

const isPeriod = ({ from, to }: Period): boolean => isCalendarDate(from) && isCalendarDate(to) && from <= to;

const lastOfMonth = (date: CalendarDate): boolean => addDays(date, 1).endsWith('-01');

/** A span of whole calendar months: from the first of a month to the last of a month. */
const wholeMonths = ({ from, to }: Period): boolean => from.endsWith('-01') && lastOfMonth(to);

/** The calendar year the period is exactly, or null. */
export const calendarYearOf = ({ from, to }: Period): number | null =>
  from.endsWith('-01-01') && to === `${from.slice(0, 4)}-12-31` ? Number(from.slice(0, 4)) : null;

/** The calendar quarter the period is exactly ({year, quarter 1–4}), or null. */
export const calendarQuarterOf = ({ from, to }: Period): { readonly year: number; readonly quarter: number } | null => {
  const month = Number(from.slice(5, 7));
  if (!from.endsWith('-01') || (month - 1) % 3 !== 0) return null;
  return addDays(addMonths(from, 3), -1) === to ? { year: Number(from.slice(0, 4)), quarter: (month + 2) / 3 } : null;
};

/**
 * The period a report compares with (docs/decisions/0027): a calendar year with the year before;
 * any other span of whole calendar months (a quarter, a month, a half-year) with the same months
 * one year earlier, so that seasons (winter evictions, summer holidays) do not show as change;
 * any other period with as many days immediately before it.
 */
export const comparisonPeriod = (period: Period): Period => {
  if (!isPeriod(period)) throw new RangeError(`not a period: ${period.from}–${period.to}`);
  if (wholeMonths(period)) return { from: addMonths(period.from, -12), to: addDays(addMonths(addDays(period.to, 1), -12), -1) };
  const length = daysBetween(period.from, period.to) + 1;
  return { from: addDays(period.from, -length), to: addDays(period.from, -1) };
};

/**
 * When the comparison period ends the day before the period starts, the caseload at its end is
 * the caseload at the period's start (DOMAIN.md's activeAtStart and activeAtEnd). Only then: a
 * comparison a year earlier shares no such identity, and one that is not known to hold is not
 * given to the audit.
 */
const adjacentIdentities = (period: Period, comparison: Period): readonly Identity[] =>
  addDays(comparison.to, 1) !== period.from
    ? []
    : (['all', 'withChildren'] as const).map((scope) => ({
        left: [`current.${scope}.cases.activeAtStart`],
        op: 'eq',
        right: [`previous.${scope}.cases.activeAtEnd`],
      }));

const answerOf = (facts: Facts, prefix: string, period: Period, asOf: string): Answer => ({
  prefix,
  raw: computeStatistics(facts, { from: period.from, to: period.to, asOf }),
});

/**
 * Both periods are computed with the same asOf, so the comparison is shown as known now
 * (including late entries), not as it was published then.
 */
export const periodicReport = (facts: Facts, period: Period, comparison: Period, asOf: string, generatedAt: string): PeriodicReport => {
  if (!isPeriod(period)) throw new RangeError(`not a period: ${period.from}–${period.to}`);
  if (!isPeriod(comparison)) throw new RangeError(`not a comparison period: ${comparison.from}–${comparison.to}`);
  if (Number.isNaN(Date.parse(generatedAt))) throw new RangeError(`generatedAt is not an ISO instant: ${generatedAt}`);
  // One publication: both periods are protected and audited together.
  const answers = [answerOf(facts, 'current.', period, asOf), answerOf(facts, 'previous.', comparison, asOf)] as const;
  const { published } = protectAnswers(answers, adjacentIdentities(period, comparison));
  return { asOf, generatedAt, current: publishedAnswer(answers[0], published), previous: publishedAnswer(answers[1], published) };
};

/**
 * The day from which a repeat-case window is complete for every case closed in a period ending
 * on `lastDay` (the window of a case closed on that day ends last), or null when it already is at asOf.
 */
export const windowCompleteAfter = (lastDay: CalendarDate, window: RepeatWindow, asOf: string): CalendarDate | null => {
  const lastEnd = monthsAfter(lastDay, REPEAT_WINDOWS[window]);
  return lastEnd <= businessDateOf(new Date(asOf)) ? null : lastEnd;
};
