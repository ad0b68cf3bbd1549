import { addMonths, daysBetween, type CalendarDate } from '@wih/domain';

/**
 * The domain's date arithmetic, memoised: a history has a few thousand distinct dates but up to
 * millions of events, and parsing a date per visit dominated the run time. The caches hold
 * derived values only (the functions stay pure) and are emptied when they grow unusually large.
 */
const LIMIT = 100_000;
const dayNumbers = new Map<CalendarDate, number>();
const monthSteps = new Map<string, CalendarDate>();

const remember = <K, V>(cache: Map<K, V>, key: K, compute: () => V): V => {
  const known = cache.get(key);
  if (known !== undefined) return known;
  if (cache.size >= LIMIT) cache.clear();
  const value = compute();
  cache.set(key, value);
  return value;
};

const dayNumber = (date: CalendarDate): number => remember(dayNumbers, date, () => daysBetween('1970-01-01', date));

/** Whole calendar days from `from` to `to`. */
export const days = (from: CalendarDate, to: CalendarDate): number => dayNumber(to) - dayNumber(from);

/** Calendar months later, the day clamped to the month's end (31 Aug + 6 months = 28 Feb). */
export const monthsAfter = (date: CalendarDate, months: number): CalendarDate =>
  remember(monthSteps, `${date}+${months}`, () => addMonths(date, months));
