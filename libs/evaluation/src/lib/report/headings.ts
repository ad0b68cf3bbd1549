import type { CalendarDate } from '@wih/domain';
import type { RepeatWindow } from '../metrics/repeat-cases';
import type { Period } from '../raw';
import { reportDueOn } from './annual-report';
import type { PeriodName, ReportLabels } from './labels';
import { calendarQuarterOf, calendarYearOf, windowCompleteAfter, type PeriodicReport } from './periodic-report';

/** A calendar year by its number, a calendar quarter by its number, any other period by its dates. */
export const periodNameOf = (period: Period): PeriodName => {
  const year = calendarYearOf(period);
  if (year !== null) return { kind: 'year', year };
  const quarter = calendarQuarterOf(period);
  return quarter ? { kind: 'quarter', ...quarter } : { kind: 'dates', from: period.from, to: period.to };
};

/** What every renderer (HTML, PDF) calls the report and its two periods. */
export interface ReportHeadings {
  readonly title: string;
  readonly current: string;
  readonly comparison: string;
  readonly overviewChart: string;
  /** 30 April of the next year for a calendar year's report (DOMAIN.md); other reports have no due date. */
  readonly dueOn: CalendarDate | null;
}

export const reportHeadings = (report: PeriodicReport, { texts }: ReportLabels): ReportHeadings => {
  const current = periodNameOf(report.current.period);
  const comparison = periodNameOf(report.previous.period);
  return {
    title: texts.title(current),
    current: texts.periodName(current),
    comparison: texts.comparison(current, comparison),
    overviewChart: texts.overviewChart(current, comparison),
    dueOn: current.kind === 'year' ? reportDueOn(current.year) : null,
  };
};

/** For both periods (current first): the period's name and when its window is complete, where it is not yet. */
export const incompleteWindows = (
  report: PeriodicReport,
  headings: ReportHeadings,
  window: RepeatWindow,
): { readonly period: string; readonly completeOn: CalendarDate }[] =>
  (
    [
      [headings.current, report.current.period],
      [headings.comparison, report.previous.period],
    ] as const
  ).flatMap(([period, { to }]) => {
    const completeOn = windowCompleteAfter(to, window, report.asOf);
    return completeOn ? [{ period, completeOn }] : [];
  });
