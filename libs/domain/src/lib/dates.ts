/**
 * Calendar dates as `YYYY-MM-DD` strings: they compare correctly as strings and carry no time
 * zone. Arithmetic goes through UTC midnight, where every day has 24 hours.
 */
export type CalendarDate = string;

const DAY_MS = 86_400_000;
const PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const toUtc = (date: CalendarDate): number => {
  const m = PATTERN.exec(date);
  if (!m) throw new RangeError(`not a calendar date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
};

const fromUtc = (ms: number): CalendarDate => new Date(ms).toISOString().slice(0, 10);

/** True for an existing calendar date in YYYY-MM-DD form (rejects 2025-02-30). */
export const isCalendarDate = (value: unknown): value is CalendarDate => {
  if (typeof value !== 'string' || !PATTERN.test(value)) return false;
  return fromUtc(toUtc(value)) === value;
};

export const addDays = (date: CalendarDate, days: number): CalendarDate => fromUtc(toUtc(date) + days * DAY_MS);

/** Calendar months with the day clamped to the month's end: 2025-01-31 + 1 month = 2025-02-28. */
export const addMonths = (date: CalendarDate, months: number): CalendarDate => {
  const d = new Date(toUtc(date));
  const target = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), target + 1, 0)).getUTCDate();
  return fromUtc(Date.UTC(d.getUTCFullYear(), target, Math.min(d.getUTCDate(), lastDay)));
};

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: CalendarDate, to: CalendarDate): number => Math.round((toUtc(to) - toUtc(from)) / DAY_MS);

export const maxDate = (...dates: (CalendarDate | null | undefined)[]): CalendarDate | null =>
  dates.reduce<CalendarDate | null>((max, d) => (d && (!max || d > max) ? d : max), null);

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building an Intl.DateTimeFormat costs ~50 µs: one per time zone, reused (every command calls this). */
const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** The calendar date of an instant in Cologne: the business day a caseworker sees. */
export const businessDateOf = (instant: Date, timeZone = 'Europe/Berlin'): CalendarDate => formatterFor(timeZone).format(instant);
