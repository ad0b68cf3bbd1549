import type { CalendarDate } from '@wih/domain';

/**
 * Days as integers (days since 1970-01-01): the generator does its date arithmetic on numbers and
 * formats each date once, which matters at a million events. The domain's own date functions
 * check the results (decideCase runs on every generated command).
 */
export const DAY_MS = 86_400_000;

export const dayOf = (date: CalendarDate): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

const formatted = new Map<number, CalendarDate>();

export const dateOf = (day: number): CalendarDate => {
  let date = formatted.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    formatted.set(day, date);
  }
  return date;
};

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export const weekdayOf = (day: number): number => (((day + 4) % 7) + 7) % 7;

/** Offices work Monday to Friday: Saturday moves back to Friday, Sunday on to Monday. */
export const workday = (day: number): number => {
  const weekday = weekdayOf(day);
  return weekday === 6 ? day - 1 : weekday === 0 ? day + 1 : day;
};
