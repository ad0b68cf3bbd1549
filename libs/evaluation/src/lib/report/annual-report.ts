import type { CalendarDate } from '@wih/domain';
import type { Facts } from '../facts';
import type { RepeatWindow } from '../metrics/repeat-cases';
import type { Period } from '../raw';
import { periodicReport, windowCompleteAfter, type PeriodicReport } from './periodic-report';

/** The annual report: the year's anonymised statistics beside the previous year's, as known at asOf. */
export interface AnnualReport extends PeriodicReport {
  readonly year: number;
}

/** The calendar year as a period. */
export const calendarYear = (year: number): Period => ({ from: `${year}-01-01`, to: `${year}-12-31` });

/**
 * The periodic report of a calendar year compared with the year before: the comparison ends the
 * day before the year starts, so the caseload between them is one identity of the audit.
 */
export const annualReport = (facts: Facts, year: number, asOf: string, generatedAt: string): AnnualReport => {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`not a report year: ${year}`);
  return { year, ...periodicReport(facts, calendarYear(year), calendarYear(year - 1), asOf, generatedAt) };
};

/** DOMAIN.md: the report for a year is due on 30 April of the following year. */
export const reportDueOn = (year: number): CalendarDate => `${year + 1}-04-30`;

/**
 * The day from which a repeat-case window is complete for every case closed in the year (the
 * window of a case closed on 31 December ends last), or null when it already is at asOf.
 */
export const windowCompleteOn = (year: number, window: RepeatWindow, asOf: string): CalendarDate | null =>
  windowCompleteAfter(`${year}-12-31`, window, asOf);
