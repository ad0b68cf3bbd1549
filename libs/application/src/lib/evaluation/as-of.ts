import { addDays, businessDateOf, isCalendarDate } from '@wih/domain';

/** An `asOf` that names no instant, or one in the future. The message is fit for the user. */
export class AsOfError extends Error {}

const INSTANT = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,3})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
const HOUR_MS = 3_600_000;

/**
 * The first instant of a calendar day in Cologne. Berlin is UTC+1 or UTC+2 and never changes its
 * offset around midnight, so midnight is one of two candidates.
 */
export const startOfDayInCologne = (date: string): number => {
  const utcMidnight = Date.parse(`${date}T00:00:00.000Z`);
  for (const offsetHours of [1, 2]) {
    const candidate = utcMidnight - offsetHours * HOUR_MS;
    if (businessDateOf(new Date(candidate)) === date && businessDateOf(new Date(candidate - 1)) !== date) return candidate;
  }
  throw new RangeError(`no start of day found for ${date}`);
};

/**
 * The instant an evaluation is "as of" (ISO 8601 UTC), from what a user typed:
 * - nothing: now;
 * - an instant with a zone (`2026-04-30T12:00:00Z`, `…+02:00`): that instant;
 * - a calendar date (`2026-04-30`): the end of that day in Cologne, i.e. everything recorded on
 *   that business day counts; for today, now (the rest of the day has not happened yet).
 * An instant without a zone is refused (it would depend on the server's zone); so is the future,
 * because an answer about it could still change.
 */
export function resolveAsOf(value: string | undefined, now: Date = new Date()): string {
  if (value === undefined || value === '') return now.toISOString();
  let instant: number;
  if (isCalendarDate(value)) {
    if (value > businessDateOf(now)) throw new AsOfError('asOf must not be in the future');
    instant = Math.min(startOfDayInCologne(addDays(value, 1)) - 1, now.getTime());
  } else {
    const match = INSTANT.exec(value);
    if (!match || !isCalendarDate(match[1])) {
      throw new AsOfError('asOf must be an ISO 8601 instant with a zone (2026-04-30T12:00:00Z) or a calendar date (YYYY-MM-DD)');
    }
    instant = Date.parse(value);
    if (Number.isNaN(instant)) throw new AsOfError('asOf is not a valid instant');
    if (instant > now.getTime()) throw new AsOfError('asOf must not be in the future');
  }
  return new Date(instant).toISOString();
}

/**
 * Whether the user asked for "now" (no asOf at all): such an answer may be given as of the slightly
 * later instant its facts were read (decision 0044), and says so in its `asOf`. Today's date is not
 * "now": it means the end of that day, which a later instant could pass at midnight.
 */
export const asksForNow = (value: string | undefined): boolean => value === undefined || value === '';
