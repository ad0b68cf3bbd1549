import { businessDateOf, type CalendarDate } from '@wih/domain';
import { protectAnswers, publishedAnswer, type Statistics } from '../anonymise';
import type { Identity } from '../disclosure/identities';
import type { Answer } from '../disclosure/table';
import { monthsAfter } from '../calendar';
import type { Facts } from '../facts';
import { REPEAT_WINDOWS, type RepeatWindow } from '../metrics/repeat-cases';
import { computeStatistics } from '../statistics';

/** The annual report: the year's anonymised statistics beside the previous year's, as known at asOf. */
export interface AnnualReport {
  readonly year: number;
  readonly asOf: string;
  readonly generatedAt: string;
  readonly current: Statistics;
  readonly previous: Statistics;
}

const yearAnswer = (facts: Facts, prefix: string, year: number, asOf: string): Answer => ({
  prefix,
  raw: computeStatistics(facts, { from: `${year}-01-01`, to: `${year}-12-31`, asOf }),
});

/** The caseload at the end of the previous year is the caseload at the start of this one. */
const BETWEEN_YEARS: readonly Identity[] = (['all', 'withChildren'] as const).map((scope) => ({
  left: [`current.${scope}.cases.activeAtStart`],
  op: 'eq',
  right: [`previous.${scope}.cases.activeAtEnd`],
}));

/**
 * Both years are computed with the same asOf, so the previous year is shown as known today
 * (including late entries), not as it was published a year ago.
 */
export const annualReport = (facts: Facts, year: number, asOf: string, generatedAt: string): AnnualReport => {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`not a report year: ${year}`);
  if (Number.isNaN(Date.parse(generatedAt))) throw new RangeError(`generatedAt is not an ISO instant: ${generatedAt}`);
  // One publication: both years are protected and audited together, with the identity between them.
  const answers = [yearAnswer(facts, 'current.', year, asOf), yearAnswer(facts, 'previous.', year - 1, asOf)] as const;
  const { published } = protectAnswers(answers, BETWEEN_YEARS);
  return { year, asOf, generatedAt, current: publishedAnswer(answers[0], published), previous: publishedAnswer(answers[1], published) };
};

/** DOMAIN.md: the report for a year is due on 30 April of the following year. */
export const reportDueOn = (year: number): CalendarDate => `${year + 1}-04-30`;

/**
 * The day from which a repeat-case window is complete for every case closed in the year (the
 * window of a case closed on 31 December ends last), or null when it already is at asOf.
 */
export const windowCompleteOn = (year: number, window: RepeatWindow, asOf: string): CalendarDate | null => {
  const lastEnd = monthsAfter(`${year}-12-31`, REPEAT_WINDOWS[window]);
  return lastEnd <= businessDateOf(new Date(asOf)) ? null : lastEnd;
};
